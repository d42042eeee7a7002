#include "followups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jobs.h"
#include "notify.h"
#include "questionnaires.h"
#include "store_followup.h"
#include "store_questionnaire.h"
#include "store_training.h"
#include "store_user.h"

struct ag_right followup_may_manage(struct agora_ctx *c, const struct training *x)
{
	return training_may_organise(c, x);
}

struct ag_right followup_may_name_raters(struct agora_ctx *c, const struct training *x)
{
	struct training_me me;
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r))
		return r;
	if (training_me(c, x, &me) != AG_OK || !me.trainee)
		return ag_refused(AG_EFORBIDDEN, "trainees_only");
	return r;
}

void followup_opens_on(const struct training *x, const struct followup *f, char out[11])
{
	struct tm tm = {0};
	const char *base = f->opens_after_days < 0 ? x->starts_on : x->ends_on;
	char day[40];
	if (sscanf(base, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) {
		snprintf(out, 11, "%s", base);
		return;
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	time_t t = timegm(&tm) + (time_t)f->opens_after_days * 86400;
	gmtime_r(&t, &tm);
	snprintf(day, sizeof day, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, tm.tm_mon + 1, tm.tm_mday);
	memcpy(out, day, 10);
	out[10] = '\0';
}

/* The moment a wave opens: the start of its day in the site's time zone. */
static int64_t followup_opens_at(struct agora_ctx *c, const struct training *x, const struct followup *f)
{
	char day[11];
	followup_opens_on(x, f, day);
	return training_day_start(c, day);
}

/* The organiser's fields, checked: *f ready to insert. */
static enum ag_status followup_fields(struct agora_ctx *c, const struct followup_input *in, struct followup *f)
{
	struct questionnaire t;
	if (!in->has_questionnaire || q_get(c, in->questionnaire, &t) != AG_OK)
		return ag_fail(c, AG_EINVAL, "unknown_questionnaire");
	if (!in->has_opens_after_days || llabs(in->opens_after_days) > FOLLOWUP_MAX_DAYS)
		return ag_fail(c, AG_EINVAL, "invalid_opens_after_days");
	if (!in->respondents || (strcmp(in->respondents, "trainees") && strcmp(in->respondents, "raters")))
		return ag_fail(c, AG_EINVAL, "invalid_respondents");
	f->remind_after_days = in->has_remind_after_days ? in->remind_after_days : FOLLOWUP_REMIND_DEFAULT;
	if (f->remind_after_days < 1 || f->remind_after_days > FOLLOWUP_MAX_REMIND)
		return ag_fail(c, AG_EINVAL, "invalid_remind_after_days");
	f->template_id = t.id;
	f->opens_after_days = in->opens_after_days;
	f->respondents = in->respondents;
	return AG_OK;
}

/* The training by slug, for those who may manage its waves. */
static enum ag_status followup_training(struct agora_ctx *c, const char *slug, struct training *x)
{
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK || (st = training_get(c, slug, x)) != AG_OK)
		return st;
	return ag_check(c, followup_may_manage(c, x));
}

enum ag_status followup_create(struct agora_ctx *c, const char *slug, const struct followup_input *in,
			       struct training *x, struct followup *out)
{
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = followup_training(c, slug, x)) != AG_OK)
		return st;
	memset(out, 0, sizeof *out);
	if ((st = followup_fields(c, in, out)) != AG_OK)
		return st;
	out->training_id = x->id;
	out->created_by = c->actor->id;
	out->created_at = c->now;
	int rc = store_begin(c->db);
	if (rc == STORE_OK && (rc = store_followup_insert(c->db, out)) == STORE_OK &&
	    (st = job_schedule(c, FOLLOWUP_OPEN_JOB, job_key(c, out->id), followup_opens_at(c, x, out))) != AG_OK) {
		store_rollback(c->db);
		return st;
	}
	if ((st = ag_commit(c, rc, AG_OK)) != AG_OK)
		return st;
	st = ag_found(c, store_followup_get(c->db, c->arena, out->id, out), "followup_not_found");
	return st == AG_OK ? AG_CREATED : st;
}

enum ag_status followup_list(struct agora_ctx *c, const char *slug, struct training *x, struct followup **out,
			     size_t *n)
{
	enum ag_status st = followup_training(c, slug, x);
	if (st != AG_OK)
		return st;
	return ag_stored(c, store_followups(c->db, c->arena, x->id, out, n));
}

enum ag_status followup_of_training(struct agora_ctx *c, const struct training *x, struct followup **out,
				    size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!ag_allowed(followup_may_manage(c, x)))
		return AG_OK;
	return ag_stored(c, store_followups(c->db, c->arena, x->id, out, n));
}

/* The ids of the named members, each once: 400 unknown_user, self_rater. */
static enum ag_status rater_ids(struct agora_ctx *c, const char *const *names, size_t n, int64_t *ids, size_t *k)
{
	struct user u;
	*k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!names[i] || store_user_by_name(c->db, c->arena, names[i], &u) != STORE_OK)
			return ag_fail(c, AG_EINVAL, "unknown_user");
		if (u.id == c->actor->id)
			return ag_fail(c, AG_EINVAL, "self_rater");
		size_t j = 0;
		while (j < *k && ids[j] != u.id)
			j++;
		if (j == *k)
			ids[(*k)++] = u.id;
	}
	return AG_OK;
}

enum ag_status followup_set_raters(struct agora_ctx *c, const char *slug, const char *const *names, size_t n)
{
	struct training x;
	int64_t ids[FOLLOWUP_MAX_RATERS];
	size_t k;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = training_get(c, slug, &x)) != AG_OK ||
	    (st = ag_check(c, followup_may_name_raters(c, &x))) != AG_OK)
		return st;
	if (!names || !n)
		return ag_fail(c, AG_EINVAL, "invalid_usernames");
	if (n > FOLLOWUP_MAX_RATERS)
		return ag_fail(c, AG_EINVAL, "too_many_raters");
	if ((st = rater_ids(c, names, n, ids, &k)) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_raters_set(c->db, x.id, c->actor->id, ids, k);
	return ag_commit(c, rc, AG_CREATED);
}

/* training_update's hook: every wave not opened yet opens on its new day. */
static enum ag_status followup_dates_moved(struct agora_ctx *c, const struct training *x)
{
	struct followup *f;
	size_t n;
	enum ag_status st = ag_stored(c, store_followups(c->db, c->arena, x->id, &f, &n));
	for (size_t i = 0; st == AG_OK && i < n; i++)
		if (!f[i].questionnaire_id)
			st = job_move(c, FOLLOWUP_OPEN_JOB, job_key(c, f[i].id), followup_opens_at(c, x, &f[i]));
	return st;
}

enum ag_status followup_training_update(struct agora_ctx *c, const char *slug, const struct training_input *in,
					struct training *out)
{
	return training_update_with(c, slug, in, out, followup_dates_moved);
}

/* The follow-up a job is about: AG_OK, or AG_ENOTFOUND when it is gone (nothing to do). */
static enum ag_status job_followup(struct agora_ctx *c, const struct job *j, struct followup *f, struct training *x)
{
	int rc = store_followup_get(c->db, c->arena, strtoll(j->key, NULL, 10), f);
	if (rc == STORE_OK)
		rc = store_training_by_id(c->db, c->arena, f->training_id, x);
	if (rc == STORE_NOTFOUND)
		return AG_ENOTFOUND;
	return rc == STORE_OK ? AG_OK : ag_store_fail(c, rc);
}

/* The wave's own questionnaire: the template copied onto the training's board (so it is seen
 * as the board is, and by the invited raters), never closing; raters' waves are anonymous. */
static int followup_copy(struct agora_ctx *c, const struct training *x, struct followup *f)
{
	struct questionnaire t, q = {0};
	int rc = store_q_get(c->db, c->arena, f->template_id, &t);
	if (rc != STORE_OK)
		return rc;
	q.title = t.title;
	q.board_id = x->board_id;
	q.anonymous = t.anonymous || !strcmp(f->respondents, "raters");
	q.questions = t.questions;
	q.creator_id = f->created_by ? f->created_by : x->created_by;
	q.created_at = c->now;
	if ((rc = store_q_insert(c->db, &q)) == STORE_OK && (rc = store_followup_set_questionnaire(c->db, f->id, q.id)) == STORE_OK)
		f->questionnaire_id = q.id;
	return rc;
}

enum ag_status followup_open_job(struct agora_ctx *c, const struct job *j, int64_t *again_at)
{
	struct followup f;
	struct training x;
	enum ag_status st = job_followup(c, j, &f, &x);
	if (st == AG_ENOTFOUND || (st == AG_OK && f.questionnaire_id))
		return AG_OK; /* gone, or opened already */
	if (st != AG_OK)
		return st;
	int64_t at = followup_opens_at(c, &x, &f);
	if (at > c->now) { /* the dates moved later than this job knew */
		*again_at = at;
		return AG_OK;
	}
	int rc = followup_copy(c, &x, &f);
	if (rc == STORE_OK)
		rc = store_followup_invite(c->db, &f);
	if (rc == STORE_OK)
		rc = notify_followup(c, &f, "opened", 0);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	return job_schedule(c, FOLLOWUP_REMIND_JOB, j->key, c->now + f.remind_after_days * 86400);
}

enum ag_status followup_remind_job(struct agora_ctx *c, const struct job *j, int64_t *again_at)
{
	struct followup f;
	struct training x;
	(void)again_at;
	enum ag_status st = job_followup(c, j, &f, &x);
	if (st == AG_ENOTFOUND || (st == AG_OK && !f.questionnaire_id))
		return AG_OK;
	if (st != AG_OK)
		return st;
	int rc = notify_followup(c, &f, "reminder", 1);
	return rc == STORE_OK ? AG_OK : ag_store_fail(c, rc);
}

/* The entry of questions for (prompt, kind), added when missing; borrowed. */
static json_t *effect_question(json_t *questions, const json_t *r)
{
	const char *prompt = json_string_value(json_object_get(r, "prompt"));
	const char *kind = json_string_value(json_object_get(r, "kind"));
	json_t *e;
	size_t i;
	json_array_foreach(questions, i, e)
	{
		if (json_equal(json_object_get(e, "prompt"), json_object_get(r, "prompt")) &&
		    json_equal(json_object_get(e, "kind"), json_object_get(r, "kind")))
			return e;
	}
	e = json_pack("{s:s, s:s, s:[]}", "prompt", prompt, "kind", kind, "waves");
	json_array_append_new(questions, e);
	return e;
}

/* One wave's results added to the effect: each question but text ones, its numbers; none
 * while the wave's results are withheld (anonymous, too few responses), since its
 * questionnaire's own results page would not show them either. */
static void effect_add(json_t *questions, const json_t *results, json_t *wave, size_t counted, int too_few)
{
	const json_t *r;
	size_t i;
	json_array_foreach(results, i, r)
	{
		const char *kind = json_string_value(json_object_get(r, "kind"));
		if (!strcmp(kind, "text"))
			continue;
		json_t *w = json_deep_copy(wave);
		if (too_few) {
			json_object_set_new(w, "responses", json_integer((json_int_t)counted));
			json_object_set_new(w, "too_few", json_integer(Q_RESULTS_MIN));
		} else if (!strcmp(kind, "rating")) {
			json_object_set(w, "responses", json_object_get(r, "count"));
			json_object_set(w, "average", json_object_get(r, "average"));
		} else {
			json_object_set_new(w, "responses", json_integer((json_int_t)counted));
			json_object_set(w, "options", json_object_get(r, "options"));
		}
		if (!too_few)
			json_object_set(w, "counts", json_object_get(r, "counts"));
		json_array_append_new(json_object_get(effect_question(questions, r), "waves"), w);
	}
}

/* The waves in the order they open (then as created): insertion sort, there are few. */
static void followups_by_day(const struct training *x, struct followup *f, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct followup k = f[i];
		char dk[11], dj[11];
		followup_opens_on(x, &k, dk);
		size_t j = i;
		for (; j > 0; j--) {
			followup_opens_on(x, &f[j - 1], dj);
			if (strcmp(dj, dk) <= 0)
				break;
			f[j] = f[j - 1];
		}
		f[j] = k;
	}
}

/* Organisers and admins see the effect; admins do not see the training's board, so the waves'
 * questionnaires are read here without q_get's visibility, the right being checked above. */
enum ag_status followup_effect(struct agora_ctx *c, const char *slug, struct training *x, json_t **questions)
{
	struct followup *f;
	size_t n, counted, withheld;
	enum ag_status st = followup_list(c, slug, x, &f, &n);
	if (st != AG_OK)
		return st;
	followups_by_day(x, f, n);
	*questions = json_array();
	for (size_t i = 0; st == AG_OK && i < n; i++) {
		struct questionnaire q;
		json_t *results = NULL;
		char day[11];
		if (!f[i].questionnaire_id)
			continue;
		if ((st = ag_found(c, store_q_get(c->db, c->arena, f[i].questionnaire_id, &q), "not_found")) != AG_OK ||
		    (st = q_tally(c, &q, &results, &counted, &withheld)) != AG_OK)
			break;
		followup_opens_on(x, &f[i], day);
		json_t *wave = json_pack("{s:I, s:s, s:s, s:I}", "followup", (json_int_t)f[i].id, "opens_on", day,
					 "respondents", f[i].respondents, "withheld", (json_int_t)withheld);
		effect_add(*questions, results, wave, counted, q_results_withheld(c, &q));
		json_decref(wave);
		json_decref(results);
	}
	if (st != AG_OK)
		json_decref(*questions);
	return st;
}
