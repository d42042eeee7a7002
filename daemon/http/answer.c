/* Sending answers: a handler's answer rendered (JSON, or a page through its template) with
 * its headers and body, then the request freed; an event stream handed to the live hub; the
 * guards' refusals; static files. Every status line and security header comes from here. */
#include "http.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accesslog.h"
#include "escape.h"
#include "http_impl.h"
#include "i18n.h"
#include "live.h"
#include "metrics.h"
#include "server.h"
#include "template.h"

static const char *const security_headers[][2] = {
        {"Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                                    "img-src 'self'; object-src 'none'; base-uri 'none'; "
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
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

/* The access log's line of an answer: r's, or (r NULL: a guard's refusal, a static file) the
 * TCP peer's. bytes -1 for a stream. */
static void log_answer(struct evhttp_request *ev, int status, int64_t bytes, const struct req *r)
{
	struct access_entry e = {.status = status, .bytes = bytes};
	char *peer = NULL;
	ev_uint16_t port;
	if (r) {
		e.client = r->ctx.client_addr;
		e.user = r->ctx.actor ? r->actor.username : NULL;
		e.ns = metrics_clock_ns() - r->t->started_ns;
		e.id = r->request_id;
	} else {
		evhttp_connection_get_peer(evhttp_request_get_connection(ev), &peer, &port);
		e.client = peer;
	}
	accesslog_write(ev, &e);
}

/* Sends the answer with its fixed reason phrase, logs it and frees body. */
static void send_reply(struct evhttp_request *ev, int status, struct evbuffer *body, const struct req *r)
{
	log_answer(ev, status, (int64_t)evbuffer_get_length(body), r);
	evhttp_send_reply(ev, status, reason(status), body);
	evbuffer_free(body);
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

/* ---- a handler's answer ----------------------------------------------------------------- */

/* Content-Disposition for a download (inline for an image shown in a page): an ASCII fallback
 * name, and the real name (UTF-8, any script) percent-encoded in filename* (RFC 6266), so no
 * client text reaches the header raw. */
static void add_disposition(struct evkeyvalq *h, const char *name, int shown)
{
	struct buf v = BUF_INIT;
	buf_puts(&v, shown ? "inline; filename=\"" : "attachment; filename=\"");
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

static void add_headers(struct evkeyvalq *h, struct req *r)
{
	add_security_headers(h);
	evhttp_add_header(h, "X-Request-Id", r->request_id);
	if (r->secure) /* only over TLS: a browser would pin a plain-HTTP site out of reach */
		evhttp_add_header(h, "Strict-Transport-Security", "max-age=31536000");
	for (int i = 0; i < REQ_MAX_COOKIES && r->set_cookie[i]; i++) /* behind TLS a cookie never travels in clear */
		evhttp_add_header(h, "Set-Cookie",
				  r->secure ? arena_printf(r->arena, "%s; Secure", r->set_cookie[i]) : r->set_cookie[i]);
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

/* The flash message a redirect's cookie brought, shown once: the page says it in the reader's
 * language (a key the catalogs lack says nothing) and clears the cookie. */
static void flash_show(struct req *r, json_t *m)
{
	if (!r->flash_in)
		return;
	const char *text = i18n_msg(r->lang, r->flash_in);
	if (strcmp(text, r->flash_in) != 0)
		json_object_set_new(m, "flash", json_pack("{s:s, s:b}", "text", text, "error",
							  !strncmp(r->flash_in, "flash.error.", 12)));
	req_cookie(r, "agora_flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

/* A page form's redirect carries its flash message to the next page in a cookie that lives
 * a minute at most: long enough for the browser to follow the redirect. */
static void flash_carry(struct req *r)
{
	if (r->status == 303 && r->flash_out && r->route && (r->route->flags & R_PAGE))
		req_cookie(r, arena_printf(r->arena, "agora_flash=%s; Path=/; Max-Age=60; HttpOnly; SameSite=Lax",
					   r->flash_out));
}

/* Page models get what every page shows: who is signed in, the CSRF token, the language. */
static void page_globals(struct req *r)
{
	json_t *m = r->model;
	flash_show(r, m);
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
	if (tmpl_render(r->t->gen->tmpl, name, r->model, r->lang, out) != 0)
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
	evhttp_add_header(h, "X-Request-Id", r->request_id);
	log_answer(t->ev, 200, -1, r);
	evhttp_send_reply_start(t->ev, 200, reason(200));
	live_attach(t->ev, r->live, r->raw, r->raw_len);
	t->gone = 1; /* libevent's request belongs to the hub now */
	return 1;
}

/* An ordinary answer: the model rendered (or the bytes or file given), with its headers. */
static void send_answer(struct req *r)
{
	struct buf out = BUF_INIT;
	const char *type = NULL;
	if (!r->model)
		req_error(r, 500, "internal");
	check_not_modified(r);
	flash_carry(r);
	render(r, &out, &type);
	struct evkeyvalq *h = evhttp_request_get_output_headers(r->t->ev);
	if (type)
		evhttp_add_header(h, "Content-Type", type);
	add_headers(h, r);
	if (r->attachment)
		add_disposition(h, r->attachment, r->inline_file);
	struct evbuffer *body = evbuffer_new();
	fill_body(r, body, h, &out);
	send_reply(r->t->ev, r->status, body, r);
	buf_free(&out);
}

void answer_finish(struct req *r)
{
	struct transport_req *t = r->t;
	struct worker *w = t->w;
	if (!t->gone && !stream_start(r))
		send_answer(r);
	if (t->done_ev)
		event_free(t->done_ev);
	size_t body = t->gone ? 0 : evbuffer_get_length(evhttp_request_get_input_buffer(t->ev));
	long route = r->route ? r->route - w->site->app->routes : -1;
	metrics_request_done(route, r->status, metrics_clock_ns() - t->started_ns);
	if (r->status >= 500) /* the id the client got, and what the database said (never a value) */
		fprintf(stderr, "agorad: request %s: %d %s on %s%s%s\n", r->request_id, r->status,
			r->ctx.error_code ? r->ctx.error_code : "internal", r->path ? r->path : "?",
			r->status == 500 ? ": " : "", r->status == 500 ? store_error(r->ctx.db) : "");
	req_free(r);
	free(r);
	generation_release(t->gen);
	free(t);
	http_worker_settled(w, body);
}

/* ---- answers without a handler ---------------------------------------------------------- */

void answer_refuse(struct evhttp_request *ev, int status)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(ev);
	struct evbuffer *b = evbuffer_new();
	const char *code = status == 405 ? "method_not_allowed" : "bad_request";
	evbuffer_add_printf(b, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n", code, reason(status));
	evhttp_add_header(h, "Content-Type", "application/json");
	evhttp_add_header(h, "Connection", "close");
	add_security_headers(h);
	send_reply(ev, status, b, NULL);
}

/* The code of a refusal's error object. */
static const char *refusal_code(int status)
{
	switch (status) {
	case 405: return "method_not_allowed";
	case 408: return "request_timeout";
	case 413: return "body_too_large";
	case 503: return "too_many_connections";
	default: return "bad_request";
	}
}

void answer_refusal(struct evbuffer *out, int status)
{
	char body[160];
	int n = snprintf(body, sizeof body, "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n",
			 refusal_code(status), reason(status));
	evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\n", status, reason(status));
	for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
		evbuffer_add_printf(out, "%s: %s\r\n", security_headers[i][0], security_headers[i][1]);
	if (status == 503)
		evbuffer_add_printf(out, "Retry-After: 5\r\n");
	evbuffer_add_printf(out, "Content-Type: application/json\r\nContent-Length: %d\r\n"
			    "Cache-Control: no-store\r\nConnection: close\r\n\r\n%s", n, body);
}

/* A static file's bytes are sent from its generation's memory: the generation is held until
 * libevent has written them. */
static void static_sent(const void *data, size_t len, void *gen)
{
	(void)data;
	(void)len;
	generation_release(gen);
}

int answer_static(struct worker *w, struct evhttp_request *ev, const char *path)
{
	if (strncmp(path, "/static/", 8) != 0)
		return 0;
	struct generation *g = generation_take(&w->site->gens);
	for (size_t i = 0; i < g->nstatics; i++) {
		const struct static_file *f = &g->statics[i];
		if (strcmp(f->name, path + 8) != 0)
			continue;
		struct evkeyvalq *h = evhttp_request_get_output_headers(ev);
		evhttp_add_header(h, "Content-Type", f->type);
		evhttp_add_header(h, "Cache-Control", "public, max-age=3600");
		add_security_headers(h);
		struct evbuffer *b = evbuffer_new();
		if (evhttp_request_get_command(ev) == EVHTTP_REQ_HEAD)
			set_content_length(h, f->len);
		else if (evbuffer_add_reference(b, f->data, f->len, static_sent, g) == 0)
			g = NULL; /* the buffer gives it back */
		send_reply(ev, 200, b, NULL);
		generation_release(g);
		return 1;
	}
	generation_release(g);
	return 0;
}
