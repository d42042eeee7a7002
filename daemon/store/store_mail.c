/* The SQL of e-mail: addresses and preferences, tokens, the outbox. */
#include "store_mail.h"

#include <string.h>

#include "store_impl.h"

static const struct sql_field prefs_fields[] = {
	SQL_FIELD(struct mail_prefs, email), SQL_FIELD(struct mail_prefs, email_pending),
	SQL_FIELD(struct mail_prefs, email_notifications), SQL_FIELD(struct mail_prefs, digest),
	SQL_FIELD(struct mail_prefs, language), SQL_FIELD(struct mail_prefs, browser_language),
};
static const struct sql_row prefs_row = SQL_ROW(struct mail_prefs, prefs_fields);

static const struct sql_field token_fields[] = {
	SQL_FIELD(struct mail_token, user_id), SQL_FIELD(struct mail_token, email),
};
static const struct sql_row token_row = SQL_ROW(struct mail_token, token_fields);

static const struct sql_field outbox_fields[] = {
	SQL_FIELD(struct outbox_mail, id), SQL_FIELD(struct outbox_mail, user_id),
	SQL_FIELD(struct outbox_mail, kind), SQL_FIELD(struct outbox_mail, ref_id),
	SQL_FIELD(struct outbox_mail, to_addr), SQL_FIELD(struct outbox_mail, data),
	SQL_FIELD(struct outbox_mail, attempts), SQL_FIELD(struct outbox_mail, created_at),
};
static const struct sql_row outbox_row = SQL_ROW(struct outbox_mail, outbox_fields);

static const struct sql_field member_fields[] = {
	SQL_FIELD(struct mail_member, user), SQL_FIELD(struct mail_member, email),
	SQL_FIELD(struct mail_member, last_at),
};
static const struct sql_row member_row = SQL_ROW(struct mail_member, member_fields);

int store_mail_prefs(struct store *s, struct arena *a, int64_t user_id, struct mail_prefs *out)
{
	return sql_one_row(SQL_BIND(s, ST_MAIL_PREFS, SQL_INT(user_id)), a, &prefs_row, out);
}

int store_mail_set_prefs(struct store *s, int64_t user_id, const struct mail_prefs *p)
{
	return sql_change(s, SQL_BIND(s, ST_MAIL_SET_PREFS, SQL_INT(user_id), SQL_TEXT(p->email_notifications),
				      SQL_TEXT(p->digest), SQL_TEXT(p->language)));
}

int store_mail_set_pending(struct store *s, int64_t user_id, const char *email)
{
	return sql_change(s, SQL_BIND(s, ST_MAIL_SET_PENDING, SQL_INT(user_id), SQL_TEXT(email)));
}

int store_mail_clear(struct store *s, int64_t user_id)
{
	return sql_change(s, SQL_BIND(s, ST_MAIL_CLEAR, SQL_INT(user_id)));
}

int store_mail_confirm(struct store *s, int64_t user_id, const char *email)
{
	return sql_change(s, SQL_BIND(s, ST_MAIL_CONFIRM, SQL_INT(user_id), SQL_TEXT(email)));
}

int store_mail_browser_language(struct store *s, int64_t user_id, const char *lang)
{
	return sql_exec(SQL_BIND(s, ST_MAIL_BROWSER_LANG, SQL_INT(user_id), SQL_TEXT(lang)));
}

int store_mail_unsubscribe(struct store *s, int64_t user_id, const char *kind)
{
	enum stmt_id id = strcmp(kind, "digest") == 0 ? ST_MAIL_UNSUB_DIGEST : ST_MAIL_UNSUB_NOTES;
	return sql_change(s, SQL_BIND(s, id, SQL_INT(user_id)));
}

int store_user_by_id(struct store *s, struct arena *a, int64_t id, struct user *out)
{
	return sql_one_row(SQL_BIND(s, ST_USER_BY_ID, SQL_INT(id)), a, &sql_user_row, out);
}

int store_user_by_email(struct store *s, struct arena *a, const char *email, struct user *out)
{
	return sql_one_row(SQL_BIND(s, ST_USER_BY_EMAIL, SQL_TEXT(email)), a, &sql_user_row, out);
}

int store_token_add(struct store *s, const char *digest, const char *kind, int64_t user_id, const char *email,
		    int64_t now, int64_t expires_at)
{
	return sql_exec(SQL_BIND(s, ST_TOKEN_ADD, SQL_TEXT(digest), SQL_TEXT(kind), SQL_INT(user_id),
				 SQL_TEXT(email), SQL_INT(now), SQL_INT(expires_at)));
}

int store_token_use(struct store *s, struct arena *a, const char *digest, const char *kind, int64_t now,
		    struct mail_token *out)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_TOKEN_USE, SQL_TEXT(digest), SQL_TEXT(kind), SQL_INT(now));
	return sql_one_row(st, a, &token_row, out);
}

int store_token_peek(struct store *s, struct arena *a, const char *digest, const char *kind, int64_t now,
		     struct mail_token *out)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_TOKEN_PEEK, SQL_TEXT(digest), SQL_TEXT(kind), SQL_INT(now));
	return sql_one_row(st, a, &token_row, out);
}

int store_tokens_since(struct store *s, int64_t user_id, const char *kind, int64_t since, int64_t *n)
{
	int rc;
	*n = sql_scalar(SQL_BIND(s, ST_TOKENS_SINCE, SQL_INT(user_id), SQL_TEXT(kind), SQL_INT(since)), &rc);
	return rc;
}

int store_tokens_void(struct store *s, int64_t user_id, const char *kind, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_TOKENS_VOID, SQL_INT(user_id), SQL_TEXT(kind), SQL_INT(now)));
}

int store_tokens_expire(struct store *s, int64_t before)
{
	return sql_exec(SQL_BIND(s, ST_TOKENS_EXPIRE, SQL_INT(before)));
}

int store_outbox_add(struct store *s, int64_t user_id, const char *kind, int64_t ref_id, const char *to_addr,
		     const char *data, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_OUTBOX_ADD, SQL_INT(user_id), SQL_TEXT(kind), SQL_ID(ref_id), SQL_TEXT(to_addr),
				 SQL_TEXT(data), SQL_INT(now)));
}

int store_note_last_id(struct store *s, int64_t *id)
{
	int rc;
	*id = sql_scalar(sql_stmt(s, ST_NOTE_LAST_ID), &rc);
	return rc;
}

int store_outbox_notes(struct store *s, int64_t after, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_OUTBOX_NOTES, SQL_INT(after), SQL_INT(now)));
}

int store_outbox_claim(struct store *s, struct arena *a, int64_t now, const char *by, int64_t lease,
		       struct outbox_mail *out)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_OUTBOX_CLAIM, SQL_INT(now), SQL_TEXT(by), SQL_INT(lease));
	return sql_one_row(st, a, &outbox_row, out);
}

int store_outbox_sent(struct store *s, int64_t now, int64_t id, const char *by)
{
	return sql_change(s, SQL_BIND(s, ST_OUTBOX_SENT, SQL_INT(now), SQL_INT(id), SQL_TEXT(by)));
}

int store_outbox_retry(struct store *s, int64_t now, int64_t id, const char *by, int64_t next_at,
		       const char *error)
{
	return sql_change(s, SQL_BIND(s, ST_OUTBOX_RETRY, SQL_INT(now), SQL_INT(id), SQL_TEXT(by), SQL_INT(next_at),
				      SQL_TEXT(error)));
}

int store_outbox_end(struct store *s, int64_t now, int64_t id, const char *by, const char *state,
		     const char *error)
{
	return sql_change(s, SQL_BIND(s, ST_OUTBOX_END, SQL_INT(now), SQL_INT(id), SQL_TEXT(by), SQL_TEXT(state),
				      SQL_TEXT(error)));
}

int store_outbox_purge(struct store *s, int64_t before)
{
	return sql_exec(SQL_BIND(s, ST_OUTBOX_PURGE, SQL_INT(before)));
}

int store_outbox_counts(struct store *s, int64_t *waiting, int64_t *failed)
{
	return sql_pair(sql_stmt(s, ST_OUTBOX_COUNTS), waiting, failed);
}

int store_mail_members_due(struct store *s, struct arena *a, const char *kind, const char *pref,
			   const char *period, int64_t limit, struct mail_member **out, size_t *n)
{
	enum stmt_id id = strcmp(kind, "digest") == 0 ? ST_MAIL_DIGEST_DUE : ST_MAIL_SUMMARY_DUE;
	sqlite3_stmt *st = SQL_BIND(s, id, SQL_TEXT(pref), SQL_TEXT(period), SQL_INT(limit));
	return sql_collect(st, a, &member_row, (void **)out, n);
}

int store_mail_period_done(struct store *s, int64_t user_id, const char *kind, const char *period, int64_t at)
{
	enum stmt_id id = strcmp(kind, "digest") == 0 ? ST_MAIL_DIGEST_DONE : ST_MAIL_SUMMARY_DONE;
	return sql_change(s, SQL_BIND(s, id, SQL_INT(user_id), SQL_TEXT(period), SQL_INT(at)));
}
