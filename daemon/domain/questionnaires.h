/* questionnaires: surveys that lecturers attach to a board or an association to follow up a
 * training; one response per member, optionally anonymous, results for the creator and the
 * moderators. */
#ifndef AGORA_QUESTIONNAIRES_H
#define AGORA_QUESTIONNAIRES_H

#include <jansson.h>
#include <stddef.h>

#include "ctx.h"

struct q_input {
	const char *title;
	const char *board, *association; /* exactly one */
	int anonymous;
	const char *closes_at; /* RFC 3339, or NULL for never */
	const json_t *questions;
};

enum ag_status q_create(struct agora_ctx *c, const struct q_input *in, struct questionnaire *out);
/* A questionnaire the caller may see (404 otherwise, like its board or association). */
enum ag_status q_get(struct agora_ctx *c, int64_t id, struct questionnaire *out);
/* Those the caller may see, of a board or association (slugs or NULL). */
enum ag_status q_list(struct agora_ctx *c, const char *board, const char *association,
		      struct questionnaire **out, size_t *n);
/* AG_CREATED; AG_ECONFLICT for a second response; AG_EINVAL for answers of the wrong shape;
 * AG_EFORBIDDEN once closed or for non-members of its association. */
enum ag_status q_respond(struct agora_ctx *c, int64_t id, const json_t *answers);
/* q_respond, for a follow-up wave too: only those it invited answer; a rater names the
 * trainee the answers are about (about: a username; 400 about_required, 403
 * not_your_trainee, 409 already_answered about that trainee), anyone else gives no about
 * (400 about_not_applicable). */
enum ag_status q_respond_about(struct agora_ctx *c, int64_t id, const json_t *answers, const char *about);
/* 1 for a wave raters answer about trainees (its answers are shown only as summaries). */
int q_is_about_people(struct agora_ctx *c, const struct questionnaire *q);
/* The trainees the caller may answer such a wave about ({username, answered}); none else. */
struct about_choice;
enum ag_status q_about_choices(struct agora_ctx *c, const struct questionnaire *q, struct about_choice **out,
			       size_t *n);
/* Raters' answers about one trainee count only once there are this many about them. */
enum { Q_ABOUT_MIN = 3 };
int q_has_responded(struct agora_ctx *c, const struct questionnaire *q);
/* Lecturers, moderators and admins on boards they can see (association_id 0); officers and
 * admins on associations. */
struct ag_right q_may_create(struct agora_ctx *c, int64_t association_id);
/* AG_OK when the caller may create a questionnaire on board or association (slugs, exactly
 * one): what the builder page asks before it offers its form. Fails as q_create would. */
enum ag_status q_may_create_at(struct agora_ctx *c, const char *board, const char *association);
/* 1 when the caller could answer now: signed in, open, not answered yet, and a member of the
 * association for an association's questionnaire. */
int q_may_respond(struct agora_ctx *c, const struct questionnaire *q);
int q_is_open(const struct agora_ctx *c, const struct questionnaire *q);
/* The creator, moderators and admins; for a follow-up wave, the training's organisers too. */
int q_may_see_results(struct agora_ctx *c, const struct questionnaire *q);
/* An anonymous questionnaire shows its results from this many responses on: with fewer, the
 * few who answered could be told apart by what they answered (named questionnaires already
 * show who answered, to those who may see results). */
enum { Q_RESULTS_MIN = 5 };
/* 1 while the results of q are withheld (anonymous, fewer than Q_RESULTS_MIN responses); a
 * wave of raters has its own rule instead (Q_ABOUT_MIN answers about each trainee). */
int q_results_withheld(struct agora_ctx *c, const struct questionnaire *q);
/* *results: a new reference, the per-question results (survey_results_new's shape); while
 * q_results_withheld, only each question's prompt and kind. */
enum ag_status q_results(struct agora_ctx *c, int64_t id, struct questionnaire *q, json_t **results);
/* The results of q as q_results gives them, for a caller whose rights were checked (the
 * effect of a training), with how many responses it counts and leaves out: raters' answers
 * about a trainee with fewer than Q_ABOUT_MIN answers. Raters' text answers are never listed. */
enum ag_status q_tally(struct agora_ctx *c, const struct questionnaire *q, json_t **results, size_t *counted,
		       size_t *withheld);
/* Results one response per row (CSV) exist for every questionnaire but a wave of raters, whose
 * answers are only ever shown as summaries (403 summary_only), and while its results are
 * withheld (403 too_few_responses). */
struct ag_right q_may_export(struct agora_ctx *c, const struct questionnaire *q);
/* The responses as CSV, for whoever may see the results and q_may_export allows. */
enum ag_status q_export_csv(struct agora_ctx *c, int64_t id, struct buf *out);

#endif
