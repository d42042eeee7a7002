/* Who the client is. Behind a reverse proxy every TCP peer is the proxy, so the throttles
 * would hold the whole site as one client; only a proxy named with --trusted-proxy may say
 * who stands behind it, since anyone else could name whomever they like. */
#include <event2/http.h>
#include <string.h>

#include "forwarded.h"
#include "http_impl.h"
#include "server.h"

void client_identify(struct req *r, struct evhttp_request *ev)
{
	const struct site *site = r->t->w->site;
	struct evkeyvalq *h = evhttp_request_get_input_headers(ev);
	char *peer = NULL, addr[FORWARDED_ADDR_MAX];
	ev_uint16_t port;
	evhttp_connection_get_peer(evhttp_request_get_connection(ev), &peer, &port);
	forwarded_client(&site->proxies, peer, evhttp_find_header(h, "X-Forwarded-For"), addr);
	r->ctx.client_addr = arena_strdup(r->arena, addr);
	r->secure = site->https || forwarded_https(&site->proxies, peer, evhttp_find_header(h, "X-Forwarded-Proto"));
}
