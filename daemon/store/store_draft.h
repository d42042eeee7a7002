/* store_draft: members' drafts, the unsent text of a reply or a new thread, one per key
 * ("thread-ID" or "board-SLUG") and member. */
#ifndef AGORA_STORE_DRAFT_H
#define AGORA_STORE_DRAFT_H

#include <stdint.h>

#include "store.h"

struct draft {
	const char *key;
	const char *title; /* NULL but for a new thread's draft */
	const char *body;
	int64_t updated_at;
};

/* Saves d (inserting or replacing), then drops the member's oldest drafts past keep. */
int store_draft_put(struct store *db, int64_t user_id, const struct draft *d, int64_t keep);
int store_draft_get(struct store *db, struct arena *a, int64_t user_id, const char *key, struct draft *out);
/* Deletes a draft; STORE_OK whether or not there was one. */
int store_draft_delete(struct store *db, int64_t user_id, const char *key);
/* Deletes the draft of a reply in a thread, of a new thread in a board (once it is posted). */
int store_draft_forget_thread(struct store *db, int64_t user_id, int64_t thread_id);
int store_draft_forget_board(struct store *db, int64_t user_id, const char *slug);

#endif
