/* http: the transport. libevent's evhttp on several workers; request guards and limits,
 * routing through the one table in routes.c, sessions and CSRF, and rendering a handler's
 * view model as JSON (under /api/v1) or through a page template. Handlers see `struct req`
 * only, never libevent. */
#ifndef AGORA_HTTP_H
#define AGORA_HTTP_H

#include <jansson.h>
#include <stdint.h>

#include "ctx.h"
#include "form.h"
#include "live.h"

enum http_method { M_GET = 1, M_POST = 2, M_PUT = 4, M_PATCH = 8, M_DELETE = 16, M_HEAD = 32 };

enum route_flags {
	R_API = 1,   /* answers JSON; bodies are JSON */
	R_PAGE = 2,  /* answers HTML; bodies are forms */
	R_WRITE = 4, /* changes state: needs the CSRF token when authenticated by cookie */
	R_AUTH = 8,  /* needs a signed-in user (401 otherwise) */
	R_FORM = 16, /* a page with a form for visitors: hand out the double-submit CSRF cookie */
	R_UPLOAD = 32, /* takes multipart/form-data up to --max-upload-mb, left unparsed for the
			* handler (req_body_each); pages send their CSRF token as ?csrf= */
	R_SIGNIN = 64, /* a sign-in: its password check has its own threads (pool.h), so no
			* flood of other slow work can hold it up */
};

struct req;
typedef void (*handler_fn)(struct req *r);

struct route {
	enum http_method method;
	const char *pattern; /* segments; ":x" captures one */
	handler_fn handler;
	unsigned flags;
	const char *tmpl;    /* page template for R_PAGE routes */
};

/* What the handlers give the transport when it starts (handlers/routes.c defines it): the
 * route table, and the values every page shows beside its own view model. */
struct letter;

struct http_app {
	const struct route *routes;
	size_t nroutes;
	/* Adds who is signed in and the like to a page's model; NULL for nothing. */
	void (*page_globals)(struct req *r, json_t *model);
	/* Listeners to the domain, given to every request's context. */
	const struct ag_events *events;
	/* The model of an e-mail's templates (mail_KIND and mail_KIND.txt) for what a letter
	 * says; the sender adds base_url, unsubscribe_url and settings_url. */
	json_t *(*letter_model)(struct agora_ctx *c, const struct letter *l);
};

enum { REQ_MAX_PARAMS = 4, REQ_MAX_COOKIES = 4 };

enum { REQUEST_ID_MAX = 64 };

struct req {
	struct arena *arena;
	struct agora_ctx ctx;
	struct user actor;
	char request_id[REQUEST_ID_MAX + 1]; /* X-Request-Id: a trusted proxy's, else 16 random hex digits */
	const struct route *route;
	enum http_method method;
	const char *path;
	const char *params[REQ_MAX_PARAMS];
	struct kvlist query;
	json_t *input;      /* the body: a JSON object, or form fields as strings; never NULL */
	int from_form;
	const char *token;  /* the session token, from the bearer header or the cookie */
	int via_cookie;
	int secure;         /* came over TLS (--base-url https://, or a trusted proxy says so) */
	const char *csrf;   /* the CSRF token pages must embed in their forms */
	const struct i18n *lang;
	int bad_input;      /* set by in_* on a wrong-typed field */
	/* The answer, filled by the handler. */
	int status;
	json_t *model;      /* owned by the request */
	const char *tmpl;   /* overrides route->tmpl */
	const char *location; /* page forms: where to go after success (303) */
	const char *flash_in;  /* a flash message's catalog key the browser brought (flash cookie) */
	const char *flash_out; /* the one to show on the page a redirect leads to (req_flash) */
	const char *set_cookie[REQ_MAX_COOKIES];
	/* A body other than the view model: bytes in the arena, or an open file the transport
	 * sends and closes (file_fd >= 0), with their type and, for downloads, a file name. */
	const char *raw;
	size_t raw_len;
	int file_fd;
	int64_t file_len;
	const char *raw_type;
	const char *attachment;
	int inline_file;    /* the file named by attachment is shown in the page (an image) */
	int deferred;
	const struct live_scope *live; /* req_stream: whose posts stream to the client */
	const char *etag;              /* req_etag */
	struct transport_req *t; /* transport's own */
};

/* Input fields. in_str: NULL when absent; a present field of another type sets bad_input. */
const char *in_str(struct req *r, const char *key);
/* An integer from JSON, or decimal digits from a form; 0 when absent; bad_input otherwise. */
int64_t in_int(struct req *r, const char *key, int *present);
/* A boolean from JSON, or "1"/"on"/"true" from a form. */
int in_bool(struct req *r, const char *key);
/* A query string parameter, or NULL. */
const char *req_query(struct req *r, const char *key);
/* The path parameter i as a positive id, 0 when it is not one. */
int64_t param_id(struct req *r, int i);
/* ?page=&per_page= as a page (per_page default 50, at most 200). */
struct page req_page(struct req *r, int64_t default_per_page);

/* Answers: a view model with a status; or an error from the domain's status and code. */
void req_reply(struct req *r, int status, json_t *model);
void req_fail(struct req *r, enum ag_status st);
/* A plain error by code (the message comes from the catalog). */
void req_error(struct req *r, int status, const char *code);
/* Page forms: after success, go to location (303 See Other). */
void req_redirect(struct req *r, const char *location);
/* Page forms: the flash message (a catalog key "flash.NAME", or "flash.error.NAME" for a
 * failure) shown once on the page the redirect leads to, in the reader's language. */
void req_flash(struct req *r, const char *key);
/* 1 when the request came through a page route (forms in, HTML out). */
int is_page(const struct req *r);
/* A write succeeded: pages go on to location, the API answers status with model. */
void req_done(struct req *r, int status, json_t *model, const char *location);
/* A page form's refusal that needs no form again ("you have already reported this post"):
 * back to location with the flash "flash.error.CODE" when the catalogs have one; otherwise,
 * and for the API, as req_fail. */
void req_fail_back(struct req *r, enum ag_status st, const char *location);
/* A write failed: on pages the text the user typed comes back with the error. */
void req_fail_keeping(struct req *r, enum ag_status st, const char *draft);

/* Answers bytes (copied into the request's arena) instead of a view model. attachment, when
 * not NULL, is offered as the file name to save under. */
void req_send_bytes(struct req *r, const char *type, const char *data, size_t len, const char *attachment);
/* Answers an open file (the transport closes fd) of len bytes. */
void req_send_file(struct req *r, const char *type, int fd, int64_t len, const char *attachment);
/* Answers a Server-Sent Events stream of the posts published in scope->thread_id from now on
 * (the live hub, live.h), opened with first (len bytes). The connection stays open. */
void req_stream(struct req *r, const struct live_scope *scope, const char *first, size_t len);
/* Gives a 200 answer an entity tag (quotes included); a GET or HEAD whose If-None-Match
 * names it is answered 304 without a body, so a poller that has it is spared the bytes. */
void req_etag(struct req *r, const char *etag);
/* Adds a Set-Cookie value. */
void req_cookie(struct req *r, const char *cookie);

/* The request's Content-Type header, or NULL. */
const char *req_content_type(struct req *r);
/* A request header, or NULL. */
const char *req_header(struct req *r, const char *name);
/* The address and port the client connected to ("127.0.0.1:8080"), in the request's arena. */
const char *req_local_addr(struct req *r);
/* The site's public address (--base-url, "https://forum.example.org"), or NULL without one. */
const char *req_base_url(const struct req *r);
/* Calls fn on each piece of the body in order, without copying it; stops at fn's first
 * non-zero return and returns it. Safe from a pool thread while the request is deferred. */
int req_body_each(struct req *r, int (*fn)(void *arg, const char *data, size_t len), void *arg);

/* Slow work (password hashing, uploads) runs on the pool; done then runs back on the
 * request's worker and answers as a handler would. When the client has gone meanwhile, done
 * is not called (the work may not have run either): drop, if not NULL, frees the job
 * instead. When the pool is full, the request is answered 503 and drop is called at once. */
void req_defer(struct req *r, void (*work)(void *job), void (*done)(struct req *r, void *job),
	       void (*drop)(void *job), void *job);

/* A search (or another long read) on the pool's search threads, each with its own database
 * connection: work runs there with c, the request's context on that connection, then done
 * runs on the worker as for req_defer. A client address runs SEARCHES_PER_CLIENT at once at
 * most: past that the request is answered 429 (Retry-After) without running work. */
void req_defer_read(struct req *r, void (*work)(struct agora_ctx *c, void *job), void (*done)(struct req *r, void *job),
		    void *job);

/* Paging fields beside a list: page, pages, total, per_page; with several pages also
 * prev_page, next_page, last_page and page_links, the numbered links of the pager. */
void model_paging(json_t *model, struct page pg, int64_t total);

#endif
