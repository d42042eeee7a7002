/* The SQL of drafts. */
#include "store_draft.h"

#include "store_impl.h"

static const struct sql_field draft_fields[] = {
	SQL_FIELD(struct draft, key), SQL_FIELD(struct draft, title), SQL_FIELD(struct draft, body),
	SQL_FIELD(struct draft, updated_at),
};
static const struct sql_row draft_row = SQL_ROW(struct draft, draft_fields);

int store_draft_put(struct store *s, int64_t user_id, const struct draft *d, int64_t keep)
{
	int rc = sql_exec(SQL_BIND(s, ST_DRAFT_PUT, SQL_INT(user_id), SQL_TEXT(d->key), SQL_TEXT(d->title),
				   SQL_TEXT(d->body), SQL_INT(d->updated_at)));
	if (rc != STORE_OK)
		return rc;
	return sql_exec(SQL_BIND(s, ST_DRAFTS_TRIM, SQL_INT(user_id), SQL_TEXT(d->key), SQL_INT(keep)));
}

int store_draft_get(struct store *s, struct arena *a, int64_t user_id, const char *key, struct draft *out)
{
	return sql_one_row(SQL_BIND(s, ST_DRAFT_GET, SQL_INT(user_id), SQL_TEXT(key)), a, &draft_row, out);
}

int store_draft_delete(struct store *s, int64_t user_id, const char *key)
{
	return sql_exec(SQL_BIND(s, ST_DRAFT_DELETE, SQL_INT(user_id), SQL_TEXT(key)));
}

int store_draft_forget_thread(struct store *s, int64_t user_id, int64_t thread_id)
{
	return sql_exec(SQL_BIND(s, ST_DRAFT_FORGET_THREAD, SQL_INT(user_id), SQL_INT(thread_id)));
}

int store_draft_forget_board(struct store *s, int64_t user_id, const char *slug)
{
	return sql_exec(SQL_BIND(s, ST_DRAFT_FORGET_BOARD, SQL_INT(user_id), SQL_TEXT(slug)));
}
