/* Announcements: the API and the pages that send and read them. */
#include <stdio.h>
#include <string.h>

#include "announcements.h"
#include "handlers.h"
#include "views.h"

static json_t *view_audience(const struct announcement *a)
{
	json_t *o = json_loads(a->audience ? a->audience : "{}", 0, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	json_object_set_new(o, "training", a->training ? json_string(a->training) : json_null());
	json_object_set_new(o, "training_title", a->training_title ? json_string(a->training_title) : json_null());
	json_object_set_new(o, "association", a->association ? json_string(a->association) : json_null());
	json_object_set_new(o, "association_name", a->association_name ? json_string(a->association_name) : json_null());
	return o;
}

static json_t *view_announcement(const struct announcement *a)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:b}", "id", (json_int_t)a->id, "title",
			      a->title, "body", a->body, "body_html", a->body_html, "author", view_user(&a->author),
			      "audience", view_audience(a), "recipients", (json_int_t)a->recipients, "reached",
			      (json_int_t)a->reached, "done", a->done_at != 0);
	view_set_time(o, "created_at", a->created_at);
	return o;
}

static VIEW_ARRAY(, view_announcements, struct announcement, view_announcement)

/* Slugs under key of obj: an array of strings, or (from a page's single checkbox) a string. */
static const char *const *slugs(struct req *r, json_t *obj, const char *key, size_t *n)
{
	json_t *v = json_object_get(obj, key);
	int present;
	*n = 0;
	if (!v || json_is_null(v))
		return NULL;
	if (json_is_string(v) && is_page(r)) {
		const char **one = arena_alloc(r->arena, 2 * sizeof *one);
		one[(*n)++] = json_string_value(v);
		return one;
	}
	return in_strings(r, obj, key, n, &present);
}

static const char *str_of(struct req *r, json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (v && !json_is_string(v) && !json_is_null(v))
		r->bad_input = 1;
	return json_is_string(v) && *json_string_value(v) ? json_string_value(v) : NULL;
}

/* The API's audience object, or the page's fields: "to" is training:SLUG, association:SLUG
 * or site, beside the slug checkboxes. */
static void input_read(struct req *r, struct announcement_input *in)
{
	json_t *aud = is_page(r) ? r->input : json_object_get(r->input, "audience");
	memset(in, 0, sizeof *in);
	in->title = in_str(r, "title");
	in->body = in_str(r, "body");
	if (aud && !json_is_object(aud)) {
		r->bad_input = 1;
		return;
	}
	const char *to = is_page(r) ? in_str(r, "to") : NULL;
	if (to && !strncmp(to, "training:", 9))
		in->training = to + 9;
	else if (to && !strncmp(to, "association:", 12))
		in->association = to + 12;
	if (!aud)
		return;
	if (!is_page(r)) {
		in->training = str_of(r, aud, "training");
		in->association = str_of(r, aud, "association");
	}
	in->industries = slugs(r, aud, "industries", &in->nindustries);
	in->positions = slugs(r, aud, "positions", &in->npositions);
	in->regions = slugs(r, aud, "regions", &in->nregions);
}

static void form_model(struct req *r, json_t *m);

void h_announcement_create(struct req *r)
{
	struct announcement_input in;
	struct announcement a;
	input_read(r, &in);
	if (r->bad_input)
		return;
	enum ag_status st = announcement_create(&r->ctx, &in, &a);
	if (st != AG_CREATED) {
		req_fail(r, st);
		if (is_page(r)) {
			r->tmpl = "announcements";
			form_model(r, r->model);
			json_object_set_new(r->model, "typed", json_pack("{s:s, s:s}", "title", in.title ? in.title : "",
									 "body", in.body ? in.body : ""));
		}
		return;
	}
	req_flash(r, "flash.announcement_sent");
	req_done(r, 201, json_pack("{s:o, s:I}", "announcement", view_announcement(&a), "recipients",
				   (json_int_t)a.recipients),
		 arena_printf(r->arena, "/announcements/%lld", (long long)a.id));
}

/* The sending form: which audiences the caller may address. */
static void form_model(struct req *r, json_t *m)
{
	struct audience_choice *ch;
	size_t n = 0;
	if (!ag_allowed(announcement_may_send_any(&r->ctx)))
		return;
	json_object_set_new(m, "can_send", json_true());
	json_t *a = json_array();
	if (announcement_audiences(&r->ctx, &ch, &n) == AG_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b}", "value",
							   arena_printf(r->arena, "%s:%s", ch[i].kind, ch[i].slug), "title",
							   ch[i].title, "kind", ch[i].kind, "training",
							   !strcmp(ch[i].kind, "training")));
	json_object_set_new(m, "audiences", a);
	if (ag_is_admin(&r->ctx)) {
		json_object_set_new(m, "site_wide", json_true());
		json_object_set_new(m, "regions", term_choices(r, TERM_REGION, NULL));
		json_object_set_new(m, "positions", term_choices(r, TERM_POSITION, NULL));
		json_object_set_new(m, "industries", term_choices(r, TERM_INDUSTRY, NULL));
	}
}

void h_announcements(struct req *r)
{
	struct announcement *a;
	size_t n = 0;
	struct listing l = {.page = req_page(r, 50)};
	enum ag_status st = announcement_list(&r->ctx, &l, &a, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_pack("{s:o}", "announcements", view_announcements(a, n));
	model_paging(m, l.page, l.total);
	if (is_page(r))
		form_model(r, m);
	req_reply(r, 200, m);
}

void h_announcement_get(struct req *r)
{
	struct announcement a;
	enum ag_status st = announcement_get(&r->ctx, param_id(r, 0), &a);
	if (st != AG_OK)
		req_fail(r, st);
	else
		req_reply(r, 200, json_pack("{s:o}", "announcement", view_announcement(&a)));
}
