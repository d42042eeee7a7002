/* The site as a whole: health, home page, taxonomy, settings and the admin page. */
#include <stdio.h>
#include <string.h>

#include "i18n.h"

#include "accounts.h"
#include "answers.h"
#include "forum.h"
#include "handlers.h"
#include "site.h"
#include "views.h"

void h_healthz(struct req *r)
{
	if (!site_healthy(&r->ctx)) {
		req_error(r, 503, "database_unavailable");
		return;
	}
	req_reply(r, 200, json_pack("{s:s}", "status", "ok"));
}

static json_t *terms_array(struct req *r, enum term_kind kind)
{
	return term_choices(r, kind, NULL);
}

void h_taxonomy(struct req *r)
{
	req_reply(r, 200, json_pack("{s:o, s:o, s:o}", "industries", terms_array(r, TERM_INDUSTRY), "positions",
				    terms_array(r, TERM_POSITION), "regions", terms_array(r, TERM_REGION)));
}

/* The terms of a kind that have boards, each with its boards. */
static json_t *group_boards(json_t *terms, json_t *boards, const char *key)
{
	size_t i, j;
	json_t *term, *b, *out = json_array();
	json_array_foreach(terms, i, term)
	{
		json_t *mine = json_array();
		const char *slug = json_string_value(json_object_get(term, "slug"));
		json_array_foreach(boards, j, b)
		{
			const char *v = json_string_value(json_object_get(b, key));
			if (v && slug && !strcmp(v, slug))
				json_array_append(mine, b);
		}
		if (json_array_size(mine)) {
			json_object_set_new(term, "boards", mine);
			json_array_append(out, term);
		} else {
			json_decref(mine);
		}
	}
	json_decref(terms);
	return out;
}

/* Featured threads on the home page, at most. */
enum { HOME_FEATURED = 5 };

void h_home(struct req *r)
{
	struct board *b;
	struct thread *t;
	size_t nb, nt;
	enum ag_status st = forum_boards(&r->ctx, NULL, NULL, NULL, &b, &nb);
	if (st == AG_OK)
		st = forum_recent_threads(&r->ctx, 20, &t, &nt);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *boards = json_array(), *recent = view_threads(t, nt), *other = json_array();
	for (size_t i = 0; i < nb; i++) {
		json_array_append_new(boards, view_board(&b[i]));
		if (!b[i].industry.slug && !b[i].position.slug) {
			json_t *o = view_board(&b[i]);
			json_object_set_new(o, "first", json_boolean(json_array_size(other) == 0));
			json_array_append_new(other, o);
		}
	}
	json_t *m = json_object();
	json_object_set_new(m, "industries", group_boards(terms_array(r, TERM_INDUSTRY), boards, "industry"));
	json_object_set_new(m, "positions", group_boards(terms_array(r, TERM_POSITION), boards, "position"));
	json_object_set_new(m, "other_boards", other);
	json_object_set_new(m, "recent", recent);
	json_object_set_new(m, "boards", boards);
	follow_home(r, m);
	training_home(r, m);
	struct thread *f;
	size_t nf;
	if (answers_featured(&r->ctx, HOME_FEATURED, &f, &nf) == AG_OK && nf) {
		json_object_set_new(m, "featured", view_threads(f, nf));
		json_object_set_new(m, "has_featured", json_true());
	}
	req_reply(r, 200, m);
}

void h_term_put(struct req *r)
{
	int kind = site_term_kind(r->params[0]);
	const char *name = in_str(r, "name");
	if (r->bad_input)
		return;
	if (kind < 0) {
		req_error(r, 404, "not_found");
		return;
	}
	enum ag_status st = site_term_put(&r->ctx, (enum term_kind)kind, r->params[1], name);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.saved");
	req_done(r, 200, json_pack("{s:s, s:s}", "slug", r->params[1], "name", name), "/admin");
}

void h_term_delete(struct req *r)
{
	int kind = site_term_kind(r->params[0]);
	if (kind < 0) {
		req_error(r, 404, "not_found");
		return;
	}
	enum ag_status st = site_term_delete(&r->ctx, (enum term_kind)kind, r->params[1]);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.deleted");
	req_done(r, 204, NULL, "/admin");
}

static json_t *settings_view(struct req *r)
{
	return json_pack("{s:s, s:I}", "registration", account_registration_mode(&r->ctx), "rotation_years",
			 (json_int_t)site_rotation_years(&r->ctx));
}

void h_settings_get(struct req *r)
{
	if (!ag_is_admin(&r->ctx)) {
		req_error(r, 403, "admin_only");
		return;
	}
	req_reply(r, 200, settings_view(r));
}

void h_settings_patch(struct req *r)
{
	int present;
	struct site_settings in = {in_str(r, "registration"), in_int(r, "rotation_years", &present)};
	if (r->bad_input)
		return;
	if (present && in.rotation_years == 0) /* given, so not "unchanged": out of range */
		in.rotation_years = -1;
	enum ag_status st = site_settings_update(&r->ctx, &in);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.settings_saved");
	req_done(r, 200, settings_view(r), "/admin");
}

void h_invite_create(struct req *r)
{
	const char *code;
	enum ag_status st = site_invite_create(&r->ctx, &code);
	if (st != AG_CREATED) {
		req_fail(r, st);
		return;
	}
	if (is_page(r)) { /* the admin page shows the new code */
		h_admin_page(r);
		json_object_set_new(r->model, "new_invite", json_string(code));
		return;
	}
	req_reply(r, 201, json_pack("{s:s}", "code", code));
}

void h_admin_page(struct req *r)
{
	struct board *b;
	size_t n;
	if (!ag_is_admin(&r->ctx)) {
		req_error(r, 403, "admin_only");
		return;
	}
	enum ag_status st = forum_boards(&r->ctx, NULL, NULL, NULL, &b, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	const char *mode = account_registration_mode(&r->ctx);
	json_t *modes = json_array();
	static const char *const all[] = {"open", "invite", "closed"};
	for (int i = 0; i < 3; i++) {
		char key[32];
		snprintf(key, sizeof key, "admin.mode_%s", all[i]);
		json_array_append_new(modes, json_pack("{s:s, s:s, s:b}", "value", all[i], "label", i18n_msg(r->lang, key),
						       "selected", !strcmp(all[i], mode)));
	}
	json_t *boards = view_boards(b, n);
	req_reply(r, 200,
		  json_pack("{s:o, s:o, s:o, s:o, s:o, s:I}", "modes", modes, "boards", boards, "industries",
			    terms_array(r, TERM_INDUSTRY), "positions", terms_array(r, TERM_POSITION), "regions",
			    terms_array(r, TERM_REGION), "rotation_years", (json_int_t)site_rotation_years(&r->ctx)));
	r->tmpl = "admin";
}

/* The admin page's term form names the kind and slug in fields rather than in the path. */
void h_admin_post(struct req *r)
{
	const char *kind = in_str(r, "kind"), *slug = in_str(r, "slug");
	if (r->bad_input)
		return;
	r->params[0] = kind ? kind : "";
	r->params[1] = slug ? slug : "";
	if (in_str(r, "delete")) {
		h_term_delete(r);
		return;
	}
	h_term_put(r);
}
