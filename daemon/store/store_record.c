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

int store_record_totals(struct store *s, struct arena *a, int64_t user_id, int64_t organiser, double *hours,
			const char **last_completed_on)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_RECORD_TOTALS, SQL_INT(user_id), SQL_INT(organiser));
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	*hours = sqlite3_column_double(st, 0);
	*last_completed_on = sql_col_text(st, 1, a);
	return STORE_OK;
}

int store_record_due(struct store *s, struct arena *a, int64_t user_id, const struct rotation_rule *rule,
		     const char **due_on)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_RECORD_DUE, SQL_INT(user_id), SQL_INT(rule->years), SQL_INT(rule->offset));
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		*due_on = sql_col_text(st, 0, a);
	return rc;
}

int store_record_activity(struct store *s, int64_t user_id, int64_t viewer, int all_boards,
			  struct record_activity *out)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_RECORD_ACTIVITY, SQL_INT(user_id), SQL_INT(viewer), SQL_INT(all_boards != 0));
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	out->posts = sqlite3_column_int64(st, 0);
	out->helpful_received = sqlite3_column_int64(st, 1);
	out->materials_downloaded = sqlite3_column_int64(st, 2);
	out->questionnaires_answered = sqlite3_column_int64(st, 3);
	return STORE_OK;
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
		SQL_INT(f->position_id), SQL_INT(f->industry_id), SQL_INT(f->overdue_only != 0)
	sqlite3_stmt *count = SQL_BIND(s, ST_ROTATION_COUNT, ROTATION_ARGS);
	sqlite3_stmt *rows = SQL_BIND(s, ST_ROTATION, ROTATION_ARGS, SQL_PAGE(pg));
#undef ROTATION_ARGS
	return sql_page(count, total, rows, a, &member_row, (void **)out, n);
}
