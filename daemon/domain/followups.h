/* followups: the waves of questionnaires a training sends before or after it (to its trainees,
 * or to the raters each trainee names), so change can be seen wave by wave; and the effect,
 * the same question wave by wave. A wave opens on its day and reminds once, as jobs, whether
 * or not anyone visits. See docs/TRAININGS.md "Follow-ups". */
#ifndef AGORA_FOLLOWUPS_H
#define AGORA_FOLLOWUPS_H

#include <jansson.h>
#include <stddef.h>

#include "ctx.h"
#include "trainings.h"

enum {
	FOLLOWUP_MAX_DAYS = 3650,  /* |opens_after_days| */
	FOLLOWUP_MAX_REMIND = 365, /* remind_after_days */
	FOLLOWUP_REMIND_DEFAULT = 7,
	FOLLOWUP_MAX_RATERS = 5,
};

/* What an organiser gives; has_* say whether a field was there. */
struct followup_input {
	int64_t questionnaire;
	int has_questionnaire;
	int64_t opens_after_days;
	int has_opens_after_days;
	const char *respondents;
	int64_t remind_after_days;
	int has_remind_after_days;
};

/* Organisers (and admins) create a wave and see them; trainees (enrolled or completed) name
 * their raters. */
struct ag_right followup_may_manage(struct agora_ctx *c, const struct training *x);
struct ag_right followup_may_name_raters(struct agora_ctx *c, const struct training *x);

/* The day a wave opens (YYYY-MM-DD, site time zone): ends_on + days, or for a negative number
 * of days, starts_on + days (a baseline before the training). */
void followup_opens_on(const struct training *x, const struct followup *f, char out[11]);

/* AG_CREATED; *x is the training. The wave's opening is scheduled in the same transaction. */
enum ag_status followup_create(struct agora_ctx *c, const char *slug, const struct followup_input *in,
			       struct training *x, struct followup *out);
/* The waves of a training, oldest first; *x is the training. */
enum ag_status followup_list(struct agora_ctx *c, const char *slug, struct training *x, struct followup **out,
			     size_t *n);
/* The waves of x for whoever may manage them; none (AG_OK) for anyone else. */
enum ag_status followup_of_training(struct agora_ctx *c, const struct training *x, struct followup **out,
				    size_t *n);
/* The caller (a trainee) names up to FOLLOWUP_MAX_RATERS raters, replacing earlier ones. */
enum ag_status followup_set_raters(struct agora_ctx *c, const char *slug, const char *const *names, size_t n);
/* *questions: a new reference, [{prompt, kind, waves:[{followup, opens_on, respondents,
 * responses, average | options+counts}]}] over the waves that opened, in their order. */
enum ag_status followup_effect(struct agora_ctx *c, const char *slug, struct training *x, json_t **questions);

/* training_update, moving the opening of every wave not opened yet with the new dates, in the
 * same transaction. */
enum ag_status followup_training_update(struct agora_ctx *c, const char *slug, const struct training_input *in,
					struct training *out);

/* Job kinds (job_kinds.c), key the follow-up's id: "trainings.followup_open" makes the wave's
 * questionnaire, invites and notifies; "trainings.followup_remind" notifies, once, those who
 * have not answered. */
#define FOLLOWUP_OPEN_JOB "trainings.followup_open"
#define FOLLOWUP_REMIND_JOB "trainings.followup_remind"
struct job;
enum ag_status followup_open_job(struct agora_ctx *c, const struct job *j, int64_t *again_at);
enum ag_status followup_remind_job(struct agora_ctx *c, const struct job *j, int64_t *again_at);

#endif
