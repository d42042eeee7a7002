/* The request entry point: guards against what libevent's parser lets through, the route
 * table, and everything between the guards and the handler; and each worker's evhttp, from
 * its start to its drain. */
#include "http.h"

#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "clock.h"
#include "guard.h"
#include "http_impl.h"
#include "i18n.h"
#include "metrics.h"
#include "server.h"

enum {
	BIG_BODY = 4 * 1024 * 1024,
	IO_TIMEOUT_SECONDS = 20,
};

/* ---- guards against what libevent's parser lets through ------------------------------------ */

/* Refuses framing a proxy in front might read differently: several, signed or overflowing
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

/* The path as the client sent it: libevent's parsed URI reads "//host/x" as a host and a
 * path, so the guard must look at the raw request target, which must be origin-form. */
static int raw_path_ok(struct evhttp_request *ev)
{
	const char *raw = evhttp_request_get_uri(ev);
	if (!raw || raw[0] != '/')
		return 0;
	return path_is_normal(raw, strcspn(raw, "?#"));
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

/* Whether a pattern's shape fits the raw path: fixed segments equal, ":x" any non-empty one
 * (as route_match reads them, without capturing). */
static int pattern_fits(const char *pattern, const char *path, size_t n)
{
	const char *end = path + n;
	while (*pattern && path < end) {
		if (*pattern++ != '/' || *path++ != '/')
			return 0;
		size_t pl = strcspn(pattern, "/"), sl = 0;
		while (path + sl < end && path[sl] != '/')
			sl++;
		if (*pattern == ':' ? sl == 0 : pl != sl || strncmp(pattern, path, pl) != 0)
			return 0;
		pattern += pl;
		path += sl;
	}
	return !*pattern && path == end;
}

int route_takes_upload(const struct http_app *app, const char *method, size_t m, const char *path, size_t n)
{
	static const char *const names[] = {[M_POST] = "POST", [M_PUT] = "PUT", [M_PATCH] = "PATCH"};
	for (size_t i = 0; i < app->nroutes; i++) {
		const struct route *rt = &app->routes[i];
		const char *name = (unsigned)rt->method < sizeof names / sizeof names[0] ? names[rt->method] : NULL;
		if ((rt->flags & R_UPLOAD) && name && strlen(name) == m && !memcmp(name, method, m) &&
		    pattern_fits(rt->pattern, path, n))
			return 1;
	}
	return 0;
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

/* ---- the request entry point -------------------------------------------------------------------- */

static void http_worker_hold(struct worker *w, struct evhttp_request *ev);

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
	t->gen = generation_take(&w->site->gens);
	r->ctx.plugins = t->gen->plugins;
	r->ctx.events = w->site->app->events;
	r->ctx.files_dir = w->site->files_dir;
	r->ctx.mail = w->site->mail;
	r->ctx.max_upload = w->site->max_upload;
	r->ctx.rates = &t->gen->rates;
	r->ctx.arena = r->arena;
	r->ctx.now = clock_now();
	r->file_fd = -1;
	r->method = method_of(evhttp_request_get_command(ev));
	r->ctx.registrations_per_hour = t->gen->registrations_per_hour;
	client_identify(r, ev);
	w->inflight++;
	if (w->draining)
		http_worker_hold(w, ev);
	return r;
}

/* ---- flash messages and sign-in ------------------------------------------------------------ */

/* The flash cookie's catalog key, when it is one ("flash." and a-z, 0-9, "." or "_"): a
 * cookie is the client's to write, and only keys of ours may reach a page. */
static const char *flash_cookie(struct req *r, const struct kvlist *cookies)
{
	const char *v = kv_get(cookies, "agora_flash");
	size_t n = v ? strlen(v) : 0;
	if (n < 7 || n > 64 || strncmp(v, "flash.", 6) != 0 ||
	    strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789._") != n)
		return NULL;
	return arena_strdup(r->arena, v);
}

/* A visitor asking for a page that needs sign-in goes to the sign-in page, which sends them
 * back to path?query afterwards (lib/redirect.c decides what "back" may be). The API, and
 * writes, keep their 401. */
static void sign_in_first(struct req *r, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = BUF_INIT;
	buf_puts(&b, "/login?next=");
	const char *parts[2] = {r->path, query};
	for (int k = 0; k < 2 && parts[k]; k++) {
		if (k)
			buf_puts(&b, "%3F");
		for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    strchr("/-._~", *p)) {
				buf_putc(&b, (char)*p);
			} else {
				buf_putc(&b, '%');
				buf_putc(&b, hex[*p >> 4]);
				buf_putc(&b, hex[*p & 15]);
			}
		}
	}
	req_redirect(r, b.data);
	buf_free(&b);
}

static int wants_sign_in(const struct req *r)
{
	return r->status == 401 && !r->ctx.actor && !r->deferred && is_page(r) &&
	       (r->method == M_GET || r->method == M_HEAD);
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
	r->lang = i18n_negotiate(r->t->gen->i18n, evhttp_find_header(h, "Accept-Language"));
	session_load(r, h, &cookies);
	r->flash_in = flash_cookie(r, &cookies);
	kvlist_free(&cookies);
	r->route = route_find(r, &mismatch);
	session_anon_csrf(r);
	if (!r->route) {
		req_error(r, mismatch ? 405 : 404, mismatch ? "method_not_allowed" : "not_found");
		return;
	}
	if (query && form_parse(query, strlen(query), &r->query) != FORM_OK) {
		req_error(r, 400, "invalid_query");
		return;
	}
	if (r->method != M_GET && r->method != M_HEAD && body_read(r, ev) != 0)
		return;
	if (!r->input)
		r->input = json_object();
	if ((r->route->flags & R_AUTH) && !r->ctx.actor) {
		req_error(r, 401, "not_signed_in");
		if (wants_sign_in(r))
			sign_in_first(r, query);
		return;
	}
	if ((r->route->flags & R_WRITE) && !session_csrf_ok(r, h)) {
		req_error(r, 403, "csrf_failed");
		return;
	}
	r->route->handler(r);
	if (!r->deferred && r->bad_input)
		req_error(r, 400, "wrong_type");
	if (wants_sign_in(r)) /* a page whose handler asked for a signed-in reader */
		sign_in_first(r, query);
}

static void on_request(struct evhttp_request *ev, void *arg)
{
	struct worker *w = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(ev);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	if (!path || !*path || !raw_path_ok(ev) || !path_is_normal(path, strlen(path)) ||
	    !framing_ok(evhttp_request_get_input_headers(ev))) {
		answer_refuse(ev, 400);
		return;
	}
	if (!method_of(evhttp_request_get_command(ev))) {
		answer_refuse(ev, 405);
		return;
	}
	if ((evhttp_request_get_command(ev) & (EVHTTP_REQ_GET | EVHTTP_REQ_HEAD)) &&
	    answer_static(w, ev, path))
		return;
	struct req *r = req_new(w, ev);
	r->path = arena_strdup(r->arena, path);
	dispatch(r, ev, evhttp_uri_get_query(uri));
	if (!r->deferred)
		answer_finish(r);
}

/* ---- workers ---------------------------------------------------------------------------------- */

/* How long a draining worker stays after its last answer, for it to flush: libevent does not
 * report a write that failed, so waiting for completion could hang. */
static const struct timeval drain_flush = {0, 300000};

/* The worker's loop ends once it has been quiet for drain_flush, not at a time fixed when the
 * drain began: a request that arrives meanwhile on a kept-alive connection is answered in full. */
static void on_quiet(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	(void)fd;
	(void)what;
	if (w->inflight == 0)
		event_base_loopbreak(w->base);
}

/* A request that starts while the worker drains: the exit waits for it, and its answer closes
 * the connection, so that the client sends nothing more that would find the worker gone (a
 * request cut off unanswered after its write was committed). */
static void http_worker_hold(struct worker *w, struct evhttp_request *ev)
{
	evtimer_del(w->quiet_ev);
	evhttp_add_header(evhttp_request_get_output_headers(ev), "Connection", "close");
}

int http_worker_init(struct worker *w, int listen_fd)
{
	w->http = evhttp_new(w->base);
	if (!w->http)
		return -1;
	metrics_watch_pool(w->site->pool);
	metrics_watch_connections(w->site->conns);
	evhttp_set_allowed_methods(w->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
	                                            EVHTTP_REQ_PUT | EVHTTP_REQ_PATCH | EVHTTP_REQ_DELETE |
	                                            EVHTTP_REQ_OPTIONS);
	evhttp_set_default_content_type(w->http, "text/html; charset=utf-8");
	evhttp_set_max_headers_size(w->http, GUARD_HEAD_MAX);
	/* the guard holds each body to its route's limit; this is libevent's own, the largest */
	evhttp_set_max_body_size(w->http, w->site->max_upload + GUARD_UPLOAD_SLACK);
	evhttp_set_timeout(w->http, IO_TIMEOUT_SECONDS);
	evhttp_set_gencb(w->http, on_request, w);
	w->quiet_ev = evtimer_new(w->base, on_quiet, w);
	/* every connection's bytes pass the guard before libevent's parser (guard.c) */
	evhttp_set_bevcb(w->http, guard_bufferevent, w);
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
	const struct timeval grace = {10, 0};
	w->draining = 1;
	if (w->sock)
		evconnlistener_disable(evhttp_bound_socket_get_listener(w->sock));
	event_base_loopexit(w->base, &grace);
	if (w->inflight == 0)
		evtimer_add(w->quiet_ev, &drain_flush);
}

void http_worker_free(struct worker *w)
{
	if (w->http)
		evhttp_free(w->http);
	w->http = NULL;
	if (w->quiet_ev)
		event_free(w->quiet_ev);
	w->quiet_ev = NULL;
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

/* A request is settled once its answer is handed to libevent (or its client is gone). A
 * draining worker exits when none is left, after drain_flush. */
void http_worker_settled(struct worker *w, size_t body)
{
	if (--w->inflight == 0 && w->draining)
		evtimer_add(w->quiet_ev, &drain_flush);
	give_back_memory(w, body);
}
