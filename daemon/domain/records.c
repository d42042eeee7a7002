#include "records.h"

#include "store_user.h"
#include "trainings.h"

struct ag_right record_may_read(const struct agora_ctx *c, const struct user *u, int64_t organises)
{
	if (!c->actor)
		return ag_refused(AG_EUNAUTH, "not_signed_in");
	if (c->actor->id == u->id || ag_is_admin(c) || organises > 0)
		return AG_ALLOWED;
	return ag_refused(AG_ENOTFOUND, "not_found");
}

enum record_scope record_scope_of(const struct agora_ctx *c, const struct user *u)
{
	return c->actor && (c->actor->id == u->id || ag_is_admin(c)) ? RECORD_WHOLE : RECORD_ORGANISED;
}

struct ag_right report_may_read(const struct agora_ctx *c)
{
	if (!c->actor)
		return ag_refused(AG_EUNAUTH, "not_signed_in");
	return ag_is_admin(c) ? AG_ALLOWED : ag_refused(AG_EFORBIDDEN, "admin_only");
}

/* How many trainings of u the caller organises. */
static int organised(struct agora_ctx *c, const struct user *u, int64_t *count)
{
	struct record_training *t;
	size_t n;
	if (!c->actor)
		return (*count = 0, STORE_OK);
	return store_record_trainings(c->db, c->arena, u->id, c->actor->id, (struct page){0, 0}, &t, &n, count);
}

/* The due date and activity, which only the whole record carries. */
static int whole_part(struct agora_ctx *c, struct learning_record *r)
{
	struct rotation_rule rule;
	training_rotation_rule(c, &rule);
	r->rotation_years = rule.years;
	int rc = store_record_due(c->db, c->arena, r->user.id, &rule, &r->rotation_due_on);
	if (rc == STORE_OK)
		rc = store_record_activity(c->db, c->arena, r->user.id, ag_viewer(c), c->actor->id == r->user.id, &r->activity);
	return rc;
}

enum ag_status record_get(struct agora_ctx *c, const char *username, struct page pg, struct learning_record *out)
{
	int64_t organises = 0;
	*out = (struct learning_record){0};
	int rc = store_user_by_name(c->db, c->arena, username, &out->user);
	if (rc == STORE_NOTFOUND)
		return ag_fail(c, c->actor ? AG_ENOTFOUND : AG_EUNAUTH, c->actor ? "user_not_found" : "not_signed_in");
	if (rc == STORE_OK)
		rc = organised(c, &out->user, &organises);
	if (rc != STORE_OK)
		return ag_stored(c, rc);
	/* completions due are made first, so that the record is never behind the rules */
	enum ag_status st = ag_check(c, record_may_read(c, &out->user, organises));
	if (st != AG_OK || (st = training_complete_due(c)) != AG_OK)
		return st;
	out->scope = record_scope_of(c, &out->user);
	int64_t part = out->scope == RECORD_WHOLE ? 0 : c->actor->id;
	rc = store_record_trainings(c->db, c->arena, out->user.id, part, pg, &out->trainings, &out->n, &out->total);
	if (rc == STORE_OK)
		rc = store_record_totals(c->db, c->arena, out->user.id, part, &out->hours_total, &out->last_completed_on);
	if (rc == STORE_OK && out->scope == RECORD_WHOLE)
		rc = whole_part(c, out);
	return ag_stored(c, rc);
}

enum ag_status rotation_report(struct agora_ctx *c, const struct rotation_query *q, struct page pg,
			       struct rotation_member **out, size_t *n, int64_t *total)
{
	struct term region, position, industry;
	struct rotation_rule rule;
	enum ag_status st = ag_check(c, report_may_read(c));
	if (st != AG_OK || (st = training_complete_due(c)) != AG_OK ||
	    (st = ag_term(c, TERM_REGION, q->region, &region)) != AG_OK ||
	    (st = ag_term(c, TERM_POSITION, q->position, &position)) != AG_OK ||
	    (st = ag_term(c, TERM_INDUSTRY, q->industry, &industry)) != AG_OK)
		return st;
	training_rotation_rule(c, &rule);
	struct rotation_filter f = {region.id, position.id, industry.id, q->overdue_only};
	return ag_stored(c, store_rotation(c->db, c->arena, &rule, &f, pg, out, n, total));
}
