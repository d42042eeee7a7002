/* The SQL of the training report. */
#include "store_report.h"

#include "store_impl.h"

static const struct sql_field training_fields[] = {
	SQL_FIELD(struct report_training, slug),     SQL_FIELD(struct report_training, title),
	SQL_FIELD(struct report_training, starts_on), SQL_FIELD(struct report_training, ends_on),
	SQL_FIELD(struct report_training, hours),    SQL_FIELD(struct report_training, trainees),
	SQL_FIELD(struct report_training, completed), SQL_FIELD(struct report_training, lessons),
	SQL_FIELD(struct report_training, started),  SQL_FIELD(struct report_training, present),
	SQL_FIELD(struct report_training, rating_sum), SQL_FIELD(struct report_training, ratings),
	SQL_FIELD(struct report_training, invited),  SQL_FIELD(struct report_training, answered),
};
static const struct sql_row training_row = SQL_ROW(struct report_training, training_fields);

int store_report_trainings(struct store *s, struct arena *a, const struct report_period *p, struct page pg,
			   struct report_training **out, size_t *n, int64_t *total)
{
	sqlite3_stmt *count = SQL_BIND(s, ST_REPORT_TRAININGS_COUNT, SQL_TEXT(p->from), SQL_TEXT(p->to));
	sqlite3_stmt *rows = SQL_BIND(s, ST_REPORT_TRAININGS, SQL_TEXT(p->from), SQL_TEXT(p->to), SQL_INT(p->now),
				      SQL_PAGE(pg));
	return sql_page(count, total, rows, a, &training_row, (void **)out, n);
}

static const struct sql_field group_fields[] = {
	SQL_FIELD(struct report_group, slug),     SQL_FIELD(struct report_group, name),
	SQL_FIELD(struct report_group, trainees), SQL_FIELD(struct report_group, completed),
	SQL_FIELD(struct report_group, hours),
};
static const struct sql_row group_row = SQL_ROW(struct report_group, group_fields);

int store_report_groups(struct store *s, struct arena *a, const struct report_period *p, enum term_kind kind,
			struct report_group **out, size_t *n)
{
	static const enum stmt_id by[] = {ST_REPORT_BY_INDUSTRY, ST_REPORT_BY_POSITION, ST_REPORT_BY_REGION};
	sqlite3_stmt *st = SQL_BIND(s, by[kind], SQL_TEXT(p->from), SQL_TEXT(p->to));
	return sql_collect(st, a, &group_row, (void **)out, n);
}
