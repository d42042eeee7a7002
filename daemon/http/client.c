/* Who the client is. Behind a reverse proxy every TCP peer is the proxy, so the throttles
 * would hold the whole site as one client; only a proxy named with --trusted-proxy may say
 * who stands behind it, since anyone else could name whomever they like. */
#include <event2/http.h>
#include <string.h>

#include "auth.h"
#include "forwarded.h"
#include "http_impl.h"
#include "server.h"

/* The request's id: the one a trusted proxy gives (nginx's $request_id), so that its log and
 * ours name the request alike, when it is 1 to 64 letters, digits, '-' or '_'; else a new one. */
static void request_id(struct req *r, const struct forwarded_trust *proxies, const char *peer, const char *given)
{
	size_t n = given ? strlen(given) : 0;
	if (n && n <= REQUEST_ID_MAX && forwarded_trusted(proxies, peer) &&
	    strspn(given, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n)
		memcpy(r->request_id, given, n + 1);
	else
		auth_random_hex(r->request_id, 8);
}

void client_identify(struct req *r, struct evhttp_request *ev)
{
	const struct site *site = r->t->w->site;
	struct evkeyvalq *h = evhttp_request_get_input_headers(ev);
	char *peer = NULL, addr[FORWARDED_ADDR_MAX];
	ev_uint16_t port;
	evhttp_connection_get_peer(evhttp_request_get_connection(ev), &peer, &port);
	forwarded_client(&r->t->gen->proxies, peer, evhttp_find_header(h, "X-Forwarded-For"), addr);
	r->ctx.client_addr = arena_strdup(r->arena, addr);
	r->secure = site->https || forwarded_https(&r->t->gen->proxies, peer, evhttp_find_header(h, "X-Forwarded-Proto"));
	request_id(r, &r->t->gen->proxies, peer, evhttp_find_header(h, "X-Request-Id"));
}
