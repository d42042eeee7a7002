/* store_report: the SQL of the training report: the trainings of a period with their figures,
 * and their trainees grouped by region, position or industry. */
#ifndef AGORA_STORE_REPORT_H
#define AGORA_STORE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "store_site.h"

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

/* Trainees of the period's trainings in one group (slug NULL: members without a term). */
struct report_group {
	const char *slug, *name;
	int64_t trainees, completed;
	double hours; /* credit hours of the completed */
};

int store_report_trainings(struct store *s, struct arena *a, const struct report_period *p, struct page pg,
			   struct report_training **out, size_t *n, int64_t *total);
/* kind: TERM_REGION, TERM_POSITION or TERM_INDUSTRY; largest group first. */
int store_report_groups(struct store *s, struct arena *a, const struct report_period *p, enum term_kind kind,
			struct report_group **out, size_t *n);

#endif
