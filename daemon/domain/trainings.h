/* trainings: courses (培训班) with dates, credit hours, an audience, organisers, trainees and
 * their own board. Enrolment is open (201), by approval (202 pending) or assigned by the
 * organisers; capacity is held under concurrent enrolments by counting and inserting in one
 * write transaction. Completion is an organiser's decision, or automatic once the training
 * has ended (training_complete_due). Lessons are in lessons.h. See docs/TRAININGS.md. */
#ifndef AGORA_TRAININGS_H
#define AGORA_TRAININGS_H

#include <stddef.h>

#include "access.h"
#include "ctx.h"

/* What a client gives to create or change a training. For PATCH, has_* and NULL strings say
 * what stays. hours < 0 or capacity < 0 stand for a value of the wrong type (invalid_hours,
 * invalid_capacity); capacity 0 is no limit. */
struct training_input {
	const char *slug, *title, *description, *starts_on, *ends_on, *enrolment;
	double hours;
	int has_hours;
	int64_t capacity;
	int has_capacity;
	int64_t completion_attendance;
	int has_completion;
	const char *const *audience[3]; /* slugs of industries, positions, regions (enum term_kind) */
	size_t naudience[3];
	int has_audience;
};

/* The caller's part in a training, as `me` shows it: role organiser, trainee, lecturer or NULL
 * (in that order of precedence), and the trainee state or NULL. */
struct training_me {
	const char *role, *state;
	int organiser, lecturer, trainee; /* trainee: enrolled or completed (pending is not) */
};

/* Today (YYYY-MM-DD) in the site's time zone (setting time_zone, default Asia/Shanghai), and
 * the local date of a moment. */
void training_today(struct agora_ctx *c, char out[11]);
void training_local_date(struct agora_ctx *c, int64_t t, char out[11]);
/* The site zone's offset from UTC in seconds, and a moment as "YYYY-MM-DD HH:MM" there. */
long training_zone_offset(struct agora_ctx *c);
void training_local_time(struct agora_ctx *c, int64_t t, char out[17]);
/* The moment a local day (YYYY-MM-DD) starts, in the site's time zone; 0 for a bad day. */
int64_t training_day_start(struct agora_ctx *c, const char *day);
/* The rotation rule as the site sets it (site_rotation_years) as of today: who is due for
 * training again (store_record.h). */
struct rotation_rule;
void training_rotation_rule(struct agora_ctx *c, struct rotation_rule *out);
/* 1 for a real calendar day written YYYY-MM-DD. */
int training_date_valid(const char *s);
/* "upcoming", "current" or "past" as of today. */
const char *training_state(struct agora_ctx *c, const struct training *x);

/* A title (1–200 characters) and a Markdown description (may be empty: html "") as trainings
 * and lessons take them; invalid_title, or forum_render's refusals. */
enum ag_status training_text(struct agora_ctx *c, const char *title, const char *description, const char **html);
/* The training and the caller's part in it, by id (for lessons). */
enum ag_status training_by_id(struct agora_ctx *c, int64_t id, struct training *out);

/* Rights. Admins and lecturers create; organisers (and admins) organise; participants and
 * admins see the lessons; writers outside enrol themselves when the enrolment is open or by
 * approval, they are in the audience, the training has not ended and it is not full; trainees
 * leave before the start. */
struct ag_right training_may_create(const struct agora_ctx *c);
struct ag_right training_may_organise(struct agora_ctx *c, const struct training *x);
struct ag_right training_may_see_lessons(struct agora_ctx *c, const struct training *x);
struct ag_right training_may_enrol(struct agora_ctx *c, const struct training *x);
struct ag_right training_may_leave(struct agora_ctx *c, const struct training *x);

enum ag_status training_me(struct agora_ctx *c, const struct training *x, struct training_me *out);
enum ag_status training_create(struct agora_ctx *c, const struct training_input *in, struct training *out);
enum ag_status training_update(struct agora_ctx *c, const char *slug, const struct training_input *in,
			       struct training *out);
/* training_update, and changed(c, x) inside its transaction once x is written (what depends
 * on the dates moves with them: followups.c); a failure of changed rolls everything back. */
typedef enum ag_status (*training_changed_fn)(struct agora_ctx *c, const struct training *x);
enum ag_status training_update_with(struct agora_ctx *c, const char *slug, const struct training_input *in,
				    struct training *out, training_changed_fn changed);
/* A training by slug (visible to everyone; its board is not). Runs training_complete_due. */
enum ag_status training_get(struct agora_ctx *c, const char *slug, struct training *out);
/* when: a comma-separated subset of upcoming, current, past (NULL or "": all); for_me: only
 * those of the caller's audience or in which they take part. Soonest first. */
enum ag_status training_list(struct agora_ctx *c, const char *when, int for_me, struct listing *l,
			     struct training **out, size_t *n);
enum ag_status training_audience(struct agora_ctx *c, const struct training *x, struct audience_term **out,
				 size_t *n);
enum ag_status training_organisers(struct agora_ctx *c, const struct training *x, struct user **out, size_t *n);
enum ag_status training_add_organiser(struct agora_ctx *c, const char *slug, const char *username);

/* The caller enrols: AG_CREATED (enrolled) or AG_PENDING (waiting for approval). */
enum ag_status training_enrol(struct agora_ctx *c, const char *slug);
/* Organisers enrol the named members and/or every member of the audience not in yet (or only
 * those of them whose rotation is due: TRAINING_OVERDUE): as many as the capacity holds are
 * enrolled, the rest wait as pending. */
enum training_whom { TRAINING_NAMED, TRAINING_AUDIENCE, TRAINING_OVERDUE };
enum ag_status training_assign(struct agora_ctx *c, const char *slug, const char *const *usernames, size_t n,
			       enum training_whom audience, int64_t *enrolled, int64_t *pending);
enum ag_status training_leave(struct agora_ctx *c, const char *slug);
/* Organisers: approve, remove, complete, reopen; *out is the trainee afterwards (state NULL
 * after remove). */
enum ag_status training_trainee_action(struct agora_ctx *c, const char *slug, const char *username,
				       const char *action, struct trainee *out);
enum ag_status training_trainees(struct agora_ctx *c, const char *slug, struct page pg, struct listing *l,
				 struct trainee **out, size_t *n);

/* Completes every trainee who is due (DUE_TRAINEE in store_impl.h), in one transaction; each
 * trainee at most once (one an organiser reopens stays open). Idempotent; one query when
 * nothing is due. Called when trainings are read, so what a page shows is never behind. */
enum ag_status training_complete_due(struct agora_ctx *c);
/* The recurring job "trainings.complete_due" (job_kinds.c): the same completion, inside the
 * runner's transaction, every TRAINING_COMPLETE_EVERY seconds, so that completion happens
 * when a training ends whether or not anyone visits. */
enum { TRAINING_COMPLETE_EVERY = 3600 };
struct job;
enum ag_status training_complete_job(struct agora_ctx *c, const struct job *j, int64_t *again_at);

#endif
