#include "reports.h"

#include <stdlib.h>
#include <string.h>

#include "records.h"
#include "store_site.h"
#include "trainings.h"

/* day, or when it is absent the first (start) or last day of the year of other or today. */
static const char *period_end(struct agora_ctx *c, const char *day, const char *other, int start)
{
	char today[11];
	if (day && *day)
		return day;
	if (!other || !training_date_valid(other)) {
		training_today(c, today);
		other = today;
	}
	return arena_printf(c->arena, "%.4s-%s", other, start ? "01-01" : "12-31");
}

static enum ag_status period(struct agora_ctx *c, const char *from, const char *to, struct report_period *p)
{
	p->from = period_end(c, from, to, 1);
	p->to = period_end(c, to, from, 0);
	p->now = c->now;
	if (!training_date_valid(p->from))
		return ag_fail(c, AG_EINVAL, "invalid_from");
	if (!training_date_valid(p->to))
		return ag_fail(c, AG_EINVAL, "invalid_to");
	return strcmp(p->from, p->to) > 0 ? ag_fail(c, AG_EINVAL, "invalid_period") : AG_OK;
}

static int larger_first(const void *a, const void *b)
{
	const struct report_group *x = a, *y = b;
	if (x->trainees != y->trainees)
		return x->trainees < y->trainees ? 1 : -1;
	if (!x->name || !y->name)
		return !x->name - !y->name; /* those without a term last */
	return strcmp(x->name, y->name);
}

/* The trainee rows added up by the kind's terms: one group per term (and one for none) that
 * has trainees, largest first. */
static int groups_of(struct agora_ctx *c, enum term_kind kind, const struct report_trainee *rows, size_t nrows,
		     struct training_report *out)
{
	struct term *t;
	size_t nt, n = 0;
	int rc = store_terms(c->db, c->arena, kind, &t, &nt);
	if (rc != STORE_OK)
		return rc;
	struct report_group *all = arena_alloc(c->arena, (nt + 1) * sizeof *all);
	for (size_t i = 0; i <= nt; i++)
		all[i] = (struct report_group){i < nt ? t[i].slug : NULL, i < nt ? t[i].name : NULL, 0, 0, 0};
	for (size_t r = 0; r < nrows; r++) {
		size_t i = 0;
		while (i < nt && t[i].id != rows[r].term[kind])
			i++; /* a term deleted meanwhile, or none: the last group */
		all[i].trainees++;
		all[i].completed += rows[r].completed != 0;
		all[i].hours += rows[r].completed ? rows[r].hours : 0;
	}
	for (size_t i = 0; i <= nt; i++)
		if (all[i].trainees)
			all[n++] = all[i];
	qsort(all, n, sizeof *all, larger_first);
	out->groups[kind] = all;
	out->ngroups[kind] = n;
	return STORE_OK;
}

enum ag_status report_trainings(struct agora_ctx *c, const char *from, const char *to, struct page pg,
				struct training_report *out)
{
	struct report_period p;
	*out = (struct training_report){0};
	enum ag_status st = ag_check(c, report_may_read(c));
	if (st != AG_OK || (st = period(c, from, to, &p)) != AG_OK || (st = training_complete_due(c)) != AG_OK)
		return st;
	out->from = p.from;
	out->to = p.to;
	struct report_trainee *rows;
	size_t nrows;
	int rc = store_report_trainings(c->db, c->arena, &p, pg, &out->trainings, &out->n, &out->total);
	if (rc == STORE_OK)
		rc = store_report_trainees(c->db, c->arena, &p, &rows, &nrows);
	for (int k = TERM_INDUSTRY; rc == STORE_OK && k <= TERM_REGION; k++)
		rc = groups_of(c, (enum term_kind)k, rows, nrows, out);
	return ag_stored(c, rc);
}

void report_figures(const struct report_training *t, struct report_figures *out)
{
	int64_t expected = t->trainees * t->started;
	*out = (struct report_figures){0};
	if ((out->has_attendance = expected > 0))
		out->attendance = (double)t->present / (double)expected;
	if ((out->has_rating = t->ratings > 0))
		out->rating = t->rating_sum / (double)t->ratings;
	if ((out->has_response = t->invited > 0))
		out->response = (double)t->answered / (double)t->invited;
	if ((out->has_completion = t->trainees > 0))
		out->completion = (double)t->completed / (double)t->trainees;
}
