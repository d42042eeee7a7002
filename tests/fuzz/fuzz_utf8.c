/* libFuzzer target for utf8: every byte a client sends is judged by utf8_valid first, so it
 * is checked against a decoder written here from the definition (a code point decoded, then
 * refused when overlong, a surrogate or above U+10FFFF), and against jansson's own check
 * (json_stringn refuses what is not UTF-8; NUL aside, both must agree). Also asserts that
 * utf8_seq walks exactly the reference's sequences, that utf8_length counts code points, and
 * that utf8_text_ok is utf8_valid minus control characters. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The length of the well-formed sequence at s (0 when malformed), by decoding it. */
static size_t ref_seq(const uint8_t *s, size_t avail, uint32_t *cp)
{
	static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t n = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3 : (s[0] >> 3) == 30 ? 4 : 0;
	if (n == 0 || n > avail)
		return 0;
	uint32_t c = n == 1 ? s[0] : s[0] & (0x7F >> n);
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* Walks s with the reference: 1 when all of it is well-formed; *nul when it holds U+0000,
 * *ctl when it holds a C0 control or DEL other than \t \n \r, *nl for \n or \r. */
/* The invisible characters names and titles refuse, listed one by one (not as the ranges
 * utf8.c tests): bidi embeddings, overrides, isolates and marks, and zero-width ones. */
static int ref_hidden(uint32_t cp)
{
	static const uint32_t list[] = {0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B,
					0x202C, 0x202D, 0x202E, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF};
	for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
		if (list[i] == cp)
			return 1;
	return 0;
}

static int ref_walk(const uint8_t *s, size_t len, size_t *points, int *nul, int *ctl, int *nl, int *hidden)
{
	*points = 0;
	*nul = *ctl = *nl = *hidden = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp = UINT32_MAX;
		size_t n = ref_seq(s + i, len - i, &cp);
		/* utf8_seq refuses NUL too: text with one is never stored */
		assert(utf8_seq(s + i, len - i) == (n == 0 || cp == 0 ? 0 : n));
		if (n == 0)
			return 0;
		*nul |= cp == 0;
		*nl |= cp == '\n' || cp == '\r';
		*hidden |= ref_hidden(cp);
		*ctl |= (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F;
		(*points)++;
		i += n;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) { /* as agorad does at start */
		util_json_init();
		ready = 1;
	}
	char *s = xmalloc(size ? size : 1); /* exact size: a read past the end is an ASan report */
	memcpy(s, data, size);
	size_t points;
	int nul, ctl, nl, hidden;
	int well_formed = ref_walk(data, size, &points, &nul, &ctl, &nl, &hidden);
	int valid = utf8_valid(s, size);
	assert(valid == (well_formed && !nul));
	json_t *j = json_stringn(s, size);
	assert((j != NULL) == well_formed);
	json_decref(j);
	if (valid) {
		assert(utf8_length(s, size) == points);
		assert(utf8_text_ok(s, size, 1) == !ctl);
		assert(utf8_text_ok(s, size, 0) == (!ctl && !nl));
		assert(utf8_has_hidden(s, size) == hidden);
		assert(utf8_line_ok(s, size) == (!ctl && !nl && !hidden));
	} else {
		assert(!utf8_text_ok(s, size, 1) && !utf8_text_ok(s, size, 0) && !utf8_line_ok(s, size));
	}
	free(s);
	return 0;
}
