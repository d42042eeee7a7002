#include "forwarded.h"

#include <string.h>
#include <strings.h>

int forwarded_trusted(const struct forwarded_trust *t, const char *addr)
{
	for (size_t i = 0; t && addr && i < t->n; i++)
		if (!strcmp(t->addrs[i], addr))
			return 1;
	return 0;
}

/* Copies the entry s[0..n) without surrounding blanks into out when it looks like an IPv4 or
 * IPv6 address (hex digits, dots, colons); 0 otherwise. */
static int entry_copy(const char *s, size_t n, char out[FORWARDED_ADDR_MAX])
{
	while (n && (s[0] == ' ' || s[0] == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= FORWARDED_ADDR_MAX || strspn(s, "0123456789abcdefABCDEF.:") < n)
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

static void copy_peer(const char *peer, char out[FORWARDED_ADDR_MAX])
{
	size_t n = peer ? strnlen(peer, FORWARDED_ADDR_MAX - 1) : 0;
	memcpy(out, peer ? peer : "", n);
	out[n] = '\0';
}

void forwarded_client(const struct forwarded_trust *t, const char *peer, const char *xff,
		      char out[FORWARDED_ADDR_MAX])
{
	copy_peer(peer, out);
	if (!xff || !forwarded_trusted(t, peer))
		return;
	char entry[FORWARDED_ADDR_MAX];
	size_t end = strlen(xff);
	while (end > 0) { /* from the right: the proxies we trust added these */
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		if (!entry_copy(xff + start, end - start, entry)) {
			copy_peer(peer, out);
			return;
		}
		memcpy(out, entry, sizeof entry);
		if (!forwarded_trusted(t, entry))
			return;
		end = start ? start - 1 : 0;
	}
}

int forwarded_https(const struct forwarded_trust *t, const char *peer, const char *proto)
{
	return proto && forwarded_trusted(t, peer) && !strcasecmp(proto, "https");
}
