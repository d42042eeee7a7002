/* The runner thread: claim, run and record due jobs one by one, then sleep a second (or until
 * told to stop). Its log says one line per failed job: kind, key, attempt and the failure,
 * never a value of the job's data. */
#include "scheduler.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "generation.h"
#include "job_kinds.h"
#include "metrics.h"
#include "store.h"
#include "ticker.h"
#include "util.h"

struct scheduler {
	struct agora_ctx base;
	struct generation_cell *gens; /* each job runs with the plugins of the generation current then */
	struct store *db;
	struct job_runner runner;
	char name[300]; /* host:pid, who claims */
	struct ticker ticker;
	int db_failing; /* the last claim failed on the database: said once, not every second */
};

/* Says what went wrong with a job, on one line. */
static void log_outcome(enum job_outcome o, const struct job_report *rep)
{
	char at[32];
	const struct job *j = &rep->job;
	if (o == JOB_RETRY) {
		time_rfc3339(rep->retry_at, at);
		fprintf(stderr, "agorad: job %s \"%s\": attempt %d of %d failed: %s; retry at %s\n", j->kind, j->key,
			j->attempts, rep->max_attempts, rep->error, at);
	} else if (o == JOB_FAILED) {
		fprintf(stderr, "agorad: job %s \"%s\": failed for good after %d attempt%s: %s\n", j->kind, j->key,
			j->attempts, j->attempts == 1 ? "" : "s", rep->error);
	} else if (o == JOB_LOST) {
		fprintf(stderr, "agorad: job %s \"%s\": its lease passed and another runner took it; this run was undone\n",
			j->kind, j->key);
	}
}

/* Runs one due job on a fresh arena: 1 when one ran (look for another), 0 when none was due or
 * the database failed (wait for the next tick). */
static int run_one(struct scheduler *s)
{
	struct arena *a = arena_new();
	struct agora_ctx c = s->base;
	struct generation *g = generation_take(s->gens);
	c.db = s->db;
	c.arena = a;
	c.now = clock_now();
	c.plugins = g->plugins;
	struct job_report rep;
	enum job_outcome o = job_run_next(&c, &s->runner, &rep);
	generation_release(g);
	metrics_job_outcome(o);
	log_outcome(o, &rep);
	if (o == JOB_ERROR && !s->db_failing)
		fprintf(stderr, "agorad: scheduled work: the database failed: %s\n", store_error(s->db));
	s->db_failing = o == JOB_ERROR;
	arena_free(a);
	return o != JOB_NONE && o != JOB_ERROR;
}

static void ensure_recurring(struct scheduler *s)
{
	struct arena *a = arena_new();
	struct agora_ctx c = {.db = s->db, .arena = a, .now = clock_now()};
	if (job_ensure_recurring(&c, &s->runner) != AG_OK)
		fprintf(stderr, "agorad: could not schedule the recurring jobs: %s\n", store_error(s->db));
	arena_free(a);
}

static void *scheduler_main(void *arg)
{
	struct scheduler *s = arg;
	ensure_recurring(s);
	while (!ticker_stopping(&s->ticker)) {
		while (!ticker_stopping(&s->ticker) && run_one(s))
			;
		ticker_nap(&s->ticker, 1000);
	}
	return NULL;
}

static void scheduler_free(struct scheduler *s)
{
	store_close(s->db);
	free(s);
}

struct scheduler *scheduler_start(const char *db_path, const struct agora_ctx *base, struct generation_cell *gens)
{
	char host[256] = "localhost", *err = NULL;
	struct scheduler *s = xcalloc(1, sizeof *s);
	s->base = *base;
	s->gens = gens;
	if (!(s->db = store_open(db_path, &err))) {
		fprintf(stderr, "agorad: scheduled work: %s\n", err ? err : "cannot open the database");
		free(err);
		scheduler_free(s);
		return NULL;
	}
	gethostname(host, sizeof host - 1);
	snprintf(s->name, sizeof s->name, "%s:%ld", host, (long)getpid());
	s->runner = (struct job_runner){.kinds = job_kinds, .nkinds = job_nkinds, .name = s->name};
	if (ticker_start(&s->ticker, scheduler_main, s) != 0) {
		fprintf(stderr, "agorad: scheduled work: cannot start its thread\n");
		scheduler_free(s);
		return NULL;
	}
	return s;
}

void scheduler_stop(struct scheduler *s)
{
	if (!s)
		return;
	ticker_stop(&s->ticker);
	scheduler_free(s);
}
