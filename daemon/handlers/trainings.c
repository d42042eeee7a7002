/* Trainings and lessons: the JSON API of docs/TRAININGS.md (API.md "Trainings"). */
#include <math.h>
#include <string.h>

#include "csv.h"
#include "followups.h"
#include "handlers.h"
#include "lessons.h"
#include "views.h"

/* ---- input -------------------------------------------------------------------------------- */

/* An array of ids (positive integers). */
static const int64_t *in_ids(struct req *r, const char *key, size_t *n, int *present)
{
	json_t *v = json_object_get(r->input, key), *e;
	size_t i;
	*n = 0;
	*present = v != NULL;
	if (!v)
		return NULL;
	int64_t *out = arena_alloc(r->arena, (json_is_array(v) ? json_array_size(v) + 1 : 1) * sizeof *out);
	if (!json_is_array(v))
		r->bad_input = 1;
	json_array_foreach(v, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) < 1)
			r->bad_input = 1;
		else
			out[(*n)++] = json_integer_value(e);
	}
	return out;
}

/* hours (a number; another type stands as -1), capacity (a positive integer or null: none),
 * completion_attendance and the audience object. */
static void in_training_numbers(struct req *r, struct training_input *in)
{
	json_t *h = json_object_get(r->input, "hours"), *cap = json_object_get(r->input, "capacity");
	in->has_hours = h != NULL;
	in->hours = json_is_number(h) ? json_number_value(h) : -1;
	if (in->has_hours && !isfinite(in->hours))
		in->hours = -1;
	in->has_capacity = cap != NULL;
	in->capacity = json_is_null(cap) ? 0 : json_is_integer(cap) && json_integer_value(cap) > 0 ? json_integer_value(cap) : -1;
	in->completion_attendance = in_int(r, "completion_attendance", &in->has_completion);
}

static void in_audience(struct req *r, struct training_input *in)
{
	static const char *const keys[] = {"industries", "positions", "regions"};
	json_t *a = json_object_get(r->input, "audience");
	int present;
	in->has_audience = a != NULL;
	if (a && !json_is_object(a)) {
		r->bad_input = 1;
		return;
	}
	for (int k = 0; a && k < 3; k++)
		in->audience[k] = in_strings(r, a, keys[k], &in->naudience[k], &present);
}

static void in_training(struct req *r, struct training_input *in)
{
	memset(in, 0, sizeof *in);
	training_form_input(r, FORM_TRAINING);
	in->slug = in_str(r, "slug");
	in->title = in_str(r, "title");
	in->description = in_str(r, "description");
	in->starts_on = in_str(r, "starts_on");
	in->ends_on = in_str(r, "ends_on");
	in->enrolment = in_str(r, "enrolment");
	in_training_numbers(r, in);
	in_audience(r, in);
}

static void in_lesson(struct req *r, struct lesson_input *in)
{
	training_form_input(r, FORM_LESSON);
	json_t *s = json_object_get(r->input, "starts_at");
	memset(in, 0, sizeof *in);
	in->title = in_str(r, "title");
	in->description = in_str(r, "description");
	in->lecturer = in_str(r, "lecturer");
	in->has_starts_at = s != NULL;
	in->starts_at = json_is_string(s) ? json_string_value(s) : NULL;
	json_t *m = json_object_get(r->input, "minutes");
	in->has_minutes = m != NULL;
	in->minutes = json_is_integer(m) ? json_integer_value(m) : -1;
	in->materials = in_ids(r, "materials", &in->nmaterials, &in->has_materials);
}

/* ---- views -------------------------------------------------------------------------------- */

static json_t *view_audience(struct req *r, const struct training *x)
{
	struct audience_term *t;
	size_t n;
	json_t *k[3] = {json_array(), json_array(), json_array()};
	if (training_audience(&r->ctx, x, &t, &n) == AG_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(k[t[i].kind], json_string(t[i].slug));
	return json_pack("{s:o, s:o, s:o}", "industries", k[0], "positions", k[1], "regions", k[2]);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *view_training(struct req *r, const struct training *x)
{
	struct training_me me = {0};
	training_me(&r->ctx, x, &me);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:s, s:I, s:I, s:s?}", "id",
			      (json_int_t)x->id, "slug", x->slug, "title", x->title, "description", x->description,
			      "description_html", x->description_html, "starts_on", x->starts_on, "ends_on", x->ends_on,
			      "hours", x->hours, "enrolment", x->enrolment, "trainee_count", (json_int_t)x->trainee_count,
			      "lesson_count", (json_int_t)x->lesson_count, "board", x->board);
	json_object_set_new(o, "capacity", x->capacity ? json_integer(x->capacity) : json_null());
	json_object_set_new(o, "completion_attendance", json_integer(x->completion_attendance));
	json_object_set_new(o, "audience", view_audience(r, x));
	json_object_set_new(o, "state", json_string(training_state(&r->ctx, x)));
	json_object_set_new(o, "me", json_pack("{s:o, s:o}", "role", str_or_null(me.role), "state", str_or_null(me.state)));
	view_set_time(o, "created_at", x->created_at);
	return o;
}

static json_t *view_lesson(struct req *r, const struct training *x, const struct lesson *l)
{
	struct material *m;
	size_t n = 0;
	json_t *mats = json_array();
	if (lesson_materials(&r->ctx, l, &m, &n) == AG_OK)
		for (size_t i = 0; i < n; i++)
			json_array_append_new(mats, view_material(&m[i]));
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:i, s:o, s:o, s:b}", "id", (json_int_t)l->id, "training",
			      l->training, "title", l->title, "description_html", l->description_html, "starts_at",
			      view_time(l->starts_at), "minutes", l->minutes, "lecturer", view_user(&l->lecturer),
			      "materials", mats, "attended", lesson_attended(&r->ctx, l));
	view_set_time(o, "ends_at", l->starts_at + l->minutes * 60);
	if (ag_allowed(lesson_may_see_rating(&r->ctx, x, l)))
		json_object_set_new(o, "rating", json_pack("{s:o, s:I}", "average", l->rating_count ?
							   json_real(l->rating_average) : json_null(),
							   "count", (json_int_t)l->rating_count));
	if (ag_allowed(lesson_may_see_code(&r->ctx, x, l)))
		json_object_set_new(o, "checkin_code", json_string(l->checkin_code));
	if (is_page(r))
		lesson_page_extras(r, o, x, l);
	return o;
}

static json_t *view_trainee(const struct trainee *t)
{
	json_t *o = json_pack("{s:o, s:s?, s:I, s:I, s:s?}", "user", view_user(&t->user), "state",
			      t->state, "attended", (json_int_t)t->attended, "lessons",
			      (json_int_t)t->lessons, "completed_by", t->completed_by);
	json_object_set_new(o, "completed_at", view_time(t->completed_at));
	return o;
}

VIEW_ARRAY(static, trainees_array, struct trainee, view_trainee)

/* ---- trainings ---------------------------------------------------------------------------- */

void h_trainings(struct req *r)
{
	struct listing l = {req_page(r, 50), 0};
	struct training *x;
	size_t n;
	const char *for_ = req_query(r, "for");
	if (for_ && *for_ && strcmp(for_, "me") != 0 && strcmp(for_, "all") != 0) {
		req_error(r, 400, "invalid_for");
		return;
	}
	/* pages show a signed-in reader their own trainings unless they ask for all */
	int for_me = for_ && *for_ ? !strcmp(for_, "me") : is_page(r) && r->ctx.actor;
	enum ag_status st = training_list(&r->ctx, req_query(r, "when"), for_me, &l, &x, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, view_training(r, &x[i]));
	json_t *m = json_pack("{s:o}", "trainings", a);
	model_paging(m, l.page, l.total);
	if (is_page(r))
		trainings_page_extras(r, m, for_me);
	req_reply(r, 200, m);
}

void h_training_create(struct req *r)
{
	struct training_input in;
	struct training x;
	in_training(r, &in);
	if (r->bad_input)
		return;
	enum ag_status st = training_create(&r->ctx, &in, &x);
	if (st != AG_CREATED) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.training_created");
	req_done(r, 201, json_pack("{s:o}", "training", view_training(r, &x)), training_url(r, x.slug, 0));
}

void h_training_patch(struct req *r)
{
	struct training_input in;
	struct training x;
	in_training(r, &in);
	if (r->bad_input)
		return;
	if (in.slug) {
		req_error(r, 400, "slug_fixed");
		return;
	}
	enum ag_status st = followup_training_update(&r->ctx, r->params[0], &in, &x);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.training_saved");
	req_done(r, 200, json_pack("{s:o}", "training", view_training(r, &x)), training_url(r, x.slug, 0));
}

void h_training_get(struct req *r)
{
	struct training x;
	struct lesson *l = NULL;
	struct user *o = NULL;
	struct material *m = NULL;
	size_t nl = 0, no = 0, nm = 0;
	enum ag_status st = training_get(&r->ctx, r->params[0], &x);
	if (st == AG_OK)
		st = training_lessons(&r->ctx, &x, &l, &nl);
	if (st == AG_OK)
		st = training_organisers(&r->ctx, &x, &o, &no);
	if (st == AG_OK)
		st = training_materials(&r->ctx, &x, &m, &nm);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *lessons = json_array(), *mats = json_array();
	for (size_t i = 0; i < nl; i++)
		json_array_append_new(lessons, view_lesson(r, &x, &l[i]));
	for (size_t i = 0; i < nm; i++)
		json_array_append_new(mats, view_material(&m[i]));
	json_t *model = json_pack("{s:o, s:o, s:o, s:o}", "training", view_training(r, &x), "lessons", lessons,
				  "organisers", view_users(o, no), "materials", mats);
	if (ag_allowed(training_may_organise(&r->ctx, &x)))
		json_object_set_new(model, "followups", training_followups_view(r, &x));
	json_object_set_new(model, "can_enrol", json_boolean(ag_allowed(training_may_enrol(&r->ctx, &x))));
	if (is_page(r))
		training_page_extras(r, model, &x);
	req_reply(r, 200, model);
}

void h_training_organiser_add(struct req *r)
{
	const char *username = in_str(r, "username");
	if (r->bad_input)
		return;
	enum ag_status st = training_add_organiser(&r->ctx, r->params[0], username);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.organiser_added");
	req_done(r, 201, json_pack("{s:s}", "username", username), training_url(r, r->params[0], 0));
}

/* Whom organisers assign besides the named: the audience, or only its overdue members
 * (overdue: true, with or without audience: true); -1 for a field that is not a boolean. */
static int assign_whom(struct req *r)
{
	json_t *aud = json_object_get(r->input, "audience"), *late = json_object_get(r->input, "overdue");
	if ((aud && !json_is_boolean(aud)) || (late && !json_is_boolean(late)))
		return -1;
	if (json_is_true(late))
		return TRAINING_OVERDUE;
	return json_is_true(aud) ? TRAINING_AUDIENCE : TRAINING_NAMED;
}

/* A member for themself (no body), or organisers with usernames, audience and/or overdue. */
void h_training_enrol(struct req *r)
{
	size_t n;
	int present;
	training_form_input(r, FORM_ENROL);
	const char *const *names = in_strings(r, NULL, "usernames", &n, &present);
	int whom = assign_whom(r);
	int aud = json_object_get(r->input, "audience") || json_object_get(r->input, "overdue");
	int64_t enrolled = 0, pending = 0;
	enum ag_status st;
	if (r->bad_input || whom < 0) {
		r->bad_input = 1;
		return;
	}
	if (present || aud)
		st = training_assign(&r->ctx, r->params[0], names, n, (enum training_whom)whom, &enrolled, &pending);
	else if ((st = training_enrol(&r->ctx, r->params[0])) == AG_CREATED || st == AG_PENDING)
		++*(st == AG_CREATED ? &enrolled : &pending);
	if (st != AG_CREATED && st != AG_PENDING) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_pack("{s:I, s:I}", "enrolled", (json_int_t)enrolled, "pending", (json_int_t)pending);
	if (!present && !aud)
		json_object_set_new(m, "state", json_string(st == AG_CREATED ? "enrolled" : "pending"));
	req_flash(r, st == AG_CREATED ? "flash.enrolled" : "flash.enrol_requested");
	req_done(r, st == AG_CREATED ? 201 : 202, m, training_url(r, r->params[0], 0));
}

void h_training_leave(struct req *r)
{
	enum ag_status st = training_leave(&r->ctx, r->params[0]);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.training_left");
	req_done(r, 204, NULL, training_url(r, r->params[0], 0));
}

void h_training_trainee(struct req *r)
{
	struct trainee t;
	const char *action = in_str(r, "action");
	if (r->bad_input)
		return;
	enum ag_status st = training_trainee_action(&r->ctx, r->params[0], r->params[1], action, &t);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.trainee_updated");
	req_done(r, 200, json_pack("{s:o}", "trainee", view_trainee(&t)), training_url(r, r->params[0], -1));
}

void h_training_trainees(struct req *r)
{
	struct listing l = {req_page(r, 50), 0};
	struct trainee *t;
	size_t n;
	enum ag_status st = training_trainees(&r->ctx, r->params[0], l.page, &l, &t, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_pack("{s:o}", "trainees", trainees_array(t, n));
	model_paging(m, l.page, l.total);
	req_reply(r, 200, m);
}

static void trainee_csv_row(struct buf *b, const struct trainee *t)
{
	char done[32] = "";
	if (t->completed_at)
		time_rfc3339(t->completed_at, done);
	const char *cells[] = {t->user.username, t->user.display_name, t->user.region.slug, t->user.position.slug,
			       t->user.industry.slug, t->state, NULL, NULL, done, t->completed_by};
	char att[24], les[24];
	snprintf(att, sizeof att, "%lld", (long long)t->attended);
	snprintf(les, sizeof les, "%lld", (long long)t->lessons);
	cells[6] = att, cells[7] = les;
	csv_row(b, cells, sizeof cells / sizeof *cells);
}

void h_training_trainees_csv(struct req *r)
{
	struct listing l = {{0, 1000000}, 0};
	struct trainee *t;
	size_t n;
	struct buf b = BUF_INIT;
	enum ag_status st = training_trainees(&r->ctx, r->params[0], l.page, &l, &t, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	static const char *const head[] = {"username", "display_name", "region",    "position",    "industry",
					   "state",    "attended",     "lessons",   "completed_at", "completed_by"};
	buf_puts(&b, CSV_BOM);
	csv_row(&b, head, sizeof head / sizeof *head);
	for (size_t i = 0; i < n; i++)
		trainee_csv_row(&b, &t[i]);
	req_send_bytes(r, "text/csv; charset=utf-8", b.data, b.len,
		       arena_printf(r->arena, "trainees-%s.csv", r->params[0]));
	buf_free(&b);
}

/* ---- lessons ------------------------------------------------------------------------------ */

static void lesson_answer(struct req *r, enum ag_status st, enum ag_status ok, int status, const struct lesson *l)
{
	struct training x;
	if (st != ok) {
		req_fail(r, st);
		return;
	}
	if ((st = training_by_id(&r->ctx, l->training_id, &x)) != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.lesson_saved");
	req_done(r, status, json_pack("{s:o}", "lesson", view_lesson(r, &x, l)), training_url(r, x.slug, l->id));
}

void h_lesson_create(struct req *r)
{
	struct lesson_input in;
	struct lesson l;
	in_lesson(r, &in);
	if (r->bad_input)
		return;
	lesson_answer(r, lesson_create(&r->ctx, r->params[0], &in, &l), AG_CREATED, 201, &l);
}

void h_lesson_patch(struct req *r)
{
	struct lesson_input in;
	struct lesson l;
	in_lesson(r, &in);
	if (r->bad_input)
		return;
	lesson_answer(r, lesson_update(&r->ctx, param_id(r, 0), &in, &l), AG_OK, 200, &l);
}

void h_lesson_get(struct req *r)
{
	struct lesson l;
	struct training x;
	lesson_answer(r, lesson_get(&r->ctx, param_id(r, 0), &l, &x), AG_OK, 200, &l);
}

void h_lesson_delete(struct req *r)
{
	enum ag_status st = lesson_delete(&r->ctx, param_id(r, 0));
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 204, NULL);
}

void h_lesson_attendance(struct req *r)
{
	size_t n;
	int present;
	struct lesson l;
	training_form_input(r, FORM_ATTENDANCE);
	const char *const *names = in_strings(r, NULL, "present", &n, &present);
	const char *code = in_str(r, "code");
	if (r->bad_input)
		return;
	lesson_answer(r, lesson_attendance(&r->ctx, param_id(r, 0), names, n, present, code, &l), AG_OK, 200, &l);
}

void h_lesson_rate(struct req *r)
{
	int present;
	int64_t score = in_int(r, "score", &present);
	const char *comment = in_str(r, "comment");
	if (r->bad_input)
		return;
	enum ag_status st = lesson_rate(&r->ctx, param_id(r, 0), present ? score : 0, comment);
	if (st != AG_OK) {
		req_fail_keeping(r, st, comment);
		return;
	}
	req_flash(r, "flash.rating_saved");
	req_done(r, 201, json_pack("{s:{s:I, s:s}}", "rating", "score", (json_int_t)score, "comment",
				    comment ? comment : ""), lesson_url(r, param_id(r, 0)));
}
