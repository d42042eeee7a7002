/* Addresses, preferences, confirmation and unsubscribe links. */
#include "email.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "mime.h"
#include "outbox.h"

#define SECRET_KEY "mail_secret"

struct ag_right email_may_see(const struct agora_ctx *c, const struct user *u)
{
	if (!c->actor)
		return ag_refused(AG_EUNAUTH, "not_signed_in");
	if (c->actor->id != u->id && !ag_is_admin(c))
		return ag_refused(AG_EFORBIDDEN, "not_your_profile");
	return AG_ALLOWED;
}

enum ag_status email_prefs(struct agora_ctx *c, const struct user *u, struct mail_prefs *p)
{
	enum ag_status st = ag_check(c, email_may_see(c, u));
	if (st != AG_OK)
		return st;
	return ag_found(c, store_mail_prefs(c->db, c->arena, u->id, p), "user_not_found");
}

enum ag_status email_check(struct agora_ctx *c, const char *addr)
{
	if (!*addr || (strlen(addr) <= EMAIL_MAX_BYTES && mime_address_ok(addr)))
		return AG_OK;
	return ag_fail(c, AG_EINVAL, "invalid_email");
}

static int same_address(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

/* A new confirmation token for addr and the mail that carries it. */
static int confirmation(struct agora_ctx *c, const struct user *u, const char *addr)
{
	char token[AUTH_TOKEN_LEN + 1], digest[AUTH_DIGEST_HEX + 1];
	auth_token_new(token);
	auth_token_digest(token, digest);
	int rc = store_mail_set_pending(c->db, u->id, addr);
	if (rc == STORE_OK)
		rc = store_token_add(c->db, digest, "confirm", u->id, addr, c->now, c->now + EMAIL_CONFIRM_LIFETIME);
	if (rc == STORE_OK)
		rc = outbox_queue(c, u->id, "confirm", addr, json_pack("{s:s, s:s}", "token", token, "email", addr));
	return rc;
}

enum ag_status email_change(struct agora_ctx *c, const struct user *u, const char *addr, int *sent)
{
	struct mail_prefs p;
	int64_t recent = 0;
	if (sent)
		*sent = 0;
	int rc = store_mail_prefs(c->db, c->arena, u->id, &p);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	if (!*addr)
		return ag_stored(c, p.email || p.email_pending ? store_mail_clear(c->db, u->id) : STORE_OK);
	if (same_address(addr, p.email))
		return ag_stored(c, p.email_pending ? store_mail_set_pending(c->db, u->id, NULL) : STORE_OK);
	if (same_address(addr, p.email_pending))
		return AG_OK; /* its link is on its way already */
	if ((rc = store_tokens_since(c->db, u->id, "confirm", c->now - 86400, &recent)) != STORE_OK)
		return ag_store_fail(c, rc);
	if (recent >= EMAIL_CONFIRMS_PER_DAY) {
		c->retry_after = 86400;
		return ag_fail(c, AG_ERATE, "too_many_confirmations");
	}
	if (sent)
		*sent = 1;
	return ag_stored(c, confirmation(c, u, addr));
}

enum ag_status email_confirm(struct agora_ctx *c, const char *token)
{
	char digest[AUTH_DIGEST_HEX + 1];
	struct mail_token t;
	if (!token || !*token)
		return ag_fail(c, AG_EINVAL, "invalid_token");
	auth_token_digest(token, digest);
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	rc = store_token_use(c->db, c->arena, digest, "confirm", c->now, &t);
	if (rc == STORE_OK)
		rc = store_mail_confirm(c->db, t.user_id, t.email);
	if (rc == STORE_NOTFOUND || rc == STORE_CONFLICT) {
		store_rollback(c->db);
		return ag_fail(c, rc == STORE_CONFLICT ? AG_ECONFLICT : AG_EINVAL,
			       rc == STORE_CONFLICT ? "email_taken" : "invalid_token");
	}
	return ag_commit(c, rc, AG_OK);
}

/* One of the allowed words, or NULL for a value that is not. */
static const char *pick(const char *v, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(v, *allowed) == 0)
			return *allowed;
	return NULL;
}

static enum ag_status prefs_apply(struct agora_ctx *c, const struct prefs_input *in, struct mail_prefs *p)
{
	static const char *const notes[] = {"immediate", "daily", "off", NULL};
	static const char *const digests[] = {"weekly", "daily", "off", NULL};
	static const char *const langs[] = {"en", "zh-CN", NULL};
	if (in->email_notifications && !(p->email_notifications = pick(in->email_notifications, notes)))
		return ag_fail(c, AG_EINVAL, "invalid_email_notifications");
	if (in->digest && !(p->digest = pick(in->digest, digests)))
		return ag_fail(c, AG_EINVAL, "invalid_digest");
	if (in->language && *in->language && !pick(in->language, langs))
		return ag_fail(c, AG_EINVAL, "invalid_language");
	if (in->language)
		p->language = *in->language ? pick(in->language, langs) : NULL;
	return AG_OK;
}

enum ag_status email_prefs_update(struct agora_ctx *c, const struct prefs_input *in, struct mail_prefs *out)
{
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK || (st = email_prefs(c, c->actor, out)) != AG_OK)
		return st;
	if ((st = prefs_apply(c, in, out)) != AG_OK)
		return st;
	return ag_stored(c, store_mail_set_prefs(c->db, c->actor->id, out));
}

enum ag_status email_settings_save(struct agora_ctx *c, const char *addr, const struct prefs_input *in,
				   struct mail_prefs *out, int *address_changed)
{
	/* A ban stops a member writing for others, not choosing what they are sent. */
	enum ag_status st = ag_require_reader(c);
	*address_changed = 0;
	memset(out, 0, sizeof *out);
	if (st != AG_OK || (st = email_prefs(c, c->actor, out)) != AG_OK)
		return st;
	if ((addr && (st = email_check(c, addr)) != AG_OK) || (st = prefs_apply(c, in, out)) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	if (addr && (st = email_change(c, c->actor, addr, address_changed)) != AG_OK) {
		store_rollback(c->db);
		return st;
	}
	rc = store_mail_set_prefs(c->db, c->actor->id, out);
	return ag_commit(c, rc, AG_OK);
}

const char *email_language(const struct mail_prefs *p)
{
	if (p->language)
		return p->language;
	return p->browser_language ? p->browser_language : "en";
}

int email_note_language(struct agora_ctx *c, int64_t user_id, const char *lang)
{
	return lang ? store_mail_browser_language(c->db, user_id, lang) : STORE_OK;
}

/* The site's secret for signed links, made by the first process that needs it. */
static const char *site_secret(struct agora_ctx *c)
{
	const char *s = store_setting_get(c->db, c->arena, SECRET_KEY);
	if (s)
		return s;
	char fresh[AUTH_TOKEN_LEN + 1];
	auth_token_new(fresh);
	if (store_setting_add(c->db, SECRET_KEY, fresh) != STORE_OK)
		return NULL;
	return store_setting_get(c->db, c->arena, SECRET_KEY);
}

static const char *signature(struct agora_ctx *c, int64_t user_id, const char *what)
{
	char msg[96], mac[AUTH_TOKEN_LEN + 1];
	const char *secret = site_secret(c);
	if (!secret)
		return NULL;
	snprintf(msg, sizeof msg, "unsubscribe:%lld:%s", (long long)user_id, what);
	auth_mac(secret, msg, mac);
	return arena_strdup(c->arena, mac);
}

const char *email_unsubscribe_token(struct agora_ctx *c, int64_t user_id, const char *what)
{
	const char *sig = signature(c, user_id, what);
	return sig ? arena_printf(c->arena, "%lld.%s.%s", (long long)user_id, what, sig) : NULL;
}

/* Splits "ID.WHAT.SIGNATURE" and checks the signature. */
static enum ag_status token_read(struct agora_ctx *c, const char *token, int64_t *uid, const char **what)
{
	static const char *const kinds[] = {"notifications", "digest", NULL};
	char word[16];
	long long id = 0;
	int used = 0;
	if (!token || sscanf(token, "%lld.%15[a-z].%n", &id, word, &used) != 2 || used == 0 || id <= 0 ||
	    !(*what = pick(word, kinds)))
		return ag_fail(c, AG_EINVAL, "invalid_token");
	const char *sig = signature(c, id, *what);
	if (!sig)
		return ag_store_fail(c, STORE_ERROR);
	if (!auth_token_equal(sig, token + used))
		return ag_fail(c, AG_EINVAL, "invalid_token");
	*uid = id;
	return AG_OK;
}

enum ag_status email_unsubscribe(struct agora_ctx *c, const char *token, int stop, struct unsubscribe *out)
{
	struct mail_prefs p;
	int64_t uid = 0;
	memset(out, 0, sizeof *out);
	enum ag_status st = token_read(c, token, &uid, &out->what);
	if (st != AG_OK)
		return st;
	int rc = store_user_by_id(c->db, c->arena, uid, &out->user);
	if (rc == STORE_OK)
		rc = store_mail_prefs(c->db, c->arena, uid, &p);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? ag_fail(c, AG_EINVAL, "invalid_token") : ag_store_fail(c, rc);
	const char *now = strcmp(out->what, "digest") == 0 ? p.digest : p.email_notifications;
	out->off = strcmp(now, "off") == 0;
	if (!stop || out->off)
		return AG_OK;
	out->off = 1;
	return ag_stored(c, store_mail_unsubscribe(c->db, uid, out->what));
}
