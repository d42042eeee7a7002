/* The SQL of trainings, their participants and lessons. */
#include "store_training.h"

#include <stdio.h>

#include "store_impl.h"

/* TRAINING_SELECT */
static const struct sql_field training_fields[] = {
	SQL_FIELD(struct training, id), SQL_FIELD(struct training, slug), SQL_FIELD(struct training, title),
	SQL_FIELD(struct training, description), SQL_FIELD(struct training, description_html),
	SQL_FIELD(struct training, starts_on), SQL_FIELD(struct training, ends_on),
	SQL_FIELD(struct training, hours), SQL_FIELD(struct training, enrolment),
	SQL_FIELD(struct training, capacity), SQL_FIELD(struct training, completion_attendance),
	SQL_FIELD(struct training, board_id), SQL_FIELD(struct training, board),
	SQL_FIELD(struct training, created_by), SQL_FIELD(struct training, created_at),
	SQL_FIELD(struct training, trainee_count), SQL_FIELD(struct training, lesson_count),
};
static const struct sql_row training_row = SQL_ROW(struct training, training_fields);

/* LESSON_SELECT */
static const struct sql_field lesson_fields[] = {
	SQL_FIELD(struct lesson, id), SQL_FIELD(struct lesson, training_id), SQL_FIELD(struct lesson, training),
	SQL_FIELD(struct lesson, title), SQL_FIELD(struct lesson, description),
	SQL_FIELD(struct lesson, description_html), SQL_FIELD(struct lesson, starts_at),
	SQL_FIELD(struct lesson, minutes), SQL_FIELD(struct lesson, lecturer),
	SQL_FIELD(struct lesson, checkin_code), SQL_FIELD(struct lesson, created_at),
	SQL_FIELD(struct lesson, rating_count), SQL_FIELD(struct lesson, rating_average),
	SQL_FIELD(struct lesson, sequence), SQL_FIELD(struct lesson, updated_at),
};
static const struct sql_row lesson_row = SQL_ROW(struct lesson, lesson_fields);

/* TRAINEES */
static const struct sql_field trainee_fields[] = {
	SQL_FIELD(struct trainee, user), SQL_FIELD(struct trainee, state), SQL_FIELD(struct trainee, attended),
	SQL_FIELD(struct trainee, lessons), SQL_FIELD(struct trainee, completed_at),
	SQL_FIELD(struct trainee, completed_by),
};
static const struct sql_row trainee_row = SQL_ROW(struct trainee, trainee_fields);

/* AUDIENCE */
static const struct sql_field audience_fields[] = {
	SQL_FIELD(struct audience_term, kind), SQL_FIELD(struct audience_term, id),
	SQL_FIELD(struct audience_term, slug),
};
static const struct sql_row audience_row = SQL_ROW(struct audience_term, audience_fields);

/* PART_ROLE */
static const struct sql_field part_fields[] = {
	SQL_FIELD(struct training_part, organiser), SQL_FIELD(struct training_part, state),
	SQL_FIELD(struct training_part, lecturer),
};
static const struct sql_row part_row = SQL_ROW(struct training_part, part_fields);


/* Hours as the text SQLite casts to REAL: %.17g keeps every bit of the double. */
static const char *hours_text(double h, char buf[40])
{
	snprintf(buf, 40, "%.17g", h);
	return buf;
}

int store_training_insert(struct store *s, struct training *x)
{
	char h[40];
	sqlite3_stmt *st = SQL_BIND(s, ST_TRAINING_INSERT, SQL_TEXT(x->slug), SQL_TEXT(x->title),
				    SQL_TEXT(x->description), SQL_TEXT(x->description_html), SQL_TEXT(x->starts_on),
				    SQL_TEXT(x->ends_on), SQL_TEXT(hours_text(x->hours, h)), SQL_TEXT(x->enrolment),
				    SQL_ID(x->capacity), SQL_INT(x->completion_attendance), SQL_ID(x->created_by),
				    SQL_INT(x->created_at));
	return sql_insert(s, st, &x->id);
}

int store_training_set_board(struct store *s, int64_t training_id, int64_t board_id)
{
	return sql_change(s, SQL_BIND(s, ST_TRAINING_SET_BOARD, SQL_INT(training_id), SQL_INT(board_id)));
}

int store_training_update(struct store *s, const struct training *x)
{
	char h[40];
	return sql_exec(SQL_BIND(s, ST_TRAINING_UPDATE, SQL_INT(x->id), SQL_TEXT(x->title), SQL_TEXT(x->description),
				 SQL_TEXT(x->description_html), SQL_TEXT(x->starts_on), SQL_TEXT(x->ends_on),
				 SQL_TEXT(hours_text(x->hours, h)), SQL_TEXT(x->enrolment), SQL_ID(x->capacity),
				 SQL_INT(x->completion_attendance)));
}

int store_training_by_slug(struct store *s, struct arena *a, const char *slug, struct training *out)
{
	return sql_one_row(SQL_BIND(s, ST_TRAINING_BY_SLUG, SQL_TEXT(slug)), a, &training_row, out);
}

int store_training_by_id(struct store *s, struct arena *a, int64_t id, struct training *out)
{
	return sql_one_row(SQL_BIND(s, ST_TRAINING_BY_ID, SQL_INT(id)), a, &training_row, out);
}

int store_trainings(struct store *s, struct arena *a, const struct training_filter *f, struct page pg,
		    struct training **out, size_t *n, int64_t *total)
{
	sqlite3_stmt *count = SQL_BIND(s, ST_TRAININGS_COUNT, SQL_INT(f->for_user), SQL_INT(f->upcoming),
				       SQL_INT(f->current), SQL_INT(f->past), SQL_TEXT(f->today));
	int rc;
	*total = sql_scalar(count, &rc);
	if (rc != STORE_OK)
		return rc;
	sqlite3_stmt *rows = SQL_BIND(s, ST_TRAININGS, SQL_INT(f->for_user), SQL_INT(f->upcoming), SQL_INT(f->current),
				      SQL_INT(f->past), SQL_TEXT(f->today), SQL_PAGE(pg));
	return sql_collect(rows, a, &training_row, (void **)out, n);
}

int store_audience_set(struct store *s, int64_t training_id, const struct audience_term *t, size_t n)
{
	int rc = sql_exec(SQL_BIND(s, ST_AUDIENCE_CLEAR, SQL_INT(training_id)));
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		rc = sql_exec(SQL_BIND(s, ST_AUDIENCE_ADD, SQL_INT(training_id), SQL_INT(t[i].kind), SQL_INT(t[i].id)));
	return rc;
}

int store_audience(struct store *s, struct arena *a, int64_t training_id, struct audience_term **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_AUDIENCE, SQL_INT(training_id)), a, &audience_row, (void **)out, n);
}

int store_audience_matches(struct store *s, int64_t training_id, int64_t user_id)
{
	return sql_found(SQL_BIND(s, ST_AUDIENCE_MATCHES, SQL_INT(training_id), SQL_INT(user_id)));
}

int store_audience_members(struct store *s, struct arena *a, int64_t training_id, const struct rotation_rule *overdue,
			   int64_t **out, size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_AUDIENCE_MEMBERS, SQL_INT(training_id), SQL_INT(overdue != NULL),
				    SQL_INT(overdue ? overdue->years : 0), SQL_INT(overdue ? overdue->offset : 0),
				    SQL_TEXT(overdue ? overdue->today : NULL));
	return sql_collect(st, a, &sql_id_row, (void **)out, n);
}

int store_training_part(struct store *s, struct arena *a, int64_t training_id, int64_t user_id,
			struct training_part *out)
{
	return sql_one_row(SQL_BIND(s, ST_PART_ROLE, SQL_INT(training_id), SQL_INT(user_id)), a, &part_row, out);
}

int store_participant_add(struct store *s, int64_t training_id, int64_t user_id, const char *role,
			  const char *state, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_PART_ADD, SQL_INT(training_id), SQL_INT(user_id), SQL_TEXT(role),
				 SQL_TEXT(state), SQL_INT(now)));
}

int store_trainee_set_state(struct store *s, int64_t training_id, int64_t user_id, const char *state,
			    int64_t completed_at, int64_t completed_by)
{
	return sql_change(s, SQL_BIND(s, ST_TRAINEE_SET_STATE, SQL_INT(training_id), SQL_INT(user_id),
				      SQL_TEXT(state), SQL_ID(completed_at), SQL_ID(completed_by)));
}

int store_trainee_remove(struct store *s, int64_t training_id, int64_t user_id)
{
	return sql_change(s, SQL_BIND(s, ST_TRAINEE_REMOVE, SQL_INT(training_id), SQL_INT(user_id)));
}

int store_trainee_count(struct store *s, int64_t training_id, int64_t *n)
{
	int rc;
	*n = sql_scalar(SQL_BIND(s, ST_TRAINEE_COUNT, SQL_INT(training_id)), &rc);
	return rc;
}

int store_organisers(struct store *s, struct arena *a, int64_t training_id, struct user **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_ORGANISERS, SQL_INT(training_id)), a, &sql_user_row, (void **)out, n);
}

int store_trainees(struct store *s, struct arena *a, int64_t training_id, const char *username, struct page pg,
		   struct trainee **out, size_t *n, int64_t *total)
{
	sqlite3_stmt *count = SQL_BIND(s, ST_TRAINEES_COUNT, SQL_INT(training_id), SQL_TEXT(username));
	sqlite3_stmt *rows = NULL;
	int rc;
	*total = sql_scalar(count, &rc);
	if (rc != STORE_OK)
		return rc;
	rows = SQL_BIND(s, ST_TRAINEES, SQL_INT(training_id), SQL_TEXT(username), SQL_PAGE(pg));
	return sql_collect(rows, a, &trainee_row, (void **)out, n);
}

int store_lesson_insert(struct store *s, struct lesson *l)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_LESSON_INSERT, SQL_INT(l->training_id), SQL_TEXT(l->title),
				    SQL_TEXT(l->description), SQL_TEXT(l->description_html), SQL_INT(l->starts_at),
				    SQL_INT(l->minutes), SQL_INT(l->lecturer.id), SQL_TEXT(l->checkin_code),
				    SQL_INT(l->created_at));
	return sql_insert(s, st, &l->id);
}

int store_lesson_update(struct store *s, const struct lesson *l)
{
	return sql_exec(SQL_BIND(s, ST_LESSON_UPDATE, SQL_INT(l->id), SQL_TEXT(l->title), SQL_TEXT(l->description),
				 SQL_TEXT(l->description_html), SQL_INT(l->starts_at), SQL_INT(l->minutes),
				 SQL_INT(l->lecturer.id), SQL_INT(l->sequence), SQL_INT(l->updated_at)));
}

int store_lesson_delete(struct store *s, int64_t id)
{
	return sql_change(s, SQL_BIND(s, ST_LESSON_DELETE, SQL_INT(id)));
}

int store_lesson_get(struct store *s, struct arena *a, int64_t id, struct lesson *out)
{
	return sql_one_row(SQL_BIND(s, ST_LESSON_GET, SQL_INT(id)), a, &lesson_row, out);
}

int store_lessons(struct store *s, struct arena *a, int64_t training_id, struct lesson **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_LESSONS, SQL_INT(training_id)), a, &lesson_row, (void **)out, n);
}

int store_lesson_materials_set(struct store *s, int64_t lesson_id, const int64_t *ids, size_t n)
{
	int rc = sql_exec(SQL_BIND(s, ST_LESSON_MATERIALS_CLEAR, SQL_INT(lesson_id)));
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		rc = sql_exec(SQL_BIND(s, ST_LESSON_MATERIAL_ADD, SQL_INT(lesson_id), SQL_INT(ids[i])));
	return rc;
}

int store_lesson_material_ids(struct store *s, struct arena *a, int64_t lesson_id, int64_t **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_LESSON_MATERIAL_IDS, SQL_INT(lesson_id)), a, &sql_id_row, (void **)out, n);
}

int store_training_material_ids(struct store *s, struct arena *a, int64_t training_id, int64_t **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_TRAINING_MATERIAL_IDS, SQL_INT(training_id)), a, &sql_id_row, (void **)out, n);
}

int store_attend(struct store *s, int64_t lesson_id, int64_t user_id, const char *how, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_ATTEND, SQL_INT(lesson_id), SQL_INT(user_id), SQL_TEXT(how), SQL_INT(now)));
}

int store_attended(struct store *s, int64_t lesson_id, int64_t user_id)
{
	return sql_found(SQL_BIND(s, ST_ATTENDED, SQL_INT(lesson_id), SQL_INT(user_id)));
}

int store_rated(struct store *s, int64_t lesson_id, int64_t user_id)
{
	return sql_found(SQL_BIND(s, ST_RATED, SQL_INT(lesson_id), SQL_INT(user_id)));
}

int store_rate(struct store *s, int64_t lesson_id, int64_t user_id, int score, const char *comment, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_RATE, SQL_INT(lesson_id), SQL_INT(user_id), SQL_INT(score),
				 SQL_TEXT(comment ? comment : ""), SQL_INT(now)));
}

int store_due_exists(struct store *s, const char *today)
{
	return sql_found(SQL_BIND(s, ST_DUE_EXISTS, SQL_TEXT(today)));
}

int store_complete_due(struct store *s, const char *today, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_COMPLETE_DUE, SQL_TEXT(today), SQL_INT(now)));
}

int store_notify_training(struct store *s, int64_t training_id, int64_t user_id, int64_t actor_id,
			  const char *what, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_NOTIFY_TRAINING, SQL_INT(training_id), SQL_INT(user_id), SQL_ID(actor_id),
				 SQL_TEXT(what), SQL_INT(now)));
}
