#include "store_feed.h"

#include "store_impl.h"

int store_feed_thread_posts(struct store *s, struct arena *a, int64_t thread_id, int64_t limit,
			    struct post **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_FEED_THREAD_POSTS);
	sqlite3_bind_int64(st, 1, thread_id);
	sqlite3_bind_int64(st, 2, limit);
	return sql_collect(st, a, sizeof(struct post), (void **)out, n, sql_read_post);
}

int store_feed_threads(struct store *s, struct arena *a, int64_t board_id, int64_t viewer_id, int64_t limit,
		       struct thread **out, size_t *n)
{
	sqlite3_stmt *st;
	int i = 1;
	if (board_id) {
		st = sql_stmt(s, ST_FEED_BOARD_THREADS);
		sqlite3_bind_int64(st, i++, board_id);
	} else {
		st = sql_stmt(s, ST_FEED_SITE_THREADS);
	}
	sqlite3_bind_int64(st, i++, viewer_id);
	sqlite3_bind_int64(st, i, limit);
	return sql_collect(st, a, sizeof(struct thread), (void **)out, n, sql_read_thread);
}

int store_feed_counts(struct store *s, int64_t now, struct store_counts *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_FEED_COUNT_POSTS);
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	out->posts_published = sqlite3_column_int64(st, 0);
	out->threads = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	st = sql_stmt(s, ST_FEED_COUNT_SESSIONS);
	sqlite3_bind_int64(st, 1, now);
	out->sessions_active = sql_scalar(st, &rc);
	return rc;
}
