/* store_bookmark: the posts members keep, and a member's recent posts as another sees them;
 * both list posts with their place (thread and board). */
#ifndef AGORA_STORE_BOOKMARK_H
#define AGORA_STORE_BOOKMARK_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct placed_post {
	struct post post;
	const char *thread_title, *board_slug, *board_title;
	int64_t at; /* when it was bookmarked; for recent posts, when it was written */
};

/* Idempotent both ways. */
int store_bookmark_put(struct store *db, int64_t user_id, int64_t post_id, int64_t now);
int store_bookmark_delete(struct store *db, int64_t user_id, int64_t post_id);
/* How many bookmarks the member holds, visible or not. */
int store_bookmarks_held(struct store *db, int64_t user_id, int64_t *n);
/* The member's bookmarks they may still see (BOOKMARK_SEEN), newest first. */
int store_bookmarks(struct store *db, struct arena *a, int64_t user_id, struct page pg, struct placed_post **out,
		    size_t *n, int64_t *total);
/* The ids of the posts of a thread the member bookmarked. */
int store_bookmarked_in_thread(struct store *db, struct arena *a, int64_t user_id, int64_t thread_id,
			       int64_t **ids, size_t *n);
/* The author's newest published posts on boards the viewer (0: a visitor) may see. */
int store_user_recent_posts(struct store *db, struct arena *a, int64_t author_id, int64_t viewer_id, int64_t limit,
			    struct placed_post **out, size_t *n);

#endif
