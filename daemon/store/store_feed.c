/* The SQL of the Atom feeds and /metrics. */
#include "store_feed.h"

#include <stdio.h>
#include <sys/stat.h>

#include "store_impl.h"
#include "store_mail.h"
#include "store_job.h"

int store_feed_thread_posts(struct store *s, struct arena *a, int64_t thread_id, int64_t viewer_id, int64_t limit,
			    struct post **out, size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_FEED_THREAD_POSTS, SQL_INT(thread_id), SQL_INT(limit), SQL_INT(viewer_id));
	return sql_collect(st, a, &sql_post_row, (void **)out, n);
}

int store_feed_threads(struct store *s, struct arena *a, int64_t board_id, int64_t viewer_id, int64_t limit,
		       struct thread **out, size_t *n)
{
	sqlite3_stmt *st = board_id ? SQL_BIND(s, ST_FEED_BOARD_THREADS, SQL_INT(board_id), SQL_INT(viewer_id),
					       SQL_INT(limit))
				    : SQL_BIND(s, ST_FEED_SITE_THREADS, SQL_INT(viewer_id), SQL_INT(limit));
	return sql_collect(st, a, &sql_thread_row, (void **)out, n);
}

static int64_t wal_size(struct store *s)
{
	char path[4200];
	struct stat st;
	const char *db = sqlite3_db_filename(s->db, "main");
	snprintf(path, sizeof path, "%s-wal", db ? db : "");
	return db && *db && stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

int store_feed_counts(struct store *s, int64_t now, struct store_counts *out)
{
	int rc = sql_pair(sql_stmt(s, ST_FEED_COUNT_POSTS), &out->posts_published, &out->threads);
	if (rc != STORE_OK)
		return rc;
	out->sessions_active = sql_scalar(SQL_BIND(s, ST_FEED_COUNT_SESSIONS, SQL_INT(now)), &rc);
	if (rc != STORE_OK)
		return rc;
	if ((rc = store_job_count_due(s, now, &out->jobs_due)) != STORE_OK)
		return rc;
	int64_t pages = 0, page_size = 0;
	if ((rc = sql_pair(sql_stmt(s, ST_DB_PAGES), &pages, &page_size)) != STORE_OK)
		return rc;
	out->db_bytes = pages * page_size;
	out->wal_bytes = wal_size(s);
	return store_outbox_counts(s, &out->mail_waiting, &out->mail_failed);
}
