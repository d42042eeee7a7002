/* server: the daemon's running parts shared by the transport — the read-only site
 * (templates, catalogs, static files, the slow-work pool) and one worker per thread. */
#ifndef AGORA_SERVER_H
#define AGORA_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "forwarded.h"
#include "generation.h"
#include "mailer.h"
#include "server_config.h"

struct event;
struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct store;
struct http_app;

/* What one client address may hold at once: connections (more are answered 503 and closed),
 * and searches running (more are answered 429). A township office behind one NAT address is
 * twenty browsers of about six connections each: the cap holds one client, not an office. */
enum { CONNS_PER_CLIENT = 128, SEARCHES_PER_CLIENT = 2 };

/* Read-only once the workers start, but for what a reload swaps in (gens). */
struct site {
	struct generation_cell gens; /* templates, catalogs, static files, plugins, reloadable settings */
	struct pool *pool;
	const char *db_path;
	const char *files_dir;
	int64_t max_upload; /* bytes */
	const struct http_app *app;
	const char *base_url; /* --base-url, or NULL: links from the request's Host */
	int mail;             /* e-mail is sent: --smtp and --base-url given */
	int https;            /* --base-url https://...: every request came over TLS */
	struct climit *conns;    /* connections open per client address (guard.c) */
	struct climit *searches; /* searches running per client address */
};

struct worker {
	struct site *site;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *sock;
	struct store *db;
	int inflight;  /* requests taken and not yet answered */
	int draining;  /* no longer accepting; exit when inflight reaches 0 */
	struct event *stop_ev;
	struct event *quiet_ev; /* draining: ends the loop once nothing was in flight for a moment */
	pthread_t thread;
};

/* Sets up the worker's evhttp on a listening socket (the worker dups it). 0 or -1. */
int http_worker_init(struct worker *w, int listen_fd);
/* Stops accepting; the loop exits once the requests in flight are answered. Runs on the
 * worker's own thread. */
void http_worker_drain(struct worker *w);
void http_worker_free(struct worker *w);

/* Runs the server for app until SIGTERM or SIGINT; returns the process exit code. */
int server_run(const struct server_config *cfg, const struct http_app *app);

#endif
