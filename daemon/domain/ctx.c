#include "ctx.h"

#include <string.h>

enum ag_status ag_fail(struct agora_ctx *c, enum ag_status st, const char *code)
{
	c->error_code = code;
	return st;
}

enum ag_status ag_store_fail(struct agora_ctx *c, int store_rc)
{
	switch (store_rc) {
	case STORE_NOTFOUND:
		return ag_fail(c, AG_ENOTFOUND, "not_found");
	case STORE_CONFLICT:
		return ag_fail(c, AG_ECONFLICT, "conflict");
	case STORE_BUSY:
		return ag_fail(c, AG_EBUSY, "busy");
	default:
		return ag_fail(c, AG_EINTERNAL, "internal");
	}
}

enum ag_status ag_stored(struct agora_ctx *c, int store_rc)
{
	return store_rc == STORE_OK ? AG_OK : ag_store_fail(c, store_rc);
}

enum ag_status ag_commit(struct agora_ctx *c, int rc, enum ag_status ok)
{
	if (rc == STORE_OK)
		rc = store_commit(c->db);
	if (rc == STORE_OK)
		return ok;
	store_rollback(c->db);
	return ag_store_fail(c, rc);
}

enum ag_status ag_require_reader(struct agora_ctx *c)
{
	return c->actor ? AG_OK : ag_fail(c, AG_EUNAUTH, "not_signed_in");
}

enum ag_status ag_require_writer(struct agora_ctx *c)
{
	if (!c->actor)
		return ag_require_reader(c);
	if (c->actor->banned_until > c->now) {
		char until[32];
		time_rfc3339(c->actor->banned_until, until);
		c->error_detail = c->actor->banned_until == INT64_MAX ? NULL : arena_strdup(c->arena, until);
		return ag_fail(c, AG_EFORBIDDEN, "banned");
	}
	return AG_OK;
}

int ag_is_admin(const struct agora_ctx *c)
{
	return c->actor && c->actor->role == ROLE_ADMIN;
}

enum ag_status ag_term(struct agora_ctx *c, enum term_kind kind, const char *slug, struct term *t)
{
	static const char *const codes[] = {"unknown_industry", "unknown_position", "unknown_region"};
	memset(t, 0, sizeof *t);
	if (!slug || !*slug)
		return AG_OK;
	int rc = store_term_find(c->db, c->arena, kind, slug, t);
	if (rc == STORE_NOTFOUND)
		return ag_fail(c, AG_EINVAL, codes[kind]);
	return rc == STORE_OK ? AG_OK : ag_store_fail(c, rc);
}

void ag_emit_published(struct agora_ctx *c, const struct post *p)
{
	if (c->events && c->events->post_published)
		c->events->post_published(p);
}

void ag_emit_rights_changed(struct agora_ctx *c, enum ag_rights_change what, int64_t id, const char *slug)
{
	if (c->events && c->events->rights_changed)
		c->events->rights_changed(what, id, slug);
}
