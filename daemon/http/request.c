/* What handlers use to read a request and to answer it (the API of http.h): its fields,
 * query, headers and body, and the answer they fill in for the transport to send. */
#include "http.h"

#include <event2/bufferevent.h>
#include <event2/buffer.h>
#include <event2/http.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "http_impl.h"
#include "i18n.h"
#include "input.h"
#include "server.h"

static int status_of(enum ag_status st)
{
	static const int map[] = {
	        [AG_OK] = 200,        [AG_CREATED] = 201,    [AG_PENDING] = 202,   [AG_EINVAL] = 400,
	        [AG_EUNAUTH] = 401,   [AG_EFORBIDDEN] = 403, [AG_ENOTFOUND] = 404, [AG_ECONFLICT] = 409,
	        [AG_ETOOLARGE] = 413, [AG_EREFUSED] = 422,   [AG_ERATE] = 429,     [AG_EBUSY] = 503,
	        [AG_EUNSUPPORTED] = 415, [AG_EINTERNAL] = 500,
	};
	return (unsigned)st < sizeof map / sizeof map[0] ? map[st] : 500;
}

/* ---- inputs ----------------------------------------------------------------------------- */

const char *in_str(struct req *r, const char *key)
{
	return input_str(r->input, key, &r->bad_input);
}

int64_t in_int(struct req *r, const char *key, int *present)
{
	return input_int(r->input, key, r->from_form, present, &r->bad_input);
}

int in_bool(struct req *r, const char *key)
{
	return input_bool(r->input, key, r->from_form, &r->bad_input);
}

const char *req_query(struct req *r, const char *key)
{
	return kv_get(&r->query, key);
}

int64_t param_id(struct req *r, int i)
{
	int64_t id;
	if (i >= REQ_MAX_PARAMS || !r->params[i] || input_number(r->params[i], 0, &id) != 0)
		return 0;
	return id;
}

struct page req_page(struct req *r, int64_t default_per_page)
{
	int64_t page = 1, per = default_per_page;
	const char *p = req_query(r, "page"), *pp = req_query(r, "per_page");
	if (p && input_number(p, 1, &page) != 0)
		page = 1;
	if (pp && input_number(pp, 1, &per) != 0)
		per = default_per_page;
	if (per > 200)
		per = 200;
	if (page > 1000000)
		page = 1000000;
	return (struct page){.offset = (page - 1) * per, .limit = per};
}

/* Pages within this distance of the current one are linked by number; the first and the
 * last always are, and a gap between stands for the pages left out ("1 … 4 5 6 … 10"). */
enum { PAGER_NEAR = 2 };

/* The numbered links of the pager: [{"page_n": 1}, {"page_gap": true}, {"page_n": 5, "page_current": true}, ...]
 * (names no other part of a page model uses, as a template looks names up outward). */
static json_t *page_links(int64_t page, int64_t pages)
{
	json_t *a = json_array();
	int64_t shown = 0;
	for (int64_t n = 1; n <= pages; n++) {
		int near = n == 1 || n == pages || (n >= page - PAGER_NEAR && n <= page + PAGER_NEAR);
		if (!near)
			continue;
		if (shown && n > shown + 1)
			json_array_append_new(a, json_pack("{s:b}", "page_gap", 1));
		json_array_append_new(a, n == page ? json_pack("{s:I, s:b}", "page_n", (json_int_t)n, "page_current", 1)
						   : json_pack("{s:I}", "page_n", (json_int_t)n));
		shown = n;
		/* jump over the runs of pages left out */
		if (n > 1 && n < page - PAGER_NEAR)
			n = page - PAGER_NEAR - 1;
		else if (n >= page + PAGER_NEAR && n < pages - 1)
			n = pages - 1;
	}
	return a;
}

void model_paging(json_t *model, struct page pg, int64_t total)
{
	int64_t page = pg.offset / pg.limit + 1;
	int64_t pages = (total + pg.limit - 1) / pg.limit;
	json_object_set_new(model, "page", json_integer(page));
	json_object_set_new(model, "pages", json_integer(pages ? pages : 1));
	json_object_set_new(model, "total", json_integer(total));
	json_object_set_new(model, "per_page", json_integer(pg.limit));
	if (pages > 1) {
		json_object_set_new(model, "several_pages", json_true());
		json_object_set_new(model, "page_links", page_links(page, pages));
	}
	if (page > 1)
		json_object_set_new(model, "prev_page", json_integer(page - 1));
	if (page < pages)
		json_object_set_new(model, "next_page", json_integer(page + 1));
	if (page < pages)
		json_object_set_new(model, "last_page", json_integer(pages));
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

/* One plugin reason in the reader's language: its catalog message, "{}" filled with its
 * argument, or the plugin's own text when the catalog lacks the key. */
static const char *reason_text(struct req *r, const struct ag_reason *x)
{
	const char *msg = x->key ? i18n_msg(r->lang, x->key) : NULL;
	if (!msg || !strcmp(msg, x->key))
		return x->text;
	const char *hole = strstr(msg, "{}");
	if (!hole)
		return msg;
	return arena_printf(r->arena, "%.*s%s%s", (int)(hole - msg), msg, x->arg ? x->arg : "", hole + 2);
}

/* The detail of a plugin's refusal, translated reason by reason. */
static const char *reasons_detail(struct req *r)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < r->ctx.nreasons; i++) {
		if (i)
			buf_puts(&b, i18n_msg(r->lang, "error.reasons_separator"));
		buf_puts(&b, reason_text(r, &r->ctx.reasons[i]));
	}
	const char *s = arena_strdup(r->arena, b.data ? b.data : "");
	buf_free(&b);
	return s;
}

static void error_model(struct req *r, int status, const char *code, const char *detail)
{
	json_t *m = json_object();
	json_t *e = json_pack("{s:s, s:s}", "code", code, "message", error_message(r, code, detail));
	for (size_t i = 0; i < r->ctx.nreasons; i++)
		if (r->ctx.reasons[i].key && !json_object_get(e, "reason_key")) /* the first plugin's */
			json_object_set_new(e, "reason_key", json_string(r->ctx.reasons[i].key));
	json_object_set_new(m, "error", e);
	req_reply(r, status, m);
}

void req_error(struct req *r, int status, const char *code)
{
	error_model(r, status, code, NULL);
}

void req_fail(struct req *r, enum ag_status st)
{
	const char *code = r->ctx.error_code ? r->ctx.error_code : "internal";
	error_model(r, status_of(st), code, r->ctx.nreasons ? reasons_detail(r) : r->ctx.error_detail);
}

void req_redirect(struct req *r, const char *location)
{
	r->location = arena_strdup(r->arena, location);
	req_reply(r, 303, NULL);
}

void req_flash(struct req *r, const char *key)
{
	r->flash_out = arena_strdup(r->arena, key);
}

int is_page(const struct req *r)
{
	return r->route && (r->route->flags & R_PAGE);
}

void req_done(struct req *r, int status, json_t *model, const char *location)
{
	if (is_page(r) && location) {
		if (model)
			json_decref(model);
		req_redirect(r, location);
		return;
	}
	req_reply(r, status, model);
}

void req_fail_keeping(struct req *r, enum ag_status st, const char *draft)
{
	req_fail(r, st);
	if (is_page(r) && draft)
		json_object_set_new(r->model, "draft", json_string(draft));
}

void req_fail_back(struct req *r, enum ag_status st, const char *location)
{
	req_fail(r, st);
	if (!is_page(r) || !location || !r->ctx.error_code)
		return;
	const char *key = arena_printf(r->arena, "flash.error.%s", r->ctx.error_code);
	if (!strcmp(i18n_msg(r->lang, key), key))
		return; /* no flash says it: the error page does */
	req_redirect(r, location);
	req_flash(r, key);
}

/* A 200 answer of type whose body is not the view model. */
static void send_other(struct req *r, const char *type, const char *attachment)
{
	req_reply(r, 200, NULL);
	r->raw_type = type;
	r->attachment = attachment ? arena_strdup(r->arena, attachment) : NULL;
}

void req_send_bytes(struct req *r, const char *type, const char *data, size_t len, const char *attachment)
{
	send_other(r, type, attachment);
	r->raw = arena_strndup(r->arena, data, len);
	r->raw_len = len;
}

void req_send_file(struct req *r, const char *type, int fd, int64_t len, const char *attachment)
{
	send_other(r, type, attachment);
	r->file_fd = fd;
	r->file_len = len;
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

void req_cookie(struct req *r, const char *cookie)
{
	for (int i = 0; i < REQ_MAX_COOKIES; i++)
		if (!r->set_cookie[i]) {
			r->set_cookie[i] = arena_strdup(r->arena, cookie);
			return;
		}
}

/* ---- what the connection carries -------------------------------------------------------- */

const char *req_header(struct req *r, const char *name)
{
	return evhttp_find_header(evhttp_request_get_input_headers(r->t->ev), name);
}

const char *req_content_type(struct req *r)
{
	return req_header(r, "Content-Type");
}

int transport_fd(const struct transport_req *t)
{
	struct bufferevent *bev = evhttp_connection_get_bufferevent(evhttp_request_get_connection(t->ev));
	return bev ? (int)bufferevent_getfd(bev) : -1;
}

const char *req_local_addr(struct req *r)
{
	int fd = transport_fd(r->t);
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	char ip[INET_ADDRSTRLEN];
	if (fd < 0 || getsockname(fd, (struct sockaddr *)&sa, &len) != 0 ||
	    sa.sin_family != AF_INET || !inet_ntop(AF_INET, &sa.sin_addr, ip, sizeof ip))
		return "localhost";
	return arena_printf(r->arena, "%s:%u", ip, (unsigned)ntohs(sa.sin_port));
}

const char *req_base_url(const struct req *r)
{
	return r->t->w->site->base_url;
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
