/* The pages of trainings: what /trainings, /trainings/SLUG and the home page add to the API's
 * view models (flags a template can test, the forms' choices, times in the site's zone), and
 * the forms' strings turned into the JSON the API handlers read. Every offer comes from the
 * domain's predicates (training_may_*, lesson_may_*). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

#include "handlers.h"
#include "lessons.h"
#include "views.h"

/* ---- forms -------------------------------------------------------------------------------- */

/* A field sent once (a string) or several times (an array) as an array of its values. */
static json_t *form_list(json_t *v)
{
	if (json_is_array(v))
		return json_incref(v);
	json_t *a = json_array();
	if (json_is_string(v) && *json_string_value(v))
		json_array_append(a, v);
	return a;
}

/* Words separated by spaces, commas (also ，、) or new lines, as an array of strings. */
static json_t *split_words(const char *s)
{
	json_t *a = json_array();
	char *copy = strdup(s ? s : ""), *save = NULL;
	for (char *w = strtok_r(copy, " ,\t\r\n", &save); w; w = strtok_r(NULL, " ,\t\r\n", &save)) {
		for (char *p; (p = strstr(w, "，")) || (p = strstr(w, "、"));)
			memset(p, ' ', 3);
		char *save2 = NULL;
		for (char *x = strtok_r(w, " ", &save2); x; x = strtok_r(NULL, " ", &save2))
			json_array_append_new(a, json_string(x));
	}
	free(copy);
	return a;
}

/* A number typed into a form: "" drops the field (empty_null: it becomes null), a number
 * becomes one, anything else stays a string for the domain to refuse. */
static void form_number(json_t *in, const char *key, int real, int empty_null)
{
	json_t *v = json_object_get(in, key);
	char *end;
	if (!json_is_string(v))
		return;
	const char *s = json_string_value(v);
	if (!*s) {
		if (empty_null)
			json_object_set_new(in, key, json_null());
		else
			json_object_del(in, key);
		return;
	}
	double d = strtod(s, &end);
	if (*end || end == s)
		return;
	if (real)
		json_object_set_new(in, key, json_real(d));
	else if (d == (double)(long long)d)
		json_object_set_new(in, key, json_integer((json_int_t)d));
}

static void form_training(struct req *r, json_t *in)
{
	form_number(in, "hours", 1, 0);
	form_number(in, "capacity", 0, 1);
	if (!json_object_get(in, "audience_form"))
		return;
	json_object_set_new(in, "audience", json_pack("{s:o, s:o, s:o}", "industries",
						      form_list(json_object_get(in, "industries")), "positions",
						      form_list(json_object_get(in, "positions")), "regions",
						      form_list(json_object_get(in, "regions"))));
	(void)r;
}

/* A datetime-local value ("YYYY-MM-DDTHH:MM", no zone) is a time of the site's zone. */
static void form_lesson(struct req *r, json_t *in)
{
	json_t *v = json_object_get(in, "starts_at");
	form_number(in, "minutes", 0, 0);
	if (json_is_string(v) && strlen(json_string_value(v)) == 16) {
		long off = training_zone_offset(&r->ctx), a = labs(off);
		json_object_set_new(in, "starts_at", json_string(arena_printf(r->arena, "%s:00%c%02ld:%02ld",
									       json_string_value(v), off < 0 ? '-' : '+',
									       a / 3600, a % 3600 / 60)));
	}
	v = json_object_get(in, "materials");
	if (json_is_string(v)) {
		json_t *words = split_words(json_string_value(v)), *ids = json_array(), *w;
		size_t i;
		json_array_foreach(words, i, w) {
			int64_t id;
			json_array_append_new(ids, parse_i64(json_string_value(w), 1, INT64_MAX, &id) == 0 ?
							   json_integer(id) : json_incref(w));
		}
		json_decref(words);
		json_object_set_new(in, "materials", ids);
	}
}

void training_form_input(struct req *r, enum training_form kind)
{
	json_t *in = r->input;
	if (!r->from_form || !in)
		return;
	if (kind == FORM_TRAINING)
		form_training(r, in);
	else if (kind == FORM_LESSON)
		form_lesson(r, in);
	else if (kind == FORM_ENROL && json_object_get(in, "assign")) {
		json_object_set_new(in, "usernames", split_words(json_string_value(json_object_get(in, "usernames"))));
		if (json_object_get(in, "audience"))
			json_object_set_new(in, "audience", json_true());
		if (json_object_get(in, "overdue"))
			json_object_set_new(in, "overdue", json_true());
	} else if (kind == FORM_ATTENDANCE && json_object_get(in, "present_form")) {
		json_object_set_new(in, "present", form_list(json_object_get(in, "present")));
	}
}

/* ---- view models -------------------------------------------------------------------------- */

const char *training_url(struct req *r, const char *slug, int64_t lesson)
{
	if (lesson > 0)
		return arena_printf(r->arena, "/trainings/%s#lesson-%lld", slug, (long long)lesson);
	return arena_printf(r->arena, lesson < 0 ? "/trainings/%s#trainees" : "/trainings/%s", slug);
}

const char *lesson_url(struct req *r, int64_t lesson_id)
{
	struct lesson l;
	struct training x;
	if (lesson_get(&r->ctx, lesson_id, &l, &x) != AG_OK)
		return "/trainings";
	return training_url(r, x.slug, lesson_id);
}

static int str_is(json_t *v, const char *s)
{
	return json_is_string(v) && !strcmp(json_string_value(v), s);
}

/* What a template tests: the enrolment mode, the reader's part, the places left. */
static void training_flags(json_t *t)
{
	json_t *me = json_object_get(t, "me"), *role = json_object_get(me, "role"), *st = json_object_get(me, "state");
	static const char *const modes[] = {"open", "approval", "assigned"};
	static const char *const states[] = {"pending", "enrolled", "completed"};
	char key[32];
	for (int i = 0; i < 3; i++) {
		snprintf(key, sizeof key, "mode_%s", modes[i]);
		json_object_set_new(t, key, json_boolean(str_is(json_object_get(t, "enrolment"), modes[i])));
		snprintf(key, sizeof key, "me_%s", states[i]);
		json_object_set_new(t, key, json_boolean(str_is(st, states[i])));
		snprintf(key, sizeof key, "when_%s", i == 0 ? "upcoming" : i == 1 ? "current" : "past");
		json_object_set_new(t, key, json_boolean(str_is(json_object_get(t, "state"), key + 5)));
	}
	json_object_set_new(t, "is_organiser", json_boolean(str_is(role, "organiser")));
	json_object_set_new(t, "is_lecturer", json_boolean(str_is(role, "lecturer")));
	json_t *cap = json_object_get(t, "capacity");
	if (json_is_integer(cap)) {
		json_int_t left = json_integer_value(cap) - json_integer_value(json_object_get(t, "trainee_count"));
		json_object_set_new(t, "places_left", json_integer(left > 0 ? left : 0));
		json_object_set_new(t, "full", json_boolean(left <= 0));
	}
}

/* The list split by when; the creation form's choices for those who may create. */
void trainings_page_extras(struct req *r, json_t *m, int for_me)
{
	static const char *const whens[] = {"upcoming", "current", "past"};
	json_t *groups[3] = {json_array(), json_array(), json_array()}, *t;
	size_t i;
	json_array_foreach(json_object_get(m, "trainings"), i, t) {
		training_flags(t);
		for (int k = 0; k < 3; k++)
			if (str_is(json_object_get(t, "state"), whens[k]))
				json_array_append(groups[k], t);
	}
	for (int k = 0; k < 3; k++)
		json_object_set_new(m, whens[k], groups[k]);
	json_object_set_new(m, "for_me", json_boolean(for_me));
	/* the pager's links stay on the list the reader chose */
	const char *per_page = req_query(r, "per_page");
	int64_t pp;
	int keep = per_page && parse_i64(per_page, 1, 200, &pp) == 0; /* digits only: safe in a URL */
	json_object_set_new(m, "pager_query", json_string(arena_printf(r->arena, "&for=%s%s%s", for_me ? "me" : "all",
								       keep ? "&per_page=" : "", keep ? per_page : "")));
	if (!ag_allowed(training_may_create(&r->ctx)))
		return;
	json_object_set_new(m, "can_create", json_true());
	json_object_set_new(m, "industries", term_choices(r, TERM_INDUSTRY, NULL));
	json_object_set_new(m, "positions", term_choices(r, TERM_POSITION, NULL));
	json_object_set_new(m, "regions", term_choices(r, TERM_REGION, NULL));
}

/* The terms of a kind as choices, those of the training's audience selected. */
static json_t *audience_choices(struct req *r, enum term_kind kind, json_t *chosen)
{
	json_t *a = term_choices(r, kind, NULL), *t, *c;
	size_t i, j;
	json_array_foreach(a, i, t) {
		int on = 0;
		json_array_foreach(chosen, j, c)
			on |= json_equal(c, json_object_get(t, "slug"));
		json_object_set_new(t, "selected", json_boolean(on));
	}
	return a;
}

static json_t *view_trainee_row(const struct trainee *t)
{
	json_t *o = json_pack("{s:o, s:s, s:I, s:I, s:b, s:b, s:b}", "user", view_user(&t->user), "state",
			      t->state, "attended", (json_int_t)t->attended, "lessons", (json_int_t)t->lessons,
			      "is_pending", !strcmp(t->state, "pending"), "is_enrolled", !strcmp(t->state, "enrolled"),
			      "is_completed", !strcmp(t->state, "completed"));
	json_object_set_new(o, "username", json_string(t->user.username));
	json_object_set_new(o, "display_name", json_string(t->user.display_name));
	return o;
}

/* What organisers see besides: the trainees, those who can be marked present, the edit form. */
static void organiser_extras(struct req *r, json_t *m, const struct training *x)
{
	struct listing l = {{0, 1000000}, 0};
	struct trainee *t;
	size_t n = 0;
	json_t *rows = json_array(), *present = json_array(), *aud = json_object_get(json_object_get(m, "training"), "audience");
	if (training_trainees(&r->ctx, x->slug, l.page, &l, &t, &n) != AG_OK)
		n = 0;
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(rows, view_trainee_row(&t[i]));
		if (strcmp(t[i].state, "pending") != 0)
			json_array_append_new(present, view_trainee_row(&t[i]));
	}
	json_object_set_new(m, "can_organise", json_true());
	json_object_set_new(m, "trainees", rows);
	json_object_set_new(m, "present_choices", present);
	json_object_set_new(m, "industries", audience_choices(r, TERM_INDUSTRY, json_object_get(aud, "industries")));
	json_object_set_new(m, "positions", audience_choices(r, TERM_POSITION, json_object_get(aud, "positions")));
	json_object_set_new(m, "regions", audience_choices(r, TERM_REGION, json_object_get(aud, "regions")));
}

/* Why a signed-in member who is not in the training may not enrol (another audience, full,
 * assigned, ended), in the reader's language. */
static void enrol_refusal(struct req *r, json_t *m, const struct training *x)
{
	struct ag_right why = training_may_enrol(&r->ctx, x);
	json_t *me = json_object_get(json_object_get(m, "training"), "me");
	if (ag_allowed(why) || !r->ctx.actor || !why.code || !json_is_null(json_object_get(me, "role")) ||
	    why.st == AG_EUNAUTH)
		return;
	const char *key = arena_printf(r->arena, "error.%s", why.code);
	json_object_set_new(m, "enrol_refusal", json_string(i18n_msg(r->lang, key)));
}

void training_page_extras(struct req *r, json_t *m, const struct training *x)
{
	struct board b;
	long off = training_zone_offset(&r->ctx), a = labs(off);
	training_flags(json_object_get(m, "training"));
	json_object_set_new(m, "zone", json_string(arena_printf(r->arena, "UTC%c%02ld:%02ld", off < 0 ? '-' : '+',
								 a / 3600, a % 3600 / 60)));
	json_object_set_new(m, "can_leave", json_boolean(ag_allowed(training_may_leave(&r->ctx, x))));
	json_object_set_new(m, "participant", json_boolean(ag_allowed(training_may_see_lessons(&r->ctx, x))));
	json_object_set_new(m, "board_visible", json_boolean(access_board(&r->ctx, x->board, &b) == AG_OK));
	r->ctx.error_code = NULL;
	enrol_refusal(r, m, x);
	if (ag_allowed(training_may_organise(&r->ctx, x)))
		organiser_extras(r, m, x);
}

/* A lesson's times in the site's zone, and the forms its reader may use. */
void lesson_page_extras(struct req *r, json_t *o, const struct training *x, const struct lesson *l)
{
	char start[17], end[17];
	training_local_time(&r->ctx, l->starts_at, start);
	training_local_time(&r->ctx, l->starts_at + l->minutes * 60, end);
	json_object_set_new(o, "starts_local", json_string(start));
	json_object_set_new(o, "ends_local", json_string(strncmp(start, end, 10) ? end : end + 11));
	int attended = json_is_true(json_object_get(o, "attended"));
	json_object_set_new(o, "can_check_in",
			    json_boolean(!attended && ag_allowed(lesson_may_check_in(&r->ctx, x, l))));
	json_object_set_new(o, "can_rate", json_boolean(ag_allowed(lesson_may_rate(&r->ctx, x, l))));
	json_object_set_new(o, "can_mark", json_boolean(ag_allowed(training_may_organise(&r->ctx, x))));
	json_t *rating = json_object_get(o, "rating");
	if (rating && l->rating_count)
		json_object_set_new(rating, "average_text", json_string(arena_printf(r->arena, "%.1f", l->rating_average)));
}

/* The home page of a member: the trainings meant for them that have not ended (a few). */
void training_home(struct req *r, json_t *m)
{
	struct listing l = {{0, 5}, 0};
	struct training *x;
	size_t n;
	if (!r->ctx.actor || training_list(&r->ctx, "upcoming,current", 1, &l, &x, &n) != AG_OK)
		return;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *t = view_training(r, &x[i]);
		training_flags(t);
		json_array_append_new(a, t);
	}
	json_object_set_new(m, "my_trainings", a);
	json_object_set_new(m, "more_trainings", json_boolean(l.total > (int64_t)n));
}
