/* Who is asking: the session from a bearer token or the session cookie, and the CSRF token
 * that pages embed and writes must bring back (double-submit for visitors). */
#include "http.h"

#include <event2/http.h>
#include <event2/util.h>
#include <string.h>

#include "accounts.h"
#include "auth.h"
#include "http_impl.h"

#define SESSION_COOKIE   "agora_session"
#define ANON_CSRF_COOKIE "agora_csrf"

void session_load(struct req *r, struct evkeyvalq *h, struct kvlist *cookies)
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

void session_anon_csrf(struct req *r)
{
	char tok[AUTH_TOKEN_LEN + 1];
	/* only pages with a visitor's form: other public pages stay cacheable */
	if (r->ctx.actor || r->csrf || !r->route || !(r->route->flags & R_FORM))
		return;
	auth_token_new(tok);
	r->csrf = arena_strdup(r->arena, tok);
	req_cookie(r, arena_printf(r->arena, ANON_CSRF_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax", tok));
}

int session_csrf_ok(struct req *r, struct evkeyvalq *h)
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
