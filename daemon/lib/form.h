/* form: our own decoder for application/x-www-form-urlencoded bodies, URL query strings,
 * Cookie headers and request paths. libevent's evhttp_parse_query_str fails a whole query
 * on one key without '=' and truncates at %00; this one does neither. Free of libevent and
 * SQLite so the fuzzer links it alone. */
#ifndef AGORA_FORM_H
#define AGORA_FORM_H

#include <stddef.h>

/* One decoded pair; key and val are NUL-terminated and owned by the list. */
struct kv {
	char *key;
	char *val;
	size_t val_len;
};

struct kvlist {
	struct kv *items;
	size_t n, cap;
};

#define KVLIST_INIT {NULL, 0, 0}

enum { FORM_MAX_PAIRS = 1000 };

enum form_status {
	FORM_OK = 0,
	FORM_BAD_ESCAPE = -1,
	FORM_NUL = -2,
	FORM_BAD_UTF8 = -3,
	FORM_TOO_MANY = -4
};

/* Parses "a=1&b=x+y&c" into out, which should start empty ('+' is space, %XX decoded; a key
 * without '=' gets ""; empty pieces from "&&" skipped). Refuses %00 or a raw NUL (FORM_NUL),
 * invalid %-escapes (FORM_BAD_ESCAPE), keys or values that are not valid UTF-8 after
 * decoding (FORM_BAD_UTF8), more than FORM_MAX_PAIRS pairs (FORM_TOO_MANY). On error out is
 * freed and left empty. The caller frees out with kvlist_free. */
int form_parse(const char *s, size_t len, struct kvlist *out);
/* Parses a Cookie header "a=1; b=2" into out, which should start empty: no %-decoding
 * (cookie values are opaque), whitespace around names and values trimmed, pairs without '='
 * or with an empty name skipped. FORM_OK, or FORM_TOO_MANY (out then left empty). */
int cookie_parse(const char *header, struct kvlist *out);
/* The value of the first pair with this key, or NULL. The string belongs to the list. */
const char *kv_get(const struct kvlist *l, const char *key);
/* Frees every pair and resets l to empty; l itself may be reused. */
void kvlist_free(struct kvlist *l);
/* Decodes %XX in one URL path segment (no '+' handling) into a string the caller frees;
 * NULL when an escape is invalid, the result holds a NUL or '/', or is not valid UTF-8. */
char *path_segment_decode(const char *s, size_t len);
/* 1 when an absolute request path (without the query) is already normal: starts with '/',
 * no "//", no segment that is exactly "." or ".." (also not as %2e/%2E spellings; ".hidden"
 * and "a.b" are fine), no backslash (raw or %5c/%5C), no %2f/%2F, no control characters;
 * else 0. A trailing '/' is allowed, so "/" is normal. */
int path_is_normal(const char *path, size_t len);

#endif
