/* reports: the training report of a period for the organisation department: each training's
 * trainees, completion, attendance, lesson rating and follow-up response rate, and the trainees
 * by region, position and industry. Admins only (report_may_read). See docs/RECORDS.md. */
#ifndef AGORA_REPORTS_H
#define AGORA_REPORTS_H

#include <stddef.h>

#include "ctx.h"
#include "store_report.h"

/* Trainees of the period's trainings in one group (slug NULL: members without a term). */
struct report_group {
	const char *slug, *name;
	int64_t trainees, completed;
	double hours; /* credit hours of the completed */
};

struct training_report {
	const char *from, *to; /* the period, local days, both included */
	struct report_training *trainings;
	size_t n;
	int64_t total;
	struct report_group *groups[3]; /* by enum term_kind, largest first */
	size_t ngroups[3];
};

/* The period from and to (YYYY-MM-DD; either may be NULL or "": the first or last day of the
 * other's year, or of this year). 400 invalid_from, invalid_to, or invalid_period when from is
 * after to. */
enum ag_status report_trainings(struct agora_ctx *c, const char *from, const char *to, struct page pg,
				struct training_report *out);

/* A training's rates, each 0–1 or absent (has_* 0): attendance = trainees' attendance at the
 * lessons that have started / (trainees × those lessons); rating = mean score of its lessons'
 * ratings (1–5); follow-up response = answered / invited over its waves. */
struct report_figures {
	double attendance, rating, response, completion;
	int has_attendance, has_rating, has_response, has_completion;
};
void report_figures(const struct report_training *t, struct report_figures *out);

#endif
