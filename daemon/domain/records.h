/* records: a member's learning record (their trainings, hours, last completion, when their
 * rotation is next due, their activity) and the rotation report of who is due for training.
 * See docs/RECORDS.md. */
#ifndef AGORA_RECORDS_H
#define AGORA_RECORDS_H

#include <stddef.h>

#include "ctx.h"
#include "store_record.h"

/* How much of a record the caller sees: the whole (the member, admins), or only the trainings
 * the caller organises (organisers: no due date, no activity). */
enum record_scope { RECORD_WHOLE, RECORD_ORGANISED };

struct learning_record {
	struct user user;
	enum record_scope scope;
	struct record_training *trainings; /* one page of them, newest end first */
	size_t n;
	int64_t total;
	double hours_total; /* credit hours of the completed trainings in scope */
	const char *last_completed_on, *rotation_due_on; /* NULL: none, or not in scope */
	int64_t rotation_years;
	struct record_activity activity; /* RECORD_WHOLE only */
};

/* Rights. A record is the member's and admins'; an organiser of a training the member takes
 * part in as trainee (organises > 0 such trainings) reads that part; to anyone else it does
 * not exist (404, so that a record's existence says nothing). Reports (rotation, trainings):
 * admins. */
struct ag_right record_may_read(const struct agora_ctx *c, const struct user *u, int64_t organises);
enum record_scope record_scope_of(const struct agora_ctx *c, const struct user *u);
struct ag_right report_may_read(const struct agora_ctx *c);

enum ag_status record_get(struct agora_ctx *c, const char *username, struct page pg, struct learning_record *out);

/* The rotation report: members of the region, position and industry slugs (NULL or "": any;
 * unknown: 400 unknown_region...), overdue_only or all, soonest due first. */
struct rotation_query {
	const char *region, *position, *industry;
	int overdue_only;
};
enum ag_status rotation_report(struct agora_ctx *c, const struct rotation_query *q, struct page pg,
			       struct rotation_member **out, size_t *n, int64_t *total);

#endif
