#include "atom.h"

#include <string.h>

#define ATOM_NS "http://www.w3.org/2005/Atom"

/* The code point at s (at most len bytes) and its length in *n; -1 when the bytes are not
 * well-formed UTF-8 (overlong, surrogate, above U+10FFFF, cut short), with *n = 1 so the
 * caller skips one byte. */
static long utf8_next(const unsigned char *s, size_t len, size_t *n)
{
	static const long min[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t want = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
		    : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	*n = 1;
	if (want == 0 || want > len)
		return -1;
	long cp = want == 1 ? s[0] : s[0] & (0x7F >> want);
	for (size_t i = 1; i < want; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min[want] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*n = want;
	return cp;
}

/* XML 1.0 section 2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | ... */
static int xml_char(long cp)
{
	if (cp < 0x20)
		return cp == 0x9 || cp == 0xA || cp == 0xD;
	return cp != 0xFFFE && cp != 0xFFFF;
}

void xml_escape(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;
	for (size_t i = 0; i < len; i += n) {
		long cp = utf8_next(p + i, len - i, &n);
		switch (cp) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		case -1: buf_puts(out, "\xEF\xBF\xBD"); break; /* U+FFFD */
		default:
			if (xml_char(cp))
				buf_append(out, p + i, n);
		}
	}
}

static void put_text(struct buf *out, const char *s)
{
	if (s)
		xml_escape(out, s, strlen(s));
}

/* <name>text</name> on its own line. */
static void element(struct buf *out, const char *name, const char *text)
{
	buf_printf(out, "<%s>", name);
	put_text(out, text);
	buf_printf(out, "</%s>\n", name);
}

static void time_element(struct buf *out, const char *name, int64_t t)
{
	char s[32];
	time_rfc3339((long long)t, s);
	element(out, name, s);
}

static void link_element(struct buf *out, const char *rel, const char *type, const char *href)
{
	buf_printf(out, "<link rel=\"%s\"", rel);
	if (type)
		buf_printf(out, " type=\"%s\"", type);
	buf_puts(out, " href=\"");
	put_text(out, href);
	buf_puts(out, "\"/>\n");
}

void atom_begin(struct buf *out, const struct atom_feed *f)
{
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"" ATOM_NS "\">\n");
	element(out, "id", f->id);
	element(out, "title", f->title);
	if (f->subtitle && *f->subtitle)
		element(out, "subtitle", f->subtitle);
	time_element(out, "updated", f->updated);
	link_element(out, "self", "application/atom+xml", f->self);
	link_element(out, "alternate", "text/html", f->alternate);
	buf_puts(out, "<generator>Agora</generator>\n");
}

void atom_entry(struct buf *out, const struct atom_entry *e)
{
	buf_puts(out, "<entry>\n");
	element(out, "id", e->id);
	element(out, "title", e->title);
	link_element(out, "alternate", "text/html", e->link);
	buf_puts(out, "<author>");
	element(out, "name", e->author);
	if (e->author_uri)
		element(out, "uri", e->author_uri);
	buf_puts(out, "</author>\n");
	time_element(out, "published", e->published);
	time_element(out, "updated", e->updated ? e->updated : e->published);
	buf_puts(out, "<content type=\"html\">");
	put_text(out, e->content_html);
	buf_puts(out, "</content>\n</entry>\n");
}

void atom_end(struct buf *out)
{
	buf_puts(out, "</feed>\n");
}

static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

static int port_valid(const char *p)
{
	int64_t v;
	return strlen(p) <= 5 && parse_i64(p, 1, 65535, &v) == 0;
}

int atom_host_valid(const char *s)
{
	size_t n = 0;
	if (!s)
		return 0;
	for (; host_char(s[n]); n++)
		if (s[n] == '.' && (n == 0 || s[n - 1] == '.'))
			return 0; /* an empty label */
	if (n == 0 || n > 253 || s[n - 1] == '.' || s[0] == '-')
		return 0;
	if (s[n] == '\0')
		return 1;
	return s[n] == ':' && port_valid(s + n + 1);
}
