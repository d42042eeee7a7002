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
	/* The disk, not the request, is at fault: 503, and reads go on meanwhile. */
	case STORE_FULL:
		return ag_fail(c, AG_EBUSY, "storage_full");
	case STORE_READONLY:
		return ag_fail(c, AG_EBUSY, "storage_read_only");
	case STORE_IOERR:
		return ag_fail(c, AG_EBUSY, "storage_error");
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

enum ag_status ag_found(struct agora_ctx *c, int store_rc, const char *missing)
{
	if (store_rc == STORE_NOTFOUND)
		return ag_fail(c, AG_ENOTFOUND, missing);
	return ag_stored(c, store_rc);
}

int64_t ag_viewer(const struct agora_ctx *c)
{
	return c->actor ? c->actor->id : 0;
}

struct ag_right ag_refused(enum ag_status st, const char *code)
{
	return (struct ag_right){st, code, 0};
}

int ag_allowed(struct ag_right r)
{
	return r.st == AG_OK;
}

enum ag_status ag_check(struct agora_ctx *c, struct ag_right r)
{
	if (r.st == AG_OK)
		return AG_OK;
	if (r.until) {
		char until[32]; /* the message says until when */
		time_rfc3339(r.until, until);
		c->error_detail = arena_strdup(c->arena, until);
	}
	return ag_fail(c, r.st, r.code);
}

enum ag_status ag_rate_verdict(struct agora_ctx *c, int store_rc, int64_t at, int64_t window)
{
	if (store_rc == STORE_NOTFOUND)
		return AG_OK;
	if (store_rc != STORE_OK)
		return ag_store_fail(c, store_rc);
	c->retry_after = at + window - c->now > 0 ? at + window - c->now : 1;
	return ag_fail(c, AG_ERATE, "rate_limited");
}

struct ag_right ag_may_write(const struct agora_ctx *c)
{
	if (!c->actor)
		return ag_refused(AG_EUNAUTH, "not_signed_in");
	if (c->actor->banned_until <= c->now)
		return AG_ALLOWED;
	struct ag_right r = ag_refused(AG_EFORBIDDEN, "banned");
	r.until = c->actor->banned_until == INT64_MAX ? 0 : c->actor->banned_until; /* 0: until lifted */
	return r;
}

enum ag_status ag_require_writer(struct agora_ctx *c)
{
	return ag_check(c, ag_may_write(c));
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
	return rc == STORE_NOTFOUND ? ag_fail(c, AG_EINVAL, codes[kind]) : ag_stored(c, rc);
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
