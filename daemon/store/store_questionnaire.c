/* The SQL of questionnaires and their responses. */
#include "store_questionnaire.h"

#include "store_impl.h"

/* Q_SELECT */
static const struct sql_field q_fields[] = {
	SQL_FIELD(struct questionnaire, id), SQL_FIELD(struct questionnaire, title),
	SQL_FIELD(struct questionnaire, board_id), SQL_FIELD(struct questionnaire, association_id),
	SQL_FIELD(struct questionnaire, board), SQL_FIELD(struct questionnaire, association),
	SQL_FIELD(struct questionnaire, anonymous), SQL_FIELD(struct questionnaire, closes_at),
	SQL_FIELD(struct questionnaire, questions), SQL_FIELD(struct questionnaire, creator_id),
	SQL_FIELD(struct questionnaire, creator), SQL_FIELD(struct questionnaire, created_at),
	SQL_FIELD(struct questionnaire, response_count), SQL_FIELD(struct questionnaire, creator_name),
};
static const struct sql_row q_row = SQL_ROW(struct questionnaire, q_fields);

int store_q_insert(struct store *s, struct questionnaire *q)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_Q_INSERT, SQL_TEXT(q->title), SQL_ID(q->board_id), SQL_ID(q->association_id),
				    SQL_INT(q->anonymous), SQL_INT(q->closes_at), SQL_TEXT(q->questions),
				    SQL_INT(q->creator_id), SQL_INT(q->created_at));
	return sql_insert(s, st, &q->id);
}

int store_q_get(struct store *s, struct arena *a, int64_t id, struct questionnaire *out)
{
	return sql_one_row(SQL_BIND(s, ST_Q_GET, SQL_INT(id)), a, &q_row, out);
}

int store_q_list(struct store *s, struct arena *a, int64_t board_id, int64_t assoc_id, struct questionnaire **out,
		 size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_Q_LIST, SQL_INT(board_id), SQL_INT(assoc_id));
	return sql_collect(st, a, &q_row, (void **)out, n);
}

int store_q_respond(struct store *s, const struct questionnaire *q, int64_t user_id, const char *answers,
		    int64_t now)
{
	int rc = sql_exec(SQL_BIND(s, ST_Q_RECEIPT, SQL_INT(q->id), SQL_INT(user_id)));
	if (rc != STORE_OK)
		return rc;
	return sql_exec(SQL_BIND(s, ST_Q_RESPONSE, SQL_INT(q->id), SQL_ID(q->anonymous ? 0 : user_id),
				 SQL_TEXT(answers), SQL_INT(q->anonymous ? 0 : now)));
}

int store_q_has_responded(struct store *s, int64_t q_id, int64_t user_id)
{
	return sql_found(SQL_BIND(s, ST_Q_HAS_RECEIPT, SQL_INT(q_id), SQL_INT(user_id)));
}

static const struct sql_field response_fields[] = {
	SQL_FIELD(struct response, respondent), SQL_FIELD(struct response, answers),
	SQL_FIELD(struct response, about_id),
};
static const struct sql_row response_row = SQL_ROW(struct response, response_fields);

int store_q_responses(struct store *s, struct arena *a, const struct questionnaire *q, struct response **out,
		      size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_Q_RESPONSES, SQL_INT(q->id), SQL_INT(q->anonymous));
	return sql_collect(st, a, &response_row, (void **)out, n);
}
