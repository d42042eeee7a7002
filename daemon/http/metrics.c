#include "metrics.h"

#include "climit.h"

#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "generation.h"
#include "http.h"
#include "live.h"
#include "pool.h"

/* Room for the route table with space to grow; routes past it count as unmatched. */
enum { MAX_ROUTES = 512, SERIES = MAX_ROUTES + 1 };

/* The statuses agorad answers; anything else is counted as "other". */
static const int statuses[] = {200, 201, 202, 204, 303, 304, 400, 401, 403, 404, 405,
			       409, 413, 415, 422, 429, 500, 503};
enum { NSTATUS = sizeof statuses / sizeof statuses[0] + 1 };

/* Upper bounds in seconds, from a cached page (about a millisecond) to a slow upload. */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
				0.1, 0.25, 0.5, 1, 2.5, 5, 10};
enum { NBOUNDS = sizeof bounds / sizeof bounds[0], NBUCKETS = NBOUNDS + 1 };

/* Series 0 is "no route matched"; series i+1 is routes[i]. Buckets are stored apart
 * (not cumulative) so one request touches one bucket; they are summed when rendered. */
static _Atomic uint64_t requests[SERIES][NSTATUS];
static _Atomic uint64_t buckets[SERIES][NBUCKETS];
static _Atomic uint64_t elapsed_sum_ns[SERIES];
static _Atomic(struct pool *) watched_pool;
static _Atomic(struct climit *) watched_conns;
static _Atomic uint64_t jobs_run, jobs_failed;
static _Atomic uint64_t reloads[2]; /* failed, done */
static _Atomic uint64_t mail_outcomes[4]; /* by enum outbox_result */
static const struct route *routes;
static size_t nroutes;

uint64_t metrics_clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static size_t status_slot(int status)
{
	size_t i = 0;
	while (i < NSTATUS - 1 && statuses[i] != status)
		i++;
	return i;
}

static size_t bucket_slot(uint64_t ns)
{
	double s = (double)ns / 1e9;
	size_t i = 0;
	while (i < NBOUNDS && s > bounds[i])
		i++;
	return i;
}

void metrics_request_done(long route, int status, uint64_t elapsed_ns)
{
	size_t k = route >= 0 && route < MAX_ROUTES && (size_t)route < nroutes ? (size_t)route + 1 : 0;
	atomic_fetch_add_explicit(&requests[k][status_slot(status)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&buckets[k][bucket_slot(elapsed_ns)], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&elapsed_sum_ns[k], elapsed_ns, memory_order_relaxed);
}

void metrics_job_outcome(enum job_outcome o)
{
	if (o == JOB_DONE)
		atomic_fetch_add_explicit(&jobs_run, 1, memory_order_relaxed);
	else if (o == JOB_RETRY || o == JOB_FAILED)
		atomic_fetch_add_explicit(&jobs_failed, 1, memory_order_relaxed);
}

void metrics_reload_done(int ok)
{
	atomic_fetch_add_explicit(&reloads[ok ? 1 : 0], 1, memory_order_relaxed);
}

void metrics_mail_outcome(enum outbox_result r)
{
	atomic_fetch_add_explicit(&mail_outcomes[r], 1, memory_order_relaxed);
}

void metrics_watch_routes(const struct route *r, size_t n)
{
	routes = r;
	nroutes = n;
}

void metrics_watch_pool(struct pool *p)
{
	atomic_store(&watched_pool, p);
}

void metrics_watch_connections(struct climit *c)
{
	atomic_store(&watched_conns, c);
}

static const char *method_label(enum http_method m)
{
	switch (m) {
	case M_GET: return "GET";
	case M_POST: return "POST";
	case M_PUT: return "PUT";
	case M_PATCH: return "PATCH";
	case M_DELETE: return "DELETE";
	case M_HEAD: return "HEAD";
	}
	return "other";
}

/* The labels of series k: method and route pattern. Patterns are ours (no quotes or
 * backslashes), so they need no escaping. */
static void series_labels(struct buf *out, size_t k)
{
	if (k == 0)
		buf_puts(out, "method=\"any\",route=\"unmatched\"");
	else
		buf_printf(out, "method=\"%s\",route=\"%s\"", method_label(routes[k - 1].method),
			   routes[k - 1].pattern);
}

static size_t series_count(void)
{
	return nroutes < MAX_ROUTES ? nroutes + 1 : SERIES;
}

static void render_requests(struct buf *out)
{
	buf_puts(out, "# HELP agora_http_requests_total HTTP requests answered, by route pattern and status.\n"
		      "# TYPE agora_http_requests_total counter\n");
	for (size_t k = 0; k < series_count(); k++)
		for (size_t s = 0; s < NSTATUS; s++) {
			uint64_t v = atomic_load_explicit(&requests[k][s], memory_order_relaxed);
			if (!v)
				continue;
			buf_puts(out, "agora_http_requests_total{");
			series_labels(out, k);
			if (s < NSTATUS - 1)
				buf_printf(out, ",status=\"%d\"} %llu\n", statuses[s], (unsigned long long)v);
			else
				buf_printf(out, ",status=\"other\"} %llu\n", (unsigned long long)v);
		}
}

/* One route's histogram. _count is the +Inf bucket of the same reading, so the two always
 * agree even while requests are being counted. */
static void render_histogram_series(struct buf *out, size_t k, const uint64_t *b, uint64_t total)
{
	uint64_t cumulative = 0;
	for (size_t i = 0; i < NBUCKETS; i++) {
		cumulative += b[i];
		buf_puts(out, "agora_http_request_duration_seconds_bucket{");
		series_labels(out, k);
		if (i < NBOUNDS)
			buf_printf(out, ",le=\"%g\"} %llu\n", bounds[i], (unsigned long long)cumulative);
		else
			buf_printf(out, ",le=\"+Inf\"} %llu\n", (unsigned long long)cumulative);
	}
	buf_puts(out, "agora_http_request_duration_seconds_sum{");
	series_labels(out, k);
	buf_printf(out, "} %.6f\n", (double)atomic_load_explicit(&elapsed_sum_ns[k], memory_order_relaxed) / 1e9);
	buf_puts(out, "agora_http_request_duration_seconds_count{");
	series_labels(out, k);
	buf_printf(out, "} %llu\n", (unsigned long long)total);
}

static void render_histogram(struct buf *out)
{
	buf_puts(out, "# HELP agora_http_request_duration_seconds Time from a request's arrival to its answer.\n"
		      "# TYPE agora_http_request_duration_seconds histogram\n");
	for (size_t k = 0; k < series_count(); k++) {
		uint64_t b[NBUCKETS], total = 0;
		for (size_t i = 0; i < NBUCKETS; i++)
			total += b[i] = atomic_load_explicit(&buckets[k][i], memory_order_relaxed);
		if (total)
			render_histogram_series(out, k, b, total);
	}
}

static void counter(struct buf *out, const char *name, const char *help, _Atomic uint64_t *v)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name,
		   (unsigned long long)atomic_load_explicit(v, memory_order_relaxed));
}

static void gauge(struct buf *out, const char *name, const char *help, const char *labels, long long v)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s gauge\n%s%s %lld\n", name, help, name, name, labels, v);
}

void metrics_render(struct buf *out, const struct store_counts *counts)
{
	struct pool *p = atomic_load(&watched_pool);
	render_requests(out);
	render_histogram(out);
	gauge(out, "agora_posts", "Posts by state (published: readable by everyone).", "{state=\"published\"}",
	      (long long)counts->posts_published);
	gauge(out, "agora_threads", "Threads on all boards.", "", (long long)counts->threads);
	gauge(out, "agora_sessions_active", "Sessions that have not expired.", "",
	      (long long)counts->sessions_active);
	gauge(out, "agora_pool_queued_jobs", "Slow jobs (password hashing, uploads) waiting for a thread.", "",
	      p ? (long long)pool_queued(p) : 0);
	counter(out, "agora_jobs_run_total", "Scheduled jobs this process ran to completion.", &jobs_run);
	counter(out, "agora_jobs_failed_total", "Runs of scheduled jobs that failed in this process (retried or not).",
		&jobs_failed);
	gauge(out, "agora_jobs_due", "Scheduled jobs due now and not yet taken (in the whole database).", "",
	      (long long)counts->jobs_due);
	gauge(out, "agora_mail_queued", "E-mails in the outbox waiting to be sent (in the whole database).", "",
	      (long long)counts->mail_waiting);
	gauge(out, "agora_mail_failed", "E-mails that failed for good (in the whole database).", "",
	      (long long)counts->mail_failed);
	counter(out, "agora_mail_sent_total", "E-mails this process handed to the relay.", &mail_outcomes[OUTBOX_SENT]);
	counter(out, "agora_mail_retried_total", "Sends this process will try again (relay down or 4xx).",
		&mail_outcomes[OUTBOX_RETRY]);
	counter(out, "agora_mail_rejected_total", "E-mails the relay refused for good (5xx).",
		&mail_outcomes[OUTBOX_REJECTED]);
	counter(out, "agora_mail_dropped_total", "Queued e-mails with nothing left to say (address gone, content hidden).",
		&mail_outcomes[OUTBOX_DROPPED]);
	gauge(out, "agora_live_listeners", "Open live update streams (Server-Sent Events).", "",
	      (long long)live_listener_count());
	struct climit *c = atomic_load(&watched_conns);
	gauge(out, "agora_connections_open", "Client connections open now (live streams included).", "",
	      c ? (long long)climit_total(c) : 0);
	gauge(out, "agora_generations_alive",
	      "Loaded sets of templates, catalogs and plugins: 1, or more while a reload's old set still answers requests.",
	      "", generation_count());
	counter(out, "agora_reloads_total", "Reloads (SIGHUP) that swapped in new templates, catalogs and plugins.",
		&reloads[1]);
	counter(out, "agora_reload_failures_total", "Reloads that failed and left the site as it was.", &reloads[0]);
	gauge(out, "agora_database_bytes", "Size of the database file.", "", (long long)counts->db_bytes);
	gauge(out, "agora_wal_bytes", "Size of the database's write-ahead log (folded back as readers allow).", "",
	      (long long)counts->wal_bytes);
}
