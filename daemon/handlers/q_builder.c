/* The questionnaire builder page (/q/new, and POST /q from its form): question rows with a
 * prompt, a kind chosen by name and options. Its buttons post the form to itself, so it
 * works without JavaScript: "add question", "add option", "remove" re-render the builder
 * with everything typed kept; "create" validates and creates, or re-renders 422 with the
 * wrong fields marked. Times are local to the site's zone (datetime-local inputs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "associations.h"
#include "handlers.h"
#include "i18n.h"
#include "questionnaires.h"
#include "survey.h"
#include "trainings.h"

enum { ROWS_MAX = SURVEY_MAX_QUESTIONS, NEW_OPTIONS = 2 };

/* ---- the site's zone ---------------------------------------------------------------------- */

const char *q_zone_label(struct req *r)
{
	long off = training_zone_offset(&r->ctx), a = labs(off);
	return arena_printf(r->arena, "UTC%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}

/* A datetime-local value ("YYYY-MM-DDTHH:MM") is a time of the site's zone; anything else
 * goes on as typed, for the domain to accept (RFC 3339) or refuse. */
static const char *closes_from_local(struct req *r, const char *v)
{
	long off = training_zone_offset(&r->ctx), a = labs(off);
	if (!v || !*v)
		return NULL;
	if (strlen(v) != 16 || v[10] != 'T')
		return v;
	return arena_printf(r->arena, "%s:00%c%02ld:%02ld", v, off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}

/* ---- rows: {prompt, kind, options:[text]} as typed ---------------------------------------- */

static json_t *new_row(void)
{
	json_t *opts = json_array();
	for (int i = 0; i < NEW_OPTIONS; i++)
		json_array_append_new(opts, json_string(""));
	return json_pack("{s:s, s:s, s:o}", "prompt", "", "kind", survey_kind_name(0), "options", opts);
}

/* A form field that may come once (a string) or several times (an array) as an array. */
static json_t *strings_of(json_t *v)
{
	if (json_is_string(v))
		return json_pack("[O]", v);
	return json_is_array(v) ? json_deep_copy(v) : json_array();
}

static json_t *rows_from_form(struct req *r)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < ROWS_MAX; i++) {
		char key[32];
		snprintf(key, sizeof key, "q%zu_kind", i);
		const char *kind = in_str(r, key);
		if (!kind)
			break;
		snprintf(key, sizeof key, "q%zu_prompt", i);
		const char *prompt = in_str(r, key);
		snprintf(key, sizeof key, "q%zu_opt", i);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "prompt", prompt ? prompt : "", "kind", kind,
						      "options", strings_of(json_object_get(r->input, key))));
	}
	if (!json_array_size(rows))
		json_array_append_new(rows, new_row());
	return rows;
}

/* Applies a button's action: add_question, add_option:I, remove:I, remove_option:I:J.
 * 1 when it was one of them (the builder is shown again), 0 for create. */
static int apply_action(json_t *rows, const char *action)
{
	unsigned i, j;
	json_t *opts;
	if (!action || !strcmp(action, "create"))
		return 0;
	if (!strcmp(action, "add_question")) {
		if (json_array_size(rows) < ROWS_MAX)
			json_array_append_new(rows, new_row());
	} else if (sscanf(action, "add_option:%u", &i) == 1) {
		opts = json_object_get(json_array_get(rows, i), "options");
		if (opts && json_array_size(opts) < SURVEY_MAX_OPTIONS)
			json_array_append_new(opts, json_string(""));
	} else if (sscanf(action, "remove_option:%u:%u", &i, &j) == 2) {
		json_array_remove(json_object_get(json_array_get(rows, i), "options"), j);
	} else if (sscanf(action, "remove:%u", &i) == 1 && json_array_size(rows) > 1) {
		json_array_remove(rows, i);
	}
	return 1;
}

/* The questions the API takes from the rows: options only for the kinds that have them,
 * and blank option rows left out (an unused row is not an option). */
static json_t *questions_of(const json_t *rows)
{
	json_t *qs = json_array(), *row, *o;
	size_t i, j;
	json_array_foreach(rows, i, row) {
		const char *kind = json_string_value(json_object_get(row, "kind"));
		json_t *q = json_pack("{s:O, s:O}", "kind", json_object_get(row, "kind"), "prompt",
				      json_object_get(row, "prompt"));
		if (survey_kind_has_options(kind)) {
			json_t *opts = json_array();
			json_array_foreach(json_object_get(row, "options"), j, o)
				if (strspn(json_string_value(o), " \t") != json_string_length(o))
					json_array_append(opts, o);
			json_object_set_new(q, "options", opts);
		}
		json_array_append_new(qs, q);
	}
	return qs;
}

/* ---- the page's model --------------------------------------------------------------------- */

static json_t *kind_choices(struct req *r, const char *selected)
{
	json_t *a = json_array();
	const char *k;
	for (size_t i = 0; (k = survey_kind_name(i)) != NULL; i++) {
		const char *key = arena_printf(r->arena, "q.kind_%s", k);
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", k, "label", i18n_msg(r->lang, key),
						   "selected", selected && !strcmp(selected, k)));
	}
	return a;
}

/* One row as the template shows it; error is the catalog key of what is wrong, or NULL. */
static json_t *row_view(struct req *r, size_t i, const json_t *row, size_t nrows, const char *error)
{
	json_t *opts = json_array(), *o;
	size_t j;
	int bad_opts = error && !strcmp(error, "invalid_options");
	json_array_foreach(json_object_get(row, "options"), j, o)
		json_array_append_new(opts, json_pack("{s:O, s:I, s:I, s:I, s:b}", "text", o, "index", (json_int_t)j,
						      "number", (json_int_t)j + 1, "qindex", (json_int_t)i,
						      "invalid", bad_opts));
	json_t *v = json_pack("{s:I, s:I, s:O, s:o, s:o, s:b}", "index", (json_int_t)i, "number", (json_int_t)i + 1,
			      "prompt", json_object_get(row, "prompt"), "kinds",
			      kind_choices(r, json_string_value(json_object_get(row, "kind"))), "options", opts,
			      "can_remove", nrows > 1);
	if (error) {
		json_object_set_new(v, "error", json_string(i18n_msg(r->lang, arena_printf(r->arena, "error.%s", error))));
		json_object_set_new(v, bad_opts ? "invalid_options" : !strcmp(error, "invalid_kind") ? "invalid_kind" : "invalid_prompt",
				    json_true());
	}
	return v;
}

/* The rows as the template shows them, each checked when check is set; *bad counts errors. */
static json_t *rows_view(struct req *r, const json_t *rows, int check, int *bad)
{
	json_t *qs = check ? questions_of(rows) : NULL, *views = json_array(), *row;
	size_t i;
	json_array_foreach(rows, i, row) {
		const char *code = check ? survey_question_check(json_array_get(qs, i)) : NULL;
		*bad += code != NULL;
		json_array_append_new(views, row_view(r, i, row, json_array_size(rows), code));
	}
	json_decref(qs);
	return views;
}

/* The builder page: the fields as typed, the rows, and what is wrong (field: "title",
 * "closes_at" or NULL; error: a code of the catalog's "error" section, or NULL). */
static void builder_reply(struct req *r, int status, json_t *rows, int check, const char *field, const char *error)
{
	int bad = 0;
	const char *board = in_str(r, "board"), *assoc = in_str(r, "association");
	json_t *form = json_pack("{s:s, s:s, s:b, s:s}", "title", in_str(r, "title") ? in_str(r, "title") : "",
				 "closes_at", in_str(r, "closes_at") ? in_str(r, "closes_at") : "", "anonymous",
				 in_bool(r, "anonymous"), "zone", q_zone_label(r));
	json_object_set_new(form, "questions", rows_view(r, rows, check, &bad));
	if (field) {
		json_object_set_new(form, arena_printf(r->arena, "invalid_%s", field), json_true());
		json_object_set_new(form, arena_printf(r->arena, "%s_error", field),
				    json_string(i18n_msg(r->lang, arena_printf(r->arena, "error.invalid_%s", field))));
	}
	if (error || bad || field)
		json_object_set_new(form, "error", json_string(i18n_msg(
			r->lang, error ? arena_printf(r->arena, "error.%s", error) : "q.fix_marked")));
	json_t *place = json_pack("{s:s?, s:s?}", "board", board && *board ? board : NULL, "association",
				  assoc && *assoc ? assoc : NULL);
	struct board b;
	struct association x;
	if (board && *board && access_board(&r->ctx, board, &b) == AG_OK)
		json_object_set_new(place, "title", json_string(b.title));
	else if (assoc && *assoc && assoc_get(&r->ctx, assoc, &x) == AG_OK)
		json_object_set_new(place, "title", json_string(x.name));
	json_decref(rows);
	r->tmpl = "q_new";
	req_reply(r, status, json_pack("{s:o, s:o}", "form", form, "place", place));
}

/* ---- the routes --------------------------------------------------------------------------- */

void h_q_new(struct req *r)
{
	const char *board = req_query(r, "board"), *assoc = req_query(r, "association");
	enum ag_status st = q_may_create_at(&r->ctx, board, assoc);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_object_set_new(r->input, "board", json_string(board ? board : ""));
	json_object_set_new(r->input, "association", json_string(assoc ? assoc : ""));
	json_t *rows = json_array();
	json_array_append_new(rows, new_row());
	builder_reply(r, 200, rows, 0, NULL, NULL);
}

/* A refusal of the fields: the builder again, 422, with the field the code names marked. */
static void refused(struct req *r, json_t *rows)
{
	const char *code = r->ctx.error_code ? r->ctx.error_code : "invalid_questions";
	const char *field = !strcmp(code, "invalid_title") ? "title" : !strcmp(code, "invalid_closes_at") ? "closes_at" : NULL;
	builder_reply(r, 422, rows, 1, field, code);
}

void q_builder_post(struct req *r)
{
	json_t *rows = rows_from_form(r);
	int bad = 0;
	const char *title = in_str(r, "title");
	enum ag_status st = q_may_create_at(&r->ctx, in_str(r, "board"), in_str(r, "association"));
	if (r->bad_input || st != AG_OK) {
		json_decref(rows);
		if (!r->bad_input)
			req_fail(r, st);
		return;
	}
	if (apply_action(rows, in_str(r, "do"))) {
		builder_reply(r, 200, rows, 0, NULL, NULL);
		return;
	}
	json_decref(rows_view(r, rows, 1, &bad));
	int title_bad = !title || strspn(title, " \t") == strlen(title);
	if (bad || title_bad) {
		builder_reply(r, 422, rows, 1, title_bad ? "title" : NULL, NULL);
		return;
	}
	json_t *qs = questions_of(rows);
	struct q_input in = {title, in_str(r, "board"), in_str(r, "association"), in_bool(r, "anonymous"),
			     closes_from_local(r, in_str(r, "closes_at")), qs};
	struct questionnaire q;
	st = q_create(&r->ctx, &in, &q);
	json_decref(qs);
	if (st == AG_EINVAL) {
		refused(r, rows);
		return;
	}
	json_decref(rows);
	if (st != AG_CREATED)
		req_fail(r, st);
	else
		req_redirect(r, arena_printf(r->arena, "/q/%lld", (long long)q.id));
}
