#include "snippet.h"

#include <string.h>

#include "escape.h"
#include "textseg.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* text with each run of white space made one space, and trimmed. */
static void squeeze(struct buf *out, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!is_space(text[i])) {
			buf_putc(out, text[i]);
			continue;
		}
		while (i + 1 < len && is_space(text[i + 1]))
			i++;
		if (out->len && i + 1 < len)
			buf_putc(out, ' ');
	}
}

/* Length of the longest needle that occurs at s[i], 0 when none does. */
static size_t match_at(const char *s, size_t len, size_t i, const char *const *needles, size_t n)
{
	size_t best = 0;
	for (size_t k = 0; k < n; k++) {
		size_t nl = strlen(needles[k]);
		if (nl <= best || nl > len - i)
			continue;
		size_t j = 0;
		while (j < nl && lower(s[i + j]) == lower(needles[k][j]))
			j++;
		if (j == nl)
			best = nl;
	}
	return best;
}

static size_t next_char(const char *s, size_t len, size_t i)
{
	seg_decode(s, len, &i);
	return i;
}

/* Moves back from i over at most `chars` characters. */
static size_t back_chars(const char *s, size_t i, size_t chars)
{
	while (i > 0 && chars--) {
		size_t steps = 0;
		do
			i--;
		while (i > 0 && ++steps < 4 && ((unsigned char)s[i] & 0xC0) == 0x80);
	}
	return i;
}

/* Appends s[i..next) escaped, or U+FFFD for an invalid sequence. */
static void put_char(struct buf *out, const char *s, size_t len, size_t i, size_t *next)
{
	size_t j = i;
	if (seg_decode(s, len, &j) < 0)
		buf_puts(out, "\xEF\xBF\xBD");
	else
		html_escape(out, s + i, j - i);
	*next = j;
}

static void render(struct buf *out, const char *s, size_t len, size_t start, size_t window,
		   const char *const *needles, size_t n)
{
	size_t i = start, chars = 0;
	if (start > 0)
		buf_puts(out, "…");
	while (i < len && chars < window) {
		size_t m = match_at(s, len, i, needles, n);
		if (m) {
			buf_puts(out, "<mark>");
			html_escape(out, s + i, m);
			buf_puts(out, "</mark>");
			for (size_t k = i; k < i + m; k++)
				chars += ((unsigned char)s[k] & 0xC0) != 0x80;
			i += m;
			continue;
		}
		put_char(out, s, len, i, &i);
		chars++;
	}
	if (i < len)
		buf_puts(out, "…");
}

void snippet_html(struct buf *out, const char *text, size_t len, const char *const *needles, size_t nneedles,
		  size_t window)
{
	struct buf flat = BUF_INIT;
	squeeze(&flat, text, len);
	const char *s = flat.data ? flat.data : "";
	size_t first = flat.len;
	for (size_t i = 0; i < flat.len; i = next_char(s, flat.len, i))
		if (match_at(s, flat.len, i, needles, nneedles)) {
			first = i;
			break;
		}
	size_t start = first < flat.len ? back_chars(s, first, window / 4) : 0;
	render(out, s, flat.len, start, window, needles, nneedles);
	buf_free(&flat);
}
