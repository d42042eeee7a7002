/* The SQL of learning records and the rotation report. */
#include "store_record.h"

#include "store_impl.h"

static const struct sql_field training_fields[] = {
	SQL_FIELD(struct record_training, slug),     SQL_FIELD(struct record_training, title),
	SQL_FIELD(struct record_training, ends_on),  SQL_FIELD(struct record_training, state),
	SQL_FIELD(struct record_training, hours),    SQL_FIELD(struct record_training, attended),
	SQL_FIELD(struct record_training, lessons),
};
static const struct sql_row training_row = SQL_ROW(struct record_training, training_fields);

int store_record_trainings(struct store *s, struct arena *a, int64_t user_id, int64_t organiser, struct page pg,
			   struct record_training **out, size_t *n, int64_t *total)
{
	sqlite3_stmt *count = SQL_BIND(s, ST_RECORD_TRAININGS_COUNT, SQL_INT(user_id), SQL_INT(organiser));
	sqlite3_stmt *rows = SQL_BIND(s, ST_RECORD_TRAININGS, SQL_INT(user_id), SQL_INT(organiser), SQL_PAGE(pg));
	return sql_page(count, total, rows, a, &training_row, (void **)out, n);
}

struct totals {
	double hours;
	const char *last;
};
static const struct sql_field totals_fields[] = {SQL_FIELD(struct totals, hours), SQL_FIELD(struct totals, last)};
static const struct sql_row totals_row = SQL_ROW(struct totals, totals_fields);

int store_record_totals(struct store *s, struct arena *a, int64_t user_id, int64_t organiser, double *hours,
			const char **last_completed_on)
{
	struct totals t = {0, NULL};
	int rc = sql_one_row(SQL_BIND(s, ST_RECORD_TOTALS, SQL_INT(user_id), SQL_INT(organiser)), a, &totals_row, &t);
	*hours = t.hours;
	*last_completed_on = t.last;
	return rc;
}

int store_record_due(struct store *s, struct arena *a, int64_t user_id, const struct rotation_rule *rule,
		     const char **due_on)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_RECORD_DUE, SQL_INT(user_id), SQL_INT(rule->years), SQL_INT(rule->offset));
	return sql_one_row(st, a, &sql_text_row, due_on);
}

static const struct sql_field activity_fields[] = {
	SQL_FIELD(struct record_activity, posts),
	SQL_FIELD(struct record_activity, helpful_received),
	SQL_FIELD(struct record_activity, materials_downloaded),
	SQL_FIELD(struct record_activity, questionnaires_answered),
};
static const struct sql_row activity_row = SQL_ROW(struct record_activity, activity_fields);

int store_record_activity(struct store *s, struct arena *a, int64_t user_id, int64_t viewer, int all_boards,
			  struct record_activity *out)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_RECORD_ACTIVITY, SQL_INT(user_id), SQL_INT(viewer), SQL_INT(all_boards != 0));
	return sql_one_row(st, a, &activity_row, out);
}

static const struct sql_field member_fields[] = {
	SQL_FIELD(struct rotation_member, user),
	SQL_FIELD(struct rotation_member, last_completed_on),
	SQL_FIELD(struct rotation_member, due_on),
	SQL_FIELD(struct rotation_member, overdue),
};
static const struct sql_row member_row = SQL_ROW(struct rotation_member, member_fields);

int store_rotation(struct store *s, struct arena *a, const struct rotation_rule *rule,
		   const struct rotation_filter *f, struct page pg, struct rotation_member **out, size_t *n,
		   int64_t *total)
{
#define ROTATION_ARGS                                                                      \
	SQL_INT(rule->years), SQL_INT(rule->offset), SQL_TEXT(rule->today), SQL_INT(f->region_id), \
		SQL_INT(f->position_id), SQL_INT(f->industry_id)
	sqlite3_stmt *count = SQL_BIND(s, f->overdue_only ? ST_ROTATION_LATE_COUNT : ST_ROTATION_COUNT, ROTATION_ARGS);
	sqlite3_stmt *rows = SQL_BIND(s, f->overdue_only ? ST_ROTATION_LATE : ST_ROTATION, ROTATION_ARGS, SQL_PAGE(pg));
#undef ROTATION_ARGS
	return sql_page(count, total, rows, a, &member_row, (void **)out, n);
}
