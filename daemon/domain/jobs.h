/* jobs: scheduled work, run exactly once however many agorad processes share the database.
 *
 * A feature schedules a job, by kind and key, in the transaction that causes it:
 *
 *     job_schedule(c, "followup.open", job_key(c, f.id), f.opens_at);
 *
 * and handles it with a function registered for its kind in the table of job_kinds.c. One
 * runner thread per process (http/scheduler.c) claims due jobs one at a time in the database
 * (so two processes never run the same one), runs the kind's handler and records the outcome.
 * A handler that changes the database runs inside the runner's transaction, and the job is
 * marked done in that same transaction: the handler's writes and "done" commit together or not
 * at all, so a crash leaves the job to run again, never half-run or run twice. A failure is
 * retried with back-off (1, 2, 4, ... minutes, at most an hour) until the kind's maximum of
 * attempts, then the job is failed for good. The clock is c->now (clock.h: AGORA_NOW moves it),
 * so work that fell due while agorad was stopped runs as soon as it starts. */
#ifndef AGORA_JOBS_H
#define AGORA_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "store_job.h"

enum {
	JOB_LEASE = 300,       /* seconds a claim lasts: a job whose runner died is taken again after it */
	JOB_MAX_ATTEMPTS = 5,  /* attempts of a kind that names no maximum */
	JOB_BACKOFF = 60,      /* seconds before the first retry; doubled at each failure */
	JOB_BACKOFF_MAX = 3600,
	JOB_ERROR_MAX = 200,   /* bytes of a failure kept in last_error */
};

/* Schedules (kind, key) at due_at, once: when that job exists already, in any state, nothing
 * changes (so a feature may call it at every occasion). Writes one row, alone or inside the
 * caller's transaction. key identifies the thing (an id: job_key); never a secret. */
enum ag_status job_schedule(struct agora_ctx *c, const char *kind, const char *key, int64_t due_at);
/* Schedules (kind, key) at due_at, or moves it there if it has not run yet (a date changed). */
enum ag_status job_move(struct agora_ctx *c, const char *kind, const char *key, int64_t due_at);
/* Forgets (kind, key) if it has not run yet; AG_OK either way. */
enum ag_status job_cancel(struct agora_ctx *c, const char *kind, const char *key);
/* The key of a job about the row id (its decimal digits, in c->arena). */
const char *job_key(struct agora_ctx *c, int64_t id);

/* A kind's handler. It runs with c->now, c->db and a fresh c->arena, no actor, no listeners.
 * Unless its kind is `outside`, it runs inside the runner's write transaction: it writes with
 * the store's functions (or domain helpers that do not begin a transaction of their own) and
 * never begins, commits or rolls back. AG_OK is success (set *again_at to run the same job
 * again then: a recurring job); anything else is a failure, described by c->error_code and
 * c->error_detail, and everything it wrote is rolled back. */
typedef enum ag_status (*job_fn)(struct agora_ctx *c, const struct job *j, int64_t *again_at);

struct job_kind {
	const char *kind;
	job_fn run;
	/* 1: the handler talks to the world (SMTP) and runs outside any transaction, so its
	 * effect is at least once: it must finish within JOB_LEASE and tolerate a repeat. */
	int outside;
	int max_attempts; /* 0: JOB_MAX_ATTEMPTS */
	/* 1: always scheduled: the runner ensures the job (kind, "") at start-up, due at once,
	 * and re-arms it if it had failed for good. Its handler sets *again_at. */
	int recurring;
};

struct job_runner {
	const struct job_kind *kinds;
	size_t nkinds;
	const char *name; /* who claims: unique among the processes on the database (host:pid) */
	int64_t lease;    /* 0: JOB_LEASE */
};

enum job_outcome {
	JOB_NONE,   /* nothing was due */
	JOB_DONE,   /* ran; done, or due again at report.retry_at for a recurring job */
	JOB_RETRY,  /* failed; due again at report.retry_at */
	JOB_FAILED, /* failed for good (attempts spent, or an unknown kind) */
	JOB_LOST,   /* the lease passed and another runner took the job: this run was undone */
	JOB_ERROR,  /* the database failed (busy): nothing was claimed, or the outcome not recorded */
};

/* What became of one job, for the runner's log and counters. Strings in c->arena. */
struct job_report {
	struct job job;
	const char *error; /* the failure's description, for RETRY and FAILED */
	int64_t retry_at;
	int max_attempts;
};

/* The delay before retrying after the attempts-th failure: JOB_BACKOFF doubled each time, at
 * most JOB_BACKOFF_MAX (the outbox retries the same way). */
int64_t job_backoff(int attempts);

/* Schedules the recurring kinds of r (job_kind.recurring), due at c->now. */
enum ag_status job_ensure_recurring(struct agora_ctx *c, const struct job_runner *r);
/* Claims the oldest due job, runs it and records its outcome. c->now is the time. */
enum job_outcome job_run_next(struct agora_ctx *c, const struct job_runner *r, struct job_report *rep);

#endif
