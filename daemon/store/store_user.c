/* The SQL of users, sessions, failed logins and invites. */
#include "store_user.h"

#include <string.h>

#include "store_impl.h"

int store_user_insert(struct store *s, struct user *u, const char *pw_hash)
{
	sqlite3_stmt *st = sql_stmt(s, ST_USER_INSERT);
	sql_bind_text(st, 1, u->username);
	sql_bind_text(st, 2, u->display_name);
	sql_bind_text(st, 3, pw_hash);
	sql_bind_text(st, 4, role_name(u->role));
	sql_bind_id(st, 5, u->region.id);
	sql_bind_id(st, 6, u->position.id);
	sql_bind_id(st, 7, u->industry.id);
	sqlite3_bind_int64(st, 8, u->created_at);
	int rc = sql_exec(st);
	if (rc == STORE_OK)
		u->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int user_lookup(struct store *s, enum stmt_id id, struct arena *a, const char *name, struct user *out)
{
	sqlite3_stmt *st = sql_stmt(s, id);
	sql_bind_text(st, 1, name);
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	memset(out, 0, sizeof *out);
	sql_read_user(st, 0, a, out);
	if (id == ST_USER_CREDENTIALS)
		out->pw_hash = sql_col_text(st, USER_NCOLS, a);
	sqlite3_reset(st);
	return STORE_OK;
}

int store_user_by_name(struct store *s, struct arena *a, const char *name, struct user *out)
{
	return user_lookup(s, ST_USER_BY_NAME, a, name, out);
}

int store_user_credentials(struct store *s, struct arena *a, const char *name, struct user *out)
{
	return user_lookup(s, ST_USER_CREDENTIALS, a, name, out);
}

int store_user_update_profile(struct store *s, const struct user *u)
{
	sqlite3_stmt *st = sql_stmt(s, ST_USER_UPDATE);
	sqlite3_bind_int64(st, 1, u->id);
	sql_bind_text(st, 2, u->display_name);
	sql_bind_id(st, 3, u->region.id);
	sql_bind_id(st, 4, u->position.id);
	sql_bind_id(st, 5, u->industry.id);
	return sql_exec(st);
}

int store_user_set_role(struct store *s, int64_t user_id, enum role role)
{
	sqlite3_stmt *st = sql_stmt(s, ST_USER_SET_ROLE);
	sqlite3_bind_int64(st, 1, user_id);
	sql_bind_text(st, 2, role_name(role));
	return sql_exec(st);
}

int store_user_set_password(struct store *s, int64_t user_id, const char *pw_hash)
{
	sqlite3_stmt *st = sql_stmt(s, ST_USER_SET_PASSWORD);
	sqlite3_bind_int64(st, 1, user_id);
	sql_bind_text(st, 2, pw_hash);
	return sql_exec(st);
}

int store_user_count(struct store *s, int64_t *n)
{
	int rc;
	*n = sql_scalar(sql_stmt(s, ST_USER_COUNT), &rc);
	return rc;
}

int store_session_create(struct store *s, int64_t user_id, const char *digest, int64_t now, int64_t expires)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SESSION_CREATE);
	sql_bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, expires);
	return sql_exec(st);
}

int store_session_user(struct store *s, struct arena *a, const char *digest, int64_t now, struct user *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SESSION_USER);
	sql_bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, now);
	return sql_one_row(st, a, out, sizeof *out, sql_read_user_row);
}

int store_session_delete(struct store *s, const char *digest)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SESSION_DELETE);
	sql_bind_text(st, 1, digest);
	return sql_exec(st);
}

int store_sessions_end_others(struct store *s, int64_t user_id, const char *keep_digest)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SESSIONS_END_OTHERS);
	sqlite3_bind_int64(st, 1, user_id);
	sql_bind_text(st, 2, keep_digest);
	return sql_exec(st);
}

int store_login_failures(struct store *s, const char *name, const char *addr, int64_t since,
			 int64_t *count, int64_t *oldest)
{
	sqlite3_stmt *st = sql_stmt(s, ST_LOGIN_FAILURES);
	sql_bind_text(st, 1, name);
	sql_bind_text(st, 2, addr);
	sqlite3_bind_int64(st, 3, since);
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	*count = sqlite3_column_int64(st, 0);
	*oldest = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return STORE_OK;
}

int store_login_failure_add(struct store *s, const char *name, const char *addr, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_LOGIN_FAILURES_EXPIRE);
	/* Old rows are only history: drop those older than a day while we are here. */
	sqlite3_bind_int64(st, 1, now - 86400);
	sql_exec(st);
	st = sql_stmt(s, ST_LOGIN_FAILURE_ADD);
	sql_bind_text(st, 1, name);
	sql_bind_text(st, 2, addr);
	sqlite3_bind_int64(st, 3, now);
	return sql_exec(st);
}

int store_login_failures_clear(struct store *s, const char *name)
{
	sqlite3_stmt *st = sql_stmt(s, ST_LOGIN_FAILURES_CLEAR);
	sql_bind_text(st, 1, name);
	return sql_exec(st);
}

int store_invite_create(struct store *s, const char *code, int64_t by, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_INVITE_CREATE);
	sql_bind_text(st, 1, code);
	sql_bind_id(st, 2, by);
	sqlite3_bind_int64(st, 3, now);
	return sql_exec(st);
}

int store_invite_use(struct store *s, const char *code, int64_t user_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_INVITE_USE);
	sql_bind_text(st, 1, code);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sql_exec(st);
	if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
		return STORE_NOTFOUND;
	return rc;
}
