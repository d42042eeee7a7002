/* metrics: what /metrics reports about the running daemon, in the Prometheus text format
 * (version 0.0.4). Requests are counted by route pattern (never by raw path, so the number of
 * series is bounded by the route table) and status, with a latency histogram per route. The
 * counters are process-wide relaxed atomics: recording a request takes no lock. */
#ifndef AGORA_METRICS_H
#define AGORA_METRICS_H

#include <stdint.h>

#include "store_feed.h"
#include "util.h"

struct pool;

/* A monotonic clock in nanoseconds, for timing requests. */
uint64_t metrics_clock_ns(void);
/* Counts one answered request: route is an index into agora_routes, or -1 when no route
 * matched; elapsed_ns runs from its arrival to its answer. Any thread may call it. */
void metrics_request_done(long route, int status, uint64_t elapsed_ns);
/* The slow-work pool whose queue /metrics reports (the transport names it at start-up). */
void metrics_watch_pool(struct pool *p);
/* Appends the whole exposition: request counters, the latency histogram, the figures of
 * the site (counts), the pool's queue and the live update listeners. */
void metrics_render(struct buf *out, const struct store_counts *counts);

#endif
