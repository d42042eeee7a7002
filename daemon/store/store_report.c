/* The SQL of the training report. */
#include "store_report.h"

#include "store_impl.h"
#include "store_site.h"

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

static const struct sql_field trainee_fields[] = {
	SQL_FIELD_AS(SQL_COL_I64, struct report_trainee, term[TERM_REGION]),
	SQL_FIELD_AS(SQL_COL_I64, struct report_trainee, term[TERM_POSITION]),
	SQL_FIELD_AS(SQL_COL_I64, struct report_trainee, term[TERM_INDUSTRY]),
	SQL_FIELD(struct report_trainee, completed),
	SQL_FIELD(struct report_trainee, hours),
};
static const struct sql_row trainee_row = SQL_ROW(struct report_trainee, trainee_fields);

int store_report_trainees(struct store *s, struct arena *a, const struct report_period *p,
			  struct report_trainee **out, size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_REPORT_TRAINEES, SQL_TEXT(p->from), SQL_TEXT(p->to));
	return sql_collect(st, a, &trainee_row, (void **)out, n);
}
