/* The SQL of following, notifications, unread tracking and the personal feed. */
#include "store_follow.h"

#include "store_impl.h"

static int sub_set(struct store *s, enum stmt_id put, enum stmt_id del, int64_t user_id, int64_t id, int on,
		   int64_t now)
{
	if (on)
		return sql_exec(SQL_BIND(s, put, SQL_INT(user_id), SQL_INT(id), SQL_INT(now)));
	return sql_exec(SQL_BIND(s, del, SQL_INT(user_id), SQL_INT(id)));
}

int store_thread_sub_set(struct store *s, int64_t user_id, int64_t thread_id, int on, int64_t now)
{
	return sub_set(s, ST_THREAD_SUB_PUT, ST_THREAD_SUB_DELETE, user_id, thread_id, on, now);
}

int store_board_sub_set(struct store *s, int64_t user_id, int64_t board_id, int on, int64_t now)
{
	return sub_set(s, ST_BOARD_SUB_PUT, ST_BOARD_SUB_DELETE, user_id, board_id, on, now);
}

int store_thread_sub_get(struct store *s, int64_t user_id, int64_t thread_id)
{
	return sql_found(SQL_BIND(s, ST_THREAD_SUB_GET, SQL_INT(user_id), SQL_INT(thread_id)));
}

int store_board_sub_get(struct store *s, int64_t user_id, int64_t board_id)
{
	return sql_found(SQL_BIND(s, ST_BOARD_SUB_GET, SQL_INT(user_id), SQL_INT(board_id)));
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
		[NOTIFY_POST_AUTHOR] = ST_NOTIFY_AUTHOR,
	};
	enum stmt_id id = by_audience[who];
	if (who == NOTIFY_MENTIONED)
		return sql_exec(SQL_BIND(s, id, SQL_TEXT(kind), SQL_INT(post_id), SQL_INT(actor_id), SQL_INT(now),
					 SQL_TEXT(name)));
	return sql_exec(SQL_BIND(s, id, SQL_TEXT(kind), SQL_INT(post_id), SQL_INT(actor_id), SQL_INT(now)));
}

int store_notify_moderation(struct store *s, int64_t post_id, int64_t actor_id, const char *detail, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_NOTIFY_MODERATION, SQL_INT(post_id), SQL_INT(actor_id), SQL_TEXT(detail),
				 SQL_INT(now)));
}

static const struct sql_field note_fields[] = {
	SQL_FIELD(struct note, id), SQL_FIELD(struct note, kind), SQL_FIELD(struct note, post_id),
	SQL_FIELD(struct note, thread_id), SQL_FIELD(struct note, actor), SQL_FIELD(struct note, actor_name),
	SQL_FIELD(struct note, detail), SQL_FIELD(struct note, created_at), SQL_FIELD(struct note, read_at),
	SQL_FIELD(struct note, thread_title), SQL_FIELD(struct note, post_state),
	SQL_FIELD(struct note, training), SQL_FIELD(struct note, training_title),
};
static const struct sql_row note_row = SQL_ROW(struct note, note_fields);

int store_notes(struct store *s, struct arena *a, int64_t user_id, struct page pg, struct note **out, size_t *n,
		int64_t *total, int64_t *unread)
{
	int rc = sql_pair(SQL_BIND(s, ST_NOTES_COUNT, SQL_INT(user_id)), total, unread);
	if (rc != STORE_OK)
		return rc;
	return sql_collect(SQL_BIND(s, ST_NOTES, SQL_INT(user_id), SQL_PAGE(pg)), a, &note_row, (void **)out, n);
}

int store_note_get(struct store *s, struct arena *a, int64_t user_id, int64_t id, struct note *out)
{
	return sql_one_row(SQL_BIND(s, ST_NOTE_GET, SQL_INT(user_id), SQL_INT(id)), a, &note_row, out);
}

int store_notes_unread_since(struct store *s, struct arena *a, int64_t user_id, int64_t since, int64_t limit,
			     struct note **out, size_t *n, int64_t *total)
{
	int rc;
	*total = sql_scalar(SQL_BIND(s, ST_NOTES_UNREAD_SINCE_COUNT, SQL_INT(user_id), SQL_INT(since)), &rc);
	if (rc != STORE_OK)
		return rc;
	sqlite3_stmt *st = SQL_BIND(s, ST_NOTES_UNREAD_SINCE, SQL_INT(user_id), SQL_INT(since), SQL_INT(limit));
	return sql_collect(st, a, &note_row, (void **)out, n);
}

int store_notes_unread(struct store *s, int64_t user_id, int64_t limit, int64_t *n)
{
	int rc;
	*n = sql_scalar(SQL_BIND(s, ST_NOTES_UNREAD, SQL_INT(user_id), SQL_INT(limit)), &rc);
	return rc;
}

int store_notes_read(struct store *s, int64_t user_id, int64_t id, int64_t now)
{
	if (id)
		return sql_exec(SQL_BIND(s, ST_NOTES_READ_ONE, SQL_INT(user_id), SQL_INT(now), SQL_INT(id)));
	return sql_exec(SQL_BIND(s, ST_NOTES_READ_ALL, SQL_INT(user_id), SQL_INT(now)));
}

int store_notes_read_thread(struct store *s, int64_t user_id, int64_t thread_id, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_NOTES_READ_THREAD, SQL_INT(user_id), SQL_INT(now), SQL_INT(thread_id)));
}

int store_notes_unread_in_thread(struct store *s, int64_t user_id, int64_t thread_id)
{
	return sql_found(SQL_BIND(s, ST_NOTES_UNREAD_IN_THREAD, SQL_INT(user_id), SQL_INT(thread_id)));
}

/* ---- unread tracking ------------------------------------------------------------------------ */

int store_read_get(struct store *s, int64_t user_id, int64_t thread_id, int64_t *last_post_id)
{
	int rc;
	*last_post_id = sql_scalar(SQL_BIND(s, ST_READ_GET, SQL_INT(user_id), SQL_INT(thread_id)), &rc);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int store_read_mark(struct store *s, int64_t user_id, int64_t thread_id, int64_t post_id, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_READ_MARK, SQL_INT(user_id), SQL_INT(thread_id), SQL_INT(post_id),
				 SQL_INT(now)));
}

static const struct sql_field unread_fields[] = {
	SQL_FIELD(struct unread_mark, thread_id), SQL_FIELD(struct unread_mark, new_posts),
};
static const struct sql_row unread_row = SQL_ROW(struct unread_mark, unread_fields);

int store_unread_threads(struct store *s, struct arena *a, int64_t user_id, int64_t joined_at, int64_t limit,
			 const int64_t *ids, size_t n, struct unread_mark **out, size_t *nout)
{
	/* the page's thread ids as one JSON array, so one statement answers for all of them */
	struct buf list = BUF_INIT;
	buf_putc(&list, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&list, ']');
	sqlite3_stmt *st = SQL_BIND(s, ST_UNREAD_THREADS, SQL_INT(user_id), SQL_TEXT(list.data), SQL_INT(joined_at),
				    SQL_INT(limit));
	int rc = sql_collect(st, a, &unread_row, (void **)out, nout);
	buf_free(&list);
	return rc;
}

/* ---- the personal feed ------------------------------------------------------------------------ */

static const struct sql_field feed_item_fields[] = {
	SQL_FIELD(struct feed_item, thread), SQL_FIELD(struct feed_item, why),
};
static const struct sql_row feed_item_row = SQL_ROW(struct feed_item, feed_item_fields);

int store_feed(struct store *s, struct arena *a, const struct feed_reader *f, struct page pg,
	       struct feed_item **out, size_t *n, int64_t *total)
{
	sqlite3_stmt *count = sql_stmt(s, ST_FEED_COUNT);
	sqlite3_bind_int64(count, 1, f->user_id);
	sqlite3_bind_int64(count, 7, f->window);
	sqlite3_stmt *rows = SQL_BIND(s, ST_FEED, SQL_INT(f->user_id), SQL_ID(f->position_id), SQL_ID(f->industry_id),
				      SQL_ID(f->region_id), SQL_PAGE(pg), SQL_INT(f->window));
	return sql_page(count, total, rows, a, &feed_item_row, (void **)out, n);
}

int store_followed_threads(struct store *s, struct arena *a, int64_t user_id, int64_t limit, struct thread **out,
			   size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_FOLLOWED_THREADS, SQL_INT(user_id), SQL_INT(limit));
	return sql_collect(st, a, &sql_thread_row, (void **)out, n);
}
