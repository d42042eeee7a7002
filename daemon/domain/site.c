#include "site.h"

#include <string.h>

#include "auth.h"
#include "store_site.h"
#include "store_user.h"
#include "utf8.h"

static const char *const kind_names[] = {"industry", "position", "region"};

int site_term_kind(const char *s)
{
	for (int i = 0; s && i < 3; i++)
		if (!strcmp(s, kind_names[i]))
			return i;
	return -1;
}

int site_healthy(struct agora_ctx *c)
{
	return store_ping(c->db) == STORE_OK;
}

static enum ag_status require_admin(struct agora_ctx *c)
{
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK)
		return st;
	return ag_is_admin(c) ? AG_OK : ag_fail(c, AG_EFORBIDDEN, "admin_only");
}

enum ag_status site_terms(struct agora_ctx *c, enum term_kind kind, struct term **out, size_t *n)
{
	int rc = store_terms(c->db, c->arena, kind, out, n);
	return ag_stored(c, rc);
}

enum ag_status site_term_put(struct agora_ctx *c, enum term_kind kind, const char *slug, const char *name)
{
	enum ag_status st = require_admin(c);
	if (st != AG_OK)
		return st;
	if (!slug || !slug_valid(slug))
		return ag_fail(c, AG_EINVAL, "invalid_slug");
	if (!name || !*name || utf8_length(name, strlen(name)) > 100 || !utf8_line_ok(name, strlen(name)))
		return ag_fail(c, AG_EINVAL, "invalid_name");
	int rc = store_term_put(c->db, kind, slug, name);
	return ag_stored(c, rc);
}

enum ag_status site_term_delete(struct agora_ctx *c, enum term_kind kind, const char *slug)
{
	enum ag_status st = require_admin(c);
	if (st != AG_OK)
		return st;
	int rc = store_term_delete(c->db, kind, slug);
	if (rc == STORE_NOTFOUND)
		return ag_fail(c, AG_ENOTFOUND, "not_found");
	return ag_stored(c, rc);
}

enum ag_status site_set_registration(struct agora_ctx *c, const char *mode)
{
	enum ag_status st = require_admin(c);
	if (st != AG_OK)
		return st;
	if (!mode || (strcmp(mode, "open") && strcmp(mode, "invite") && strcmp(mode, "closed")))
		return ag_fail(c, AG_EINVAL, "invalid_registration_mode");
	int rc = store_setting_set(c->db, "registration", mode);
	return ag_stored(c, rc);
}

enum ag_status site_invite_create(struct agora_ctx *c, const char **code)
{
	char tok[AUTH_TOKEN_LEN + 1];
	enum ag_status st = require_admin(c);
	if (st != AG_OK)
		return st;
	auth_token_new(tok);
	tok[16] = '\0'; /* 96 random bits is plenty for a single-use code and easier to pass on */
	int rc = store_invite_create(c->db, tok, c->actor->id, c->now);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	*code = arena_strdup(c->arena, tok);
	return AG_CREATED;
}
