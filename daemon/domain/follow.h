/* follow: following threads and boards, what each member has read, and the personal feed.
 * Only signed-in members follow and leave read marks; visitors see no marks and cause no
 * writes. */
#ifndef AGORA_FOLLOW_H
#define AGORA_FOLLOW_H

#include <stddef.h>

#include "ctx.h"
#include "access.h"
#include "store_follow.h"

/* Posting in a thread follows it: the acting user follows thread_id (inside the caller's
 * transaction; returns a store status). */
int follow_on_post(struct agora_ctx *c, int64_t thread_id);

/* Follow (on) or stop following a thread or board the caller may see (AG_ENOTFOUND else). */
enum ag_status follow_thread(struct agora_ctx *c, int64_t thread_id, int on);
enum ag_status follow_board(struct agora_ctx *c, const char *slug, int on);
/* 1 when the caller follows it. */
int follow_thread_followed(struct agora_ctx *c, int64_t thread_id);
int follow_board_followed(struct agora_ctx *c, int64_t board_id);

/* The caller opened a thread and was shown posts[0..n): remembers the newest published one
 * they saw and marks the thread's notifications read. *prev is what they had seen before
 * (0 for a first visit, and for visitors, who leave nothing behind). */
enum ag_status follow_thread_seen(struct agora_ctx *c, const struct thread *t, const struct post *posts, size_t n,
				  int64_t *prev);
/* Whether a post counts as new to the caller, given their previous mark. */
int follow_post_unread(const struct agora_ctx *c, const struct post *p, int64_t prev);

/* Which of threads[0..n) have posts the caller has not seen (none for visitors), counting
 * no further than FOLLOW_NEW_POSTS_SHOWN + 1 in each: a board page must not cost more when
 * its threads run to 100,000 posts. */
enum { FOLLOW_NEW_POSTS_SHOWN = 999 };
enum ag_status follow_unread(struct agora_ctx *c, const struct thread *threads, size_t n,
			     struct unread_mark **out, size_t *nout);

/* The caller's personal feed: threads from boards of their associations, position and
 * industry and by people of their region first, then the rest, by last activity. */
enum ag_status follow_feed(struct agora_ctx *c, struct listing *l, struct feed_item **out, size_t *n);
/* The threads the caller follows, most recently active first. */
enum ag_status follow_followed_threads(struct agora_ctx *c, int64_t limit, struct thread **out, size_t *n);

#endif
