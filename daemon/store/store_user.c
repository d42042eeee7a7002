/* The SQL of users, sessions, failed logins and invites. */
#include "store_user.h"

#include "store_impl.h"

int store_user_insert(struct store *s, struct user *u, const char *pw_hash)
{
	return sql_insert(s, SQL_BIND(s, ST_USER_INSERT, SQL_TEXT(u->username), SQL_TEXT(u->display_name),
				      SQL_TEXT(pw_hash), SQL_TEXT(role_name(u->role)), SQL_ID(u->region.id),
				      SQL_ID(u->position.id), SQL_ID(u->industry.id), SQL_INT(u->created_at)),
			  &u->id);
}

int store_user_by_name(struct store *s, struct arena *a, const char *name, struct user *out)
{
	return sql_one_row(SQL_BIND(s, ST_USER_BY_NAME, SQL_TEXT(name)), a, &sql_user_row, out);
}

/* A user with the password hash after USER_COLS. */
static const struct sql_field credentials_fields[] = {
	{SQL_COL_USER, 0}, /* the record itself */
	SQL_FIELD(struct user, pw_hash),
};
static const struct sql_row credentials_row = SQL_ROW(struct user, credentials_fields);

int store_user_credentials(struct store *s, struct arena *a, const char *name, struct user *out)
{
	return sql_one_row(SQL_BIND(s, ST_USER_CREDENTIALS, SQL_TEXT(name)), a, &credentials_row, out);
}

int store_user_update_profile(struct store *s, const struct user *u)
{
	return sql_exec(SQL_BIND(s, ST_USER_UPDATE, SQL_INT(u->id), SQL_TEXT(u->display_name), SQL_ID(u->region.id),
				 SQL_ID(u->position.id), SQL_ID(u->industry.id)));
}

int store_user_set_role(struct store *s, int64_t user_id, enum role role)
{
	return sql_exec(SQL_BIND(s, ST_USER_SET_ROLE, SQL_INT(user_id), SQL_TEXT(role_name(role))));
}

int store_user_set_password(struct store *s, int64_t user_id, const char *pw_hash)
{
	return sql_exec(SQL_BIND(s, ST_USER_SET_PASSWORD, SQL_INT(user_id), SQL_TEXT(pw_hash)));
}

int store_user_count(struct store *s, int64_t *n)
{
	int rc;
	*n = sql_scalar(sql_stmt(s, ST_USER_COUNT), &rc);
	return rc;
}

int store_session_create(struct store *s, int64_t user_id, const char *digest, int64_t now, int64_t expires)
{
	return sql_exec(SQL_BIND(s, ST_SESSION_CREATE, SQL_TEXT(digest), SQL_INT(user_id), SQL_INT(now),
				 SQL_INT(expires)));
}

int store_session_user(struct store *s, struct arena *a, const char *digest, int64_t now, struct user *out)
{
	return sql_one_row(SQL_BIND(s, ST_SESSION_USER, SQL_TEXT(digest), SQL_INT(now)), a, &sql_user_row, out);
}

int store_session_delete(struct store *s, const char *digest)
{
	return sql_exec(SQL_BIND(s, ST_SESSION_DELETE, SQL_TEXT(digest)));
}

int store_sessions_end_others(struct store *s, int64_t user_id, const char *keep_digest)
{
	return sql_exec(SQL_BIND(s, ST_SESSIONS_END_OTHERS, SQL_INT(user_id), SQL_TEXT(keep_digest)));
}

int store_login_stats(struct store *s, const char *name, const char *addr, int64_t since, struct login_stats *out)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_LOGIN_STATS, SQL_TEXT(name), SQL_TEXT(addr), SQL_INT(since));
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	int64_t *v[] = {&out->addr_failures, &out->addr_oldest, &out->addr_last, &out->name_failures, &out->name_last};
	for (int i = 0; i < 5; i++)
		*v[i] = sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return STORE_OK;
}

int store_login_failure_add(struct store *s, const char *name, const char *addr, int64_t now, int64_t *id)
{
	return sql_insert(s, SQL_BIND(s, ST_LOGIN_FAILURE_ADD, SQL_TEXT(name), SQL_TEXT(addr), SQL_INT(now)), id);
}

int store_login_failures_clear(struct store *s, const char *name, const char *addr, int64_t id)
{
	return sql_exec(SQL_BIND(s, ST_LOGIN_FAILURES_CLEAR, SQL_TEXT(name), SQL_TEXT(addr), SQL_INT(id)));
}

int store_registration_reserve(struct store *s, const char *addr, int64_t now, int64_t since, int64_t max,
			       int64_t *oldest)
{
	int rc = sql_change(s, SQL_BIND(s, ST_REGISTRATION_RESERVE, SQL_TEXT(addr), SQL_INT(now), SQL_INT(since),
					SQL_INT(max)));
	if (rc == STORE_NOTFOUND) {
		int rc2;
		*oldest = sql_scalar(SQL_BIND(s, ST_REGISTRATION_OLDEST, SQL_TEXT(addr), SQL_INT(since)), &rc2);
		if (rc2 != STORE_OK)
			return rc2;
	}
	return rc;
}

int store_registrations_expire(struct store *s, int64_t before)
{
	return sql_exec(SQL_BIND(s, ST_REGISTRATIONS_EXPIRE, SQL_INT(before)));
}

int store_sessions_expire(struct store *s, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_SESSIONS_EXPIRE, SQL_INT(now)));
}

int store_login_failures_expire(struct store *s, int64_t before)
{
	return sql_exec(SQL_BIND(s, ST_LOGIN_FAILURES_EXPIRE, SQL_INT(before)));
}

int store_invite_create(struct store *s, const char *code, int64_t by, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_INVITE_CREATE, SQL_TEXT(code), SQL_ID(by), SQL_INT(now)));
}

int store_invite_use(struct store *s, const char *code, int64_t user_id)
{
	return sql_change(s, SQL_BIND(s, ST_INVITE_USE, SQL_TEXT(code), SQL_INT(user_id)));
}

int store_invite_usable(struct store *s, const char *code)
{
	return sql_found(SQL_BIND(s, ST_INVITE_USABLE, SQL_TEXT(code)));
}
