/* store_thread: threads and their posts: the tree, counters, edits and revisions. */
#ifndef AGORA_STORE_THREAD_H
#define AGORA_STORE_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Threads of a board, pinned first then by last activity; region_id 0 means all regions. */
int store_board_threads(struct store *db, struct arena *a, int64_t board_id, int64_t region_id,
			struct page pg, struct thread **out, size_t *n, int64_t *total);
/* The most recently active threads of the whole site. */
int store_recent_threads(struct store *db, struct arena *a, int64_t viewer_id, int64_t limit, struct thread **out,
			 size_t *n);
int store_thread_get(struct store *db, struct arena *a, int64_t id, struct thread *out);

/* A new thread with its first post, counters updated. Sets t->id, p->id and t->root_post_id. */
int store_thread_insert(struct store *db, struct thread *t, struct post *p);
/* A reply under p->parent_id (which must be a post of p->thread_id), counters updated when it
 * is published. Sets p->id and p->depth. */
int store_post_insert(struct store *db, struct post *p);
/* Where a reply to *parent_id goes when replies nest at most max_depth levels: *parent_id
 * itself when it is shallower than max_depth, else its ancestor at depth max_depth - 1 (the
 * reply then sits beside the post it answers). STORE_NOTFOUND when *parent_id is no post of
 * thread_id. */
/* The time of the n-th newest post written by author_id after since (any state: each took
 * room), for rates: STORE_NOTFOUND when there are fewer than n. */
int store_posts_nth_since(struct store *db, int64_t author_id, int64_t since, int64_t n, int64_t *at);
int store_post_capped_parent(struct store *db, int64_t thread_id, int64_t max_depth, int64_t *parent_id);

/* Posts of a thread in tree order (depth first, siblings oldest first) or by time. Pending and
 * rejected posts are included only for their author (viewer_id) or when all_states is set. */
int store_thread_posts(struct store *db, struct arena *a, int64_t thread_id, int by_time,
		       int64_t viewer_id, int all_states, struct page pg,
		       struct post **out, size_t *n, int64_t *total);
int store_post_get(struct store *db, struct arena *a, int64_t id, struct post *out);
/* The id of the thread's newest published post (0 when none). */
int store_thread_newest_post(struct store *db, int64_t thread_id, int64_t *post_id);
/* How many posts of the thread come before post_id in tree order, as viewer_id sees them. */
int store_posts_before(struct store *db, int64_t thread_id, int64_t post_id, int64_t viewer_id, int all_states,
		       int64_t *n);
/* Replaces the body, keeping the old one as the next revision by editor_id. */
int store_post_edit(struct store *db, int64_t post_id, int64_t editor_id, const char *body,
		    const char *body_html, int64_t now);
/* Moves a post to another state (a soft delete is POST_DELETED: the row and its body stay for
 * revisions). Board, thread and author counters and the thread's visibility follow. */
int store_post_set_state(struct store *db, int64_t post_id, enum post_state to);
/* An edit held for review: kept beside the published text until a moderator decides. */
int store_post_set_pending(struct store *db, int64_t post_id, const char *body, const char *html);
/* Makes the held edit the post's text (the old text becomes a revision by editor_id). */
int store_post_apply_pending(struct store *db, int64_t post_id, int64_t editor_id, int64_t now);
int store_post_revisions(struct store *db, struct arena *a, int64_t post_id, struct revision **out, size_t *n);

#endif
