/* Questionnaires: creation, the answer form, results with charts, and the CSV export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "handlers.h"
#include "i18n.h"
#include "questionnaires.h"
#include "store_followup.h"
#include "survey.h"
#include "trainings.h"
#include "views.h"

/* A raters' wave tells each rater whom they answer about: about [{username, answered}]. */
static void view_about_choices(struct req *r, const struct questionnaire *q, json_t *o)
{
	struct about_choice *a;
	size_t n;
	if (!r->ctx.actor || q_about_choices(&r->ctx, q, &a, &n) != AG_OK || !n)
		return;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:b}", "username", a[i].username, "answered", a[i].answered));
	json_object_set_new(o, "about", list);
}

json_t *view_questionnaire(struct req *r, const struct questionnaire *q)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(q->id));
	json_object_set_new(o, "title", json_string(q->title));
	json_object_set_new(o, "board", q->board ? json_string(q->board) : json_null());
	json_object_set_new(o, "association", q->association ? json_string(q->association) : json_null());
	json_object_set_new(o, "anonymous", json_boolean(q->anonymous));
	view_set_time(o, "closes_at", q->closes_at);
	json_object_set_new(o, "open", json_boolean(q_is_open(&r->ctx, q)));
	json_object_set_new(o, "questions", json_loads(q->questions, 0, NULL));
	json_object_set_new(o, "created_by", json_string(q->creator));
	json_object_set_new(o, "created_by_name", json_string(q->creator_name ? q->creator_name : q->creator));
	view_set_time(o, "created_at", q->created_at);
	json_object_set_new(o, "response_count", json_integer(q->response_count));
	if (r->ctx.actor)
		json_object_set_new(o, "responded", json_boolean(q_has_responded(&r->ctx, q)));
	view_about_choices(r, q, o);
	return o;
}

json_t *questionnaires_array(struct req *r, const struct questionnaire *q, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, view_questionnaire(r, &q[i]));
	return a;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* The page form describes questions one per line: "single: Prompt | option | option",
 * "multi: ...", "rating: Prompt", "text: Prompt". Returns a new array, or NULL. */
static json_t *questions_from_lines(const char *text)
{
	json_t *qs = json_array();
	char *copy = xstrdup(text), *save = NULL;
	for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		char *colon = strchr(line, ':'), *save2 = NULL;
		if (strspn(line, " \t") == strlen(line))
			continue;
		if (!colon)
			goto bad;
		*colon = '\0';
		json_t *q = json_pack("{s:s}", "kind", line), *opts = json_array();
		char *part = strtok_r(colon + 1, "|", &save2);
		json_object_set_new(q, "prompt", json_string(part ? trim(part) : ""));
		while ((part = strtok_r(NULL, "|", &save2)) != NULL)
			json_array_append_new(opts, json_string(trim(part)));
		if (json_array_size(opts))
			json_object_set(q, "options", opts);
		json_decref(opts);
		json_array_append_new(qs, q);
	}
	free(copy);
	return qs;
bad:
	free(copy);
	json_decref(qs);
	return NULL;
}

void h_q_create(struct req *r)
{
	struct q_input in = {in_str(r, "title"), in_str(r, "board"), in_str(r, "association"), in_bool(r, "anonymous"),
			     in_str(r, "closes_at"), NULL};
	json_t *lines = NULL;
	struct questionnaire q;
	if (r->from_form && !json_object_get(r->input, "questions")) {
		q_builder_post(r); /* the builder's rows; the line syntax below stays accepted */
		return;
	}
	if (r->from_form && in_str(r, "questions"))
		in.questions = lines = questions_from_lines(in_str(r, "questions"));
	else
		in.questions = json_object_get(r->input, "questions");
	if (r->bad_input) {
		json_decref(lines);
		return;
	}
	enum ag_status st = q_create(&r->ctx, &in, &q);
	json_decref(lines);
	if (st != AG_CREATED) {
		req_fail_keeping(r, st, r->from_form ? in_str(r, "questions") : NULL);
		return;
	}
	req_flash(r, "flash.questionnaire_created");
	req_done(r, 201, json_pack("{s:o}", "questionnaire", view_questionnaire(r, &q)),
		 arena_printf(r->arena, "/q/%lld", (long long)q.id));
}

void h_q_list(struct req *r)
{
	struct questionnaire *q;
	size_t n;
	enum ag_status st = q_list(&r->ctx, req_query(r, "board"), req_query(r, "association"), &q, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 200, json_pack("{s:o}", "questionnaires", questionnaires_array(r, q, n)));
}

/* The answer form: each question with its field name and flags for its kind, each option
 * with its index (the template has no arithmetic). */
static json_t *form_questions(const struct questionnaire *q)
{
	json_t *questions = json_loads(q->questions, 0, NULL), *form = json_array(), *question;
	size_t i, j;
	json_array_foreach(questions, i, question)
	{
		const char *kind = json_string_value(json_object_get(question, "kind"));
		json_t *opts = json_array(), *opt;
		json_array_foreach(json_object_get(question, "options"), j, opt)
			json_array_append_new(opts, json_pack("{s:I, s:O}", "index", (json_int_t)j, "text", opt));
		json_t *f = json_pack("{s:O, s:o}", "prompt", json_object_get(question, "prompt"), "options", opts);
		json_object_set_new(f, "field", json_sprintf("q%zu", i));
		json_object_set_new(f, kind, json_true()); /* single, multi, rating or text */
		json_array_append_new(form, f);
	}
	json_decref(questions);
	return form;
}

/* A raters' wave's form asks about whom: the trainees not answered about yet (ask_about). */
static void page_about_choices(json_t *m)
{
	json_t *about = json_object_get(json_object_get(m, "questionnaire"), "about"), *a, *open = json_array();
	size_t i;
	json_array_foreach(about, i, a) {
		if (!json_is_true(json_object_get(a, "answered")))
			json_array_append(open, json_object_get(a, "username"));
	}
	json_object_set_new(m, "ask_about", json_boolean(json_array_size(open) > 0));
	json_object_set_new(m, "about_choices", open);
}

/* The closing time in the site's zone, as the builder took it, with the zone's label. */
static void page_closes_local(struct req *r, json_t *m, const struct questionnaire *q)
{
	char local[17];
	if (!q->closes_at)
		return;
	training_local_time(&r->ctx, q->closes_at, local);
	json_object_set_new(m, "closes_local", json_string(local));
	json_object_set_new(m, "zone", json_string(q_zone_label(r)));
}

void h_q_get(struct req *r)
{
	struct questionnaire q;
	enum ag_status st = q_get(&r->ctx, param_id(r, 0), &q);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_pack("{s:o}", "questionnaire", view_questionnaire(r, &q));
	if (is_page(r)) {
		json_object_set_new(m, "can_see_results", json_boolean(q_may_see_results(&r->ctx, &q)));
		json_object_set_new(m, "form", form_questions(&q));
		json_object_set_new(m, "stars", json_pack("[i,i,i,i,i]", 1, 2, 3, 4, 5));
		json_object_set_new(m, "can_answer", json_boolean(q_may_respond(&r->ctx, &q)));
		page_about_choices(m);
		page_closes_local(r, m, &q);
	}
	req_reply(r, 200, m);
}

/* A form value that must be a whole number: the number, or null (refused by validation). */
static json_t *form_number(json_t *v)
{
	const char *s = json_string_value(v);
	char *end;
	if (!s || !*s || strlen(s) > 9 || strspn(s, "0123456789") != strlen(s))
		return json_null();
	return json_integer(strtoll(s, &end, 10));
}

/* One form field as an answer: "3" → 3 for choices and ratings; checkboxes → [indexes]. */
static json_t *form_answer(const char *kind, json_t *v)
{
	if (!strcmp(kind, "text"))
		return json_is_string(v) ? json_incref(v) : json_string("");
	if (!strcmp(kind, "multi")) {
		json_t *a = json_array(), *item;
		size_t i;
		if (json_is_string(v))
			json_array_append_new(a, form_number(v));
		json_array_foreach(v, i, item) json_array_append_new(a, form_number(item));
		return a;
	}
	return form_number(v);
}

/* The answer form's fields q0, q1, ... as the answers array the API takes. */
static json_t *answers_from_form(struct req *r, const struct questionnaire *q)
{
	json_t *questions = json_loads(q->questions, 0, NULL), *answers = json_array(), *question;
	size_t i;
	json_array_foreach(questions, i, question)
	{
		char key[32];
		snprintf(key, sizeof key, "q%zu", i);
		json_array_append_new(answers, form_answer(json_string_value(json_object_get(question, "kind")),
							   json_object_get(r->input, key)));
	}
	json_decref(questions);
	return answers;
}

void h_q_respond(struct req *r)
{
	struct questionnaire q;
	int64_t id = param_id(r, 0);
	json_t *answers = NULL;
	if (r->from_form && q_get(&r->ctx, id, &q) == AG_OK)
		answers = answers_from_form(r, &q);
	else if (!r->from_form)
		answers = json_incref(json_object_get(r->input, "answers"));
	const char *about = in_str(r, "about");
	if (r->bad_input) {
		json_decref(answers);
		return;
	}
	enum ag_status st = q_respond_about(&r->ctx, id, answers, about && *about ? about : NULL);
	json_decref(answers);
	if (st != AG_CREATED) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.answers_saved");
	req_done(r, 201, json_pack("{s:I}", "questionnaire_id", (json_int_t)id), arena_printf(r->arena, "/q/%lld", (long long)id));
}

const char *q_chart_html(struct req *r, const json_t *labels, const json_t *counts, long long total,
			 const char *caption, int caption_hidden)
{
	static const char *const stars[] = {"1", "2", "3", "4", "5"};
	size_t n = json_array_size(counts);
	struct chart_row *rows = arena_alloc(r->arena, (n + 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		const char *label = labels ? json_string_value(json_array_get(labels, i)) : i < 5 ? stars[i] : NULL;
		rows[i] = (struct chart_row){label, (long long)json_integer_value(json_array_get(counts, i))};
	}
	struct chart_words w = {caption, i18n_msg(r->lang, "q.col_answer"), i18n_msg(r->lang, "q.col_count"),
				i18n_msg(r->lang, "q.col_share"), caption_hidden};
	struct buf out = BUF_INIT;
	chart_table(&out, rows, n, total, &w);
	const char *html = arena_strdup(r->arena, out.data ? out.data : "");
	buf_free(&out);
	return html;
}

/* Each choice or rating question of the results gets its chart: a table whose bars are shares
 * of the question's respondents. */
static void add_charts(struct req *r, json_t *questions)
{
	json_t *q;
	size_t i;
	json_array_foreach(questions, i, q) {
		json_t *counts = json_object_get(q, "counts"), *who = json_object_get(q, "respondents");
		if (!counts)
			continue;
		long long total = (long long)json_integer_value(who ? who : json_object_get(q, "count"));
		json_object_set_new(q, "chart_html",
				    json_string(q_chart_html(r, json_object_get(q, "options"), counts, total,
							     json_string_value(json_object_get(q, "prompt")), 1)));
	}
}

void h_q_results(struct req *r)
{
	struct questionnaire q;
	json_t *results;
	enum ag_status st = q_results(&r->ctx, param_id(r, 0), &q, &results);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	if (is_page(r))
		add_charts(r, results);
	json_t *m = json_pack("{s:I, s:o, s:o, s:b}", "responses", (json_int_t)q.response_count, "questions", results,
			      "questionnaire", view_questionnaire(r, &q), "can_export",
			      ag_allowed(q_may_export(&r->ctx, &q)));
	if (q_results_withheld(&r->ctx, &q)) /* the page says from how many responses results appear */
		json_object_set_new(m, "withheld", json_pack("{s:i}", "min_responses", Q_RESULTS_MIN));
	req_reply(r, 200, m);
}

void h_q_csv(struct req *r)
{
	struct buf csv = BUF_INIT;
	enum ag_status st = q_export_csv(&r->ctx, param_id(r, 0), &csv);
	if (st != AG_OK) {
		buf_free(&csv);
		req_fail(r, st);
		return;
	}
	req_send_bytes(r, "text/csv; charset=utf-8", csv.data ? csv.data : "", csv.len,
		       arena_printf(r->arena, "questionnaire-%lld.csv", (long long)param_id(r, 0)));
	buf_free(&csv);
}
