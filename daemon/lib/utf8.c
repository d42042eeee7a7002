#include "utf8.h"

/* Length of the well-formed sequence starting at s[0], or 0 when it is malformed.
 * Follows the table of well-formed byte sequences in Unicode §3.9 (D92): the narrowed
 * second-byte ranges after E0, ED, F0 and F4 are what rule out overlongs, surrogates
 * and code points above U+10FFFF. */
size_t utf8_seq(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t n;

	if (c >= 0x01 && c <= 0x7F)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0; /* NUL, continuation byte, C0/C1 overlong lead, or F5..FF */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

int utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

size_t utf8_length(const char *s, size_t len)
{
	size_t count = 0;

	/* Every byte that is not a continuation byte starts a code point. */
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/* The code point of the well-formed sequence s[0..n). */
static unsigned long decode(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
	unsigned long cp = s[0] & lead_mask[n];
	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3F);
	return cp;
}

static int is_hidden(unsigned long cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	       cp == 0x200F || cp == 0x061C || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

int utf8_has_hidden(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq(p + i, len - i);
		if (n == 0)
			n = 1; /* not ours to judge: validity is utf8_valid's */
		else if (n > 1 && is_hidden(decode(p + i, n)))
			return 1;
		i += n;
	}
	return 0;
}

int utf8_line_ok(const char *s, size_t len)
{
	return utf8_text_ok(s, len, 0) && !utf8_has_hidden(s, len);
}

int utf8_text_ok(const char *s, size_t len, int allow_newlines)
{
	if (!utf8_valid(s, len))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t')
			continue;
		if ((c == '\n' || c == '\r') && allow_newlines)
			continue;
		if (c < 0x20 || c == 0x7F)
			return 0;
	}
	return 1;
}
