/* The SQL of following, notifications, unread tracking and the personal feed. */
#include "store_follow.h"

#include <string.h>

#include "store_impl.h"

static int sub_set(struct store *s, enum stmt_id put, enum stmt_id del, int64_t user_id, int64_t id, int on,
		   int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, on ? put : del);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, id);
	if (on)
		sqlite3_bind_int64(st, 3, now);
	return sql_exec(st);
}

int store_thread_sub_set(struct store *s, int64_t user_id, int64_t thread_id, int on, int64_t now)
{
	return sub_set(s, ST_THREAD_SUB_PUT, ST_THREAD_SUB_DELETE, user_id, thread_id, on, now);
}

int store_board_sub_set(struct store *s, int64_t user_id, int64_t board_id, int on, int64_t now)
{
	return sub_set(s, ST_BOARD_SUB_PUT, ST_BOARD_SUB_DELETE, user_id, board_id, on, now);
}

/* Whether statement id finds a row for the pair (user, what). */
static int exists(struct store *s, enum stmt_id id, int64_t user_id, int64_t what)
{
	sqlite3_stmt *st = sql_stmt(s, id);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, what);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}

int store_thread_sub_get(struct store *s, int64_t user_id, int64_t thread_id)
{
	return exists(s, ST_THREAD_SUB_GET, user_id, thread_id);
}

int store_board_sub_get(struct store *s, int64_t user_id, int64_t board_id)
{
	return exists(s, ST_BOARD_SUB_GET, user_id, board_id);
}

/* ---- notifications ------------------------------------------------------------------------ */

int store_notify_post(struct store *s, enum notify_audience who, const char *kind, const char *name,
		      int64_t post_id, int64_t actor_id, int64_t now)
{
	static const enum stmt_id by_audience[] = {
		[NOTIFY_MENTIONED] = ST_NOTIFY_MENTION,
		[NOTIFY_PARENT_AUTHOR] = ST_NOTIFY_REPLY,
		[NOTIFY_THREAD_FOLLOWERS] = ST_NOTIFY_THREAD_SUBS,
		[NOTIFY_BOARD_FOLLOWERS] = ST_NOTIFY_BOARD_SUBS,
	};
	sqlite3_stmt *st = sql_stmt(s, by_audience[who]);
	sql_bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, post_id);
	sqlite3_bind_int64(st, 3, actor_id);
	sqlite3_bind_int64(st, 4, now);
	if (who == NOTIFY_MENTIONED)
		sql_bind_text(st, 5, name);
	return sql_exec(st);
}

int store_notify_moderation(struct store *s, int64_t post_id, int64_t actor_id, const char *detail, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_NOTIFY_MODERATION);
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, actor_id);
	sql_bind_text(st, 3, detail);
	sqlite3_bind_int64(st, 4, now);
	return sql_exec(st);
}

static void read_note(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct note *n = out;
	n->id = sqlite3_column_int64(st, 0);
	n->kind = sql_col_text(st, 1, a);
	n->post_id = sqlite3_column_int64(st, 2);
	n->thread_id = sqlite3_column_int64(st, 3);
	n->actor = sql_col_text(st, 4, a);
	n->actor_name = sql_col_text(st, 5, a);
	n->detail = sql_col_text(st, 6, a);
	n->created_at = sqlite3_column_int64(st, 7);
	n->read_at = sqlite3_column_int64(st, 8);
	n->thread_title = sql_col_text(st, 9, a);
	n->post_state = sql_col_text(st, 10, a);
}

int store_notes(struct store *s, struct arena *a, int64_t user_id, struct page pg, struct note **out, size_t *n,
		int64_t *total, int64_t *unread)
{
	sqlite3_stmt *st = sql_stmt(s, ST_NOTES_COUNT);
	sqlite3_bind_int64(st, 1, user_id);
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	*total = sqlite3_column_int64(st, 0);
	*unread = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	st = sql_stmt(s, ST_NOTES);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, pg.limit);
	sqlite3_bind_int64(st, 3, pg.offset);
	return sql_collect(st, a, sizeof(struct note), (void **)out, n, read_note);
}

int store_notes_unread(struct store *s, int64_t user_id, int64_t limit, int64_t *n)
{
	int rc;
	sqlite3_stmt *st = sql_stmt(s, ST_NOTES_UNREAD);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, limit);
	*n = sql_scalar(st, &rc);
	return rc;
}

int store_notes_read(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, id ? ST_NOTES_READ_ONE : ST_NOTES_READ_ALL);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, now);
	if (id)
		sqlite3_bind_int64(st, 3, id);
	return sql_exec(st);
}

int store_notes_read_thread(struct store *s, int64_t user_id, int64_t thread_id, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_NOTES_READ_THREAD);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, thread_id);
	return sql_exec(st);
}

int store_notes_unread_in_thread(struct store *s, int64_t user_id, int64_t thread_id)
{
	return exists(s, ST_NOTES_UNREAD_IN_THREAD, user_id, thread_id);
}

/* ---- unread tracking ------------------------------------------------------------------------ */

int store_read_get(struct store *s, int64_t user_id, int64_t thread_id, int64_t *last_post_id)
{
	int rc;
	sqlite3_stmt *st = sql_stmt(s, ST_READ_GET);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, thread_id);
	*last_post_id = sql_scalar(st, &rc);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_read_mark(struct store *s, int64_t user_id, int64_t thread_id, int64_t post_id, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_READ_MARK);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, thread_id);
	sqlite3_bind_int64(st, 3, post_id);
	sqlite3_bind_int64(st, 4, now);
	return sql_exec(st);
}

static void read_unread(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct unread_mark *m = out;
	(void)a;
	m->thread_id = sqlite3_column_int64(st, 0);
	m->new_posts = sqlite3_column_int64(st, 1);
}

int store_unread_threads(struct store *s, struct arena *a, int64_t user_id, int64_t joined_at, int64_t limit,
			 const int64_t *ids, size_t n, struct unread_mark **out, size_t *nout)
{
	/* the page's thread ids as one JSON array, so one statement answers for all of them */
	struct buf list = BUF_INIT;
	buf_putc(&list, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&list, ']');
	sqlite3_stmt *st = sql_stmt(s, ST_UNREAD_THREADS);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_text(st, 2, list.data, (int)list.len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, joined_at);
	sqlite3_bind_int64(st, 4, limit);
	int rc = sql_collect(st, a, sizeof(struct unread_mark), (void **)out, nout, read_unread);
	buf_free(&list);
	return rc;
}

/* ---- the personal feed ------------------------------------------------------------------------ */

static void read_feed_item(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct feed_item *f = out;
	sql_read_thread(st, a, &f->thread);
	f->why = sql_col_text(st, 11 + USER_NCOLS, a);
}

int store_feed(struct store *s, struct arena *a, const struct feed_reader *f, struct page pg,
	       struct feed_item **out, size_t *n, int64_t *total)
{
	int rc;
	sqlite3_stmt *st = sql_stmt(s, ST_FEED_COUNT);
	sqlite3_bind_int64(st, 1, f->user_id);
	sqlite3_bind_int64(st, 7, f->window);
	*total = sql_scalar(st, &rc);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_FEED);
	sqlite3_bind_int64(st, 1, f->user_id);
	sql_bind_id(st, 2, f->position_id);
	sql_bind_id(st, 3, f->industry_id);
	sql_bind_id(st, 4, f->region_id);
	sqlite3_bind_int64(st, 5, pg.limit);
	sqlite3_bind_int64(st, 6, pg.offset);
	sqlite3_bind_int64(st, 7, f->window);
	return sql_collect(st, a, sizeof(struct feed_item), (void **)out, n, read_feed_item);
}

int store_followed_threads(struct store *s, struct arena *a, int64_t user_id, int64_t limit, struct thread **out,
			   size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_FOLLOWED_THREADS);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, limit);
	return sql_collect(st, a, sizeof(struct thread), (void **)out, n, sql_read_thread);
}
