/* The daemon's life: the listening socket, the site's read-only parts, workers on threads,
 * and a drain on SIGTERM/SIGINT. */
#include "server.h"

#include "accesslog.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <systemd/sd-daemon.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "climit.h"
#include "http.h"
#include "live.h"
#include "metrics.h"
#include "pool.h"
#include "reload.h"
#include "scheduler.h"
#include "smtp.h"
#include "store.h"
#include "util.h"

static int site_load(struct site *s, const struct server_config *cfg)
{
	struct generation_source src = reload_source(cfg);
	struct generation *g = generation_load(&src);
	if (!g)
		return -1;
	generation_swap(&s->gens, g);
	return 0;
}

static void site_free(struct site *s)
{
	generation_swap(&s->gens, NULL);
	generation_collect(&s->gens);
}

static int listen_on(const char *host, int port, int *bound_port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, fd;
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "agorad: --listen: %s is not an IPv4 address\n", host);
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	/* Accepted sockets inherit this: libevent writes a big page in 16 KiB pieces, and Nagle
	 * would hold the last piece for the client's delayed ACK (about 40 ms a page). */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 1024) != 0) {
		fprintf(stderr, "agorad: cannot listen on %s:%d: %s\n", host, port, strerror(errno));
		close(fd);
		return -1;
	}
	socklen_t len = sizeof sa;
	getsockname(fd, (struct sockaddr *)&sa, &len);
	*bound_port = ntohs(sa.sin_port);
	return fd;
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	http_worker_drain(arg);
	/* live streams never end on their own: close them, or clients would hold the drain */
	live_worker_close_streams();
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	if (live_worker_start(w->base) != 0)
		fprintf(stderr, "agorad: live updates are off on this worker\n");
	event_base_dispatch(w->base);
	live_worker_end();
	return NULL;
}

static int worker_start(struct worker *w, struct site *s, int fd)
{
	char *err = NULL;
	w->site = s;
	w->db = store_open(s->db_path, &err);
	if (!w->db) {
		fprintf(stderr, "agorad: %s\n", err);
		free(err);
		return -1;
	}
	w->base = event_base_new();
	if (!w->base || http_worker_init(w, fd) != 0)
		return -1;
	w->stop_ev = event_new(w->base, -1, 0, on_stop, w);
	return pthread_create(&w->thread, NULL, worker_main, w) == 0 ? 0 : -1;
}

static void worker_free(struct worker *w)
{
	http_worker_free(w);
	if (w->stop_ev)
		event_free(w->stop_ev);
	if (w->base)
		event_base_free(w->base);
	store_close(w->db);
}

struct stopper {
	struct worker *workers;
	int n;
	struct event_base *base;
	struct site *site;
	const struct server_config *cfg;
};

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct stopper *st = arg;
	(void)sig;
	(void)what;
	sd_notify(0, "STOPPING=1\nSTATUS=stopping: finishing the requests in flight");
	for (int i = 0; i < st->n; i++)
		if (st->workers[i].stop_ev)
			event_active(st->workers[i].stop_ev, 0, 0);
	event_base_loopexit(st->base, NULL);
}

static int workers_count(const struct server_config *cfg)
{
	if (cfg->workers > 0)
		return cfg->workers;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 64 ? (int)n : 2;
}

/* SIGTERM and SIGINT, the signals that stop the server, SIGHUP, which reloads it, and SIGUSR1,
 * which reopens the access log: the main thread alone takes them. */
static void stop_signals(int how)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(how, &set, NULL);
}

static void on_usr1(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	(void)arg;
	accesslog_reopen();
}

static void on_hup(evutil_socket_t sig, short what, void *arg)
{
	struct stopper *st = arg;
	(void)sig;
	(void)what;
	reload_site(&st->site->gens, st->cfg);
}

/* Once a second: the generations a reload retired are freed here, on the main thread, once the
 * requests that held them are answered. */
static void on_collect(evutil_socket_t fd, short what, void *arg)
{
	struct stopper *st = arg;
	(void)fd;
	(void)what;
	generation_collect(&st->site->gens);
}

/* Waits for SIGTERM or SIGINT on the main thread, reloading on SIGHUP; the workers never see
 * the signals. */
static void wait_for_signal(struct stopper *st)
{
	struct event_base *base = st->base = event_base_new();
	struct event *ev[5] = {evsignal_new(base, SIGTERM, on_signal, st), evsignal_new(base, SIGINT, on_signal, st),
			       evsignal_new(base, SIGUSR1, on_usr1, NULL), evsignal_new(base, SIGHUP, on_hup, st),
			       event_new(base, -1, EV_PERSIST, on_collect, st)};
	struct timeval second = {1, 0};
	for (int i = 0; i < 5; i++)
		event_add(ev[i], i == 4 ? &second : NULL);
	stop_signals(SIG_UNBLOCK);
	event_base_dispatch(base);
	for (int i = 0; i < 5; i++)
		event_free(ev[i]);
	event_base_free(base);
}

/* Every live stream holds a socket: take all the descriptors the hard limit allows, so that
 * thousands of clients fit (the usual soft limit is 1024). */
static void raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* What the process needs before any worker thread starts: libevent ready for threads, no death
 * by SIGPIPE, room for many sockets, and the stop signals blocked so that only the main
 * thread takes them. */
static void process_prepare(void)
{
	evthread_use_pthreads();
	smtp_global_init(); /* libcurl's set-up is not thread-safe: before any thread */
	signal(SIGPIPE, SIG_IGN);
	/* past a file size limit (systemd's LimitFSIZE=) a write fails as on a full disk and is
	 * answered 503 storage_full, instead of the signal killing the whole site */
	signal(SIGXFSZ, SIG_IGN);
	raise_fd_limit();
	stop_signals(SIG_BLOCK);
}

/* Starts the workers on the listening socket fd, serves until a stop signal, then joins and
 * frees them and the pool, with the runner of scheduled work beside them. 0, or 1 when a worker
 * or the runner did not start. */
static int workers_run(struct site *site, const struct server_config *cfg, int fd, int port)
{
	int n = workers_count(cfg), started = 0, rc = 1;
	struct worker *ws = xcalloc((size_t)n, sizeof *ws);
	site->pool = pool_start(n);
	site->conns = climit_new(CONNS_PER_CLIENT);
	site->searches = climit_new(SEARCHES_PER_CLIENT);
	for (; started < n; started++)
		if (worker_start(&ws[started], site, fd) != 0)
			break;
	struct agora_ctx jobs_ctx = {.files_dir = site->files_dir, .max_upload = site->max_upload, .mail = site->mail};
	struct scheduler *sched = started == n ? scheduler_start(site->db_path, &jobs_ctx, &site->gens) : NULL;
	struct mail_look look = {&site->gens, site->app->letter_model};
	struct mailer *mailer = sched && site->mail ? mailer_start(site->db_path, &cfg->mail, &look, &jobs_ctx) : NULL;
	if (sched && (mailer || !site->mail)) {
		printf("listening on %s:%d\n", cfg->host, port);
		fflush(stdout);
		/* systemd's Type=notify: serving from now on (a no-op without NOTIFY_SOCKET) */
		sd_notifyf(0, "READY=1\nSTATUS=serving on %s:%d", cfg->host, port);
		struct stopper st = {.workers = ws, .n = n, .site = site, .cfg = cfg};
		wait_for_signal(&st);
		mailer_stop(mailer);
		scheduler_stop(sched); /* finishes the job in hand while the workers drain */
		rc = 0;
	} else {
		scheduler_stop(sched);
		if (started < n)
			fprintf(stderr, "agorad: could not start worker %d\n", started);
		for (int i = 0; i < started; i++)
			event_active(ws[i].stop_ev, 0, 0);
	}
	for (int i = 0; i < started; i++)
		pthread_join(ws[i].thread, NULL);
	pool_stop(site->pool);
	for (int i = 0; i < n; i++)
		worker_free(&ws[i]);
	/* after the workers: freeing their connections gives back what the connections held */
	climit_free(site->conns);
	climit_free(site->searches);
	free(ws);
	return rc;
}

int server_run(const struct server_config *cfg, const struct http_app *app)
{
	struct site site = {.app = app, .gens = {.lock = PTHREAD_MUTEX_INITIALIZER}};
	char db_path[4096], files_dir[4096];
	int port = 0, fd = -1, rc = 2;
	snprintf(db_path, sizeof db_path, "%s/agora.db", cfg->data_dir);
	snprintf(files_dir, sizeof files_dir, "%s/files", cfg->data_dir);
	site.db_path = db_path;
	site.files_dir = files_dir;
	site.max_upload = (int64_t)(cfg->max_upload_mb > 0 ? cfg->max_upload_mb : 50) * 1024 * 1024;
	site.base_url = cfg->mail.base_url;
	site.mail = cfg->mail.smtp_url && cfg->mail.base_url;
	site.https = site.base_url && !strncmp(site.base_url, "https://", 8);
	if (accesslog_open(cfg->access_log) != 0) {
		fprintf(stderr, "agorad: --access-log %s: %s\n", cfg->access_log, strerror(errno));
		return 2;
	}
	if (site_load(&site, cfg) == 0) {
		metrics_watch_routes(app->routes, app->nroutes);
		fd = listen_on(cfg->host, cfg->port, &port);
	}
	if (fd >= 0) {
		process_prepare();
		rc = workers_run(&site, cfg, fd, port);
		close(fd);
	}
	site_free(&site);
	accesslog_close();
	return rc;
}
