/* The SQL of boards and their moderators. */
#include "store_board.h"

#include "store_impl.h"

/* BOARD_SELECT */
static const struct sql_field board_fields[] = {
	SQL_FIELD(struct board, id), SQL_FIELD(struct board, slug), SQL_FIELD(struct board, title),
	SQL_FIELD(struct board, description), SQL_FIELD(struct board, thread_count),
	SQL_FIELD(struct board, post_count), SQL_FIELD(struct board, last_post_at),
	SQL_FIELD(struct board, industry), SQL_FIELD(struct board, position),
	SQL_FIELD(struct board, association), SQL_FIELD(struct board, association_id),
	SQL_FIELD(struct board, training), SQL_FIELD(struct board, training_id),
	SQL_FIELD(struct board, kind), SQL_FIELD(struct board, answer_first),
};
static const struct sql_row board_row = SQL_ROW(struct board, board_fields);

int store_boards(struct store *s, struct arena *a, const struct board_filter *f, struct board **out, size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_BOARDS, SQL_TEXT(f->industry), SQL_TEXT(f->position), SQL_INT(f->viewer_id),
				    SQL_TEXT(f->association));
	return sql_collect(st, a, &board_row, (void **)out, n);
}

int store_board_by_slug(struct store *s, struct arena *a, const char *slug, struct board *out)
{
	return sql_one_row(SQL_BIND(s, ST_BOARD_BY_SLUG, SQL_TEXT(slug)), a, &board_row, out);
}

int store_board_insert(struct store *s, struct board *b, int64_t now)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_BOARD_INSERT, SQL_TEXT(b->slug), SQL_TEXT(b->title),
				    SQL_TEXT(b->description ? b->description : ""), SQL_ID(b->industry.id),
				    SQL_ID(b->position.id), SQL_INT(now), SQL_ID(b->association_id),
				    SQL_ID(b->training_id), SQL_TEXT(b->kind), SQL_INT(b->answer_first));
	return sql_insert(s, st, &b->id);
}

int store_board_visible(struct store *s, int64_t board_id, int64_t viewer_id)
{
	return sql_found(SQL_BIND(s, ST_BOARD_VISIBLE, SQL_INT(board_id), SQL_INT(viewer_id)));
}

int store_board_moderator_add(struct store *s, int64_t board_id, int64_t user_id)
{
	return sql_exec(SQL_BIND(s, ST_BOARD_MOD_ADD, SQL_INT(board_id), SQL_INT(user_id)));
}

int store_board_moderates(struct store *s, int64_t board_id, int64_t user_id)
{
	return sql_found(SQL_BIND(s, ST_BOARD_MODERATES, SQL_INT(board_id), SQL_INT(user_id)));
}

int store_moderates_any(struct store *s, int64_t user_id)
{
	return sql_found(SQL_BIND(s, ST_MODERATES_ANY, SQL_INT(user_id)));
}
