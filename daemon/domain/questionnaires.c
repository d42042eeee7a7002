#include "questionnaires.h"

#include <stdlib.h>
#include <string.h>

#include "associations.h"
#include "forum.h"
#include "store_assoc.h"
#include "store_questionnaire.h"
#include "survey.h"
#include "utf8.h"

static int q_visible(struct agora_ctx *c, const struct questionnaire *q)
{
	return access_content_visible(c, q->board_id, q->association);
}

int q_is_open(const struct agora_ctx *c, const struct questionnaire *q)
{
	return q->closes_at == 0 || c->now < q->closes_at;
}

int q_may_see_results(struct agora_ctx *c, const struct questionnaire *q)
{
	if (!c->actor)
		return 0;
	if (c->actor->id == q->creator_id || c->actor->role >= ROLE_MODERATOR)
		return 1;
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

static enum ag_status q_fields(struct agora_ctx *c, const struct q_input *in, struct questionnaire *q)
{
	const char *code;
	long long closes = 0;
	size_t n = in->title ? strlen(in->title) : 0;
	if (!n || utf8_length(in->title, n) > 200 || !utf8_text_ok(in->title, n, 0) || strspn(in->title, " ") == n)
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
	return c->actor && store_q_has_responded(c->db, q->id, c->actor->id) == STORE_OK;
}

int q_may_respond(struct agora_ctx *c, const struct questionnaire *q)
{
	if (!c->actor || !q_is_open(c, q) || q_has_responded(c, q))
		return 0;
	return !q->association_id || access_membership(c, q->association_id) >= MEMBERSHIP_MEMBER;
}

enum ag_status q_respond(struct agora_ctx *c, int64_t id, const json_t *answers)
{
	struct questionnaire q;
	const char *code;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = q_get(c, id, &q)) != AG_OK)
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

/* Loads a questionnaire for its results, with its responses. */
static enum ag_status q_for_results(struct agora_ctx *c, int64_t id, struct questionnaire *q,
				    struct response **r, size_t *n)
{
	enum ag_status st = q_get(c, id, q);
	if (st != AG_OK)
		return st;
	if ((st = ag_require_reader(c)) != AG_OK)
		return st;
	if (!q_may_see_results(c, q))
		return ag_fail(c, AG_EFORBIDDEN, "results_restricted");
	return ag_found(c, store_q_responses(c->db, c->arena, q, r, n), "not_found");
}

enum ag_status q_results(struct agora_ctx *c, int64_t id, struct questionnaire *q, json_t **results)
{
	struct response *r;
	size_t n;
	enum ag_status st = q_for_results(c, id, q, &r, &n);
	if (st != AG_OK)
		return st;
	json_t *questions = json_loads(q->questions, 0, NULL);
	*results = survey_results_new(questions);
	for (size_t i = 0; i < n; i++) {
		json_t *answers = json_loads(r[i].answers, 0, NULL);
		if (answers)
			survey_results_add(*results, questions, answers);
		json_decref(answers);
	}
	json_decref(questions);
	return AG_OK;
}

enum ag_status q_export_csv(struct agora_ctx *c, int64_t id, struct buf *out)
{
	struct questionnaire q;
	struct response *r;
	size_t n;
	enum ag_status st = q_for_results(c, id, &q, &r, &n);
	if (st != AG_OK)
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
