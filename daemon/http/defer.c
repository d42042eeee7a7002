/* Deferral: a handler hands slow work to the pool, and its answer comes back on the request's
 * worker when the work is done, unless the client has gone meanwhile. */
#include "http.h"

#include <event2/event.h>
#include <event2/http.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "clock.h"
#include "http_impl.h"
#include "pool.h"
#include "server.h"

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

void req_defer(struct req *r, void (*work)(void *), void (*done)(struct req *, void *), void (*drop)(void *),
	       void *job)
{
	struct transport_req *t = r->t;
	if (!t->done_ev)
		t->done_ev = event_new(t->w->base, -1, 0, deferred_done, t);
	t->fd = transport_fd(t);
	if (pool_submit(t->w->site->pool, work, job, t->done_ev, client_waiting, t) != 0) {
		r->ctx.retry_after = 5;
		req_error(r, 503, "busy");
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
