#include "lecturers.h"

#include <string.h>

#include "forum.h"
#include "modlog.h"
#include "notify.h"
#include "store_user.h"
#include "utf8.h"

/* ---- bio and expertise -------------------------------------------------------------------- */

enum ag_status lecturer_bio_render(struct agora_ctx *c, const char *bio, const char **html)
{
	size_t len = strlen(bio);
	unsigned links;
	if (!utf8_text_ok(bio, len, 1))
		return ag_fail(c, AG_EINVAL, "invalid_text");
	if (utf8_length(bio, len) > BIO_MAX_CHARS)
		return ag_fail(c, AG_ETOOLARGE, "bio_too_long");
	if (strspn(bio, " \t\r\n") == len) { /* blank clears the bio */
		*html = "";
		return AG_OK;
	}
	return forum_render(c, bio, html, &links);
}

static int expertise_item_ok(const char *s)
{
	size_t len = strlen(s), chars = utf8_length(s, len);
	return utf8_line_ok(s, len) && !utf8_has_hidden(s, len) && strspn(s, " \t") < len && chars >= 1 &&
	       chars <= EXPERTISE_MAX_CHARS && !strchr(s, '\t');
}

enum ag_status lecturer_expertise_join(struct agora_ctx *c, const char *const *items, size_t n,
				       const char **joined)
{
	if (n > EXPERTISE_MAX_ITEMS)
		return ag_fail(c, AG_EINVAL, "too_many_expertise");
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (!expertise_item_ok(items[i])) {
			buf_free(&b);
			return ag_fail(c, AG_EINVAL, "invalid_expertise");
		}
		if (i)
			buf_append(&b, "\n", 1);
		buf_append(&b, items[i], strlen(items[i]));
	}
	*joined = arena_strndup(c->arena, b.data ? b.data : "", b.len);
	buf_free(&b);
	return AG_OK;
}

const char **lecturer_expertise_split(struct agora_ctx *c, const char *joined, size_t *n)
{
	size_t cap = 1;
	for (const char *p = joined; *p; p++)
		cap += *p == '\n';
	const char **out = arena_alloc(c->arena, cap * sizeof *out);
	*n = 0;
	while (joined && *joined) {
		const char *end = strchr(joined, '\n');
		size_t len = end ? (size_t)(end - joined) : strlen(joined);
		out[(*n)++] = arena_strndup(c->arena, joined, len);
		joined += len + (end != NULL);
	}
	return out;
}

enum ag_status lecturer_profile_text(struct agora_ctx *c, int64_t user_id, const char **bio,
				     const char **bio_html, const char **expertise)
{
	return ag_found(c, store_user_profile_text(c->db, c->arena, user_id, bio, bio_html, expertise),
			"user_not_found");
}

/* ---- the pool ----------------------------------------------------------------------------- */

enum ag_status lecturer_pool(struct agora_ctx *c, const char *industry, const char *text, struct page pg,
			     struct pool_entry **out, size_t *n, int64_t *total)
{
	struct term t = {0};
	enum ag_status st = ag_term(c, TERM_INDUSTRY, industry, &t);
	if (st != AG_OK)
		return st;
	if (text && strlen(text) > POOL_QUERY_MAX_BYTES)
		return ag_fail(c, AG_EINVAL, "query_too_long");
	struct pool_filter f = {ag_viewer(c), t.id, text && *text ? text : NULL, c->now};
	return ag_stored(c, store_pool(c->db, c->arena, &f, pg, out, n, total));
}

/* ---- applications ------------------------------------------------------------------------- */

struct ag_right lecturer_may_apply(const struct agora_ctx *c)
{
	struct ag_right r = ag_may_write(c);
	if (ag_allowed(r) && c->actor->role >= ROLE_LECTURER)
		return ag_refused(AG_ECONFLICT, "already_lecturer");
	return r;
}

/* The same right as account_may_set_role's: deciding changes a role. */
struct ag_right lecturer_may_review(const struct agora_ctx *c)
{
	struct ag_right r = ag_may_write(c);
	return ag_allowed(r) && !ag_is_admin(c) ? ag_refused(AG_EFORBIDDEN, "admin_only") : r;
}

static enum ag_status statement_check(struct agora_ctx *c, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	if (!s || strspn(s, " \t\r\n") == len)
		return ag_fail(c, AG_EINVAL, "statement_required");
	if (!utf8_text_ok(s, len, 1))
		return ag_fail(c, AG_EINVAL, "invalid_text");
	if (utf8_length(s, len) > STATEMENT_MAX_CHARS)
		return ag_fail(c, AG_ETOOLARGE, "statement_too_long");
	return AG_OK;
}

static enum ag_status app_get(struct agora_ctx *c, int64_t id, struct lecturer_app *out)
{
	return ag_found(c, store_app_get(c->db, c->arena, id, out), "application_not_found");
}

enum ag_status lecturer_apply(struct agora_ctx *c, const char *statement, const char *const *expertise,
			      size_t n, struct lecturer_app *out)
{
	const char *joined;
	int64_t id;
	enum ag_status st = ag_check(c, lecturer_may_apply(c));
	if (st == AG_OK)
		st = statement_check(c, statement);
	if (st == AG_OK)
		st = lecturer_expertise_join(c, expertise, n, &joined);
	if (st != AG_OK)
		return st;
	int rc = store_app_insert(c->db, c->actor->id, statement, joined, c->now, &id);
	if (rc == STORE_CONFLICT)
		return ag_fail(c, AG_ECONFLICT, "application_pending");
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	return app_get(c, id, out);
}

static int state_known(const char *s)
{
	return !strcmp(s, "pending") || !strcmp(s, "approved") || !strcmp(s, "declined");
}

enum ag_status lecturer_apps(struct agora_ctx *c, const char *state, int mine, struct page pg,
			     struct lecturer_app **out, size_t *n, int64_t *total)
{
	enum ag_status st = mine ? ag_require_reader(c) : ag_check(c, lecturer_may_review(c));
	if (st != AG_OK)
		return st;
	if (state && *state && !state_known(state))
		return ag_fail(c, AG_EINVAL, "invalid_state");
	return ag_stored(c, store_apps(c->db, c->arena, state && *state ? state : NULL, mine ? c->actor->id : 0, pg,
				       out, n, total));
}

/* Inside the transaction: the applicant becomes a lecturer (unless they rose meanwhile) and
 * gets the application's expertise when they have none. *role_changed when it changed. */
static int approve_write(struct agora_ctx *c, const struct lecturer_app *a, int *role_changed)
{
	int rc = STORE_OK;
	*role_changed = a->user.role < ROLE_LECTURER;
	if (*role_changed)
		rc = store_user_set_role(c->db, a->user.id, ROLE_LECTURER);
	if (rc == STORE_OK && *a->expertise)
		rc = store_user_expertise_if_empty(c->db, a->user.id, a->expertise);
	return rc;
}

/* The decision, the role, the notification (detail "lecturer_approved\t" or
 * "lecturer_declined\tREASON") and the log entry, all or nothing. The public log names the
 * applicant but not the reason, which is for the applicant. */
static enum ag_status decide_write(struct agora_ctx *c, const struct lecturer_app *a, int approve,
				   const char *reason, int *role_changed)
{
	const char *what = approve ? "lecturer_approved" : "lecturer_declined";
	int rc = store_begin(c->db);
	*role_changed = 0;
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	rc = store_app_decide(c->db, a->id, approve ? "approved" : "declined", reason, c->actor->id, c->now);
	if (rc == STORE_NOTFOUND) {
		store_rollback(c->db);
		return ag_fail(c, AG_ECONFLICT, "already_decided");
	}
	if (rc == STORE_OK && approve)
		rc = approve_write(c, a, role_changed);
	if (rc == STORE_OK)
		rc = notify_lecturer(c, a->user.id, what, reason);
	if (rc == STORE_OK)
		rc = modlog_append(c, what, "user", a->user.id, "");
	return ag_commit(c, rc, AG_OK);
}

enum ag_status lecturer_decide(struct agora_ctx *c, int64_t id, const char *action, const char *reason,
			       struct lecturer_app *out)
{
	struct lecturer_app a;
	int approve = action && !strcmp(action, "approve"), changed;
	enum ag_status st = ag_check(c, lecturer_may_review(c));
	if (st != AG_OK)
		return st;
	if (!approve && !(action && !strcmp(action, "decline")))
		return ag_fail(c, AG_EINVAL, "invalid_action");
	reason = reason && !approve ? reason : "";
	if (!utf8_text_ok(reason, strlen(reason), 1))
		return ag_fail(c, AG_EINVAL, "invalid_text");
	if (utf8_length(reason, strlen(reason)) > DECLINE_REASON_MAX_CHARS)
		return ag_fail(c, AG_ETOOLARGE, "reason_too_long");
	if ((st = app_get(c, id, &a)) != AG_OK)
		return st;
	if (strcmp(a.state, "pending") != 0)
		return ag_fail(c, AG_ECONFLICT, "already_decided");
	if ((st = decide_write(c, &a, approve, reason, &changed)) != AG_OK)
		return st;
	/* what the applicant's open streams may see was decided under the old role */
	if (changed)
		ag_emit_rights_changed(c, AG_RIGHTS_READER, a.user.id, NULL);
	return app_get(c, id, out);
}
