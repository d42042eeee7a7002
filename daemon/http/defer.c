/* Deferral: a handler hands slow work to the pool, and its answer comes back on the request's
 * worker when the work is done, unless the client has gone meanwhile. */
#include "http.h"

#include <event2/event.h>
#include <event2/http.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "climit.h"
#include "clock.h"
#include "http_impl.h"
#include "pool.h"
#include "server.h"
#include "store.h"

static void on_close_while_deferred(struct evhttp_connection *evcon, void *arg)
{
	struct transport_req *t = arg;
	(void)evcon;
	t->gone = 1;
}

/* While a request is deferred, its connection's close marks it gone. */
static void watch_close(struct transport_req *t, int on)
{
	evhttp_connection_set_closecb(evhttp_request_get_connection(t->ev), on ? on_close_while_deferred : NULL,
				      on ? t : NULL);
}

static void deferred_done(evutil_socket_t fd, short what, void *arg)
{
	struct transport_req *t = arg;
	struct req *r = t->r;
	(void)fd;
	(void)what;
	r->deferred = 0;
	if (t->search_held) {
		climit_give(t->w->site->searches, r->ctx.client_addr);
		t->search_held = 0;
	}
	if (t->gone || t->hung_up) { /* nobody to answer, and the work may have been skipped */
		if (t->drop)
			t->drop(t->job);
		if (t->hung_up) { /* libevent still holds the request: answer, so it lets go */
			watch_close(t, 0);
			req_error(r, 503, "busy");
		}
		answer_finish(r);
		return;
	}
	watch_close(t, 0);
	r->ctx.now = clock_now();
	t->done(r, t->job);
	if (!r->deferred)
		answer_finish(r);
}

/* Asked by the pool just before slow work: is the client still there? libevent 2.1 stops
 * reading a connection once its request is in, so it does not notice a client that hangs
 * up while the request waits; a peek at the socket does (0 bytes: the peer closed). */
static int client_waiting(void *arg)
{
	struct transport_req *t = arg;
	char c;
	if (t->gone)
		return 0;
	if (t->fd >= 0 && recv(t->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
		t->hung_up = 1;
	return !t->hung_up;
}

static void defer_on(struct req *r, enum pool_lane lane, void (*work)(void *), void (*done)(struct req *, void *),
		     void (*drop)(void *), void *job)
{
	struct transport_req *t = r->t;
	if (!t->done_ev)
		t->done_ev = event_new(t->w->base, -1, 0, deferred_done, t);
	t->fd = transport_fd(t);
	if (pool_submit(t->w->site->pool, lane, work, job, t->done_ev, client_waiting, t) != 0) {
		r->ctx.retry_after = 5;
		req_error(r, 503, "busy");
		if (t->search_held)
			climit_give(t->w->site->searches, r->ctx.client_addr);
		t->search_held = 0;
		if (drop)
			drop(job);
		return;
	}
	r->deferred = 1;
	t->done = done;
	t->drop = drop;
	t->job = job;
	watch_close(t, 1);
}

void req_defer(struct req *r, void (*work)(void *), void (*done)(struct req *, void *), void (*drop)(void *),
	       void *job)
{
	int signin = r->route && (r->route->flags & R_SIGNIN);
	defer_on(r, signin ? POOL_SIGNIN : POOL_WORK, work, done, drop, job);
}

/* ---- reads on the search threads ------------------------------------------------------------- */

static pthread_key_t thread_db;
static pthread_once_t thread_db_once = PTHREAD_ONCE_INIT;

static void close_thread_db(void *db)
{
	store_close(db);
}

static void make_thread_db_key(void)
{
	pthread_key_create(&thread_db, close_thread_db);
}

/* The calling pool thread's own database connection, opened on first use and closed when the
 * thread ends; NULL when it cannot be opened. */
static struct store *pool_thread_db(const char *path)
{
	pthread_once(&thread_db_once, make_thread_db_key);
	struct store *db = pthread_getspecific(thread_db);
	char *err = NULL;
	if (db)
		return db;
	if (!(db = store_open(path, &err))) {
		fprintf(stderr, "agorad: search thread: %s\n", err ? err : "cannot open the database");
		free(err);
		return NULL;
	}
	pthread_setspecific(thread_db, db);
	return db;
}

/* On a search thread: the request's context moves to the thread's connection for the work
 * (the worker does not touch a deferred request, so the context is the pool's meanwhile). */
static void read_work(void *arg)
{
	struct transport_req *t = arg;
	struct req *r = t->r;
	struct store *own = r->ctx.db, *db = pool_thread_db(t->w->site->db_path);
	if (!db) {
		t->read_work = NULL; /* done sees it and answers 503 */
		return;
	}
	r->ctx.db = db;
	t->read_work(&r->ctx, t->read_job);
	r->ctx.db = own;
}

static void read_done(struct req *r, void *arg)
{
	struct transport_req *t = arg;
	if (!t->read_work) {
		req_error(r, 503, "busy");
		return;
	}
	t->read_done(r, t->read_job);
}

void req_defer_read(struct req *r, void (*work)(struct agora_ctx *c, void *job), void (*done)(struct req *, void *),
		    void *job)
{
	struct transport_req *t = r->t;
	if (!climit_take(t->w->site->searches, r->ctx.client_addr)) {
		r->ctx.retry_after = 1;
		req_error(r, 429, "too_many_searches");
		return;
	}
	t->search_held = 1;
	t->read_work = work;
	t->read_done = done;
	t->read_job = job;
	defer_on(r, POOL_SEARCH, read_work, read_done, NULL, t);
}
