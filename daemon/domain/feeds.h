/* feeds: what the Atom feeds of a board, a thread and the whole site hold for the caller,
 * and the site-wide figures /metrics reports. Feeds follow the forum's visibility rule
 * (boards of a members-only association exist only for its members) and carry published
 * posts only: held, rejected and deleted posts never reach a feed reader. */
#ifndef AGORA_FEEDS_H
#define AGORA_FEEDS_H

#include <stddef.h>

#include "ctx.h"
#include "store_feed.h"

enum { FEED_MAX_ENTRIES = 50 };

/* One entry: a published post and the thread it is in. */
struct feed_entry {
	const struct thread *thread;
	struct post post;
};

/* 1 when the entry's post opens its thread (a board or site feed entry always does). */
int feed_entry_opens_thread(const struct feed_entry *e);

/* The newest threads of a board, each with its first post; AG_ENOTFOUND (board_not_found)
 * for a board the caller may not see. */
enum ag_status feed_board(struct agora_ctx *c, const char *slug, struct board *b, struct feed_entry **out,
			  size_t *n);
/* The newest published posts of a thread; AG_ENOTFOUND (thread_not_found) for a thread the
 * caller may not see or whose first post is not public. */
enum ag_status feed_thread(struct agora_ctx *c, int64_t id, struct thread *t, struct feed_entry **out,
			   size_t *n);
/* The newest threads of every board the caller may see. */
enum ag_status feed_site(struct agora_ctx *c, struct feed_entry **out, size_t *n);

/* The figures for /metrics. Only the machine itself (local_client: a loopback connection not
 * relayed by a proxy) and admins may read them; anyone else gets AG_ENOTFOUND, as if
 * /metrics did not exist. */
enum ag_status feed_site_counts(struct agora_ctx *c, int local_client, struct store_counts *out);

#endif
