/* bookmarks: the posts a member keeps to find again (/bookmarks), and a member's recent posts
 * as a profile shows them. Both are lists of posts with their thread and board, and both
 * apply the visibility rule when they are read, for whoever reads them. */
#ifndef AGORA_BOOKMARKS_H
#define AGORA_BOOKMARKS_H

#include <stddef.h>

#include "ctx.h"
#include "store_bookmark.h"

enum {
	BOOKMARKS_MAX = 1000, /* a member's bookmarks; one more is 409 too_many_bookmarks */
	PROFILE_RECENT_POSTS = 10,
};

/* Bookmarks (on) or unbookmarks a post the caller may see (404 otherwise, and for a deleted
 * post being bookmarked); both idempotent. Reading aids, so a banned member may too. */
enum ag_status bookmark_set(struct agora_ctx *c, int64_t post_id, int on);
/* The caller's bookmarks they may still see, newest first. */
enum ag_status bookmarks_list(struct agora_ctx *c, struct listing *l, struct placed_post **out, size_t *n);
/* The posts of a thread the caller bookmarked (none for visitors). */
enum ag_status bookmarks_in_thread(struct agora_ctx *c, int64_t thread_id, int64_t **ids, size_t *n);
/* A member's PROFILE_RECENT_POSTS newest published posts, on boards the caller may see. */
enum ag_status profile_recent_posts(struct agora_ctx *c, const struct user *u, struct placed_post **out,
				    size_t *n);

#endif
