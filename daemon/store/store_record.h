/* store_record: the SQL of learning records and the rotation report: a member's trainings
 * (all, or those one organiser organises), their totals, their activity, and members by when
 * their rotation is due. */
#ifndef AGORA_STORE_RECORD_H
#define AGORA_STORE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* One training on a member's record. */
struct record_training {
	const char *slug, *title, *ends_on, *state;
	double hours;
	int64_t attended, lessons;
};

/* The rotation rule's inputs: a member is due rotation_years after the ends_on of the last
 * training they completed, or from the local day they joined (offset: the site zone's seconds
 * east of UTC) when they have completed none; overdue from the day they are due. */
struct rotation_rule {
	int64_t years;
	long offset;
	const char *today;
};

/* organiser 0: the whole record; else only the trainings that member organises. */
int store_record_trainings(struct store *s, struct arena *a, int64_t user_id, int64_t organiser, struct page pg,
			   struct record_training **out, size_t *n, int64_t *total);
/* Credit hours of the completed trainings of that part, and the latest ends_on among them
 * (NULL: none). */
int store_record_totals(struct store *s, struct arena *a, int64_t user_id, int64_t organiser, double *hours,
			const char **last_completed_on);
/* When the member's rotation is due (YYYY-MM-DD). */
int store_record_due(struct store *s, struct arena *a, int64_t user_id, const struct rotation_rule *rule,
		     const char **due_on);

struct record_activity {
	int64_t posts, helpful_received, materials_downloaded, questionnaires_answered;
};
/* posts: published posts on boards viewer may see (every one of them when all_boards). */
int store_record_activity(struct store *s, struct arena *a, int64_t user_id, int64_t viewer, int all_boards,
			  struct record_activity *out);

/* Members by when their rotation is due, soonest (longest overdue) first. Terms 0: any. */
struct rotation_filter {
	int64_t region_id, position_id, industry_id;
	int overdue_only;
};
struct rotation_member {
	struct user user;
	const char *last_completed_on, *due_on; /* last_completed_on NULL: none */
	int overdue;
};
int store_rotation(struct store *s, struct arena *a, const struct rotation_rule *rule,
		   const struct rotation_filter *f, struct page pg, struct rotation_member **out, size_t *n,
		   int64_t *total);

#endif
