/* forwarded: who the client is when a proxy we trust stands in front (X-Forwarded-For,
 * X-Forwarded-Proto). Pure string work on the header values, for the transport. */
#ifndef AGORA_FORWARDED_H
#define AGORA_FORWARDED_H

#include <stddef.h>

enum { FORWARDED_ADDR_MAX = 46 }; /* an IPv6 address in text, with its NUL */

/* The list of proxies given with --trusted-proxy: addresses compared as text. */
struct forwarded_trust {
	const char *const *addrs;
	size_t n;
};

int forwarded_trusted(const struct forwarded_trust *t, const char *addr);
/* The client's address into out: the TCP peer, unless the peer is a trusted proxy and xff
 * (X-Forwarded-For, may be NULL) names someone; then the right-most entry that is not itself
 * a trusted proxy (the entries to its left are whatever the client chose to send). An entry
 * that is no address makes the peer the answer: a proxy that forwards garbage is misused. */
void forwarded_client(const struct forwarded_trust *t, const char *peer, const char *xff,
		      char out[FORWARDED_ADDR_MAX]);
/* 1 when the request came over TLS: the peer is a trusted proxy that says
 * X-Forwarded-Proto: https (proto may be NULL). */
int forwarded_https(const struct forwarded_trust *t, const char *peer, const char *proto);

#endif
