/* The training report (/reports and the API): a period's trainings and their trainees by region,
 * position and industry, with charts on the page and CSV exports. */
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "csv.h"
#include "i18n.h"

#include "handlers.h"
#include "reports.h"
#include "views.h"

static const char *const group_keys[] = {"industry", "position", "region"}; /* by enum term_kind */

static json_t *rate(int has, double v)
{
	return has ? json_real(v) : json_null();
}

static json_t *training_view(const struct report_training *t)
{
	struct report_figures f;
	report_figures(t, &f);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:I, s:I, s:I, s:I, s:I, s:I}", "slug", t->slug, "title",
			      t->title, "starts_on", t->starts_on, "ends_on", t->ends_on, "hours", t->hours, "lessons",
			      (json_int_t)t->lessons, "trainees", (json_int_t)t->trainees, "completed",
			      (json_int_t)t->completed, "ratings", (json_int_t)t->ratings, "invited",
			      (json_int_t)t->invited, "answered", (json_int_t)t->answered);
	json_object_set_new(o, "completion_rate", rate(f.has_completion, f.completion));
	json_object_set_new(o, "attendance_rate", rate(f.has_attendance, f.attendance));
	json_object_set_new(o, "lesson_rating", rate(f.has_rating, f.rating));
	json_object_set_new(o, "followup_response_rate", rate(f.has_response, f.response));
	return o;
}

static json_t *groups_view(const struct report_group *g, size_t n, const char *key)
{
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s?, s:s?, s:I, s:I, s:f}", key, g[i].slug, "name", g[i].name,
						      "trainees", (json_int_t)g[i].trainees, "completed",
						      (json_int_t)g[i].completed, "hours", g[i].hours));
	return list;
}

static json_t *report_view(const struct training_report *rep)
{
	json_t *list = json_array();
	int64_t trainees = 0, completed = 0;
	double hours = 0;
	for (size_t i = 0; i < rep->n; i++)
		json_array_append_new(list, training_view(&rep->trainings[i]));
	for (size_t i = 0; i < rep->ngroups[TERM_REGION]; i++) { /* every trainee is in one region group */
		trainees += rep->groups[TERM_REGION][i].trainees;
		completed += rep->groups[TERM_REGION][i].completed;
		hours += rep->groups[TERM_REGION][i].hours;
	}
	json_t *m = json_pack("{s:s, s:s, s:o}", "from", rep->from, "to", rep->to, "trainings", list);
	for (int k = TERM_INDUSTRY; k <= TERM_REGION; k++)
		json_object_set_new(m, k == TERM_REGION ? "by_region" : k == TERM_POSITION ? "by_position" : "by_industry",
				    groups_view(rep->groups[k], rep->ngroups[k], group_keys[k]));
	json_object_set_new(m, "totals", json_pack("{s:I, s:I, s:I, s:f}", "trainings", (json_int_t)rep->total,
						   "trainees", (json_int_t)trainees, "completed", (json_int_t)completed,
						   "hours", hours));
	return m;
}

/* ---- the page ------------------------------------------------------------------------------- */

static const char *percent(struct req *r, int has, double v)
{
	return has ? arena_printf(r->arena, "%.0f%%", v * 100) : i18n_msg(r->lang, "rep.no_figure");
}

static json_t *svg(struct buf *b)
{
	json_t *s = json_stringn(b->data ? b->data : "", b->len);
	buf_free(b);
	return s;
}

/* Completion and attendance of the page's trainings, one bar each. */
static void training_charts(struct req *r, json_t *m, const struct training_report *rep)
{
	size_t n = rep->n < CHART_MAX_BARS ? rep->n : CHART_MAX_BARS;
	struct chart_bar *done = arena_alloc(r->arena, (n + 1) * sizeof *done), *att = arena_alloc(r->arena, (n + 1) * sizeof *att);
	struct buf b1 = BUF_INIT, b2 = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		struct report_figures f;
		const struct report_training *t = &rep->trainings[i];
		report_figures(t, &f);
		done[i] = (struct chart_bar){t->title, f.completion,
					     arena_printf(r->arena, "%s · %lld/%lld", percent(r, f.has_completion, f.completion),
							  (long long)t->completed, (long long)t->trainees)};
		att[i] = (struct chart_bar){t->title, f.attendance, percent(r, f.has_attendance, f.attendance)};
	}
	chart_bars_svg(&b1, done, n, i18n_msg(r->lang, "rep.chart_completion"));
	chart_bars_svg(&b2, att, n, i18n_msg(r->lang, "rep.chart_attendance"));
	json_object_set_new(m, "completion_svg_html", svg(&b1));
	json_object_set_new(m, "attendance_svg_html", svg(&b2));
}

/* Completion by region, position and industry, with names (members without a term: "none"). */
static json_t *group_chart(struct req *r, const struct report_group *g, size_t n, const char *title)
{
	struct chart_bar *bars = arena_alloc(r->arena, (n + 1) * sizeof *bars);
	struct buf b = BUF_INIT;
	size_t k = n < CHART_MAX_BARS ? n : CHART_MAX_BARS;
	for (size_t i = 0; i < k; i++) {
		double f = g[i].trainees ? (double)g[i].completed / (double)g[i].trainees : 0;
		bars[i] = (struct chart_bar){g[i].name ? g[i].name : i18n_msg(r->lang, "rep.no_term"), f,
					     arena_printf(r->arena, "%s · %lld/%lld", percent(r, g[i].trainees > 0, f),
							  (long long)g[i].completed, (long long)g[i].trainees)};
	}
	chart_bars_svg(&b, bars, k, title);
	return svg(&b);
}

/* Rates as the tables write them, beside the numbers the API gives. */
static void page_texts(struct req *r, json_t *m)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(m, "trainings"), i, t)
	{
		static const char *const keys[] = {"completion_rate", "attendance_rate", "followup_response_rate"};
		for (size_t k = 0; k < 3; k++) {
			json_t *v = json_object_get(t, keys[k]);
			json_object_set_new(t, arena_printf(r->arena, "%s_text", keys[k]),
					    json_string(percent(r, json_is_number(v), json_number_value(v))));
		}
		json_t *rating = json_object_get(t, "lesson_rating");
		json_object_set_new(t, "lesson_rating_text",
				    json_string(json_is_number(rating) ? arena_printf(r->arena, "%.1f", json_number_value(rating))
								       : i18n_msg(r->lang, "rep.no_figure")));
		json_object_set_new(t, "hours_text", json_string(arena_printf(r->arena, "%g", json_number_value(json_object_get(t, "hours")))));
	}
}

static void report_page(struct req *r, json_t *m, const struct training_report *rep)
{
	static const char *const titles[] = {"rep.chart_industry", "rep.chart_position", "rep.chart_region"};
	static const char *const svgs[] = {"industry_svg_html", "position_svg_html", "region_svg_html"};
	training_charts(r, m, rep);
	for (int k = TERM_INDUSTRY; k <= TERM_REGION; k++)
		json_object_set_new(m, svgs[k], group_chart(r, rep->groups[k], rep->ngroups[k], i18n_msg(r->lang, titles[k])));
	page_texts(r, m);
	json_object_set_new(m, "pager_query", json_string(arena_printf(r->arena, "&from=%s&to=%s", rep->from, rep->to)));
	r->tmpl = "reports";
}

void h_report_trainings(struct req *r)
{
	struct training_report rep;
	struct page pg = req_page(r, 50);
	enum ag_status st = report_trainings(&r->ctx, req_query(r, "from"), req_query(r, "to"), pg, &rep);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = report_view(&rep);
	model_paging(m, pg, rep.total);
	if (is_page(r))
		report_page(r, m, &rep);
	req_reply(r, 200, m);
}

/* ---- CSV: one row per training of the period, or per group (?by=region|position|industry) ---- */

static const char *num(struct req *r, int has, double v, const char *fmt)
{
	return has ? arena_printf(r->arena, fmt, v) : "";
}

static void trainings_csv(struct req *r, struct buf *b, const struct training_report *rep)
{
	static const char *const head[] = {"slug", "title", "starts_on", "ends_on", "hours", "lessons", "trainees",
					   "completed", "attendance_rate", "lesson_rating", "followup_response_rate"};
	csv_row(b, head, sizeof head / sizeof *head);
	for (size_t i = 0; i < rep->n; i++) {
		const struct report_training *t = &rep->trainings[i];
		struct report_figures f;
		report_figures(t, &f);
		const char *cells[] = {t->slug, t->title, t->starts_on, t->ends_on, num(r, 1, t->hours, "%g"),
				       num(r, 1, (double)t->lessons, "%.0f"), num(r, 1, (double)t->trainees, "%.0f"),
				       num(r, 1, (double)t->completed, "%.0f"), num(r, f.has_attendance, f.attendance, "%.4f"),
				       num(r, f.has_rating, f.rating, "%.2f"), num(r, f.has_response, f.response, "%.4f")};
		csv_row(b, cells, sizeof cells / sizeof *cells);
	}
}

static void groups_csv(struct req *r, struct buf *b, const struct report_group *g, size_t n, const char *key)
{
	const char *head[] = {key, "name", "trainees", "completed", "hours"};
	csv_row(b, head, sizeof head / sizeof *head);
	for (size_t i = 0; i < n; i++) {
		const char *cells[] = {g[i].slug, g[i].name, num(r, 1, (double)g[i].trainees, "%.0f"),
				       num(r, 1, (double)g[i].completed, "%.0f"), num(r, 1, g[i].hours, "%g")};
		csv_row(b, cells, sizeof cells / sizeof *cells);
	}
}

void h_report_trainings_csv(struct req *r)
{
	struct training_report rep;
	struct buf b = BUF_INIT;
	const char *by = req_query(r, "by");
	int kind = -1;
	for (int k = TERM_INDUSTRY; by && *by && k <= TERM_REGION; k++)
		if (!strcmp(by, group_keys[k]))
			kind = k;
	if (by && *by && kind < 0) {
		req_error(r, 400, "invalid_by");
		return;
	}
	enum ag_status st = report_trainings(&r->ctx, req_query(r, "from"), req_query(r, "to"), (struct page){0, 1000000}, &rep);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	buf_puts(&b, CSV_BOM);
	if (kind < 0)
		trainings_csv(r, &b, &rep);
	else
		groups_csv(r, &b, rep.groups[kind], rep.ngroups[kind], group_keys[kind]);
	req_send_bytes(r, "text/csv; charset=utf-8", b.data, b.len,
		       arena_printf(r->arena, "trainings-%s-%s%s%s.csv", rep.from, rep.to, kind < 0 ? "" : "-",
				    kind < 0 ? "" : group_keys[kind]));
	buf_free(&b);
}
