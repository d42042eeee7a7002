/* store_training: trainings, their audience and participants, lessons with their materials,
 * attendance, ratings, automatic completion and training notifications. */
#ifndef AGORA_STORE_TRAINING_H
#define AGORA_STORE_TRAINING_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "store_record.h"

/* Which trainings to list: those of for_user's audience or in which they take part (0:
 * all), and which of upcoming, current and past, as of today (YYYY-MM-DD). */
struct training_filter {
	int64_t for_user;
	int upcoming, current, past;
	const char *today;
};

/* x->id is set (STORE_CONFLICT for a taken slug). x->capacity 0 stores no limit. */
int store_training_insert(struct store *db, struct training *x);
int store_training_set_board(struct store *db, int64_t training_id, int64_t board_id);
/* Writes every field but the slug, the board and the creator. */
int store_training_update(struct store *db, const struct training *x);
int store_training_by_slug(struct store *db, struct arena *a, const char *slug, struct training *out);
int store_training_by_id(struct store *db, struct arena *a, int64_t id, struct training *out);
int store_trainings(struct store *db, struct arena *a, const struct training_filter *f, struct page pg,
		    struct training **out, size_t *n, int64_t *total);

/* The audience: replaced as a whole; read back ordered by kind. */
int store_audience_set(struct store *db, int64_t training_id, const struct audience_term *t, size_t n);
int store_audience(struct store *db, struct arena *a, int64_t training_id, struct audience_term **out, size_t *n);
/* STORE_OK when the user is in the training's audience, STORE_NOTFOUND when not. */
int store_audience_matches(struct store *db, int64_t training_id, int64_t user_id);
/* The ids of every user of the audience who is not a trainee yet, oldest account first; with
 * overdue, only those whose rotation is due by overdue->today. */
int store_audience_members(struct store *db, struct arena *a, int64_t training_id, const struct rotation_rule *overdue,
			   int64_t **out, size_t *n);

/* A user's part in a training: organiser (0/1), trainee state (NULL: none), lecturer (0/1). */
struct training_part {
	int organiser;
	const char *state;
	int lecturer;
};
int store_training_part(struct store *db, struct arena *a, int64_t training_id, int64_t user_id,
			struct training_part *out);
/* role "organiser" (state NULL) or "trainee"; STORE_CONFLICT when already in that role. */
int store_participant_add(struct store *db, int64_t training_id, int64_t user_id, const char *role,
			  const char *state, int64_t now);
/* completed_at 0 and completed_by 0 store none. */
int store_trainee_set_state(struct store *db, int64_t training_id, int64_t user_id, const char *state,
			    int64_t completed_at, int64_t completed_by);
int store_trainee_remove(struct store *db, int64_t training_id, int64_t user_id);
/* Enrolled and completed trainees: what counts against the capacity. */
int store_trainee_count(struct store *db, int64_t training_id, int64_t *n);
int store_organisers(struct store *db, struct arena *a, int64_t training_id, struct user **out, size_t *n);
/* Trainees by username; username NULL for all of them. */
int store_trainees(struct store *db, struct arena *a, int64_t training_id, const char *username, struct page pg,
		   struct trainee **out, size_t *n, int64_t *total);

/* Lessons. store_lesson_insert sets l->id; l->lecturer.id names the lecturer. */
int store_lesson_insert(struct store *db, struct lesson *l);
int store_lesson_update(struct store *db, const struct lesson *l);
int store_lesson_delete(struct store *db, int64_t id);
int store_lesson_get(struct store *db, struct arena *a, int64_t id, struct lesson *out);
int store_lessons(struct store *db, struct arena *a, int64_t training_id, struct lesson **out, size_t *n);
/* A lesson's materials, replaced as a whole; the ids of a lesson's or of all a training's. */
int store_lesson_materials_set(struct store *db, int64_t lesson_id, const int64_t *ids, size_t n);
int store_lesson_material_ids(struct store *db, struct arena *a, int64_t lesson_id, int64_t **out, size_t *n);
int store_training_material_ids(struct store *db, struct arena *a, int64_t training_id, int64_t **out, size_t *n);

/* Attendance (how: "organiser" or "code"; recording it twice keeps the first) and ratings
 * (STORE_CONFLICT the second time). store_attended: STORE_OK or STORE_NOTFOUND. */
int store_attend(struct store *db, int64_t lesson_id, int64_t user_id, const char *how, int64_t now);
int store_attended(struct store *db, int64_t lesson_id, int64_t user_id);
/* STORE_OK when the member rated the lesson, STORE_NOTFOUND when not. */
int store_rated(struct store *db, int64_t lesson_id, int64_t user_id);
int store_rate(struct store *db, int64_t lesson_id, int64_t user_id, int score, const char *comment, int64_t now);

/* Automatic completion (DUE_TRAINEE): STORE_OK when some trainee is due (store_due_exists);
 * inside a transaction store_complete_due completes them and marks each done for good, so a
 * trainee is completed automatically at most once. */
int store_due_exists(struct store *db, const char *today);
int store_complete_due(struct store *db, const char *today, int64_t now);

/* A notification of kind training (detail what) to one trainee (user_id) or to every enrolled
 * or completed trainee (user_id 0), never to the actor. */
int store_notify_training(struct store *db, int64_t training_id, int64_t user_id, int64_t actor_id,
			  const char *what, int64_t now);

#endif
