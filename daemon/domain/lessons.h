/* lessons: the classes of a training, each with a time, a lecturer (any member) and materials
 * of the library; attendance (marked by organisers, or by a trainee with the lesson's
 * check-in code from 30 minutes before the start to the end) and ratings (1–5, once, by a
 * trainee who attended, once the lesson has started). */
#ifndef AGORA_LESSONS_H
#define AGORA_LESSONS_H

#include <stddef.h>

#include "trainings.h"

/* What a client gives; for PATCH, NULL strings and has_* say what stays. minutes < 0 and a
 * NULL starts_at with has_starts_at stand for values of the wrong type. */
struct lesson_input {
	const char *title, *description, *starts_at, *lecturer;
	int has_starts_at;
	int64_t minutes;
	int has_minutes;
	const int64_t *materials;
	size_t nmaterials;
	int has_materials;
};

enum { LESSON_CHECKIN_EARLY = 30 * 60 }; /* the code works from this long before the start */

/* Organisers and the lesson's lecturer see its check-in code; they and admins its rating. */
struct ag_right lesson_may_see_code(struct agora_ctx *c, const struct training *x, const struct lesson *l);
struct ag_right lesson_may_see_rating(struct agora_ctx *c, const struct training *x, const struct lesson *l);
/* Enrolled or completed trainees check in while the code is valid. */
struct ag_right lesson_may_check_in(struct agora_ctx *c, const struct training *x, const struct lesson *l);
/* Trainees who attended rate once the lesson has started, once. */
struct ag_right lesson_may_rate(struct agora_ctx *c, const struct training *x, const struct lesson *l);
/* Whether the caller attended the lesson. */
int lesson_attended(struct agora_ctx *c, const struct lesson *l);

enum ag_status lesson_create(struct agora_ctx *c, const char *training_slug, const struct lesson_input *in,
			     struct lesson *out);
enum ag_status lesson_update(struct agora_ctx *c, int64_t id, const struct lesson_input *in, struct lesson *out);
enum ag_status lesson_delete(struct agora_ctx *c, int64_t id);
/* A lesson and its training, for participants and admins (404 lesson_not_found for others). */
enum ag_status lesson_get(struct agora_ctx *c, int64_t id, struct lesson *out, struct training *x);
/* The lessons of a training: for participants and admins; nobody else (an empty list). */
enum ag_status training_lessons(struct agora_ctx *c, const struct training *x, struct lesson **out, size_t *n);
/* The materials of a lesson, or of every lesson of a training, that the caller may see. */
enum ag_status lesson_materials(struct agora_ctx *c, const struct lesson *l, struct material **out, size_t *n);
enum ag_status training_materials(struct agora_ctx *c, const struct training *x, struct material **out,
				  size_t *n);
/* Organisers: present (usernames of trainees); a trainee: code. */
enum ag_status lesson_attendance(struct agora_ctx *c, int64_t id, const char *const *present, size_t npresent,
				 int has_present, const char *code, struct lesson *out);
enum ag_status lesson_rate(struct agora_ctx *c, int64_t id, int64_t score, const char *comment);

#endif
