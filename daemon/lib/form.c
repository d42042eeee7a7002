#include "form.h"

#include "escape.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "util.h"

/* Decodes the escape at s[i] ('%' then two hex digits) into *c; FORM_OK or an error. */
static int decode_escape(const char *s, size_t len, size_t i, char *c)
{
	int hi, lo;

	if (len - i < 3)
		return FORM_BAD_ESCAPE;
	hi = hex_digit((unsigned char)s[i + 1]);
	lo = hex_digit((unsigned char)s[i + 2]);
	if (hi < 0 || lo < 0)
		return FORM_BAD_ESCAPE;
	*c = (char)(hi << 4 | lo);
	return *c == '\0' ? FORM_NUL : FORM_OK;
}

/* Percent-decodes s[0..len) into a new string (*out, length *out_len, caller frees), '+'
 * meaning space when plus_is_space. The result is checked to be NUL-free valid UTF-8 so
 * nothing downstream ever sees a truncated or malformed string. On error *out is NULL. */
static int decode(const char *s, size_t len, int plus_is_space, char **out, size_t *out_len)
{
	char *d = xmalloc(len + 1);
	size_t n = 0;
	int rc = FORM_OK;

	for (size_t i = 0; i < len && rc == FORM_OK; i++) {
		char c = s[i];
		if (c == '\0') {
			rc = FORM_NUL;
		} else if (c == '%') {
			rc = decode_escape(s, len, i, &c);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		d[n++] = c;
	}
	if (rc == FORM_OK && !utf8_valid(d, n))
		rc = FORM_BAD_UTF8;
	if (rc != FORM_OK) {
		free(d);
		d = NULL;
		n = 0;
	} else {
		d[n] = '\0';
	}
	*out = d;
	*out_len = n;
	return rc;
}

/* Appends a pair, taking ownership of key and val. */
static void kvlist_push(struct kvlist *l, char *key, char *val, size_t val_len)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->items = xrealloc(l->items, l->cap * sizeof *l->items);
	}
	l->items[l->n++] = (struct kv){key, val, val_len};
}

/* Decodes one non-empty "key[=value]" piece of a form and appends it. */
static int form_add_pair(const char *s, size_t len, struct kvlist *out)
{
	const char *eq = memchr(s, '=', len);
	size_t klen = eq ? (size_t)(eq - s) : len;
	char *key, *val;
	size_t key_len, val_len;
	int rc;

	if (out->n >= FORM_MAX_PAIRS)
		return FORM_TOO_MANY;
	rc = decode(s, klen, 1, &key, &key_len);
	if (rc != FORM_OK)
		return rc;
	if (eq) {
		rc = decode(eq + 1, len - klen - 1, 1, &val, &val_len);
	} else {
		val = xstrdup("");
		val_len = 0;
	}
	if (rc != FORM_OK) {
		free(key);
		return rc;
	}
	kvlist_push(out, key, val, val_len);
	return FORM_OK;
}

int form_parse(const char *s, size_t len, struct kvlist *out)
{
	size_t i = 0;
	int rc = FORM_OK;

	while (i < len && rc == FORM_OK) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - s) : len;
		if (end > i)
			rc = form_add_pair(s + i, end - i, out);
		i = end + 1;
	}
	if (rc != FORM_OK)
		kvlist_free(out);
	return rc;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Narrows [*s, *e) to exclude surrounding spaces and tabs. */
static void trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

/* Appends one "name=value" cookie piece [s, e) unless it has no '=' or an empty name. */
static void cookie_add_pair(const char *s, const char *e, struct kvlist *out)
{
	const char *eq = memchr(s, '=', (size_t)(e - s));
	const char *ks = s, *ke = eq, *vs = eq ? eq + 1 : NULL, *ve = e;

	if (!eq)
		return;
	trim(&ks, &ke);
	trim(&vs, &ve);
	if (ks == ke)
		return;
	kvlist_push(out, xstrndup(ks, (size_t)(ke - ks)), xstrndup(vs, (size_t)(ve - vs)),
		    (size_t)(ve - vs));
}

int cookie_parse(const char *header, struct kvlist *out)
{
	const char *p = header;

	while (*p) {
		const char *semi = strchr(p, ';');
		const char *end = semi ? semi : p + strlen(p);
		if (out->n >= FORM_MAX_PAIRS) {
			kvlist_free(out);
			return FORM_TOO_MANY;
		}
		cookie_add_pair(p, end, out);
		p = semi ? semi + 1 : end;
	}
	return FORM_OK;
}

const char *kv_get(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].val;
	return NULL;
}

void kvlist_free(struct kvlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].key);
		free(l->items[i].val);
	}
	free(l->items);
	*l = (struct kvlist)KVLIST_INIT;
}

char *path_segment_decode(const char *s, size_t len)
{
	char *d;
	size_t n;

	if (decode(s, len, 0, &d, &n) != FORM_OK)
		return NULL;
	if (memchr(d, '/', n)) {
		free(d);
		return NULL;
	}
	return d;
}

/* 1 when the segment s[0..len) means "." or ".." once %2e is decoded. */
static int is_dot_segment(const char *s, size_t len)
{
	size_t dots = 0, i = 0;

	while (i < len) {
		if (s[i] == '.')
			i += 1;
		else if (len - i >= 3 && s[i] == '%' && s[i + 1] == '2' && (s[i + 2] | 0x20) == 'e')
			i += 3;
		else
			return 0;
		dots++;
	}
	return dots == 1 || dots == 2;
}

/* 1 when the path holds a byte or escape that has no place in a normal path. */
static int has_forbidden(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c == 0x7F || c == '\\')
			return 1;
		/* An encoded '/' or '\' would make a segment split differently after decoding. */
		if (c == '%' && len - i >= 3 &&
		    ((p[i + 1] == '2' && (p[i + 2] | 0x20) == 'f') ||
		     (p[i + 1] == '5' && (p[i + 2] | 0x20) == 'c')))
			return 1;
	}
	return 0;
}

int path_is_normal(const char *path, size_t len)
{
	size_t i = 1;

	if (len == 0 || path[0] != '/' || has_forbidden(path, len))
		return 0;
	while (i < len) {
		const char *slash = memchr(path + i, '/', len - i);
		size_t end = slash ? (size_t)(slash - path) : len;
		/* An empty segment here means "//"; the one after a trailing '/' is never seen. */
		if (end == i || is_dot_segment(path + i, end - i))
			return 0;
		i = end + 1;
	}
	return 1;
}
