#include "escape.h"

#include <string.h>

#include "textseg.h"

void html_escape(struct buf *out, const char *s, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_append(out, s + start, i - start);
		buf_puts(out, rep);
		start = i + 1;
	}
	buf_append(out, s + start, len - start);
}

void url_encode(struct buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_append(out, e, 3);
		}
	}
}

int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Tags that stay inside a line of text; every other tag separates what is around it. */
static int inline_tag(const char *name, size_t n)
{
	static const char *const names[] = {"a", "em", "strong", "code", "del", "s", "span", "b", "i",
					    "u", "sup", "sub", "mark", "kbd", "abbr", "q", "small"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && !memcmp(names[i], name, n))
			return 1;
	return 0;
}

/* Skips the tag at html[i] == '<'; returns the index after it and appends a line break for
 * tags that separate. */
static size_t skip_tag(struct buf *out, const char *html, size_t len, size_t i)
{
	size_t name = i + 1 + (i + 1 < len && html[i + 1] == '/');
	size_t end = name;
	while (end < len && ((html[end] >= 'a' && html[end] <= 'z') || (html[end] >= '0' && html[end] <= '9')))
		end++;
	if (!inline_tag(html + name, end - name) && out->len && out->data[out->len - 1] != '\n')
		buf_putc(out, '\n');
	while (end < len && html[end] != '>')
		end++;
	return end < len ? end + 1 : len;
}

/* Appends the code point of a numeric reference "#NNN" / "#xHH" (ref excludes & and ;),
 * or returns -1 when it is not a usable one. */
static int put_numeric(struct buf *out, const char *ref, size_t n)
{
	long cp = 0;
	int hex = n > 1 && (ref[1] == 'x' || ref[1] == 'X');
	size_t i = hex ? 2 : 1;
	if (i >= n || n - i > 7)
		return -1;
	for (; i < n; i++) {
		int d = hex ? hex_digit(ref[i]) : (ref[i] >= '0' && ref[i] <= '9' ? ref[i] - '0' : -1);
		if (d < 0)
			return -1;
		cp = cp * (hex ? 16 : 10) + d;
	}
	if (cp <= 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	char u[4];
	size_t k = seg_encode((int32_t)cp, u);
	buf_append(out, u, k);
	return 0;
}

/* Decodes the entity at html[i] == '&' if it is one we know; returns the index after what
 * was consumed. */
static size_t put_entity_text(struct buf *out, const char *html, size_t len, size_t i)
{
	static const struct {
		const char *name, *text;
	} named[] = {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
	size_t end = i + 1;
	while (end < len && end - i <= 33 && html[end] != ';' && html[end] != '&' && html[end] != '<')
		end++;
	if (end >= len || html[end] != ';')
		goto literal;
	const char *ref = html + i + 1;
	size_t n = end - i - 1;
	if (n && ref[0] == '#') {
		if (put_numeric(out, ref, n) == 0)
			return end + 1;
		goto literal;
	}
	for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
		if (strlen(named[k].name) == n && !memcmp(named[k].name, ref, n)) {
			buf_puts(out, named[k].text);
			return end + 1;
		}
literal:
	buf_putc(out, '&');
	return i + 1;
}

void html_to_text(struct buf *out, const char *html, size_t len)
{
	size_t start = out->len, i = 0;
	while (i < len) {
		size_t run = i;
		while (run < len && html[run] != '<' && html[run] != '&')
			run++;
		buf_append(out, html + i, run - i);
		if (run >= len)
			break;
		i = html[run] == '<' ? skip_tag(out, html, len, run) : put_entity_text(out, html, len, run);
	}
	while (out->len > start && out->data[out->len - 1] == '\n')
		out->len--;
	buf_reserve(out, 1);
	out->data[out->len] = '\0';
}
