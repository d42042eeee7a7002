/* Learning records (/u/NAME/record and the API) and the rotation report (/reports/rotation). */
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "i18n.h"

#include "handlers.h"
#include "records.h"
#include "trainings.h"
#include "views.h"

/* The whole of a list for a CSV export, not one page. */
#define CSV_PAGE ((struct page){0, 1000000})

static json_t *record_training_view(struct req *r, const struct record_training *t)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:f, s:s, s:I, s:I}", "slug", t->slug, "title", t->title, "ends_on",
			      t->ends_on, "hours", t->hours, "state", t->state, "attended", (json_int_t)t->attended,
			      "lessons", (json_int_t)t->lessons);
	if (is_page(r)) {
		json_object_set_new(o, "state_label",
				    json_string(i18n_msg(r->lang, arena_printf(r->arena, "train.st_%s", t->state))));
		json_object_set_new(o, "hours_text", json_string(arena_printf(r->arena, "%g", t->hours)));
	}
	return o;
}

static json_t *activity_view(const struct record_activity *a)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "posts", (json_int_t)a->posts, "helpful_received",
			 (json_int_t)a->helpful_received, "materials_downloaded", (json_int_t)a->materials_downloaded,
			 "questionnaires_answered", (json_int_t)a->questionnaires_answered);
}

static json_t *record_view(struct req *r, const struct learning_record *rec)
{
	json_t *list = json_array();
	for (size_t i = 0; i < rec->n; i++)
		json_array_append_new(list, record_training_view(r, &rec->trainings[i]));
	int whole = rec->scope == RECORD_WHOLE;
	json_t *m = json_pack("{s:o, s:o, s:f, s:s?, s:s?, s:s}", "user", view_user(&rec->user), "trainings", list,
			      "hours_total", rec->hours_total, "last_completed_on", rec->last_completed_on,
			      "rotation_due_on", rec->rotation_due_on, "scope", whole ? "whole" : "organised");
	json_object_set_new(m, "activity", whole ? activity_view(&rec->activity) : json_null());
	if (whole)
		json_object_set_new(m, "rotation_years", json_integer(rec->rotation_years));
	return m;
}

/* What the printable page adds: the day it is printed, whether the member is overdue. */
static void record_page(struct req *r, json_t *m, const struct learning_record *rec)
{
	char today[11];
	training_today(&r->ctx, today);
	json_object_set_new(m, "today", json_string(arena_strdup(r->arena, today)));
	json_object_set_new(m, "hours_total_text", json_string(arena_printf(r->arena, "%g", rec->hours_total)));
	json_object_set_new(m, "whole", json_boolean(rec->scope == RECORD_WHOLE));
	if (rec->rotation_due_on)
		json_object_set_new(m, "overdue", json_boolean(strcmp(rec->rotation_due_on, today) <= 0));
	r->tmpl = "record";
}

void h_record(struct req *r)
{
	struct learning_record rec;
	struct page pg = req_page(r, 50);
	enum ag_status st = record_get(&r->ctx, r->params[0], pg, &rec);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = record_view(r, &rec);
	model_paging(m, pg, rec.total);
	if (is_page(r))
		record_page(r, m, &rec);
	req_reply(r, 200, m);
}

static void number_cell(struct req *r, const char **cell, int64_t v)
{
	*cell = arena_printf(r->arena, "%lld", (long long)v);
}

void h_record_csv(struct req *r)
{
	struct learning_record rec;
	struct buf b = BUF_INIT;
	enum ag_status st = record_get(&r->ctx, r->params[0], CSV_PAGE, &rec);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	static const char *const head[] = {"slug", "title", "ends_on", "hours", "state", "attended", "lessons"};
	buf_puts(&b, CSV_BOM);
	csv_row(&b, head, sizeof head / sizeof *head);
	for (size_t i = 0; i < rec.n; i++) {
		const struct record_training *t = &rec.trainings[i];
		const char *cells[] = {t->slug, t->title, t->ends_on, arena_printf(r->arena, "%g", t->hours), t->state,
				       NULL, NULL};
		number_cell(r, &cells[5], t->attended);
		number_cell(r, &cells[6], t->lessons);
		csv_row(&b, cells, sizeof cells / sizeof *cells);
	}
	req_send_bytes(r, "text/csv; charset=utf-8", b.data, b.len,
		       arena_printf(r->arena, "record-%s.csv", rec.user.username));
	buf_free(&b);
}

/* ---- the rotation report ---------------------------------------------------------------------- */

/* The filters of the query string; bad_input for overdue other than 0 or 1. */
static struct rotation_query rotation_query(struct req *r)
{
	const char *late = req_query(r, "overdue");
	struct rotation_query q = {req_query(r, "region"), req_query(r, "position"), req_query(r, "industry"),
				   late && !strcmp(late, "1")};
	if (late && *late && strcmp(late, "0") && strcmp(late, "1"))
		r->bad_input = 1;
	return q;
}

static json_t *member_view(const struct rotation_member *x)
{
	return json_pack("{s:o, s:s?, s:s, s:b}", "user", view_user(&x->user), "last_completed_on",
			 x->last_completed_on, "due_on", x->due_on, "overdue", x->overdue);
}

/* The page's filter form with names, and the upcoming trainings whose overdue audience an
 * organiser may enrol from here. */
static void rotation_page(struct req *r, json_t *m, const struct rotation_query *q)
{
	struct listing l = {{0, 20}, 0};
	struct training *x;
	size_t n = 0;
	json_t *list = json_array();
	json_object_set_new(m, "regions", term_choices(r, TERM_REGION, q->region ? q->region : ""));
	json_object_set_new(m, "positions", term_choices(r, TERM_POSITION, q->position ? q->position : ""));
	json_object_set_new(m, "industries", term_choices(r, TERM_INDUSTRY, q->industry ? q->industry : ""));
	json_object_set_new(m, "overdue_only", json_boolean(q->overdue_only));
	if (training_list(&r->ctx, "upcoming,current", 0, &l, &x, &n) != AG_OK)
		n = 0;
	for (size_t i = 0; i < n; i++)
		if (ag_allowed(training_may_organise(&r->ctx, &x[i])))
			json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "slug", x[i].slug, "title", x[i].title,
							      "starts_on", x[i].starts_on));
	r->ctx.error_code = NULL;
	json_object_set_new(m, "has_assignable", json_boolean(json_array_size(list) > 0));
	json_object_set_new(m, "assignable", list);
	const char *query = arena_printf(r->arena, "region=%s&position=%s&industry=%s&overdue=%d", q->region ? q->region : "",
					 q->position ? q->position : "", q->industry ? q->industry : "", q->overdue_only);
	json_object_set_new(m, "query", json_string(query));
	json_object_set_new(m, "pager_query", json_string(arena_printf(r->arena, "&%s", query)));
	r->tmpl = "rotation";
}

void h_rotation(struct req *r)
{
	struct rotation_member *x;
	size_t n;
	int64_t total;
	struct page pg = req_page(r, 50);
	struct rotation_query q = rotation_query(r);
	if (r->bad_input)
		return;
	enum ag_status st = rotation_report(&r->ctx, &q, pg, &x, &n, &total);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, member_view(&x[i]));
	json_t *m = json_pack("{s:o, s:I}", "members", list, "total", (json_int_t)total);
	model_paging(m, pg, total);
	if (is_page(r))
		rotation_page(r, m, &q);
	req_reply(r, 200, m);
}

void h_rotation_csv(struct req *r)
{
	struct rotation_member *x;
	size_t n;
	int64_t total;
	struct buf b = BUF_INIT;
	struct rotation_query q = rotation_query(r);
	if (r->bad_input)
		return;
	enum ag_status st = rotation_report(&r->ctx, &q, CSV_PAGE, &x, &n, &total);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	static const char *const head[] = {"username", "display_name", "region",  "position",
					   "industry", "last_completed_on", "due_on", "overdue"};
	buf_puts(&b, CSV_BOM);
	csv_row(&b, head, sizeof head / sizeof *head);
	for (size_t i = 0; i < n; i++) {
		const struct user *u = &x[i].user;
		const char *cells[] = {u->username,      u->display_name,         u->region.slug, u->position.slug,
				       u->industry.slug, x[i].last_completed_on, x[i].due_on,    x[i].overdue ? "1" : "0"};
		csv_row(&b, cells, sizeof cells / sizeof *cells);
	}
	req_send_bytes(r, "text/csv; charset=utf-8", b.data, b.len, "rotation.csv");
	buf_free(&b);
}
