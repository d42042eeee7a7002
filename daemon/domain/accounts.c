#include "accounts.h"

#include "email.h"
#include "lecturers.h"
#include <string.h>

#include "auth.h"
#include "throttle.h"
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

/* One registration more from the client's address, counted before the password is hashed
 * (one statement checks and records it), so a flood of them cannot fill the hashing pool. */
static enum ag_status registration_reserve(struct agora_ctx *c)
{
	int64_t oldest = 0;
	if (c->registrations_per_hour <= 0)
		return AG_OK;
	int rc = store_registration_reserve(c->db, c->client_addr ? c->client_addr : "", c->now,
					    c->now - REGISTRATION_WINDOW, c->registrations_per_hour, &oldest);
	if (rc == STORE_NOTFOUND) {
		c->retry_after = oldest + REGISTRATION_WINDOW - c->now;
		if (c->retry_after < 1)
			c->retry_after = 1;
		c->error_detail = arena_printf(c->arena, "%lld", (long long)c->retry_after);
		return ag_fail(c, AG_ERATE, "too_many_registrations");
	}
	return ag_stored(c, rc);
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
	if (rc != STORE_NOTFOUND)
		return ag_store_fail(c, rc);
	if (strcmp(mode, "invite") == 0 && (rc = store_invite_usable(c->db, in->invite_code)) != STORE_OK)
		return rc == STORE_NOTFOUND ? ag_fail(c, AG_EFORBIDDEN, "invite_invalid") : ag_store_fail(c, rc);
	return registration_reserve(c);
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

/* ---- guessing passwords: throttled per address and per account ---------------------------- */

/* Per address: a township office shares one address, so its members' failures are many
 * before they slow it down, and never lock it out before the hard cap. */
static const struct throttle_rule addr_rule = {
	.free = LOGIN_ADDR_FREE, .max_delay = LOGIN_ADDR_MAX_DELAY, .hard_max = LOGIN_ADDR_MAX, .window = LOGIN_WINDOW};
/* Per account, binding only the address that failed at it: its owner elsewhere is never
 * slowed by a stranger's guesses. */
static const struct throttle_rule name_rule = {
	.free = LOGIN_NAME_FREE, .max_delay = LOGIN_NAME_MAX_DELAY, .hard_max = 0, .window = LOGIN_WINDOW};

static int64_t attempt_wait(const struct login_stats *n, int64_t now)
{
	struct throttle_count by_addr = {n->addr_failures, n->addr_oldest, n->addr_last};
	struct throttle_count by_name = {n->name_failures, 0, n->name_last};
	int64_t a = throttle_wait(&addr_rule, &by_addr, now), b = throttle_wait(&name_rule, &by_name, now);
	return a > b ? a : b;
}

static enum ag_status too_many_failures(struct agora_ctx *c, int64_t wait)
{
	c->retry_after = wait;
	c->error_detail = arena_printf(c->arena, "%lld", (long long)wait);
	return ag_fail(c, AG_ERATE, "too_many_failures");
}

/* Reserves one password check of name from the client's address: checks the throttle and
 * records the attempt as a failure in one transaction, before any hashing, so requests in
 * flight at once count against each other. A match later forgets it (attempt_clear). */
static enum ag_status attempt_reserve(struct agora_ctx *c, const char *name, int64_t *id)
{
	struct login_stats n;
	const char *addr = c->client_addr ? c->client_addr : "";
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	rc = store_login_stats(c->db, name, addr, c->now - LOGIN_WINDOW, &n);
	int64_t wait = rc == STORE_OK ? attempt_wait(&n, c->now) : 0;
	if (wait > 0) {
		store_rollback(c->db);
		return too_many_failures(c, wait);
	}
	if (rc == STORE_OK)
		rc = store_login_failure_add(c->db, name, addr, c->now, id);
	return ag_commit(c, rc, AG_OK);
}

/* Inside a transaction: the password matched, so this address's failures at name go. */
static int attempt_clear(struct agora_ctx *c, const char *name, int64_t id)
{
	return store_login_failures_clear(c->db, name, c->client_addr ? c->client_addr : "", id);
}

enum ag_status account_login_begin(struct agora_ctx *c, const char *name, const char **hash, int64_t *attempt)
{
	*attempt = 0;
	if (strlen(name) > LOGIN_NAME_MAX_BYTES) /* no such account can exist: spare the lookup */
		return ag_fail(c, AG_EUNAUTH, "bad_credentials");
	enum ag_status st = attempt_reserve(c, name, attempt);
	if (st != AG_OK)
		return st;
	struct user u;
	int rc = store_user_credentials(c->db, c->arena, name, &u);
	if (rc == STORE_NOTFOUND) {
		*hash = auth_dummy_hash();
		return AG_OK;
	}
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	*hash = u.pw_hash;
	return AG_OK;
}

static enum ag_status session_open(struct agora_ctx *c, struct user *u, const char *new_hash, int64_t attempt,
				   char token[64])
{
	char digest[AUTH_DIGEST_HEX + 1];
	auth_token_new(token);
	auth_token_digest(token, digest);
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_session_create(c->db, u->id, digest, c->now, c->now + SESSION_LIFETIME);
	if (rc == STORE_OK)
		rc = attempt_clear(c, u->username, attempt);
	if (rc == STORE_OK && new_hash)
		rc = store_user_set_password(c->db, u->id, new_hash);
	return ag_commit(c, rc, AG_CREATED);
}

enum ag_status account_login_finish(struct agora_ctx *c, const char *name, int matched, int64_t attempt,
				    const char *new_hash, char token[64], struct user *u)
{
	int rc = matched ? store_user_by_name(c->db, c->arena, name, u) : STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) /* the attempt reserved stays as the failure */
		return ag_fail(c, AG_EUNAUTH, "bad_credentials");
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	return session_open(c, u, new_hash, attempt, token);
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
		rc = store_registrations_expire(c->db, c->now - LOGIN_FAILURE_KEEP);
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

/* The bio's HTML and the joined expertise, when they are asked for. */
static enum ag_status profile_text(struct agora_ctx *c, struct account_input *in)
{
	enum ag_status st = AG_OK;
	if (in->bio && (st = lecturer_bio_render(c, in->bio, &in->bio_html)) != AG_OK)
		return st;
	if (in->has_expertise)
		st = lecturer_expertise_join(c, in->expertise, in->nexpertise, &in->expertise_joined);
	return st;
}

/* Who may change what: the user their own profile and password; an admin anyone's role. */
static enum ag_status update_rights(struct agora_ctx *c, const struct account_input *in, const struct user *u)
{
	int self = c->actor->id == u->id;
	int profile = in->display_name || in->region || in->position || in->industry || in->password || in->email ||
		      in->bio || in->has_expertise;
	if (profile && !self)
		return ag_fail(c, AG_EFORBIDDEN, "not_your_profile");
	if (in->role && !ag_allowed(account_may_set_role(c)))
		return ag_fail(c, AG_EFORBIDDEN, "admin_only");
	if (in->password && !in->current_password)
		return ag_fail(c, AG_EINVAL, "current_password_required");
	return AG_OK;
}

enum ag_status account_update_begin(struct agora_ctx *c, const char *name, struct account_input *in,
				    struct user *u, const char **cur_hash, int64_t *attempt)
{
	enum ag_status st = ag_require_writer(c);
	*cur_hash = NULL;
	*attempt = 0;
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
	if ((st = profile_text(c, in)) != AG_OK)
		return st;
	if (in->password && (st = attempt_reserve(c, u->username, attempt)) != AG_OK)
		return st; /* a wrong current password is a guess like a failed sign-in */
	if (in->password)
		*cur_hash = u->pw_hash;
	return AG_OK;
}

/* Inside the transaction: the new password, and every session but keep_token's ends. */
static int password_write(struct agora_ctx *c, const struct user *u, const char *new_hash, int64_t attempt,
			  const char *keep_token)
{
	char digest[AUTH_DIGEST_HEX + 1];
	int rc = store_user_set_password(c->db, u->id, new_hash);
	if (keep_token)
		auth_token_digest(keep_token, digest);
	if (rc == STORE_OK)
		rc = store_sessions_end_others(c->db, u->id, keep_token ? digest : NULL);
	if (rc == STORE_OK)
		rc = attempt_clear(c, u->username, attempt);
	return rc;
}

enum ag_status account_update_finish(struct agora_ctx *c, const struct account_input *in, struct user *u,
				     int current_ok, int64_t attempt, const char *new_hash, const char *keep_token)
{
	if (in->password && !current_ok) /* the attempt reserved stays as the failure */
		return ag_fail(c, AG_EFORBIDDEN, "wrong_current_password");
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_user_update_profile(c->db, u);
	if (rc == STORE_OK && in->role)
		rc = store_user_set_role(c->db, u->id, u->role);
	if (rc == STORE_OK && (in->bio || in->has_expertise))
		rc = store_user_set_profile_text(c->db, u->id, in->bio, in->bio_html, in->expertise_joined);
	enum ag_status est = AG_OK;
	if (rc == STORE_OK && in->email && (est = email_change(c, u, in->email, NULL)) != AG_OK) {
		store_rollback(c->db);
		return est;
	}
	if (rc == STORE_OK && new_hash)
		rc = password_write(c, u, new_hash, attempt, keep_token);
	u->pw_hash = NULL;
	enum ag_status st = ag_commit(c, rc, AG_OK);
	/* what the account's open streams may see was decided under the old password or role */
	if (st == AG_OK && (new_hash || in->role))
		ag_emit_rights_changed(c, AG_RIGHTS_READER, u->id, NULL);
	return st;
}
