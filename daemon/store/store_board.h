/* store_board: boards and who moderates them. */
#ifndef AGORA_STORE_BOARD_H
#define AGORA_STORE_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Which boards to list: slugs or NULL, and who is looking (0 for a visitor). Boards the
 * viewer may not see are left out. */
struct board_filter {
	const char *industry, *position, *association;
	int64_t viewer_id;
};

int store_boards(struct store *db, struct arena *a, const struct board_filter *f, struct board **out, size_t *n);
/* STORE_OK when viewer_id may see the board; STORE_NOTFOUND otherwise. */
int store_board_visible(struct store *db, int64_t board_id, int64_t viewer_id);
int store_board_by_slug(struct store *db, struct arena *a, const char *slug, struct board *out);
/* b->industry.id / b->position.id must be set (0 for none); sets b->id. */
int store_board_insert(struct store *db, struct board *b, int64_t now);
int store_board_moderator_add(struct store *db, int64_t board_id, int64_t user_id);
/* STORE_OK when user_id moderates the board: MODERATES (store_impl.h), the one definition
 * that also decides, in SQL, who sees answer-first answers. */
int store_board_moderates(struct store *db, int64_t board_id, int64_t user_id);
/* STORE_OK when the user moderates at least one board. */
int store_moderates_any(struct store *db, int64_t user_id);

#endif
