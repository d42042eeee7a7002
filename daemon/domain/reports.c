#include "reports.h"

#include <string.h>

#include "records.h"
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

enum ag_status report_trainings(struct agora_ctx *c, const char *from, const char *to, struct page pg,
				struct training_report *out)
{
	struct report_period p;
	*out = (struct training_report){0};
	enum ag_status st = ag_check(c, report_may_read(c));
	if (st != AG_OK || (st = period(c, from, to, &p)) != AG_OK)
		return st;
	out->from = p.from;
	out->to = p.to;
	int rc = store_report_trainings(c->db, c->arena, &p, pg, &out->trainings, &out->n, &out->total);
	for (int k = TERM_INDUSTRY; rc == STORE_OK && k <= TERM_REGION; k++)
		rc = store_report_groups(c->db, c->arena, &p, (enum term_kind)k, &out->groups[k], &out->ngroups[k]);
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
