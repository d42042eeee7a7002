#include "conf.h"

#include <string.h>

#include "utf8.h"

enum { CONF_LINE_MAX = 4096 };

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* s[0..*n) without the spaces around it. */
static char *trim(char *s, size_t *n)
{
	while (*n && is_space(*s))
		s++, (*n)--;
	while (*n && is_space(s[*n - 1]))
		(*n)--;
	return s;
}

/* The key, made canonical in place: NULL when it holds another character or is too long. */
static const char *key_of(char *k, size_t n)
{
	if (n == 0 || n > CONF_KEY_MAX)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (c == '_')
			k[i] = '-';
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return NULL;
	}
	k[n] = '\0';
	return k;
}

/* One line (without its '\n'): 0 for a comment or a blank, 1 for a setting (key and value
 * set), or -1 with *why. */
static int read_line(char *s, size_t n, const char **key, const char **value, const char **why)
{
	if (n > CONF_LINE_MAX)
		return *why = "line too long", -1;
	if (memchr(s, '\0', n) || !utf8_line_ok(s, n))
		return *why = "not UTF-8 text", -1;
	s = trim(s, &n);
	if (n == 0 || s[0] == '#')
		return 0;
	char *eq = memchr(s, '=', n);
	if (!eq)
		return *why = "expected key = value", -1;
	size_t kn = (size_t)(eq - s), vn = n - kn - 1;
	char *k = trim(s, &kn), *v = trim(eq + 1, &vn);
	if (vn && v[0] == '"') {
		if (vn < 2 || v[vn - 1] != '"')
			return *why = "unterminated quote", -1;
		v++, vn -= 2;
	}
	if (!(*key = key_of(k, kn)))
		return *why = "bad key", -1;
	v[vn] = '\0';
	*value = v;
	return 1;
}

int conf_parse(char *text, size_t len, conf_fn fn, void *arg, int *bad_line, const char **why)
{
	int line = 0;
	size_t at = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0; /* an editor's byte-order mark */
	while (at < len) {
		char *s = text + at, *nl = memchr(s, '\n', len - at);
		size_t n = nl ? (size_t)(nl - s) : len - at;
		const char *key, *value;
		line++;
		at += n + (nl != NULL);
		if (n && s[n - 1] == '\r') /* a file written on Windows */
			n--;
		int got = read_line(s, n, &key, &value, why);
		if (got < 0) {
			*bad_line = line;
			return -1;
		}
		int rc = got ? fn(key, value, line, arg) : 0;
		if (rc)
			return rc;
	}
	return 0;
}
