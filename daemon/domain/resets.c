/* Password resets by e-mail or by an admin's link. */
#include "resets.h"

#include <string.h>

#include "accounts.h"
#include "auth.h"
#include "outbox.h"
#include "store_mail.h"
#include "store_user.h"

/* The member a login names: by username, else by confirmed address. */
static int find_member(struct agora_ctx *c, const char *login, struct user *u)
{
	int rc = store_user_by_name(c->db, c->arena, login, u);
	return rc == STORE_NOTFOUND && strchr(login, '@') ? store_user_by_email(c->db, c->arena, login, u) : rc;
}

/* A new reset token for u valid for lifetime; its text in *token (c->arena). */
static int token_issue(struct agora_ctx *c, const struct user *u, int64_t lifetime, const char **token)
{
	char t[AUTH_TOKEN_LEN + 1], digest[AUTH_DIGEST_HEX + 1];
	auth_token_new(t);
	auth_token_digest(t, digest);
	*token = arena_strdup(c->arena, t);
	return store_token_add(c->db, digest, "reset", u->id, NULL, c->now, c->now + lifetime);
}

/* Inside the transaction: the mail to u, unless it has no address or asked too often. */
static int reset_mail(struct agora_ctx *c, const struct user *u)
{
	struct mail_prefs p;
	const char *token;
	int64_t recent = 0;
	int rc = store_mail_prefs(c->db, c->arena, u->id, &p);
	if (rc != STORE_OK || !p.email || !c->mail)
		return rc;
	if ((rc = store_tokens_since(c->db, u->id, "reset", c->now - 3600, &recent)) != STORE_OK)
		return rc;
	if (recent >= RESET_MAILS_PER_HOUR)
		return STORE_OK;
	if ((rc = token_issue(c, u, RESET_LIFETIME, &token)) != STORE_OK)
		return rc;
	return outbox_queue(c, u->id, "reset", p.email, json_pack("{s:s}", "token", token));
}

enum ag_status reset_request(struct agora_ctx *c, const char *login)
{
	struct user u;
	if (!login || !*login)
		return ag_fail(c, AG_EINVAL, "missing_login");
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	rc = find_member(c, login, &u);
	if (rc == STORE_OK)
		rc = reset_mail(c, &u);
	return ag_commit(c, rc == STORE_NOTFOUND ? STORE_OK : rc, AG_OK);
}

struct ag_right reset_may_make_link(const struct agora_ctx *c)
{
	struct ag_right r = ag_may_write(c);
	return ag_allowed(r) && !ag_is_admin(c) ? ag_refused(AG_EFORBIDDEN, "admin_only") : r;
}

enum ag_status reset_make_link(struct agora_ctx *c, const char *name, const char **token)
{
	struct user u;
	enum ag_status st = ag_check(c, reset_may_make_link(c));
	if (st != AG_OK)
		return st;
	int rc = store_user_by_name(c->db, c->arena, name, &u);
	if (rc != STORE_OK)
		return ag_found(c, rc, "user_not_found");
	return ag_stored(c, token_issue(c, &u, RESET_LINK_LIFETIME, token));
}

enum ag_status reset_confirm_begin(struct agora_ctx *c, const char *token, const char *password)
{
	char digest[AUTH_DIGEST_HEX + 1];
	struct mail_token t;
	if (!token || !*token)
		return ag_fail(c, AG_EINVAL, "invalid_token");
	auth_token_digest(token, digest);
	int rc = store_token_peek(c->db, c->arena, digest, "reset", c->now, &t);
	if (rc == STORE_NOTFOUND)
		return ag_fail(c, AG_EINVAL, "invalid_token");
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	return account_password_check(c, password);
}

enum ag_status reset_confirm_finish(struct agora_ctx *c, const char *token, const char *pw_hash)
{
	char digest[AUTH_DIGEST_HEX + 1];
	struct mail_token t;
	auth_token_digest(token, digest);
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	rc = store_token_use(c->db, c->arena, digest, "reset", c->now, &t);
	if (rc == STORE_NOTFOUND) { /* used meanwhile by a twin request */
		store_rollback(c->db);
		return ag_fail(c, AG_EINVAL, "invalid_token");
	}
	if (rc == STORE_OK)
		rc = store_user_set_password(c->db, t.user_id, pw_hash);
	if (rc == STORE_OK)
		rc = store_tokens_void(c->db, t.user_id, "reset", c->now);
	if (rc == STORE_OK)
		rc = store_sessions_end_others(c->db, t.user_id, NULL);
	enum ag_status st = ag_commit(c, rc, AG_OK);
	if (st == AG_OK)
		ag_emit_rights_changed(c, AG_RIGHTS_READER, t.user_id, NULL);
	return st;
}
