/* The SQL of moderation. */
#include "store_mod.h"

#include "store_thread.h"
#include "store_impl.h"

int store_flag_add(struct store *s, int64_t post_id, const char *kind, int64_t reporter_id, const char *reason,
		   int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_FLAG_ADD);
	sqlite3_bind_int64(st, 1, post_id);
	sql_bind_text(st, 2, kind);
	sql_bind_id(st, 3, reporter_id);
	sql_bind_text(st, 4, reason);
	sqlite3_bind_int64(st, 5, now);
	return sql_exec(st);
}

int store_flag_reports(struct store *s, int64_t post_id, int64_t *n)
{
	int rc;
	sqlite3_stmt *st = sql_stmt(s, ST_FLAG_REPORTS);
	sqlite3_bind_int64(st, 1, post_id);
	*n = sql_scalar(st, &rc);
	return rc;
}

int store_flags_resolve(struct store *s, int64_t post_id, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_FLAGS_RESOLVE);
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, now);
	return sql_exec(st);
}

static void read_reason(sqlite3_stmt *st, struct arena *a, void *out)
{
	*(const char **)out = sql_col_text(st, 0, a);
}

int store_flag_reasons(struct store *s, struct arena *a, int64_t post_id, const char ***out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_FLAG_REASONS);
	sqlite3_bind_int64(st, 1, post_id);
	return sql_collect(st, a, sizeof(const char *), (void **)out, n, read_reason);
}

static void read_queue_item(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct queue_item *q = out;
	q->post_id = sqlite3_column_int64(st, 0);
	q->board = sql_col_text(st, 1, a);
}

int store_mod_queue(struct store *s, struct arena *a, int64_t moderator_id, int all_boards, struct page pg,
		    struct queue_item **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MOD_QUEUE);
	sqlite3_bind_int64(st, 1, moderator_id);
	sqlite3_bind_int(st, 2, all_boards);
	sqlite3_bind_int64(st, 3, pg.limit);
	sqlite3_bind_int64(st, 4, pg.offset);
	return sql_collect(st, a, sizeof(struct queue_item), (void **)out, n, read_queue_item);
}

int store_thread_set(struct store *s, int64_t thread_id, int pinned, int locked)
{
	sqlite3_stmt *st = sql_stmt(s, ST_THREAD_SET);
	sqlite3_bind_int64(st, 1, thread_id);
	sqlite3_bind_int(st, 2, pinned);
	sqlite3_bind_int(st, 3, locked);
	return sql_exec(st);
}

static int board_move_counts(struct store *s, int64_t board_id, int sign, int visible, int64_t thread_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_MOVE_COUNTS);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int(st, 2, sign);
	sqlite3_bind_int(st, 3, visible);
	sqlite3_bind_int64(st, 4, thread_id);
	return sql_exec(st);
}

int store_thread_move(struct store *s, int64_t thread_id, int64_t to_board)
{
	struct arena *a = arena_new();
	struct thread t;
	struct post root;
	int rc = store_thread_get(s, a, thread_id, &t);
	if (rc == STORE_OK)
		rc = store_post_get(s, a, t.root_post_id, &root);
	int visible = rc == STORE_OK && sql_post_shown(root.state);
	if (rc == STORE_OK)
		rc = board_move_counts(s, t.board_id, -1, visible, thread_id);
	if (rc == STORE_OK)
		rc = board_move_counts(s, to_board, 1, visible, thread_id);
	if (rc == STORE_OK) {
		sqlite3_stmt *st = sql_stmt(s, ST_THREAD_MOVE);
		sqlite3_bind_int64(st, 1, thread_id);
		sqlite3_bind_int64(st, 2, to_board);
		rc = sql_exec(st);
	}
	arena_free(a);
	return rc;
}

int store_user_ban(struct store *s, int64_t user_id, int64_t until, const char *reason)
{
	sqlite3_stmt *st = sql_stmt(s, ST_USER_BAN);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, until);
	sql_bind_text(st, 3, reason);
	return sql_exec(st);
}

int store_mod_log_add(struct store *s, int64_t actor_id, const char *action, const char *target_type,
		      int64_t target_id, const char *reason, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MOD_LOG_ADD);
	sqlite3_bind_int64(st, 1, actor_id);
	sql_bind_text(st, 2, action);
	sql_bind_text(st, 3, target_type);
	sqlite3_bind_int64(st, 4, target_id);
	sql_bind_text(st, 5, reason ? reason : "");
	sqlite3_bind_int64(st, 6, now);
	return sql_exec(st);
}

static void read_mod_entry(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct mod_entry *e = out;
	e->id = sqlite3_column_int64(st, 0);
	e->actor = sql_col_text(st, 1, a);
	e->action = sql_col_text(st, 2, a);
	e->target_type = sql_col_text(st, 3, a);
	e->target_id = sqlite3_column_int64(st, 4);
	e->reason = sql_col_text(st, 5, a);
	e->created_at = sqlite3_column_int64(st, 6);
}

int store_mod_log(struct store *s, struct arena *a, struct page pg, struct mod_entry **out, size_t *n,
		  int64_t *total)
{
	int rc;
	*total = sql_scalar(sql_stmt(s, ST_MOD_LOG_COUNT), &rc);
	if (rc != STORE_OK)
		return rc;
	sqlite3_stmt *st = sql_stmt(s, ST_MOD_LOG);
	sqlite3_bind_int64(st, 1, pg.limit);
	sqlite3_bind_int64(st, 2, pg.offset);
	return sql_collect(st, a, sizeof(struct mod_entry), (void **)out, n, read_mod_entry);
}
