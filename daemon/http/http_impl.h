/* http_impl: what the files of the transport share and nothing above the transport sees: the
 * request's libevent side, and the steps one file takes for another on a request's way from
 * the guards (dispatch.c) through the session, the body and the handler to its answer. */
#ifndef AGORA_HTTP_IMPL_H
#define AGORA_HTTP_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"

struct evhttp_request;
struct evkeyvalq;
struct agora_ctx;
struct evbuffer;
struct http_app;
struct event;
struct kvlist;
struct worker;

/* The transport's side of a request, beside the handler's struct req (r->t). */
struct transport_req {
	struct evhttp_request *ev;
	struct worker *w;
	_Atomic int gone; /* the client went away while the request was deferred (read by the pool) */
	int fd;           /* the connection's socket while deferred, for the pool to peek at */
	_Atomic int hung_up; /* the pool found the client gone; libevent has not noticed */
	struct event *done_ev;
	void (*done)(struct req *, void *);
	void (*drop)(void *);
	void *job;
	struct req *r;
	uint64_t started_ns; /* arrival, for the latency /metrics reports */
	struct generation *gen; /* templates, catalogs, plugins and settings, held to the answer */
	int search_held;     /* holds one of its client address's searches (req_defer_read) */
	/* req_defer_read's work, done and job (NULL work after it could not run) */
	void (*read_work)(struct agora_ctx *c, void *job);
	void (*read_done)(struct req *r, void *job);
	void *read_job;
};

/* request.c. The socket of the request's connection, or -1. */
int transport_fd(const struct transport_req *t);

/* session.c. Finds who is asking from the bearer header or the session cookie (h holds the
 * request's headers); a visitor keeps the double-submit token of their cookie. */
void session_load(struct req *r, struct evkeyvalq *h, struct kvlist *cookies);
/* A visitor's page with a form gets a fresh double-submit token when it came without one. */
void session_anon_csrf(struct req *r);
/* Whether a write brings the CSRF token it needs (header, form field or ?csrf=). */
int session_csrf_ok(struct req *r, struct evkeyvalq *h);

/* client.c. Who the client is (r->ctx.client_addr) and whether it came over TLS
 * (r->secure): the TCP peer, or what a trusted proxy says of it. */
void client_identify(struct req *r, struct evhttp_request *ev);

/* body.c. Reads the body into r->input. 0, or -1 with the error answered. */
int body_read(struct req *r, struct evhttp_request *ev);

/* answer.c. Sends the answer, frees r and its transport_req, settles the request. */
void answer_finish(struct req *r);
/* A guard's refusal, before any request exists: a fixed JSON error, and the connection
 * closed. */
void answer_refuse(struct evhttp_request *ev, int status);
/* A refusal written straight into out, ahead of libevent (the connection guard's): the
 * status line, the security headers, "Connection: close" and a fixed JSON error. */
void answer_refusal(struct evbuffer *out, int status);
/* Answers path from the static files when it names one under /static/: 1, or 0. */
int answer_static(struct worker *w, struct evhttp_request *ev, const char *path);

/* dispatch.c. A request of w was answered (or its client is gone); body is the size of its
 * body, whose memory may be worth handing back. */
void http_worker_settled(struct worker *w, size_t body);
/* Whether method (m bytes) and path (n bytes, without the query) name an upload route
 * (R_UPLOAD), whose body may be as big as --max-upload-mb. */
int route_takes_upload(const struct http_app *app, const char *method, size_t m, const char *path, size_t n);

#endif
