/* store_report: the SQL of the training report: the trainings of a period with their figures,
 * and their trainees grouped by region, position or industry. */
#ifndef AGORA_STORE_REPORT_H
#define AGORA_STORE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A period of local days, both included: trainings overlapping it are in the report. now:
 * which lessons have started (Unix seconds). */
struct report_period {
	const char *from, *to;
	int64_t now;
};

/* One training's raw counts; the domain turns them into rates. Trainees: enrolled and
 * completed (not pending). present: attendance of trainees at lessons already started. */
struct report_training {
	const char *slug, *title, *starts_on, *ends_on;
	double hours;
	int64_t trainees, completed, lessons, started, present;
	double rating_sum;
	int64_t ratings, invited, answered;
};

/* One trainee row of the period's trainings: the member's terms by enum term_kind (0: none),
 * whether completed, the training's credit hours. */
struct report_trainee {
	int64_t term[3];
	int completed;
	double hours;
};

int store_report_trainings(struct store *s, struct arena *a, const struct report_period *p, struct page pg,
			   struct report_training **out, size_t *n, int64_t *total);
int store_report_trainees(struct store *s, struct arena *a, const struct report_period *p,
			  struct report_trainee **out, size_t *n);

#endif
