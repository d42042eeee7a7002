/* The SQL of moderation. */
#include "store_mod.h"

#include "store_impl.h"
#include "store_thread.h"

int store_flag_add(struct store *s, int64_t post_id, const char *kind, int64_t reporter_id, const char *reason,
		   int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_FLAG_ADD, SQL_INT(post_id), SQL_TEXT(kind), SQL_ID(reporter_id),
				 SQL_TEXT(reason), SQL_INT(now)));
}

int store_flag_reports(struct store *s, int64_t post_id, int64_t *n)
{
	int rc;
	*n = sql_scalar(SQL_BIND(s, ST_FLAG_REPORTS, SQL_INT(post_id)), &rc);
	return rc;
}

int store_report_add(struct store *s, int64_t post_id, int64_t reporter_id, const char *reason, int weight,
		     int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_REPORT_ADD, SQL_INT(post_id), SQL_INT(reporter_id), SQL_TEXT(reason),
				 SQL_INT(now), SQL_INT(weight)));
}

int store_report_weight(struct store *s, int64_t post_id, int64_t *sum)
{
	int rc;
	*sum = sql_scalar(SQL_BIND(s, ST_REPORT_WEIGHT, SQL_INT(post_id)), &rc);
	return rc;
}

int store_flags_resolve(struct store *s, int64_t post_id, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_FLAGS_RESOLVE, SQL_INT(post_id), SQL_INT(now)));
}

static const struct sql_field flag_reason_fields[] = {
	SQL_FIELD(struct flag_reason, kind), SQL_FIELD(struct flag_reason, reason),
	SQL_FIELD(struct flag_reason, reporter), SQL_FIELD(struct flag_reason, reporter_name),
};
static const struct sql_row flag_reason_row = SQL_ROW(struct flag_reason, flag_reason_fields);

int store_flag_reasons(struct store *s, struct arena *a, int64_t post_id, struct flag_reason **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_FLAG_REASONS, SQL_INT(post_id)), a, &flag_reason_row, (void **)out, n);
}

static const struct sql_field queue_item_fields[] = {
	SQL_FIELD(struct queue_item, post_id), SQL_FIELD(struct queue_item, board),
	SQL_FIELD(struct queue_item, board_title), SQL_FIELD(struct queue_item, thread_title),
};
static const struct sql_row queue_item_row = SQL_ROW(struct queue_item, queue_item_fields);

int store_mod_queue(struct store *s, struct arena *a, int64_t moderator_id, int all_boards, struct page pg,
		    struct queue_item **out, size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_MOD_QUEUE, SQL_INT(moderator_id), SQL_INT(all_boards), SQL_PAGE(pg));
	return sql_collect(st, a, &queue_item_row, (void **)out, n);
}

int store_thread_set(struct store *s, const struct thread *t)
{
	return sql_exec(SQL_BIND(s, ST_THREAD_SET, SQL_INT(t->id), SQL_INT(t->pinned), SQL_INT(t->locked),
				 SQL_ID(t->featured_at)));
}

static int board_move_counts(struct store *s, int64_t board_id, int sign, int visible, int64_t thread_id)
{
	return sql_exec(SQL_BIND(s, ST_BOARD_MOVE_COUNTS, SQL_INT(board_id), SQL_INT(sign), SQL_INT(visible),
				 SQL_INT(thread_id)));
}

/* Whether a thread is listed, which it is while its first post is shown (store_post_set_state). */
static int thread_listed(struct store *s, struct arena *a, const struct thread *t, int *listed)
{
	struct post root;
	int rc = store_post_get(s, a, t->root_post_id, &root);
	*listed = rc == STORE_OK && sql_post_shown(root.state);
	return rc;
}

int store_thread_move(struct store *s, int64_t thread_id, int64_t to_board)
{
	struct arena *a = arena_new();
	struct thread t;
	int visible = 0;
	int rc = store_thread_get(s, a, thread_id, &t);
	if (rc == STORE_OK)
		rc = thread_listed(s, a, &t, &visible);
	if (rc == STORE_OK)
		rc = board_move_counts(s, t.board_id, -1, visible, thread_id);
	if (rc == STORE_OK)
		rc = board_move_counts(s, to_board, 1, visible, thread_id);
	if (rc == STORE_OK)
		rc = sql_exec(SQL_BIND(s, ST_THREAD_MOVE, SQL_INT(thread_id), SQL_INT(to_board)));
	arena_free(a);
	return rc;
}

int store_user_ban(struct store *s, int64_t user_id, int64_t until, const char *reason)
{
	return sql_exec(SQL_BIND(s, ST_USER_BAN, SQL_INT(user_id), SQL_INT(until), SQL_TEXT(reason)));
}

int store_mod_log_add(struct store *s, int64_t actor_id, const char *action, const char *target_type,
		      int64_t target_id, const char *reason, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_MOD_LOG_ADD, SQL_INT(actor_id), SQL_TEXT(action), SQL_TEXT(target_type),
				 SQL_INT(target_id), SQL_TEXT(reason ? reason : ""), SQL_INT(now)));
}

static const struct sql_field mod_entry_fields[] = {
	SQL_FIELD(struct mod_entry, id), SQL_FIELD(struct mod_entry, actor), SQL_FIELD(struct mod_entry, action),
	SQL_FIELD(struct mod_entry, target_type), SQL_FIELD(struct mod_entry, target_id),
	SQL_FIELD(struct mod_entry, reason), SQL_FIELD(struct mod_entry, created_at),
	SQL_FIELD(struct mod_entry, seen), SQL_FIELD(struct mod_entry, actor_name),
	SQL_FIELD(struct mod_entry, target_name), SQL_FIELD(struct mod_entry, target_key),
	SQL_FIELD(struct mod_entry, detail_name),
};
static const struct sql_row mod_entry_row = SQL_ROW(struct mod_entry, mod_entry_fields);

int store_mod_log(struct store *s, struct arena *a, int64_t viewer_id, struct page pg, struct mod_entry **out,
		  size_t *n, int64_t *total)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_MOD_LOG, SQL_PAGE(pg), SQL_INT(viewer_id));
	return sql_page(sql_stmt(s, ST_MOD_LOG_COUNT), total, st, a,
			&mod_entry_row, (void **)out, n);
}
