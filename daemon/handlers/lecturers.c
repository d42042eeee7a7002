/* The lecturer pool, members' bio and expertise in their profile, and applications to teach,
 * as JSON and as pages. Every rule is in domain/lecturers.c. */
#include <string.h>

#include "escape.h"
#include "handlers.h"
#include "lecturers.h"
#include "snippet.h"
#include "views.h"

/* ---- input and views ---------------------------------------------------------------------- */

/* A form's expertise box: one item a line or between commas, blanks dropped. */
static const char *const *expertise_from_form(struct req *r, const char *s, size_t *n)
{
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == '\n' || *p == ',';
	const char **out = arena_alloc(r->arena, cap * sizeof *out);
	*n = 0;
	while (*s) {
		size_t len = strcspn(s, ",\n");
		const char *b = s, *e = s + len;
		while (b < e && strchr(" \t\r", *b))
			b++;
		while (e > b && strchr(" \t\r", e[-1]))
			e--;
		if (e > b)
			out[(*n)++] = arena_strndup(r->arena, b, (size_t)(e - b));
		s += len + (s[len] != '\0');
	}
	return out;
}

const char *const *in_expertise(struct req *r, size_t *n, int *present)
{
	json_t *v = json_object_get(r->input, "expertise");
	if (v && r->from_form && json_is_string(v)) {
		*present = 1;
		return expertise_from_form(r, json_string_value(v), n);
	}
	return in_strings(r, NULL, "expertise", n, present);
}

static json_t *expertise_array(struct req *r, const char *joined)
{
	size_t n;
	const char **items = lecturer_expertise_split(&r->ctx, joined ? joined : "", &n);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(items[i]));
	return a;
}

void view_add_profile_text(struct req *r, json_t *user, int64_t user_id)
{
	const char *bio, *html, *exp;
	if (lecturer_profile_text(&r->ctx, user_id, &bio, &html, &exp) != AG_OK)
		return;
	json_object_set_new(user, "bio_html", json_string(html));
	json_object_set_new(user, "expertise", expertise_array(r, exp));
	if (r->ctx.actor && r->actor.id == user_id) /* the Markdown, for the member's own form */
		json_object_set_new(user, "bio", json_string(bio));
}

/* x (a positive average) rounded to places decimals, without libm. */
static double rounded(double x, int places)
{
	double scale = places == 1 ? 10 : 100;
	return (double)(int64_t)(x * scale + 0.5) / scale;
}

/* The rating of a pool entry: the average (two decimals) only from POOL_RATINGS_SHOWN. */
static json_t *pool_rating(const struct pool_entry *e)
{
	int shown = e->rating_count >= POOL_RATINGS_SHOWN;
	return json_pack("{s:o, s:I}", "average", shown ? json_real(rounded(e->rating_average, 2)) : json_null(),
			 "count", (json_int_t)e->rating_count);
}

/* What a page shows beside the JSON: a plain excerpt of the bio, the rating as text. */
static void pool_page_fields(struct req *r, json_t *o, const struct pool_entry *e)
{
	struct buf text = BUF_INIT, b = BUF_INIT;
	const char *html = e->bio_html ? e->bio_html : "";
	html_to_text(&text, html, strlen(html)); /* the excerpt of what the bio says, not of its Markdown */
	snippet_html(&b, text.data ? text.data : "", text.len, NULL, 0, SNIPPET_CHARS);
	json_object_set_new(o, "bio_excerpt_html", json_stringn(b.data ? b.data : "", b.len));
	buf_free(&text);
	buf_free(&b);
	if (e->rating_count >= POOL_RATINGS_SHOWN)
		json_object_set_new(o, "average_text",
				    json_string(arena_printf(r->arena, "%.1f", rounded(e->rating_average, 1))));
}

static json_t *pool_json(struct req *r, const struct pool_entry *e)
{
	json_t *o = json_pack("{s:o, s:o, s:s, s:I, s:o, s:I}", "user", view_user(&e->user), "expertise",
			      expertise_array(r, e->expertise), "bio_html", e->bio_html ? e->bio_html : "",
			      "lessons_taught", (json_int_t)e->lessons_taught, "rating", pool_rating(e), "materials",
			      (json_int_t)e->materials);
	if (is_page(r))
		pool_page_fields(r, o, e);
	return o;
}

/* ---- the pool ----------------------------------------------------------------------------- */

/* The filter form and the pager's query (the filter kept, URL-encoded). */
static void pool_page_extras(struct req *r, json_t *m, const char *industry, const char *q)
{
	struct buf b = BUF_INIT;
	json_object_set_new(m, "industries", term_choices(r, TERM_INDUSTRY, industry));
	json_object_set_new(m, "q", json_string(q ? q : ""));
	buf_puts(&b, "&industry=");
	url_encode(&b, industry ? industry : "", industry ? strlen(industry) : 0);
	buf_puts(&b, "&q=");
	url_encode(&b, q ? q : "", q ? strlen(q) : 0);
	json_object_set_new(m, "pager_query", json_stringn(b.data, b.len));
	buf_free(&b);
	json_object_set_new(m, "can_apply", json_boolean(ag_allowed(lecturer_may_apply(&r->ctx))));
}

void h_lecturers(struct req *r)
{
	const char *industry = req_query(r, "industry"), *q = req_query(r, "q");
	struct page pg = req_page(r, 50);
	struct pool_entry *e;
	size_t n;
	int64_t total;
	enum ag_status st = lecturer_pool(&r->ctx, industry, q, pg, &e, &n, &total);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, pool_json(r, &e[i]));
	json_t *m = json_pack("{s:o}", "lecturers", a);
	model_paging(m, pg, total);
	if (is_page(r))
		pool_page_extras(r, m, industry, q);
	req_reply(r, 200, m);
}

/* ---- applications ------------------------------------------------------------------------- */

static json_t *app_json(struct req *r, const struct lecturer_app *a)
{
	json_t *o = json_pack("{s:I, s:o, s:s, s:o, s:s, s:s, s:s?}", "id", (json_int_t)a->id, "user",
			      view_user(&a->user), "statement", a->statement, "expertise",
			      expertise_array(r, a->expertise), "state", a->state, "reason", a->reason, "decided_by",
			      a->decider);
	view_set_time(o, "created_at", a->created_at);
	if (a->decided_at)
		view_set_time(o, "decided_at", a->decided_at);
	else
		json_object_set_new(o, "decided_at", json_null());
	if (!a->decider)
		json_object_set_new(o, "decided_by", json_null());
	if (is_page(r)) {
		json_object_set_new(o, "pending", json_boolean(!strcmp(a->state, "pending")));
		json_object_set_new(o, "approved", json_boolean(!strcmp(a->state, "approved")));
		json_object_set_new(o, "declined", json_boolean(!strcmp(a->state, "declined")));
	}
	return o;
}

/* The applications of a list page into m: the caller's own (mine), or everyone's for an
 * admin; AG_OK or why not. */
static enum ag_status apps_model(struct req *r, json_t *m, int mine)
{
	const char *state = req_query(r, "state");
	struct page pg = req_page(r, 50);
	struct lecturer_app *a;
	size_t n;
	int64_t total;
	enum ag_status st = lecturer_apps(&r->ctx, state, mine, pg, &a, &n, &total);
	if (st != AG_OK)
		return st;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, app_json(r, &a[i]));
	json_object_set_new(m, "applications", arr);
	model_paging(m, pg, total);
	if (is_page(r)) {
		json_object_set_new(m, "can_apply", json_boolean(ag_allowed(lecturer_may_apply(&r->ctx))));
		json_object_set_new(m, "state", json_string(state ? state : ""));
	}
	return AG_OK;
}

/* A refused write: the API answers the error; a page shows it above its list, as it was. */
static void refused_on_page(struct req *r, enum ag_status st, int mine)
{
	req_fail(r, st);
	if (!is_page(r) || !r->model)
		return;
	r->tmpl = mine ? "lecturer_apply" : "lecturer_apps";
	apps_model(r, r->model, mine);
}

void h_lecapp_create(struct req *r)
{
	size_t n;
	int present;
	const char *statement = in_str(r, "statement");
	const char *const *exp = in_expertise(r, &n, &present);
	if (r->bad_input)
		return;
	struct lecturer_app a;
	enum ag_status st = lecturer_apply(&r->ctx, statement, exp, n, &a);
	if (st != AG_OK) {
		refused_on_page(r, st, 1);
		return;
	}
	req_flash(r, "flash.application_sent");
	req_done(r, 201, json_pack("{s:o}", "application", app_json(r, &a)), "/lecturers/apply");
}

/* The list: the caller's own (?mine=1, and the page /lecturers/apply), else everyone's for
 * admins (?state= one of them). */
static void apps_reply(struct req *r, int mine)
{
	json_t *m = json_object();
	enum ag_status st = apps_model(r, m, mine);
	if (st != AG_OK) {
		json_decref(m);
		req_fail(r, st);
		return;
	}
	req_reply(r, 200, m);
}

void h_lecapp_list(struct req *r)
{
	const char *mine = req_query(r, "mine");
	apps_reply(r, mine && strcmp(mine, "0") != 0 && *mine);
}

void h_lecapp_mine_page(struct req *r)
{
	apps_reply(r, 1);
}

void h_lecapp_admin_page(struct req *r)
{
	apps_reply(r, 0);
}

void h_lecapp_decide(struct req *r)
{
	const char *action = in_str(r, "action"), *reason = in_str(r, "reason");
	if (r->bad_input)
		return;
	struct lecturer_app a;
	enum ag_status st = lecturer_decide(&r->ctx, param_id(r, 0), action, reason, &a);
	if (st != AG_OK) {
		refused_on_page(r, st, 0);
		return;
	}
	req_flash(r, "flash.application_decided");
	req_done(r, 200, json_pack("{s:o}", "application", app_json(r, &a)), "/admin/lecturer-applications");
}
