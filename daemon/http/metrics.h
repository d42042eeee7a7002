/* metrics: what /metrics reports about the running daemon, in the Prometheus text format
 * (version 0.0.4). Requests are counted by route pattern (never by raw path, so the number of
 * series is bounded by the route table) and status, with a latency histogram per route. The
 * counters are process-wide relaxed atomics: recording a request takes no lock. */
#ifndef AGORA_METRICS_H
#define AGORA_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "jobs.h"
#include "outbox.h"
#include "store_feed.h"
#include "util.h"

struct pool;
struct route;

/* A monotonic clock in nanoseconds, for timing requests. */
uint64_t metrics_clock_ns(void);
/* Counts one answered request: route is an index into the route table, or -1 when no route
 * matched; elapsed_ns runs from its arrival to its answer. Any thread may call it. */
void metrics_request_done(long route, int status, uint64_t elapsed_ns);
/* The route table whose entries requests are counted by (named once, at start-up). */
void metrics_watch_routes(const struct route *routes, size_t n);
/* The slow-work pool whose queue /metrics reports (the transport names it at start-up). */
void metrics_watch_pool(struct pool *p);
/* The table of open connections by client whose total /metrics reports. */
struct climit;
void metrics_watch_connections(struct climit *c);
/* Counts what became of a job the scheduler took (any thread may call it). */
void metrics_job_outcome(enum job_outcome o);
/* Counts a reload, done (ok 1) or failed (0). */
void metrics_reload_done(int ok);
/* Counts what became of an e-mail the sender took (any thread may call it). */
void metrics_mail_outcome(enum outbox_result r);
/* Appends the whole exposition: request counters, the latency histogram, the figures of
 * the site (counts), the pool's queue and the live update listeners. */
void metrics_render(struct buf *out, const struct store_counts *counts);

#endif
