/* server: the daemon's running parts shared by the transport — the read-only site
 * (templates, catalogs, static files, the slow-work pool) and one worker per thread. */
#ifndef AGORA_SERVER_H
#define AGORA_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "forwarded.h"
#include "mailer.h"

struct event;
struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct store;
struct http_app;

struct static_file {
	char *name; /* path under /static/ */
	char *data;
	size_t len;
	const char *type;
};

/* What one client address may hold at once: connections (more are answered 503 and closed),
 * and searches running (more are answered 429). A township office behind one NAT address is
 * twenty browsers of about six connections each: the cap holds one client, not an office. */
enum { CONNS_PER_CLIENT = 128, SEARCHES_PER_CLIENT = 2 };

/* Read-only once the workers start. */
struct site {
	struct tmpl_set *tmpl;
	struct i18n_set *i18n;
	struct static_file *statics;
	size_t nstatics;
	struct pool *pool;
	struct plugin_host *plugins;
	const char *db_path;
	const char *files_dir;
	int64_t max_upload; /* bytes */
	struct ag_rates rates;
	const struct http_app *app;
	const char *base_url; /* --base-url, or NULL: links from the request's Host */
	int mail;             /* e-mail is sent: --smtp and --base-url given */
	struct forwarded_trust proxies; /* --trusted-proxy: may say who the client is */
	int https;            /* --base-url https://...: every request came over TLS */
	int64_t registrations_per_hour; /* from one client address; 0: no limit */
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

struct server_config {
	struct mail_config mail; /* smtp_url NULL: no e-mail */
	const char *host;
	int port;
	const char *data_dir;
	const char *web_dir;
	const char *plugins_dir;
	int workers;
	int demo;
	int max_upload_mb;
	const char *const *trusted_proxies; /* --trusted-proxy, repeatable */
	size_t ntrusted_proxies;
	int64_t registrations_per_hour;     /* --registrations-per-hour; 0: no limit */
	struct ag_rates rates; /* --rate-limits */
	const char *access_log;             /* --access-log FILE, "-" for stderr, NULL for none */
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
