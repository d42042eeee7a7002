/* store_feed: the reads behind the Atom feeds and /metrics. Feeds hold published content
 * only; what a viewer may see is decided here with BOARD_VISIBLE, as every list query does. */
#ifndef AGORA_STORE_FEED_H
#define AGORA_STORE_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The newest published posts of a thread, newest first, at most limit. */
int store_feed_thread_posts(struct store *db, struct arena *a, int64_t thread_id, int64_t viewer_id, int64_t limit,
			    struct post **out, size_t *n);
/* The newest threads (by creation) whose first post is published, on one board (board_id)
 * or on every board (board_id 0), leaving out boards viewer_id (0: a visitor) may not see. */
int store_feed_threads(struct store *db, struct arena *a, int64_t board_id, int64_t viewer_id, int64_t limit,
		       struct thread **out, size_t *n);

/* Site-wide figures for /metrics. Posts and threads come from the boards' counters (kept by
 * every write), so reading them costs one row per board, not a scan of the posts. */
struct store_counts {
	int64_t posts_published;
	int64_t threads;
	int64_t sessions_active; /* not yet expired at now */
	int64_t jobs_due;        /* scheduled jobs claimable at now */
	int64_t mail_waiting;    /* outbox messages queued or being sent */
	int64_t mail_failed;     /* outbox messages that failed for good */
	int64_t db_bytes;        /* the database file's pages */
	int64_t wal_bytes;       /* its write-ahead log file, 0 when there is none */
};
int store_feed_counts(struct store *db, int64_t now, struct store_counts *out);

#endif
