/* store_questionnaire: questionnaires and their responses. */
#ifndef AGORA_STORE_QUESTIONNAIRE_H
#define AGORA_STORE_QUESTIONNAIRE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Questionnaires. A member's second response is STORE_CONFLICT. With anonymous set, the
 * response row keeps neither the respondent nor the time. */
int store_q_insert(struct store *db, struct questionnaire *q);
int store_q_get(struct store *db, struct arena *a, int64_t id, struct questionnaire *out);
/* Those of a board or an association (0 for any), newest first. */
int store_q_list(struct store *db, struct arena *a, int64_t board_id, int64_t assoc_id, struct questionnaire **out,
		 size_t *n);
int store_q_respond(struct store *db, const struct questionnaire *q, int64_t user_id, const char *answers,
		    int64_t now);
int store_q_has_responded(struct store *db, int64_t q_id, int64_t user_id);
/* Every response; anonymous questionnaires come back in random order. */
int store_q_responses(struct store *db, struct arena *a, const struct questionnaire *q, struct response **out,
		      size_t *n);

#endif
