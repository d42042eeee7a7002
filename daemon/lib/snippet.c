#include "snippet.h"

#include <string.h>

#include "escape.h"
#include "textseg.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
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

/* The class of the character that starts at s[i] (SEG_SEP past the end). */
static enum seg_class class_at(const char *s, size_t len, size_t i)
{
	return i < len ? seg_classify(seg_decode(s, len, &i)) : SEG_SEP;
}

/* Bytes of s from i that equal needle once both are folded as the tokenizer folds them;
 * 0 when they differ. */
static size_t fold_match(const char *s, size_t len, size_t i, const char *needle)
{
	size_t j = i, k = 0, nl = strlen(needle);
	while (k < nl) {
		if (j >= len)
			return 0;
		int32_t a = seg_decode(s, len, &j), b = seg_decode(needle, nl, &k);
		if (a < 0 || seg_fold(a) != seg_fold(b))
			return 0;
	}
	return j - i;
}

/* Length in bytes of the longest needle that occurs at s[i], 0 when none does. A needle is
 * a run of one class (textseg): a word matches only where a word starts, since the index
 * knows whole words and their prefixes ("rice" is not in "price"); a CJK run matches
 * anywhere, as bigrams do. */
static size_t match_at(const char *s, size_t len, size_t i, const char *const *needles, size_t n)
{
	size_t best = 0;
	int in_word = i > 0 && class_at(s, len, back_chars(s, i, 1)) == SEG_WORD;
	for (size_t k = 0; k < n; k++) {
		if (in_word && class_at(needles[k], strlen(needles[k]), 0) == SEG_WORD)
			continue;
		size_t m = fold_match(s, len, i, needles[k]);
		if (m > best)
			best = m;
	}
	return best;
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
