/* store_followup: follow-ups (waves) of trainings, the raters trainees name, and the
 * invitations a wave sends when it opens. */
#ifndef AGORA_STORE_FOLLOWUP_H
#define AGORA_STORE_FOLLOWUP_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* f->id is set. */
int store_followup_insert(struct store *db, struct followup *f);
int store_followup_get(struct store *db, struct arena *a, int64_t id, struct followup *out);
/* A training's follow-ups, oldest first. */
int store_followups(struct store *db, struct arena *a, int64_t training_id, struct followup **out, size_t *n);
/* The wave whose own questionnaire is q_id (STORE_NOTFOUND: none). */
int store_followup_by_questionnaire(struct store *db, struct arena *a, int64_t q_id, struct followup *out);
int store_followup_set_questionnaire(struct store *db, int64_t id, int64_t q_id);
/* Invites the wave's respondents as of now: enrolled and completed trainees, or their raters
 * (one invitation per rater and trainee). Inviting twice changes nothing. */
int store_followup_invite(struct store *db, const struct followup *f);
/* One notification of kind followup (detail what) per invited user; only those with an
 * unanswered invitation when unanswered is set. */
int store_followup_notify(struct store *db, const struct followup *f, const char *what, int unanswered, int64_t now);

/* The raters a trainee names, replaced as a whole. */
int store_raters_set(struct store *db, int64_t training_id, int64_t trainee_id, const int64_t *ids, size_t n);

/* The invitation of user about about_id (0: themself) to answer wave questionnaire q_id:
 * STORE_OK with *answered, or STORE_NOTFOUND. */
int store_invitation(struct store *db, int64_t q_id, int64_t user_id, int64_t about_id, int *answered);
/* STORE_OK when user has an invitation to answer q_id (only an unanswered one if open_only). */
int store_invited(struct store *db, int64_t q_id, int64_t user_id, int open_only);
/* Records a response to a wave (respondent 0 keeps nobody) and marks the invitation answered,
 * inside the caller's transaction: STORE_CONFLICT when it was answered already. */
int store_followup_respond(struct store *db, const struct followup *f, int64_t user_id, int64_t about_id,
			   int64_t respondent_id, const char *answers, int64_t now);
/* The trainees user is invited to answer about, by username, and whether each is answered. */
struct about_choice {
	const char *username;
	int answered;
};
int store_about_choices(struct store *db, struct arena *a, int64_t q_id, int64_t user_id, struct about_choice **out,
			size_t *n);

#endif
