#include "accounts.h"

#include "email.h"
#include <string.h>

#include "auth.h"
#include "store_site.h"
#include "store_mail.h"
#include "store_user.h"
#include "utf8.h"

static int username_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '_' || ch == '.' || ch == '-'))
			return 0;
	}
	return 1;
}

enum ag_status account_password_check(struct agora_ctx *c, const char *pw)
{
	size_t n = strlen(pw);
	if (!utf8_valid(pw, n) || utf8_length(pw, n) < PASSWORD_MIN_CHARS)
		return ag_fail(c, AG_EINVAL, "password_too_short");
	if (n > PASSWORD_MAX_BYTES)
		return ag_fail(c, AG_EINVAL, "password_too_long");
	return AG_OK;
}

static enum ag_status display_name_check(struct agora_ctx *c, const char *s)
{
	size_t n = strlen(s);
	size_t chars = utf8_length(s, n);
	if (chars < 1 || chars > 64 || !utf8_line_ok(s, n))
		return ag_fail(c, AG_EINVAL, "invalid_display_name");
	return AG_OK;
}

/* A profile's term: NULL keeps *t, anything else replaces it ("" clears). */
static enum ag_status term_resolve(struct agora_ctx *c, enum term_kind kind, const char *slug, struct term *t)
{
	return slug ? ag_term(c, kind, slug, t) : AG_OK;
}

static enum ag_status profile_fields(struct agora_ctx *c, const struct account_input *in, struct user *u)
{
	enum ag_status st = AG_OK;
	if (in->display_name && (st = display_name_check(c, in->display_name)) != AG_OK)
		return st;
	if (in->display_name)
		u->display_name = in->display_name;
	if ((st = term_resolve(c, TERM_REGION, in->region, &u->region)) != AG_OK ||
	    (st = term_resolve(c, TERM_POSITION, in->position, &u->position)) != AG_OK)
		return st;
	return term_resolve(c, TERM_INDUSTRY, in->industry, &u->industry);
}

const char *account_registration_mode(struct agora_ctx *c)
{
	const char *m = store_setting_get(c->db, c->arena, "registration");
	return m ? m : "open";
}

enum ag_status account_register_begin(struct agora_ctx *c, const struct account_input *in, struct user *u)
{
	const char *mode = account_registration_mode(c);
	enum ag_status st;
	if (strcmp(mode, "closed") == 0)
		return ag_fail(c, AG_EFORBIDDEN, "registration_closed");
	if (strcmp(mode, "invite") == 0 && !(in->invite_code && *in->invite_code))
		return ag_fail(c, AG_EFORBIDDEN, "invite_required");
	if (!in->username || !username_ok(in->username))
		return ag_fail(c, AG_EINVAL, "invalid_username");
	if (!in->password)
		return ag_fail(c, AG_EINVAL, "password_too_short");
	if ((st = account_password_check(c, in->password)) != AG_OK)
		return st;
	memset(u, 0, sizeof *u);
	u->username = in->username;
	u->display_name = in->username;
	u->role = ROLE_MEMBER;
	u->created_at = c->now;
	if ((st = profile_fields(c, in, u)) != AG_OK)
		return st;
	struct user existing;
	int rc = store_user_by_name(c->db, c->arena, in->username, &existing);
	if (rc == STORE_OK)
		return ag_fail(c, AG_ECONFLICT, "username_taken");
	return rc == STORE_NOTFOUND ? AG_OK : ag_store_fail(c, rc);
}

static enum ag_status insert_user(struct agora_ctx *c, struct user *u, const char *pw_hash, const char *invite)
{
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	rc = store_user_insert(c->db, u, pw_hash);
	if (rc == STORE_OK && invite) {
		rc = store_invite_use(c->db, invite, u->id);
		if (rc == STORE_NOTFOUND) {
			store_rollback(c->db);
			return ag_fail(c, AG_EFORBIDDEN, "invite_invalid");
		}
	}
	if (rc == STORE_OK)
		rc = store_commit(c->db);
	if (rc == STORE_OK)
		return AG_CREATED;
	store_rollback(c->db);
	return rc == STORE_CONFLICT ? ag_fail(c, AG_ECONFLICT, "username_taken") : ag_store_fail(c, rc);
}

enum ag_status account_register_finish(struct agora_ctx *c, const struct account_input *in,
				       struct user *u, const char *pw_hash)
{
	const char *mode = account_registration_mode(c);
	return insert_user(c, u, pw_hash, strcmp(mode, "invite") == 0 ? in->invite_code : NULL);
}

enum ag_status account_create(struct agora_ctx *c, struct user *u, const char *password)
{
	char hash[AUTH_HASH_MAX];
	enum ag_status st;
	if (!username_ok(u->username))
		return ag_fail(c, AG_EINVAL, "invalid_username");
	if ((st = account_password_check(c, password)) != AG_OK)
		return st;
	if (!u->display_name)
		u->display_name = u->username;
	u->created_at = c->now;
	if (auth_password_hash(password, hash) != 0)
		return ag_fail(c, AG_EINTERNAL, "internal");
	return insert_user(c, u, hash, NULL);
}

enum ag_status account_login_begin(struct agora_ctx *c, const char *name, const char **hash)
{
	int64_t count = 0, oldest = 0;
	int rc = store_login_failures(c->db, name, c->client_addr, c->now - LOGIN_WINDOW, &count, &oldest);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	if (count >= LOGIN_MAX_FAILURES) {
		c->retry_after = oldest + LOGIN_WINDOW - c->now;
		if (c->retry_after < 1)
			c->retry_after = 1;
		return ag_fail(c, AG_ERATE, "too_many_failures");
	}
	struct user u;
	rc = store_user_credentials(c->db, c->arena, name, &u);
	if (rc == STORE_NOTFOUND) {
		*hash = auth_dummy_hash();
		return AG_OK;
	}
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	*hash = u.pw_hash;
	return AG_OK;
}

static enum ag_status session_open(struct agora_ctx *c, struct user *u, const char *new_hash, char token[64])
{
	char digest[AUTH_DIGEST_HEX + 1];
	auth_token_new(token);
	auth_token_digest(token, digest);
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_session_create(c->db, u->id, digest, c->now, c->now + SESSION_LIFETIME);
	if (rc == STORE_OK)
		rc = store_login_failures_clear(c->db, u->username);
	if (rc == STORE_OK && new_hash)
		rc = store_user_set_password(c->db, u->id, new_hash);
	return ag_commit(c, rc, AG_CREATED);
}

enum ag_status account_login_finish(struct agora_ctx *c, const char *name, int matched,
				    const char *new_hash, char token[64], struct user *u)
{
	int rc = matched ? store_user_by_name(c->db, c->arena, name, u) : STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) {
		rc = store_login_failure_add(c->db, name, c->client_addr, c->now);
		if (rc != STORE_OK)
			return ag_store_fail(c, rc);
		return ag_fail(c, AG_EUNAUTH, "bad_credentials");
	}
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	return session_open(c, u, new_hash, token);
}

enum ag_status account_logout(struct agora_ctx *c, const char *token)
{
	char digest[AUTH_DIGEST_HEX + 1];
	auth_token_digest(token, digest);
	enum ag_status st = ag_stored(c, store_session_delete(c->db, digest));
	if (st == AG_OK && c->actor) /* streams opened with the session must not outlive it */
		ag_emit_rights_changed(c, AG_RIGHTS_READER, c->actor->id, NULL);
	return st;
}

enum ag_status account_session(struct agora_ctx *c, const char *token, struct user *u)
{
	char digest[AUTH_DIGEST_HEX + 1];
	auth_token_digest(token, digest);
	int rc = store_session_user(c->db, c->arena, digest, c->now, u);
	if (rc == STORE_NOTFOUND)
		return ag_fail(c, AG_EUNAUTH, "not_signed_in");
	return ag_stored(c, rc);
}

enum ag_status account_cleanup_job(struct agora_ctx *c, const struct job *j, int64_t *again_at)
{
	(void)j;
	int rc = store_sessions_expire(c->db, c->now);
	if (rc == STORE_OK)
		rc = store_login_failures_expire(c->db, c->now - LOGIN_FAILURE_KEEP);
	if (rc == STORE_OK)
		rc = store_tokens_expire(c->db, c->now);
	if (rc == STORE_OK)
		rc = store_outbox_purge(c->db, c->now - OUTBOX_KEEP);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	*again_at = c->now + ACCOUNT_CLEANUP_EVERY;
	return AG_OK;
}

enum ag_status account_get(struct agora_ctx *c, const char *name, struct user *u)
{
	int rc = store_user_by_name(c->db, c->arena, name, u);
	if (rc == STORE_NOTFOUND)
		return ag_fail(c, AG_ENOTFOUND, "user_not_found");
	return ag_stored(c, rc);
}

struct ag_right account_may_set_role(const struct agora_ctx *c)
{
	struct ag_right r = ag_may_write(c);
	return ag_allowed(r) && !ag_is_admin(c) ? ag_refused(AG_EFORBIDDEN, "admin_only") : r;
}

/* Who may change what: the user their own profile and password; an admin anyone's role. */
static enum ag_status update_rights(struct agora_ctx *c, const struct account_input *in, const struct user *u)
{
	int self = c->actor->id == u->id;
	int profile = in->display_name || in->region || in->position || in->industry || in->password || in->email;
	if (profile && !self)
		return ag_fail(c, AG_EFORBIDDEN, "not_your_profile");
	if (in->role && !ag_allowed(account_may_set_role(c)))
		return ag_fail(c, AG_EFORBIDDEN, "admin_only");
	if (in->password && !in->current_password)
		return ag_fail(c, AG_EINVAL, "current_password_required");
	return AG_OK;
}

enum ag_status account_update_begin(struct agora_ctx *c, const char *name, const struct account_input *in,
				    struct user *u, const char **cur_hash)
{
	enum ag_status st = ag_require_writer(c);
	*cur_hash = NULL;
	if (st != AG_OK)
		return st;
	int rc = store_user_credentials(c->db, c->arena, name, u);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? ag_fail(c, AG_ENOTFOUND, "user_not_found") : ag_store_fail(c, rc);
	if ((st = update_rights(c, in, u)) != AG_OK)
		return st;
	if (in->role && role_parse(in->role, &u->role) != 0)
		return ag_fail(c, AG_EINVAL, "invalid_role");
	if (in->password && (st = account_password_check(c, in->password)) != AG_OK)
		return st;
	if ((st = profile_fields(c, in, u)) != AG_OK)
		return st;
	if (in->email && (st = email_check(c, in->email)) != AG_OK)
		return st;
	if (in->password)
		*cur_hash = u->pw_hash;
	return AG_OK;
}

enum ag_status account_update_finish(struct agora_ctx *c, const struct account_input *in, struct user *u,
				     int current_ok, const char *new_hash, const char *keep_token)
{
	char digest[AUTH_DIGEST_HEX + 1];
	if (in->password && !current_ok)
		return ag_fail(c, AG_EFORBIDDEN, "wrong_current_password");
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_user_update_profile(c->db, u);
	if (rc == STORE_OK && in->role)
		rc = store_user_set_role(c->db, u->id, u->role);
	enum ag_status est = AG_OK;
	if (rc == STORE_OK && in->email && (est = email_change(c, u, in->email, NULL)) != AG_OK) {
		store_rollback(c->db);
		return est;
	}
	if (rc == STORE_OK && new_hash) {
		rc = store_user_set_password(c->db, u->id, new_hash);
		if (keep_token)
			auth_token_digest(keep_token, digest);
		if (rc == STORE_OK)
			rc = store_sessions_end_others(c->db, u->id, keep_token ? digest : NULL);
	}
	u->pw_hash = NULL;
	return ag_commit(c, rc, AG_OK);
}
