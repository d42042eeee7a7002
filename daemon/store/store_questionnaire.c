/* The SQL of questionnaires. */
#include "store_questionnaire.h"

#include "store_impl.h"

static void read_q(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct questionnaire *q = out;
	q->id = sqlite3_column_int64(st, 0);
	q->title = sql_col_text(st, 1, a);
	q->board_id = sqlite3_column_int64(st, 2);
	q->association_id = sqlite3_column_int64(st, 3);
	q->board = sql_col_text(st, 4, a);
	q->association = sql_col_text(st, 5, a);
	q->anonymous = sqlite3_column_int(st, 6);
	q->closes_at = sqlite3_column_int64(st, 7);
	q->questions = sql_col_text(st, 8, a);
	q->creator_id = sqlite3_column_int64(st, 9);
	q->creator = sql_col_text(st, 10, a);
	q->created_at = sqlite3_column_int64(st, 11);
	q->response_count = sqlite3_column_int64(st, 12);
}

int store_q_insert(struct store *s, struct questionnaire *q)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_INSERT);
	sql_bind_text(st, 1, q->title);
	sql_bind_id(st, 2, q->board_id);
	sql_bind_id(st, 3, q->association_id);
	sqlite3_bind_int(st, 4, q->anonymous);
	sqlite3_bind_int64(st, 5, q->closes_at);
	sql_bind_text(st, 6, q->questions);
	sqlite3_bind_int64(st, 7, q->creator_id);
	sqlite3_bind_int64(st, 8, q->created_at);
	int rc = sql_exec(st);
	if (rc == STORE_OK)
		q->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int store_q_get(struct store *s, struct arena *a, int64_t id, struct questionnaire *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_GET);
	sqlite3_bind_int64(st, 1, id);
	return sql_one_row(st, a, out, sizeof *out, read_q);
}

int store_q_list(struct store *s, struct arena *a, int64_t board_id, int64_t assoc_id, struct questionnaire **out,
		 size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_LIST);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, assoc_id);
	return sql_collect(st, a, sizeof(struct questionnaire), (void **)out, n, read_q);
}

int store_q_respond(struct store *s, const struct questionnaire *q, int64_t user_id, const char *answers,
		    int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_RECEIPT);
	sqlite3_bind_int64(st, 1, q->id);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_Q_RESPONSE);
	sqlite3_bind_int64(st, 1, q->id);
	sql_bind_id(st, 2, q->anonymous ? 0 : user_id);
	sql_bind_text(st, 3, answers);
	sqlite3_bind_int64(st, 4, q->anonymous ? 0 : now);
	return sql_exec(st);
}

int store_q_has_responded(struct store *s, int64_t q_id, int64_t user_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_HAS_RECEIPT);
	sqlite3_bind_int64(st, 1, q_id);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}

static void read_response(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct response *r = out;
	r->respondent = sql_col_text(st, 0, a);
	r->answers = sql_col_text(st, 1, a);
}

int store_q_responses(struct store *s, struct arena *a, const struct questionnaire *q, struct response **out,
		      size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_RESPONSES);
	sqlite3_bind_int64(st, 1, q->id);
	sqlite3_bind_int(st, 2, q->anonymous);
	return sql_collect(st, a, sizeof(struct response), (void **)out, n, read_response);
}
