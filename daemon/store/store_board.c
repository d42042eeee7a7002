/* The SQL of boards and their moderators. */
#include "store_board.h"

#include "store_impl.h"

static void read_board(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct board *b = out;
	b->id = sqlite3_column_int64(st, 0);
	b->slug = sql_col_text(st, 1, a);
	b->title = sql_col_text(st, 2, a);
	b->description = sql_col_text(st, 3, a);
	b->thread_count = sqlite3_column_int64(st, 4);
	b->post_count = sqlite3_column_int64(st, 5);
	b->last_post_at = sqlite3_column_int64(st, 6);
	sql_read_term(st, 7, a, &b->industry);
	sql_read_term(st, 10, a, &b->position);
	b->association = sql_col_text(st, 13, a);
	b->association_id = sqlite3_column_int64(st, 14);
}

int store_boards(struct store *s, struct arena *a, const struct board_filter *f, struct board **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARDS);
	sql_bind_text(st, 1, f->industry);
	sql_bind_text(st, 2, f->position);
	sqlite3_bind_int64(st, 3, f->viewer_id);
	sql_bind_text(st, 4, f->association);
	return sql_collect(st, a, sizeof(struct board), (void **)out, n, read_board);
}

int store_board_by_slug(struct store *s, struct arena *a, const char *slug, struct board *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_BY_SLUG);
	sql_bind_text(st, 1, slug);
	return sql_one_row(st, a, out, sizeof *out, read_board);
}

int store_board_insert(struct store *s, struct board *b, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_INSERT);
	sql_bind_text(st, 1, b->slug);
	sql_bind_text(st, 2, b->title);
	sql_bind_text(st, 3, b->description ? b->description : "");
	sql_bind_id(st, 4, b->industry.id);
	sql_bind_id(st, 5, b->position.id);
	sqlite3_bind_int64(st, 6, now);
	sql_bind_id(st, 7, b->association_id);
	int rc = sql_exec(st);
	if (rc == STORE_OK)
		b->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int store_board_visible(struct store *s, int64_t board_id, int64_t viewer_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_VISIBLE);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}

int store_board_moderator_add(struct store *s, int64_t board_id, int64_t user_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_MOD_ADD);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, user_id);
	return sql_exec(st);
}

int store_board_is_moderator(struct store *s, int64_t board_id, int64_t user_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_IS_MOD);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}

int store_moderates_any(struct store *s, int64_t user_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MODERATES_ANY);
	sqlite3_bind_int64(st, 1, user_id);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}
