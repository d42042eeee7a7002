/* Scheduled work: scheduling (one row, inside the caller's transaction), and the runner's
 * claim, run and record, each of which is one transaction. */
#include "jobs.h"

#include <stdio.h>
#include <string.h>

enum ag_status job_schedule(struct agora_ctx *c, const char *kind, const char *key, int64_t due_at)
{
	int rc = store_job_schedule(c->db, c->now, kind, key, due_at);
	return ag_stored(c, rc == STORE_NOTFOUND ? STORE_OK : rc); /* there already: the same job */
}

enum ag_status job_move(struct agora_ctx *c, const char *kind, const char *key, int64_t due_at)
{
	return ag_stored(c, store_job_move(c->db, c->now, kind, key, due_at));
}

enum ag_status job_cancel(struct agora_ctx *c, const char *kind, const char *key)
{
	int rc = store_job_cancel(c->db, kind, key);
	return ag_stored(c, rc == STORE_NOTFOUND ? STORE_OK : rc);
}

const char *job_key(struct agora_ctx *c, int64_t id)
{
	char digits[24];
	snprintf(digits, sizeof digits, "%lld", (long long)id);
	return arena_strdup(c->arena, digits);
}

enum ag_status job_ensure_recurring(struct agora_ctx *c, const struct job_runner *r)
{
	for (size_t i = 0; i < r->nkinds; i++) {
		if (!r->kinds[i].recurring)
			continue;
		int rc = store_job_ensure(c->db, c->now, r->kinds[i].kind, "", c->now);
		if (rc != STORE_OK)
			return ag_store_fail(c, rc);
	}
	return AG_OK;
}

static const struct job_kind *kind_of(const struct job_runner *r, const char *kind)
{
	for (size_t i = 0; i < r->nkinds; i++)
		if (strcmp(r->kinds[i].kind, kind) == 0)
			return &r->kinds[i];
	return NULL;
}

int64_t job_backoff(int attempts)
{
	int64_t d = JOB_BACKOFF;
	for (int i = 1; i < attempts && d < JOB_BACKOFF_MAX; i++)
		d *= 2;
	return d < JOB_BACKOFF_MAX ? d : JOB_BACKOFF_MAX;
}

/* What a failed handler said: its code and detail, and SQLite's message when the store failed
 * (it names what broke, never a value). At most JOB_ERROR_MAX bytes, in c->arena. */
static const char *failure_text(struct agora_ctx *c, enum ag_status st)
{
	char text[JOB_ERROR_MAX + 1];
	const char *code = c->error_code ? c->error_code : "failed";
	const char *db = st == AG_EINTERNAL || st == AG_EBUSY || st == AG_ECONFLICT ? store_error(c->db) : NULL;
	if (db && strcmp(db, "not an error") == 0)
		db = NULL;
	snprintf(text, sizeof text, "%s%s%s%s%s", code, c->error_detail ? ": " : "",
		 c->error_detail ? c->error_detail : "", db ? ": " : "", db ? db : "");
	return arena_strdup(c->arena, text);
}

/* Records a failed run: due again after the back-off, or failed for good once the attempts are
 * spent (final: at once). */
static enum job_outcome record_failure(struct agora_ctx *c, const struct job_runner *r, struct job_report *rep,
				       int final)
{
	rep->retry_at = final || rep->job.attempts >= rep->max_attempts ? 0 : c->now + job_backoff(rep->job.attempts);
	int rc = store_job_fail(c->db, c->now, rep->job.id, r->name, rep->retry_at, rep->error);
	if (rc == STORE_NOTFOUND)
		return JOB_LOST;
	if (rc != STORE_OK)
		return JOB_ERROR;
	return rep->retry_at ? JOB_RETRY : JOB_FAILED;
}

/* Claims the oldest due job into rep->job: STORE_OK, STORE_NOTFOUND (none) or a failure. */
static int claim(struct agora_ctx *c, const struct job_runner *r, struct job_report *rep)
{
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return rc;
	rc = store_job_claim(c->db, c->arena, c->now, r->name, r->lease ? r->lease : JOB_LEASE, &rep->job);
	if (rc != STORE_OK) {
		store_rollback(c->db);
		return rc;
	}
	return store_commit(c->db);
}

/* A handler inside the runner's transaction, the job's completion with it. */
static enum job_outcome run_inside(struct agora_ctx *c, const struct job_runner *r, const struct job_kind *k,
				   struct job_report *rep)
{
	int64_t again = 0;
	if (store_begin(c->db) != STORE_OK)
		return JOB_ERROR; /* still claimed: taken again when the lease passes */
	enum ag_status st = k->run(c, &rep->job, &again);
	if (st != AG_OK) {
		rep->error = failure_text(c, st);
		store_rollback(c->db);
		return record_failure(c, r, rep, 0);
	}
	rep->retry_at = again;
	int rc = store_job_finish(c->db, c->now, rep->job.id, r->name, again);
	if (rc == STORE_OK)
		rc = store_commit(c->db);
	if (rc == STORE_OK)
		return JOB_DONE;
	store_rollback(c->db);
	return rc == STORE_NOTFOUND ? JOB_LOST : JOB_ERROR;
}

/* A handler that talks to the world: no transaction around it, the completion after it. */
static enum job_outcome run_outside(struct agora_ctx *c, const struct job_runner *r, const struct job_kind *k,
				    struct job_report *rep)
{
	int64_t again = 0;
	enum ag_status st = k->run(c, &rep->job, &again);
	if (st != AG_OK) {
		rep->error = failure_text(c, st);
		return record_failure(c, r, rep, 0);
	}
	rep->retry_at = again;
	int rc = store_job_finish(c->db, c->now, rep->job.id, r->name, again);
	return rc == STORE_OK ? JOB_DONE : rc == STORE_NOTFOUND ? JOB_LOST : JOB_ERROR;
}

enum job_outcome job_run_next(struct agora_ctx *c, const struct job_runner *r, struct job_report *rep)
{
	memset(rep, 0, sizeof *rep);
	int rc = claim(c, r, rep);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? JOB_NONE : JOB_ERROR;
	const struct job_kind *k = kind_of(r, rep->job.kind);
	rep->max_attempts = k && k->max_attempts > 0 ? k->max_attempts : JOB_MAX_ATTEMPTS;
	c->error_code = c->error_detail = NULL;
	if (!k) {
		rep->error = "unknown job kind: no handler is registered for it";
		return record_failure(c, r, rep, 1);
	}
	return k->outside ? run_outside(c, r, k, rep) : run_inside(c, r, k, rep);
}
