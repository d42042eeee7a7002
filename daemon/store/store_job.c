/* The SQL of scheduled work. */
#include "store_job.h"

#include "store_impl.h"

static const struct sql_field job_fields[] = {
	SQL_FIELD(struct job, id), SQL_FIELD(struct job, kind), SQL_FIELD(struct job, key),
	SQL_FIELD(struct job, due_at), SQL_FIELD(struct job, attempts),
};
static const struct sql_row job_row = SQL_ROW(struct job, job_fields);

static sqlite3_stmt *upsert(struct store *s, enum stmt_id id, int64_t now, const char *kind, const char *key,
			    int64_t due_at)
{
	return SQL_BIND(s, id, SQL_INT(now), SQL_TEXT(kind), SQL_TEXT(key ? key : ""), SQL_INT(due_at));
}

int store_job_schedule(struct store *s, int64_t now, const char *kind, const char *key, int64_t due_at)
{
	return sql_change(s, upsert(s, ST_JOB_SCHEDULE, now, kind, key, due_at));
}

int store_job_move(struct store *s, int64_t now, const char *kind, const char *key, int64_t due_at)
{
	return sql_exec(upsert(s, ST_JOB_MOVE, now, kind, key, due_at));
}

int store_job_ensure(struct store *s, int64_t now, const char *kind, const char *key, int64_t due_at)
{
	return sql_exec(upsert(s, ST_JOB_ENSURE, now, kind, key, due_at));
}

int store_job_cancel(struct store *s, const char *kind, const char *key)
{
	return sql_change(s, SQL_BIND(s, ST_JOB_CANCEL, SQL_TEXT(kind), SQL_TEXT(key ? key : "")));
}

int store_job_claim(struct store *s, struct arena *a, int64_t now, const char *by, int64_t lease, struct job *out)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_JOB_CLAIM, SQL_INT(now), SQL_TEXT(by), SQL_INT(lease));
	return sql_one_row(st, a, &job_row, out);
}

int store_job_finish(struct store *s, int64_t now, int64_t id, const char *by, int64_t again_at)
{
	/* SQL_ID: again_at 0 binds NULL, "not again" */
	return sql_change(s, SQL_BIND(s, ST_JOB_FINISH, SQL_INT(now), SQL_INT(id), SQL_TEXT(by), SQL_ID(again_at)));
}

int store_job_fail(struct store *s, int64_t now, int64_t id, const char *by, int64_t retry_at, const char *error)
{
	return sql_change(s, SQL_BIND(s, ST_JOB_FAIL, SQL_INT(now), SQL_INT(id), SQL_TEXT(by), SQL_ID(retry_at),
				      SQL_TEXT(error)));
}

int store_job_count_due(struct store *s, int64_t now, int64_t *n)
{
	int rc;
	*n = sql_scalar(SQL_BIND(s, ST_JOB_COUNT_DUE, SQL_INT(now)), &rc);
	return rc;
}
