/* store_job: the jobs table, the store half of scheduled work (domain/jobs.h has the rules).
 * Every function is one statement, so each may run alone or inside the caller's transaction:
 * a job scheduled inside a transaction is written, or not, with what caused it. */
#ifndef AGORA_STORE_JOB_H
#define AGORA_STORE_JOB_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* A claimed job. Strings in the arena given to store_job_claim. */
struct job {
	int64_t id;
	const char *kind;
	const char *key;
	int64_t due_at;
	int attempts; /* including the run just claimed */
};

/* Adds (kind, key) due at due_at: STORE_OK when added, STORE_NOTFOUND when it exists already
 * (in any state; it is left as it is). */
int store_job_schedule(struct store *db, int64_t now, const char *kind, const char *key, int64_t due_at);
/* Adds (kind, key), or moves it to due_at when it has not run yet (still due); a job running,
 * done or failed is left alone. */
int store_job_move(struct store *db, int64_t now, const char *kind, const char *key, int64_t due_at);
/* Adds (kind, key), or re-arms it at due_at with no attempts when it had failed for good. */
int store_job_ensure(struct store *db, int64_t now, const char *kind, const char *key, int64_t due_at);
/* Removes (kind, key) if it has not run yet: STORE_NOTFOUND otherwise. */
int store_job_cancel(struct store *db, const char *kind, const char *key);
/* Claims the oldest claimable job (due by now, or running under a lease that has passed) for
 * runner `by` until now + lease, counting an attempt: STORE_OK with *out, or STORE_NOTFOUND
 * when nothing is due. Atomic on its own; run it in a write transaction (store_begin) so that
 * concurrent runners queue instead of failing on a stale snapshot. */
int store_job_claim(struct store *db, struct arena *a, int64_t now, const char *by, int64_t lease, struct job *out);
/* The run of job id by `by` succeeded: done, or, with again_at > 0, due again then (a recurring
 * job). STORE_NOTFOUND when the job is no longer this runner's (its lease passed and another
 * runner took it): the caller must roll back what the run wrote. */
int store_job_finish(struct store *db, int64_t now, int64_t id, const char *by, int64_t again_at);
/* The run failed with error: due again at retry_at, or, with retry_at 0, failed for good.
 * STORE_NOTFOUND as for store_job_finish. */
int store_job_fail(struct store *db, int64_t now, int64_t id, const char *by, int64_t retry_at, const char *error);
/* How many jobs are claimable at now. */
int store_job_count_due(struct store *db, int64_t now, int64_t *n);

#endif
