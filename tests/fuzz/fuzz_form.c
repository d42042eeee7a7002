/* libFuzzer target for form: the query/body decoder, the Cookie parser and the path checks
 * all see attacker bytes first. Asserts the promises callers rely on, not just "no crash". */
#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "redirect.h"
#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every decoded pair must be NUL-free valid UTF-8 whose val_len matches. */
static void check_form(const char *s, size_t len)
{
	struct kvlist l = KVLIST_INIT;

	if (form_parse(s, len, &l) != FORM_OK) {
		assert(l.n == 0 && l.items == NULL);
		return;
	}
	assert(l.n <= FORM_MAX_PAIRS);
	for (size_t i = 0; i < l.n; i++) {
		assert(utf8_valid(l.items[i].key, strlen(l.items[i].key)));
		assert(strlen(l.items[i].val) == l.items[i].val_len);
		assert(utf8_valid(l.items[i].val, l.items[i].val_len));
	}
	if (l.n > 0)
		assert(kv_get(&l, l.items[0].key) == l.items[0].val);
	kvlist_free(&l);
}

/* An accepted return path must name this site as browsers read a Location (they drop tab,
 * CR and LF and read '\\' as '/'): one leading '/', no white space or control, raw or
 * percent-decoded. */
static void check_redirect(const char *s)
{
	if (!redirect_path_ok(s))
		return;
	size_t len = strlen(s);
	assert(len >= 1 && len <= REDIRECT_MAX && s[0] == '/');
	char seen[REDIRECT_MAX + 1];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		assert(c > 0x20 && c != 0x7F);
		seen[n++] = c == '\\' ? '/' : (char)c;
		if (c == '%' && i + 2 < len && isxdigit((unsigned char)s[i + 1]) && isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			c = (unsigned char)strtol(hex, NULL, 16);
			assert(c > 0x20 && c != 0x7F && c != '\\');
		}
	}
	assert(n < 2 || seen[1] != '/');
}

static void check_cookie(const char *s)
{
	struct kvlist l = KVLIST_INIT;

	if (cookie_parse(s, &l) == FORM_OK)
		for (size_t i = 0; i < l.n; i++)
			assert(l.items[i].key[0] != '\0' && strchr(l.items[i].val, ';') == NULL);
	kvlist_free(&l);
}

/* Every segment of a normal path must decode to something other than "." or "..", or be
 * refused by path_segment_decode; none may hold a '/' once decoded. */
static void check_path(const char *s, size_t len)
{
	size_t i = 1;

	if (!path_is_normal(s, len))
		return;
	assert(len > 0 && s[0] == '/' && !memchr(s, '\\', len));
	while (i < len) {
		const char *slash = memchr(s + i, '/', len - i);
		size_t end = slash ? (size_t)(slash - s) : len;
		char *seg = path_segment_decode(s + i, end - i);
		assert(end > i);
		if (seg) {
			assert(strcmp(seg, ".") != 0 && strcmp(seg, "..") != 0);
			assert(!strchr(seg, '/') && !strchr(seg, '\\'));
			free(seg);
		}
		i = end + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The length-taking APIs get an exact-size copy, so reading one byte past the end is
	 * caught by ASan; cookie_parse takes a C string. */
	char *exact = xmalloc(size ? size : 1);
	char *cstr = xstrndup((const char *)data, size);

	memcpy(exact, data, size);
	check_form(exact, size);
	check_path(exact, size);
	check_cookie(cstr);
	check_redirect(cstr);
	free(exact);
	free(cstr);
	return 0;
}
