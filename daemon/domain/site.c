#include "site.h"

#include <stdio.h>
#include <stdlib.h>
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

int64_t site_rotation_years(struct agora_ctx *c)
{
	const char *v = store_setting_get(c->db, c->arena, "rotation_years");
	char *end;
	long n = v ? strtol(v, &end, 10) : 0;
	return v && !*end && n >= 1 && n <= ROTATION_YEARS_MAX ? n : ROTATION_YEARS;
}

static enum ag_status settings_valid(struct agora_ctx *c, const struct site_settings *in)
{
	const char *m = in->registration;
	if (m && strcmp(m, "open") && strcmp(m, "invite") && strcmp(m, "closed"))
		return ag_fail(c, AG_EINVAL, "invalid_registration_mode");
	if (in->rotation_years && (in->rotation_years < 1 || in->rotation_years > ROTATION_YEARS_MAX))
		return ag_fail(c, AG_EINVAL, "invalid_rotation_years");
	if (!m && !in->rotation_years)
		return ag_fail(c, AG_EINVAL, "no_setting");
	return AG_OK;
}

enum ag_status site_settings_update(struct agora_ctx *c, const struct site_settings *in)
{
	char years[24];
	enum ag_status st = require_admin(c);
	if (st != AG_OK || (st = settings_valid(c, in)) != AG_OK)
		return st;
	snprintf(years, sizeof years, "%lld", (long long)in->rotation_years);
	int rc = store_begin(c->db);
	if (rc == STORE_OK && in->registration)
		rc = store_setting_set(c->db, "registration", in->registration);
	if (rc == STORE_OK && in->rotation_years)
		rc = store_setting_set(c->db, "rotation_years", years);
	return ag_commit(c, rc, AG_OK);
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
