/* Associations: the directory, one association's page, joining and the officers' actions. */
#include <string.h>

#include "associations.h"
#include "forum.h"
#include "questionnaires.h"
#include "handlers.h"
#include "views.h"

static const char *const membership_names[] = {"none", "pending", "member", "officer"};

json_t *view_association(const struct association *x)
{
	json_t *o = json_object();
	json_object_set_new(o, "slug", json_string(x->slug));
	json_object_set_new(o, "name", json_string(x->name));
	json_object_set_new(o, "description", json_string(x->description ? x->description : ""));
	json_object_set_new(o, "industry", x->industry.slug ? json_string(x->industry.slug) : json_null());
	json_object_set_new(o, "position", x->position.slug ? json_string(x->position.slug) : json_null());
	json_object_set_new(o, "industry_name", x->industry.name ? json_string(x->industry.name) : json_null());
	json_object_set_new(o, "position_name", x->position.name ? json_string(x->position.name) : json_null());
	json_object_set_new(o, "join_policy", json_string(x->join_policy));
	json_object_set_new(o, "visibility", json_string(x->visibility));
	json_object_set_new(o, "members_only", json_boolean(!strcmp(x->visibility, "members")));
	json_object_set_new(o, "member_count", json_integer(x->member_count));
	view_set_time(o, "created_at", x->created_at);
	return o;
}

VIEW_ARRAY(static, associations_array, struct association, view_association)

void h_associations(struct req *r)
{
	struct association *x;
	size_t n;
	const char *industry = req_query(r, "industry"), *position = req_query(r, "position");
	enum ag_status st = assoc_list(&r->ctx, industry && *industry ? industry : NULL,
				       position && *position ? position : NULL, &x, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_pack("{s:o}", "associations", associations_array(x, n));
	if (is_page(r)) {
		json_object_set_new(m, "industries", term_choices(r, TERM_INDUSTRY, industry));
		json_object_set_new(m, "positions", term_choices(r, TERM_POSITION, position));
		json_object_set_new(m, "can_create", json_boolean(ag_allowed(assoc_may_create(&r->ctx))));
	}
	req_reply(r, 200, m);
}

void h_association_create(struct req *r)
{
	struct assoc_input in = {in_str(r, "slug"),     in_str(r, "name"),        in_str(r, "description"),
				 in_str(r, "industry"), in_str(r, "position"),    in_str(r, "join_policy"),
				 in_str(r, "visibility")};
	struct association x;
	if (r->bad_input)
		return;
	enum ag_status st = assoc_create(&r->ctx, &in, &x);
	if (st != AG_CREATED) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.association_created");
	req_done(r, 201, json_pack("{s:o}", "association", view_association(&x)),
		 arena_printf(r->arena, "/a/%s", x.slug));
}

/* What an officer sees besides: who waits for approval, and every member. */
static void officer_extras(struct req *r, json_t *m, const struct association *x)
{
	struct user *u;
	size_t n;
	if (assoc_people(&r->ctx, x, MEMBERSHIP_PENDING, &u, &n) == AG_OK)
		json_object_set_new(m, "pending", view_users(u, n));
	if (assoc_people(&r->ctx, x, MEMBERSHIP_MEMBER, &u, &n) == AG_OK)
		json_object_set_new(m, "members", view_users(u, n));
	json_object_set_new(m, "is_officer", json_true());
}

void h_association_get(struct req *r)
{
	struct association x;
	struct board *b;
	struct user *o;
	size_t nb, no;
	enum ag_status st = assoc_get(&r->ctx, r->params[0], &x);
	if (st == AG_OK)
		st = forum_boards(&r->ctx, NULL, NULL, x.slug, &b, &nb);
	if (st == AG_OK)
		st = assoc_people(&r->ctx, &x, MEMBERSHIP_OFFICER, &o, &no);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *boards = view_boards(b, nb);
	enum membership mine = access_membership(&r->ctx, x.id);
	json_t *m = json_pack("{s:o, s:o, s:o, s:s}", "association", view_association(&x), "boards", boards,
			      "officers", view_users(o, no), "membership", membership_names[mine]);
	if (ag_allowed(assoc_may_manage(&r->ctx, &x)))
		officer_extras(r, m, &x);
	if (is_page(r)) {
		struct questionnaire *q;
		size_t nq;
		if (q_list(&r->ctx, NULL, x.slug, &q, &nq) == AG_OK)
			json_object_set_new(m, "questionnaires", questionnaires_array(r, q, nq));
		json_object_set_new(m, "is_member", json_boolean(mine >= MEMBERSHIP_MEMBER));
		json_object_set_new(m, "is_pending", json_boolean(mine == MEMBERSHIP_PENDING));
		json_object_set_new(m, "can_join", json_boolean(ag_allowed(assoc_may_join(&r->ctx, &x))));
	}
	req_reply(r, 200, m);
}

void h_association_join(struct req *r)
{
	enum ag_status st = assoc_join(&r->ctx, r->params[0]);
	if (st != AG_CREATED && st != AG_PENDING) {
		req_fail(r, st);
		return;
	}
	req_flash(r, st == AG_CREATED ? "flash.joined" : "flash.join_requested");
	req_done(r, st == AG_CREATED ? 201 : 202,
		 json_pack("{s:s}", "membership", st == AG_CREATED ? "member" : "pending"),
		 arena_printf(r->arena, "/a/%s", r->params[0]));
}

void h_association_leave(struct req *r)
{
	enum ag_status st = assoc_leave(&r->ctx, r->params[0]);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.left_association");
	req_done(r, 204, NULL, arena_printf(r->arena, "/a/%s", r->params[0]));
}

void h_association_member(struct req *r)
{
	const char *action = in_str(r, "action");
	if (r->bad_input)
		return;
	enum ag_status st = assoc_member_action(&r->ctx, r->params[0], r->params[1], action);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.member_updated");
	req_done(r, 200, json_pack("{s:s, s:s}", "username", r->params[1], "action", action),
		 arena_printf(r->arena, "/a/%s", r->params[0]));
}
