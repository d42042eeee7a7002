/* The transport: request guards, routing, sessions and CSRF, rendering. */
#include "http.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include "accounts.h"
#include "auth.h"
#include "escape.h"
#include "i18n.h"
#include "live.h"
#include "metrics.h"
#include "pool.h"
#include "server.h"
#include "template.h"
#include "utf8.h"

enum {
	JSON_BODY_MAX = 1024 * 1024,
	BIG_BODY = 4 * 1024 * 1024,
	/* room for a multipart body's own framing and small fields around an upload */
	UPLOAD_SLACK = 256 * 1024,
	HEADERS_MAX = 16 * 1024,
	IO_TIMEOUT_SECONDS = 20,
};

#define SESSION_COOKIE   "agora_session"
#define ANON_CSRF_COOKIE "agora_csrf"

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
};

static const char *const security_headers[][2] = {
        {"Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                                    "img-src 'self' https: data:; object-src 'none'; base-uri 'none'; "
                                    "form-action 'self'; frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "DENY"},
        {"Referrer-Policy", "same-origin"},
};

/* Fixed reason phrases: user text never reaches the status line. */
static const char *reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

static void set_content_length(struct evkeyvalq *h, size_t len)
{
	char v[24];
	snprintf(v, sizeof v, "%zu", len);
	evhttp_add_header(h, "Content-Length", v);
}

static void add_security_headers(struct evkeyvalq *h)
{
	for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
		evhttp_add_header(h, security_headers[i][0], security_headers[i][1]);
}

static int status_of(enum ag_status st)
{
	static const int map[] = {
	        [AG_OK] = 200,        [AG_CREATED] = 201,    [AG_PENDING] = 202,   [AG_EINVAL] = 400,
	        [AG_EUNAUTH] = 401,   [AG_EFORBIDDEN] = 403, [AG_ENOTFOUND] = 404, [AG_ECONFLICT] = 409,
	        [AG_ETOOLARGE] = 413, [AG_EREFUSED] = 422,   [AG_ERATE] = 429,     [AG_EBUSY] = 503,
	        [AG_EINTERNAL] = 500,
	};
	return (unsigned)st < sizeof map / sizeof map[0] ? map[st] : 500;
}

/* ---- inputs for handlers ----------------------------------------------------------- */

const char *in_str(struct req *r, const char *key)
{
	json_t *v = json_object_get(r->input, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		r->bad_input = 1;
		return NULL;
	}
	return json_string_value(v);
}

/* A number a client sent: at most 18 digits, as the transport has always read them (a longer
 * one is refused whatever its value), from min up. */
static int client_number(const char *s, int64_t min, int64_t *out)
{
	return s && strlen(s) <= 18 ? parse_i64(s, min, INT64_MAX, out) : -1;
}

int64_t in_int(struct req *r, const char *key, int *present)
{
	json_t *v = json_object_get(r->input, key);
	int64_t n = 0;
	if (present)
		*present = v && !json_is_null(v);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v))
		return json_integer_value(v);
	if (r->from_form && json_is_string(v) && client_number(json_string_value(v), 0, &n) == 0)
		return n;
	if (r->from_form && json_is_string(v) && !*json_string_value(v)) {
		if (present)
			*present = 0;
		return 0;
	}
	r->bad_input = 1;
	return 0;
}

int in_bool(struct req *r, const char *key)
{
	json_t *v = json_object_get(r->input, key);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (r->from_form && json_is_string(v)) {
		const char *s = json_string_value(v);
		return !strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true");
	}
	r->bad_input = 1;
	return 0;
}

const char *req_query(struct req *r, const char *key)
{
	return kv_get(&r->query, key);
}

int64_t param_id(struct req *r, int i)
{
	int64_t id;
	if (i >= REQ_MAX_PARAMS || !r->params[i] || client_number(r->params[i], 0, &id) != 0)
		return 0;
	return id;
}

struct page req_page(struct req *r, int64_t default_per_page)
{
	int64_t page = 1, per = default_per_page;
	const char *p = req_query(r, "page"), *pp = req_query(r, "per_page");
	if (p && client_number(p, 1, &page) != 0)
		page = 1;
	if (pp && client_number(pp, 1, &per) != 0)
		per = default_per_page;
	if (per > 200)
		per = 200;
	if (page > 1000000)
		page = 1000000;
	return (struct page){.offset = (page - 1) * per, .limit = per};
}

void model_paging(json_t *model, struct page pg, int64_t total)
{
	int64_t page = pg.offset / pg.limit + 1;
	int64_t pages = (total + pg.limit - 1) / pg.limit;
	json_object_set_new(model, "page", json_integer(page));
	json_object_set_new(model, "pages", json_integer(pages ? pages : 1));
	json_object_set_new(model, "total", json_integer(total));
	json_object_set_new(model, "per_page", json_integer(pg.limit));
	if (pages > 1)
		json_object_set_new(model, "several_pages", json_true());
	if (page > 1)
		json_object_set_new(model, "prev_page", json_integer(page - 1));
	if (page < pages)
		json_object_set_new(model, "next_page", json_integer(page + 1));
}

/* ---- answers ---------------------------------------------------------------------------- */

void req_reply(struct req *r, int status, json_t *model)
{
	r->status = status;
	if (r->model)
		json_decref(r->model);
	r->model = model ? model : json_object();
}

/* The message for an error code, with "{}" filled from the detail when there is one. */
static const char *error_message(struct req *r, const char *code, const char *detail)
{
	char key[96];
	snprintf(key, sizeof key, "error.%s", code);
	const char *msg = i18n_msg(r->lang, key);
	const char *hole = strstr(msg, "{}");
	if (!hole)
		return msg;
	if (!detail) {
		snprintf(key, sizeof key, "error.%s_forever", code);
		const char *alt = i18n_msg(r->lang, key);
		if (strcmp(alt, key) != 0)
			return alt;
		detail = "";
	}
	return arena_printf(r->arena, "%.*s%s%s", (int)(hole - msg), msg, detail, hole + 2);
}

static void error_model(struct req *r, int status, const char *code, const char *detail)
{
	json_t *m = json_object();
	json_object_set_new(m, "error",
	                    json_pack("{s:s, s:s}", "code", code, "message", error_message(r, code, detail)));
	req_reply(r, status, m);
}

void req_error(struct req *r, int status, const char *code)
{
	error_model(r, status, code, NULL);
}

void req_fail(struct req *r, enum ag_status st)
{
	const char *code = r->ctx.error_code ? r->ctx.error_code : "internal";
	error_model(r, status_of(st), code, r->ctx.error_detail);
}

void req_redirect(struct req *r, const char *location)
{
	r->location = arena_strdup(r->arena, location);
	req_reply(r, 303, NULL);
}

const char *req_content_type(struct req *r)
{
	return evhttp_find_header(evhttp_request_get_input_headers(r->t->ev), "Content-Type");
}

const char *req_header(struct req *r, const char *name)
{
	return evhttp_find_header(evhttp_request_get_input_headers(r->t->ev), name);
}

const char *req_local_addr(struct req *r)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(evhttp_request_get_connection(r->t->ev));
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	char ip[INET_ADDRSTRLEN];
	if (!bev || getsockname(bufferevent_getfd(bev), (struct sockaddr *)&sa, &len) != 0 ||
	    sa.sin_family != AF_INET || !inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip))
		return "localhost";
	return arena_printf(r->arena, "%s:%u", ip, (unsigned)ntohs(sa.sin_port));
}

int req_body_each(struct req *r, int (*fn)(void *arg, const char *data, size_t len), void *arg)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(r->t->ev);
	struct evbuffer_ptr pos;
	struct evbuffer_iovec v;
	evbuffer_ptr_set(in, &pos, 0, EVBUFFER_PTR_SET);
	while (evbuffer_peek(in, -1, &pos, &v, 1) > 0) {
		int rc = fn(arg, v.iov_base, v.iov_len);
		if (rc)
			return rc;
		if (evbuffer_ptr_set(in, &pos, v.iov_len, EVBUFFER_PTR_ADD) != 0)
			break;
	}
	return 0;
}

void req_send_bytes(struct req *r, const char *type, const char *data, size_t len, const char *attachment)
{
	req_reply(r, 200, NULL);
	r->raw = arena_strndup(r->arena, data, len);
	r->raw_len = len;
	r->raw_type = type;
	r->attachment = attachment ? arena_strdup(r->arena, attachment) : NULL;
}

void req_send_file(struct req *r, const char *type, int fd, int64_t len, const char *attachment)
{
	req_reply(r, 200, NULL);
	r->file_fd = fd;
	r->file_len = len;
	r->raw_type = type;
	r->attachment = attachment ? arena_strdup(r->arena, attachment) : NULL;
}

/* Content-Disposition for a download: an ASCII fallback name, and the real name (UTF-8, any
 * script) percent-encoded in filename* (RFC 6266), so no client text reaches the header raw. */
static void add_disposition(struct evkeyvalq *h, const char *name)
{
	struct buf v = BUF_INIT;
	buf_puts(&v, "attachment; filename=\"");
	for (const char *p = name; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		int plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
			    ch == '.' || ch == '-' || ch == '_';
		if (plain || ch < 0x80 || (ch & 0xC0) == 0xC0)
			buf_putc(&v, plain ? (char)ch : '_');
	}
	buf_puts(&v, "\"; filename*=UTF-8''");
	url_encode(&v, name, strlen(name));
	evhttp_add_header(h, "Content-Disposition", v.data);
	buf_free(&v);
}

void req_stream(struct req *r, const struct live_scope *scope, const char *first, size_t len)
{
	struct live_scope *copy = arena_alloc(r->arena, sizeof *copy);
	*copy = *scope;
	req_send_bytes(r, "text/event-stream", first, len, NULL);
	r->live = copy;
}

void req_etag(struct req *r, const char *etag)
{
	r->etag = arena_strdup(r->arena, etag);
}

/* Whether If-None-Match names the answer's tag ("*", or one of a comma-separated list). */
static int etag_matches(struct req *r)
{
	const char *h = req_header(r, "If-None-Match");
	size_t n = strlen(r->etag);
	if (!h)
		return 0;
	for (const char *p = h; *p;) {
		p += strspn(p, " \t,");
		size_t len = strcspn(p, ",");
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if ((len == 1 && *p == '*') || (len == n && !memcmp(p, r->etag, n)) ||
		    (len == n + 2 && !memcmp(p, "W/", 2) && !memcmp(p + 2, r->etag, n)))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

/* A conditional GET for what the client already has becomes 304, without a body. */
static void check_not_modified(struct req *r)
{
	if (r->etag && r->status == 200 && (r->method == M_GET || r->method == M_HEAD) && etag_matches(r)) {
		r->status = 304;
		r->raw = NULL;
		r->raw_len = 0;
	}
}

void req_cookie(struct req *r, const char *cookie)
{
	for (int i = 0; i < 3; i++)
		if (!r->set_cookie[i]) {
			r->set_cookie[i] = arena_strdup(r->arena, cookie);
			return;
		}
}

static void add_headers(struct evkeyvalq *h, struct req *r)
{
	add_security_headers(h);
	for (int i = 0; i < 3 && r->set_cookie[i]; i++)
		evhttp_add_header(h, "Set-Cookie", r->set_cookie[i]);
	if ((r->status == 429 || r->status == 503) && r->ctx.retry_after > 0) {
		char v[24];
		snprintf(v, sizeof v, "%lld", (long long)r->ctx.retry_after);
		evhttp_add_header(h, "Retry-After", v);
	}
	if (r->location)
		evhttp_add_header(h, "Location", r->location);
	if (r->etag && (r->status == 200 || r->status == 304))
		evhttp_add_header(h, "ETag", r->etag);
	/* personal answers, and answers that open or end a session, are never cached */
	if (r->token || r->set_cookie[0] || r->status >= 400)
		evhttp_add_header(h, "Cache-Control", "no-store");
	else if (r->live) /* a HEAD of a stream says what the stream would */
		evhttp_add_header(h, "Cache-Control", "no-cache");
}

/* Page models get what every page shows: who is signed in, the CSRF token, the language. */
static void page_globals(struct req *r)
{
	json_t *m = r->model;
	const struct http_app *app = r->t->w->site->app;
	if (app->page_globals)
		app->page_globals(r, m);
	if (r->csrf)
		json_object_set_new(m, "csrf", json_string(r->csrf));
	json_object_set_new(m, "lang", json_string(i18n_lang(r->lang)));
	json_object_set_new(m, "status", json_integer(r->status));
}

static void render(struct req *r, struct buf *out, const char **type)
{
	if (r->status == 204 || r->status == 303 || r->status == 304)
		return;
	if (r->raw || r->file_fd >= 0) {
		*type = r->raw_type;
		return;
	}
	int page = r->route ? (r->route->flags & R_PAGE) != 0 : strncmp(r->path, "/api/", 5) != 0;
	if (!page) {
		char *s = json_dumps(r->model, JSON_COMPACT);
		buf_puts(out, s ? s : "{}");
		buf_putc(out, '\n');
		free(s);
		*type = "application/json";
		return;
	}
	const char *name = r->status >= 400 && !r->tmpl ? "error" : r->tmpl ? r->tmpl : r->route->tmpl;
	page_globals(r);
	if (tmpl_render(r->t->w->site->tmpl, name, r->model, r->lang, out) != 0)
		buf_puts(out, "<!doctype html><title>Agora</title><p>template missing</p>");
	*type = "text/html; charset=utf-8";
}

static void req_free(struct req *r)
{
	if (r->file_fd >= 0)
		close(r->file_fd);
	if (r->model)
		json_decref(r->model);
	if (r->input)
		json_decref(r->input);
	kvlist_free(&r->query);
	arena_free(r->arena);
}

/* The answer's bytes: the rendered model, raw bytes, or a file sent without copying it
 * through user space (evbuffer_add_file uses sendfile where it can). HEAD gets the length
 * alone, since libevent would send a HEAD answer's body. */
static void fill_body(struct req *r, struct evbuffer *body, struct evkeyvalq *h, const struct buf *out)
{
	if (r->method == M_HEAD) {
		set_content_length(h, r->file_fd >= 0 ? (size_t)r->file_len : r->raw ? r->raw_len : out->len);
		return;
	}
	if (r->file_fd >= 0) {
		/* libevent 2.1 picks sendfile only for a buffer marked as draining to a socket;
		 * otherwise it maps the file and writes it from user space */
		evbuffer_set_flags(body, EVBUFFER_FLAG_DRAINS_TO_FD);
		if (evbuffer_add_file(body, r->file_fd, 0, r->file_len) == 0)
			r->file_fd = -1; /* the buffer owns and closes it now */
		return;
	}
	if (r->raw)
		evbuffer_add(body, r->raw, r->raw_len);
	else
		evbuffer_add(body, out->data ? out->data : "", out->len);
}

/* A request is settled once its answer is handed to libevent (or its client is gone). A
 * draining worker exits when none is left, after a moment for the last answers to flush:
 * libevent does not report a write that failed, so waiting for completion could hang. */
static void request_settled(struct worker *w)
{
	const struct timeval flush = {0, 300000};
	if (--w->inflight == 0 && w->draining)
		event_base_loopexit(w->base, &flush);
}

#ifdef __GLIBC__
static void trim_now(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	malloc_trim(0);
}
#endif

/* A big request body (an upload) leaves tens of MiB of freed chunks that glibc would keep
 * for the process's lifetime: hand them back a moment later, once libevent has freed the
 * request (it does so after the answer is written). */
static void give_back_memory(struct worker *w, size_t body)
{
#ifdef __GLIBC__
	const struct timeval later = {0, 200000};
	if (body > BIG_BODY)
		event_base_once(w->base, -1, EV_TIMEOUT, trim_now, NULL, &later);
#else
	(void)w;
	(void)body;
#endif
}

/* An event stream: the headers go now (chunked, without a length), then the live hub owns
 * the connection. A HEAD request gets the headers only, as an ordinary answer. The request
 * is settled for the transport, so streams never hold a worker's drain. 1 when streamed. */
static int stream_start(struct req *r)
{
	struct transport_req *t = r->t;
	if (!r->live || r->status != 200 || r->method == M_HEAD)
		return 0;
	struct evkeyvalq *h = evhttp_request_get_output_headers(t->ev);
	evhttp_add_header(h, "Content-Type", "text/event-stream");
	evhttp_add_header(h, "Cache-Control", "no-cache");
	/* nginx would otherwise hold the events in its buffer */
	evhttp_add_header(h, "X-Accel-Buffering", "no");
	add_security_headers(h);
	evhttp_send_reply_start(t->ev, 200, reason(200));
	live_attach(t->ev, r->live, r->raw, r->raw_len);
	t->gone = 1; /* libevent's request belongs to the hub now */
	return 1;
}

/* Sends the answer and frees the request. */
static void finish(struct req *r)
{
	struct transport_req *t = r->t;
	struct worker *w = t->w;
	if (!t->gone && !stream_start(r)) {
		struct buf out = BUF_INIT;
		const char *type = NULL;
		if (!r->model)
			req_error(r, 500, "internal");
		check_not_modified(r);
		render(r, &out, &type);
		struct evkeyvalq *h = evhttp_request_get_output_headers(t->ev);
		if (type)
			evhttp_add_header(h, "Content-Type", type);
		add_headers(h, r);
		if (r->attachment)
			add_disposition(h, r->attachment);
		struct evbuffer *body = evbuffer_new();
		fill_body(r, body, h, &out);
		evhttp_send_reply(t->ev, r->status, reason(r->status), body);
		evbuffer_free(body);
		buf_free(&out);
	}
	if (t->done_ev)
		event_free(t->done_ev);
	size_t body = t->gone ? 0 : evbuffer_get_length(evhttp_request_get_input_buffer(t->ev));
	metrics_request_done(r->route ? r->route - r->t->w->site->app->routes : -1, r->status, metrics_clock_ns() - t->started_ns);
	req_free(r);
	free(r);
	free(t);
	request_settled(w);
	give_back_memory(w, body);
}

/* ---- deferral to the slow-work pool ------------------------------------------------------ */

static void on_close_while_deferred(struct evhttp_connection *evcon, void *arg)
{
	struct transport_req *t = arg;
	(void)evcon;
	t->gone = 1;
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
			evhttp_connection_set_closecb(evhttp_request_get_connection(t->ev), NULL, NULL);
			req_error(r, 503, "busy");
		}
		finish(r);
		return;
	}
	evhttp_connection_set_closecb(evhttp_request_get_connection(t->ev), NULL, NULL);
	r->ctx.now = (int64_t)time(NULL);
	t->done(r, t->job);
	if (!r->deferred)
		finish(r);
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
	struct bufferevent *bev = evhttp_connection_get_bufferevent(evhttp_request_get_connection(t->ev));
	if (!t->done_ev)
		t->done_ev = event_new(t->w->base, -1, 0, deferred_done, t);
	t->fd = bev ? (int)bufferevent_getfd(bev) : -1;
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
	evhttp_connection_set_closecb(evhttp_request_get_connection(t->ev), on_close_while_deferred, t);
}

/* ---- guards against what libevent's parser lets through ------------------------------------ */

/* Refuses framing a proxy in front might read differently: several or signed
 * Content-Length values, any Transfer-Encoding but plain chunked, or both at once. */
static int framing_ok(struct evkeyvalq *h)
{
	int cl = 0, te = 0;
	int64_t len;
	for (struct evkeyval *kv = h->tqh_first; kv; kv = kv->next.tqe_next) {
		if (!evutil_ascii_strcasecmp(kv->key, "Content-Length")) {
			if (++cl > 1 || parse_i64(kv->value, 0, INT64_MAX, &len) != 0)
				return 0;
		} else if (!evutil_ascii_strcasecmp(kv->key, "Transfer-Encoding")) {
			if (++te > 1 || evutil_ascii_strcasecmp(kv->value, "chunked"))
				return 0;
		}
	}
	return !(cl && te);
}

static void refuse(struct evhttp_request *ev, int status)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(ev);
	struct evbuffer *b = evbuffer_new();
	const char *code = status == 405 ? "method_not_allowed" : "bad_request";
	evbuffer_add_printf(b, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n", code, reason(status));
	evhttp_add_header(h, "Content-Type", "application/json");
	evhttp_add_header(h, "Connection", "close");
	add_security_headers(h);
	evhttp_send_reply(ev, status, reason(status), b);
	evbuffer_free(b);
}

/* ---- routing ----------------------------------------------------------------------------------- */

/* Matches path segments against a pattern, capturing ":x" segments (decoded) into params.
 * Returns 1 on a match. */
static int route_match(struct req *r, const char *pattern, const char *path)
{
	int np = 0;
	while (*pattern && *path) {
		if (*pattern++ != '/' || *path++ != '/')
			return 0;
		size_t pl = strcspn(pattern, "/"), sl = strcspn(path, "/");
		if (*pattern == ':') {
			char *seg = sl ? path_segment_decode(path, sl) : NULL;
			if (!seg || np >= REQ_MAX_PARAMS) {
				free(seg);
				return 0;
			}
			r->params[np++] = arena_strdup(r->arena, seg);
			free(seg);
		} else if (pl != sl || strncmp(pattern, path, pl) != 0) {
			return 0;
		}
		pattern += pl;
		path += sl;
	}
	return !*pattern && !*path;
}

/* Finds the route; *method_mismatch tells 405 from 404. */
static const struct route *route_find(struct req *r, int *method_mismatch)
{
	*method_mismatch = 0;
	enum http_method m = r->method == M_HEAD ? M_GET : r->method;
	const struct http_app *app = r->t->w->site->app;
	for (size_t i = 0; i < app->nroutes; i++) {
		const struct route *rt = &app->routes[i];
		memset(r->params, 0, sizeof r->params);
		if (!route_match(r, rt->pattern, r->path))
			continue;
		if (rt->method == m)
			return rt;
		*method_mismatch = 1;
	}
	memset(r->params, 0, sizeof r->params);
	return NULL;
}

static enum http_method method_of(enum evhttp_cmd_type c)
{
	switch (c) {
	case EVHTTP_REQ_GET: return M_GET;
	case EVHTTP_REQ_HEAD: return M_HEAD;
	case EVHTTP_REQ_POST: return M_POST;
	case EVHTTP_REQ_PUT: return M_PUT;
	case EVHTTP_REQ_PATCH: return M_PATCH;
	case EVHTTP_REQ_DELETE: return M_DELETE;
	default: return 0;
	}
}

/* ---- sessions, bodies, CSRF ---------------------------------------------------------------- */

static void load_session(struct req *r, struct evkeyvalq *h, struct kvlist *cookies)
{
	const char *authz = evhttp_find_header(h, "Authorization");
	if (authz && !evutil_ascii_strncasecmp(authz, "Bearer ", 7)) {
		r->token = arena_strdup(r->arena, authz + 7);
	} else if (kv_get(cookies, SESSION_COOKIE)) {
		r->token = arena_strdup(r->arena, kv_get(cookies, SESSION_COOKIE));
		r->via_cookie = 1;
	}
	if (!r->token || strlen(r->token) != AUTH_TOKEN_LEN)
		goto anonymous;
	if (account_session(&r->ctx, r->token, &r->actor) != AG_OK)
		goto anonymous;
	r->ctx.actor = &r->actor;
	r->ctx.error_code = NULL;
	if (r->via_cookie) {
		char csrf[AUTH_TOKEN_LEN + 1];
		auth_csrf_for(r->token, csrf);
		r->csrf = arena_strdup(r->arena, csrf);
	}
	return;
anonymous:
	if (r->via_cookie) /* a stale cookie: forget it */
		req_cookie(r, SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
	r->token = NULL;
	r->via_cookie = 0;
	/* Visitors get a double-submit token so that sign-in and registration forms are
	 * protected too. */
	const char *anon = kv_get(cookies, ANON_CSRF_COOKIE);
	if (anon && strlen(anon) == AUTH_TOKEN_LEN)
		r->csrf = arena_strdup(r->arena, anon);
}

/* A visitor's page gets a fresh double-submit token when it came without one. */
static void anon_csrf_cookie(struct req *r)
{
	char tok[AUTH_TOKEN_LEN + 1];
	/* only pages with a visitor's form: other public pages stay cacheable */
	if (r->ctx.actor || r->csrf || !r->route || !(r->route->flags & R_FORM))
		return;
	auth_token_new(tok);
	r->csrf = arena_strdup(r->arena, tok);
	req_cookie(r, arena_printf(r->arena, ANON_CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax", tok));
}

static int content_type_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && !evutil_ascii_strncasecmp(ct, want, n) &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Form fields as a JSON object of strings; a field given several times (checkboxes) becomes
 * an array of its values. */
static json_t *form_object(const struct kvlist *l)
{
	json_t *o = json_object();
	for (size_t i = 0; i < l->n; i++) {
		json_t *v = json_stringn(l->items[i].val, l->items[i].val_len), *had = json_object_get(o, l->items[i].key);
		if (!had)
			json_object_set_new(o, l->items[i].key, v);
		else if (json_is_array(had))
			json_array_append_new(had, v);
		else
			json_object_set_new(o, l->items[i].key, json_pack("[O, o]", had, v));
	}
	return o;
}

/* Reads the body into r->input. 0, or -1 with the error answered. */
static int read_body(struct req *r, struct evhttp_request *ev)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(ev);
	size_t len = evbuffer_get_length(in);
	const char *ct = evhttp_find_header(evhttp_request_get_input_headers(ev), "Content-Type");
	r->from_form = (r->route->flags & R_PAGE) != 0;
	if (len == 0) {
		r->input = json_object();
		return 0;
	}
	if (r->route->flags & R_UPLOAD) {
		r->input = json_object();
		if (!content_type_is(ct, "multipart/form-data"))
			return req_error(r, 415, "unsupported_media_type"), -1;
		return 0;
	}
	if (len > JSON_BODY_MAX)
		return req_error(r, 413, "body_too_large"), -1;
	if (!content_type_is(ct, r->from_form ? "application/x-www-form-urlencoded" : "application/json"))
		return req_error(r, 415, "unsupported_media_type"), -1;
	const char *data = (const char *)evbuffer_pullup(in, -1);
	if (!utf8_valid(data, len))
		return req_error(r, 400, "invalid_utf8"), -1;
	if (r->from_form) {
		struct kvlist l = KVLIST_INIT;
		if (form_parse(data, len, &l) != FORM_OK)
			return req_error(r, 400, "invalid_form"), -1;
		r->input = form_object(&l);
		kvlist_free(&l);
		return 0;
	}
	json_error_t err;
	r->input = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!r->input || !json_is_object(r->input))
		return req_error(r, 400, "invalid_json"), -1;
	return 0;
}

static int csrf_ok(struct req *r, struct evkeyvalq *h)
{
	const char *given = evhttp_find_header(h, "X-CSRF-Token");
	if (!given && r->from_form)
		given = json_string_value(json_object_get(r->input, "csrf"));
	if (!given && (r->route->flags & R_UPLOAD)) /* a multipart form's fields come too late */
		given = req_query(r, "csrf");
	if (r->ctx.actor && !r->via_cookie)
		return 1; /* bearer tokens are not sent by browsers on their own */
	if (!r->ctx.actor && !r->from_form)
		return 1; /* an anonymous JSON call carries no ambient authority */
	return given && r->csrf && auth_token_equal(given, r->csrf);
}

/* ---- static files ------------------------------------------------------------------------------ */

static int serve_static(struct worker *w, struct evhttp_request *ev, const char *path)
{
	if (strncmp(path, "/static/", 8) != 0)
		return 0;
	for (size_t i = 0; i < w->site->nstatics; i++) {
		const struct static_file *f = &w->site->statics[i];
		if (strcmp(f->name, path + 8) != 0)
			continue;
		struct evkeyvalq *h = evhttp_request_get_output_headers(ev);
		evhttp_add_header(h, "Content-Type", f->type);
		evhttp_add_header(h, "Cache-Control", "public, max-age=3600");
		add_security_headers(h);
		struct evbuffer *b = evbuffer_new();
		if (evhttp_request_get_command(ev) == EVHTTP_REQ_HEAD)
			set_content_length(h, f->len);
		else
			evbuffer_add_reference(b, f->data, f->len, NULL, NULL);
		evhttp_send_reply(ev, 200, "OK", b);
		evbuffer_free(b);
		return 1;
	}
	return 0;
}

/* ---- the request entry point -------------------------------------------------------------------- */

static struct req *req_new(struct worker *w, struct evhttp_request *ev)
{
	struct req *r = xcalloc(1, sizeof *r);
	struct transport_req *t = xcalloc(1, sizeof *t);
	t->ev = ev;
	t->w = w;
	t->r = r;
	t->started_ns = metrics_clock_ns();
	r->t = t;
	r->arena = arena_new();
	r->ctx.db = w->db;
	r->ctx.plugins = w->site->plugins;
	r->ctx.events = w->site->app->events;
	r->ctx.files_dir = w->site->files_dir;
	r->ctx.max_upload = w->site->max_upload;
	r->ctx.arena = r->arena;
	r->ctx.now = (int64_t)time(NULL);
	r->file_fd = -1;
	r->method = method_of(evhttp_request_get_command(ev));
	char *host = NULL;
	ev_uint16_t port;
	evhttp_connection_get_peer(evhttp_request_get_connection(ev), &host, &port);
	r->ctx.client_addr = arena_strdup(r->arena, host ? host : "");
	w->inflight++;
	return r;
}

/* Everything between the guards and the handler: query, session, body, rights, CSRF. */
static void dispatch(struct req *r, struct evhttp_request *ev, const char *query)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(ev);
	struct kvlist cookies = KVLIST_INIT;
	int mismatch;
	const char *cookie = evhttp_find_header(h, "Cookie");
	if (cookie)
		cookie_parse(cookie, &cookies);
	r->lang = i18n_negotiate(r->t->w->site->i18n, evhttp_find_header(h, "Accept-Language"));
	load_session(r, h, &cookies);
	kvlist_free(&cookies);
	r->route = route_find(r, &mismatch);
	anon_csrf_cookie(r);
	if (!r->route) {
		req_error(r, mismatch ? 405 : 404, mismatch ? "method_not_allowed" : "not_found");
		return;
	}
	if (query && form_parse(query, strlen(query), &r->query) != FORM_OK) {
		req_error(r, 400, "invalid_query");
		return;
	}
	if (r->method != M_GET && r->method != M_HEAD && read_body(r, ev) != 0)
		return;
	if (!r->input)
		r->input = json_object();
	if ((r->route->flags & R_AUTH) && !r->ctx.actor) {
		req_error(r, 401, "not_signed_in");
		return;
	}
	if ((r->route->flags & R_WRITE) && !csrf_ok(r, h)) {
		req_error(r, 403, "csrf_failed");
		return;
	}
	r->route->handler(r);
	if (!r->deferred && r->bad_input)
		req_error(r, 400, "wrong_type");
}

/* The path as the client sent it: libevent's parsed URI reads "//host/x" as a host and a
 * path, so the guard must look at the raw request target, which must be origin-form. */
static int raw_path_ok(struct evhttp_request *ev)
{
	const char *raw = evhttp_request_get_uri(ev);
	if (!raw || raw[0] != '/')
		return 0;
	return path_is_normal(raw, strcspn(raw, "?#"));
}

static void on_request(struct evhttp_request *ev, void *arg)
{
	struct worker *w = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	if (!path || !*path || !raw_path_ok(ev) || !path_is_normal(path, strlen(path)) ||
	    !framing_ok(evhttp_request_get_input_headers(ev))) {
		refuse(ev, 400);
		return;
	}
	if (!method_of(evhttp_request_get_command(ev))) {
		refuse(ev, 405);
		return;
	}
	if ((evhttp_request_get_command(ev) & (EVHTTP_REQ_GET | EVHTTP_REQ_HEAD)) &&
	    serve_static(w, ev, path))
		return;
	struct req *r = req_new(w, ev);
	r->path = arena_strdup(r->arena, path);
	dispatch(r, ev, evhttp_uri_get_query(uri));
	if (!r->deferred)
		finish(r);
}

int http_worker_init(struct worker *w, int listen_fd)
{
	w->http = evhttp_new(w->base);
	if (!w->http)
		return -1;
	metrics_watch_pool(w->site->pool);
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
	                                            EVHTTP_REQ_PUT | EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE |
	                                            EVHTTP_REQ_OPTIONS);
	evhttp_set_default_content_type(w->http, "text/html; charset=utf-8");
	evhttp_set_max_headers_size(w->http, HEADERS_MAX);
	/* libevent refuses a longer body from its Content-Length, before reading it (413) */
	evhttp_set_max_body_size(w->http, w->site->max_upload + UPLOAD_SLACK);
	evhttp_set_timeout(w->http, IO_TIMEOUT_SECONDS);
	evhttp_set_gencb(w->http, on_request, w);
	int fd = dup(listen_fd);
	if (fd < 0)
		return -1;
	evutil_make_socket_nonblocking(fd);
	w->sock = evhttp_accept_socket_with_handle(w->http, fd);
	return w->sock ? 0 : -1;
}

void http_worker_drain(struct worker *w)
{
	/* Requests waiting for the hashing pool must not hold the exit forever. */
	const struct timeval grace = {10, 0}, flush = {0, 300000};
	w->draining = 1;
	if (w->sock)
		evconnlistener_disable(evhttp_bound_socket_get_listener(w->sock));
	event_base_loopexit(w->base, w->inflight == 0 ? &flush : &grace);
}

void http_worker_free(struct worker *w)
{
	if (w->http)
		evhttp_free(w->http);
	w->http = NULL;
}
