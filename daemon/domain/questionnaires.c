#include "questionnaires.h"

#include <stdlib.h>
#include <string.h>

#include "associations.h"
#include "forum.h"
#include "store_assoc.h"
#include "store_followup.h"
#include "store_questionnaire.h"
#include "store_training.h"
#include "store_user.h"
#include "survey.h"
#include "utf8.h"

/* Who may see a questionnaire: those who may see its board or association, and those a
 * follow-up wave invited to answer it (raters are not members of the training's board). */
static int q_visible(struct agora_ctx *c, const struct questionnaire *q)
{
	if (access_content_visible(c, q->board_id, q->association))
		return 1;
	return c->actor && store_invited(c->db, q->id, c->actor->id, 0) == STORE_OK;
}

/* The follow-up wave whose questionnaire q is: 1 and *w filled, or 0. */
static int q_wave(struct agora_ctx *c, const struct questionnaire *q, struct followup *w)
{
	return store_followup_by_questionnaire(c->db, c->arena, q->id, w) == STORE_OK;
}

/* 1 for a wave that raters answer about trainees: its answers are shown only in summaries. */
int q_is_about_people(struct agora_ctx *c, const struct questionnaire *q)
{
	struct followup w;
	return q_wave(c, q, &w) && !strcmp(w.respondents, "raters");
}

int q_is_open(const struct agora_ctx *c, const struct questionnaire *q)
{
	return q->closes_at == 0 || c->now < q->closes_at;
}

int q_may_see_results(struct agora_ctx *c, const struct questionnaire *q)
{
	struct followup w;
	struct training_part part;
	if (!c->actor)
		return 0;
	if (c->actor->id == q->creator_id || c->actor->role >= ROLE_MODERATOR)
		return 1;
	if (q_wave(c, q, &w)) /* a wave: every organiser of its training */
		return store_training_part(c->db, c->arena, w.training_id, c->actor->id, &part) == STORE_OK &&
		       part.organiser;
	return q->board_id && access_may_moderate(c, q->board_id);
}

struct ag_right q_may_create(struct agora_ctx *c, int64_t association_id)
{
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r))
		return r;
	if (!association_id)
		return c->actor->role >= ROLE_LECTURER ? AG_ALLOWED : ag_refused(AG_EFORBIDDEN, "lecturers_only");
	return ag_is_admin(c) || access_is_officer(c, association_id) ? AG_ALLOWED
								 : ag_refused(AG_EFORBIDDEN, "officers_only");
}

/* Where a new questionnaire goes, and whether the caller may put it there. */
static enum ag_status q_target(struct agora_ctx *c, const struct q_input *in, struct questionnaire *q)
{
	struct association x;
	enum ag_status st = assoc_attach_target(c, in->board, in->association, &q->board_id, &x);
	q->association_id = x.id;
	if (st != AG_OK)
		return st;
	return ag_check(c, q_may_create(c, x.id));
}

enum ag_status q_may_create_at(struct agora_ctx *c, const char *board, const char *association)
{
	struct q_input in = {.board = board, .association = association};
	struct questionnaire q = {0};
	enum ag_status st = ag_require_writer(c);
	return st != AG_OK ? st : q_target(c, &in, &q);
}

static enum ag_status q_fields(struct agora_ctx *c, const struct q_input *in, struct questionnaire *q)
{
	const char *code;
	long long closes = 0;
	size_t n = in->title ? strlen(in->title) : 0;
	if (!n || utf8_length(in->title, n) > 200 || !utf8_line_ok(in->title, n) || strspn(in->title, " ") == n)
		return ag_fail(c, AG_EINVAL, "invalid_title");
	if (in->closes_at && *in->closes_at && time_parse(in->closes_at, &closes) != 0)
		return ag_fail(c, AG_EINVAL, "invalid_closes_at");
	if (!in->questions || survey_questions_check(in->questions, &code) != 0)
		return ag_fail(c, AG_EINVAL, in->questions ? code : "invalid_questions");
	q->title = in->title;
	q->closes_at = closes;
	q->anonymous = in->anonymous;
	char *text = json_dumps(in->questions, JSON_COMPACT);
	q->questions = arena_strdup(c->arena, text ? text : "[]");
	free(text);
	return AG_OK;
}

enum ag_status q_create(struct agora_ctx *c, const struct q_input *in, struct questionnaire *out)
{
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK)
		return st;
	memset(out, 0, sizeof *out);
	if ((st = q_target(c, in, out)) != AG_OK || (st = q_fields(c, in, out)) != AG_OK)
		return st;
	out->creator_id = c->actor->id;
	out->created_at = c->now;
	int rc = store_q_insert(c->db, out);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	st = q_get(c, out->id, out);
	return st == AG_OK ? AG_CREATED : st;
}

enum ag_status q_get(struct agora_ctx *c, int64_t id, struct questionnaire *out)
{
	enum ag_status st = ag_found(c, store_q_get(c->db, c->arena, id, out), "questionnaire_not_found");
	if (st == AG_OK && !q_visible(c, out))
		return ag_fail(c, AG_ENOTFOUND, "questionnaire_not_found");
	return st;
}

enum ag_status q_list(struct agora_ctx *c, const char *board, const char *association,
		      struct questionnaire **out, size_t *n)
{
	struct board b = {0};
	struct association x = {0};
	struct questionnaire *all;
	size_t total, kept = 0;
	enum ag_status st = AG_OK;
	if (board && (st = access_board(c, board, &b)) != AG_OK)
		return st;
	if (association && (st = ag_found(c, store_assoc_by_slug(c->db, c->arena, association, &x), "association_not_found")) != AG_OK)
		return st;
	if ((st = ag_found(c, store_q_list(c->db, c->arena, b.id, x.id, &all, &total), "not_found")) != AG_OK)
		return st;
	for (size_t i = 0; i < total; i++)
		if (q_visible(c, &all[i]))
			all[kept++] = all[i];
	*out = all;
	*n = kept;
	return AG_OK;
}

int q_has_responded(struct agora_ctx *c, const struct questionnaire *q)
{
	struct followup w;
	if (!c->actor)
		return 0;
	if (q_wave(c, q, &w)) /* invited, and nothing left to answer */
		return store_invited(c->db, q->id, c->actor->id, 0) == STORE_OK &&
		       store_invited(c->db, q->id, c->actor->id, 1) != STORE_OK;
	return store_q_has_responded(c->db, q->id, c->actor->id) == STORE_OK;
}

int q_may_respond(struct agora_ctx *c, const struct questionnaire *q)
{
	struct followup w;
	if (!c->actor || !q_is_open(c, q))
		return 0;
	if (q_wave(c, q, &w))
		return store_invited(c->db, q->id, c->actor->id, 1) == STORE_OK;
	if (q_has_responded(c, q))
		return 0;
	return !q->association_id || access_membership(c, q->association_id) >= MEMBERSHIP_MEMBER;
}

enum ag_status q_about_choices(struct agora_ctx *c, const struct questionnaire *q, struct about_choice **out,
			       size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!c->actor || !q_is_about_people(c, q))
		return AG_OK;
	return ag_stored(c, store_about_choices(c->db, c->arena, q->id, c->actor->id, out, n));
}

/* A response to a wave: only the invited answer, raters once about each of their trainees
 * (about: a username), and a rater's response keeps whom it is about but not who gave it. */
static enum ag_status q_wave_respond(struct agora_ctx *c, const struct questionnaire *q, const struct followup *w,
				     const char *about, const char *text)
{
	struct user u;
	int answered, raters = !strcmp(w->respondents, "raters");
	int64_t about_id = 0;
	if (raters && !about)
		return ag_fail(c, AG_EINVAL, "about_required");
	if (!raters && about)
		return ag_fail(c, AG_EINVAL, "about_not_applicable");
	if (about && store_user_by_name(c->db, c->arena, about, &u) == STORE_OK)
		about_id = u.id;
	if ((about && !about_id) || store_invitation(c->db, q->id, c->actor->id, about_id, &answered) != STORE_OK)
		return ag_fail(c, AG_EFORBIDDEN, raters ? "not_your_trainee" : "not_invited");
	if (answered)
		return ag_fail(c, AG_ECONFLICT, "already_answered");
	int64_t respondent = raters || q->anonymous ? 0 : c->actor->id;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_followup_respond(c->db, w, c->actor->id, about_id, respondent, text, c->now);
	if (rc == STORE_CONFLICT) {
		store_rollback(c->db);
		return ag_fail(c, AG_ECONFLICT, "already_answered");
	}
	return ag_commit(c, rc, AG_CREATED);
}

enum ag_status q_respond(struct agora_ctx *c, int64_t id, const json_t *answers)
{
	return q_respond_about(c, id, answers, NULL);
}

enum ag_status q_respond_about(struct agora_ctx *c, int64_t id, const json_t *answers, const char *about)
{
	struct questionnaire q;
	struct followup w;
	const char *code;
	enum ag_status st = q_get(c, id, &q); /* 404 where it may not be seen, even to the banned */
	if (st != AG_OK || (st = ag_require_writer(c)) != AG_OK)
		return st;
	if (!q_is_open(c, &q))
		return ag_fail(c, AG_EFORBIDDEN, "questionnaire_closed");
	if (q.association_id && access_membership(c, q.association_id) < MEMBERSHIP_MEMBER)
		return ag_fail(c, AG_EFORBIDDEN, "members_only");
	json_t *questions = json_loads(q.questions, 0, NULL);
	int bad = !answers || survey_answers_check(questions, answers, &code) != 0;
	json_decref(questions);
	if (bad)
		return ag_fail(c, AG_EINVAL, answers ? code : "invalid_answers");
	char *text = json_dumps(answers, JSON_COMPACT);
	if (q_wave(c, &q, &w)) {
		st = q_wave_respond(c, &q, &w, about, text);
		free(text);
		return st;
	}
	if (about) {
		free(text);
		return ag_fail(c, AG_EINVAL, "about_not_applicable");
	}
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_q_respond(c->db, &q, c->actor->id, text, c->now);
	free(text);
	if (rc == STORE_CONFLICT) {
		store_rollback(c->db);
		return ag_fail(c, AG_ECONFLICT, "already_answered");
	}
	return ag_commit(c, rc, AG_CREATED);
}

/* Loads a questionnaire for whoever may see its results. */
static enum ag_status q_for_results(struct agora_ctx *c, int64_t id, struct questionnaire *q)
{
	enum ag_status st = q_get(c, id, q);
	if (st != AG_OK)
		return st;
	if ((st = ag_require_reader(c)) != AG_OK)
		return st;
	if (!q_may_see_results(c, q))
		return ag_fail(c, AG_EFORBIDDEN, "results_restricted");
	return AG_OK;
}

/* What raters said about one trainee is summarised only with at least Q_ABOUT_MIN answers
 * about them: the others are left out (counted in *withheld). Keeps the order. */
static size_t q_summarisable(struct response *r, size_t n, size_t *withheld)
{
	size_t kept = 0;
	*withheld = 0;
	for (size_t i = 0; i < n; i++) {
		size_t same = 0;
		for (size_t j = 0; r[i].about_id && j < n && same < Q_ABOUT_MIN; j++)
			same += r[j].about_id == r[i].about_id;
		if (!r[i].about_id || same >= Q_ABOUT_MIN)
			r[kept++] = r[i];
		else
			++*withheld;
	}
	return kept;
}

/* A rater's text answers are never listed one by one: they are blanked before the tally. */
static void q_blank_texts(const json_t *questions, json_t *answers)
{
	const json_t *question;
	size_t i;
	json_array_foreach(questions, i, question)
	{
		if (!strcmp(json_string_value(json_object_get(question, "kind")), "text"))
			json_array_set_new(answers, i, json_string(""));
	}
}

enum ag_status q_tally(struct agora_ctx *c, const struct questionnaire *q, json_t **results, size_t *counted,
		       size_t *withheld)
{
	struct response *r;
	size_t n;
	enum ag_status st = ag_found(c, store_q_responses(c->db, c->arena, q, &r, &n), "not_found");
	if (st != AG_OK)
		return st;
	n = q_summarisable(r, n, withheld);
	*counted = n;
	json_t *questions = json_loads(q->questions, 0, NULL);
	*results = survey_results_new(questions);
	for (size_t i = 0; i < n; i++) {
		json_t *answers = json_loads(r[i].answers, 0, NULL);
		if (answers && r[i].about_id)
			q_blank_texts(questions, answers);
		if (answers)
			survey_results_add(*results, questions, answers);
		json_decref(answers);
	}
	json_decref(questions);
	return AG_OK;
}

int q_results_withheld(struct agora_ctx *c, const struct questionnaire *q)
{
	return q->anonymous && q->response_count < Q_RESULTS_MIN && !q_is_about_people(c, q);
}

/* The questions alone, without a count: what results show while they are withheld. */
static json_t *q_prompts(const struct questionnaire *q)
{
	json_t *questions = json_loads(q->questions, 0, NULL), *out = json_array(), *question;
	size_t i;
	json_array_foreach(questions, i, question)
	{
		json_array_append_new(out, json_pack("{s:O?, s:O?}", "prompt", json_object_get(question, "prompt"),
						     "kind", json_object_get(question, "kind")));
	}
	json_decref(questions);
	return out;
}

enum ag_status q_results(struct agora_ctx *c, int64_t id, struct questionnaire *q, json_t **results)
{
	size_t counted, withheld;
	enum ag_status st = q_for_results(c, id, q);
	if (st != AG_OK)
		return st;
	if (q_results_withheld(c, q)) {
		*results = q_prompts(q);
		return AG_OK;
	}
	return q_tally(c, q, results, &counted, &withheld);
}

struct ag_right q_may_export(struct agora_ctx *c, const struct questionnaire *q)
{
	if (q_is_about_people(c, q))
		return ag_refused(AG_EFORBIDDEN, "summary_only");
	return q_results_withheld(c, q) ? ag_refused(AG_EFORBIDDEN, "too_few_responses") : AG_ALLOWED;
}

enum ag_status q_export_csv(struct agora_ctx *c, int64_t id, struct buf *out)
{
	struct questionnaire q;
	struct response *r;
	size_t n;
	enum ag_status st = q_for_results(c, id, &q);
	if (st != AG_OK)
		return st;
	if ((st = ag_check(c, q_may_export(c, &q))) != AG_OK)
		return st;
	if ((st = ag_found(c, store_q_responses(c->db, c->arena, &q, &r, &n), "not_found")) != AG_OK)
		return st;
	json_t *rows = json_array(), *questions = json_loads(q.questions, 0, NULL);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, json_pack("{s:s?, s:o}", "respondent", q.anonymous ? NULL : r[i].respondent,
						      "answers", json_loads(r[i].answers, 0, NULL)));
	survey_csv(out, questions, rows, q.anonymous);
	json_decref(rows);
	json_decref(questions);
	return AG_OK;
}
