/* markdown: our own HTML renderer on md4c's md_parse() callbacks. Every byte of text is
 * escaped, URLs pass an allow-list, and md4c 0.4.8's known faults are made harmless:
 *  1. heap over-read when the input ends inside a link ("[](" at EOF): we always parse a
 *     private copy that ends with a newline;
 *  2. quadratic output from many uses of link reference definitions: output is budgeted
 *     (MD_OUT_MAX: 8 bytes a byte of input and 32 KiB) and a callback aborts the parse beyond it;
 *  3. huge output from very wide tables (md4c pads every row to the header's width): tables
 *     of more than MD_MAX_COLS columns abort the parse;
 *  4. inputs over MD_MAX_INPUT are not parsed at all.
 * Blocks nested deeper than MD_MAX_DEPTH abort the parse too.
 * An aborted parse discards its partial output and falls back to escaped plain text. */
#include "markdown.h"

#include <md4c.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "entities.h"
#include "escape.h"

/* Widest table rendered; wider ones fall back to plain text. */
#define MD_MAX_COLS 64u
/* Deepest block nesting rendered (a list level is two blocks: ul, li); deeper input falls
 * back, sparing browsers and our templates from pathological DOM depth. */
#define MD_MAX_DEPTH 128u
/* Mention names: [A-Za-z0-9_.-]{3,32} without trailing dots. */
#define MD_NAME_MIN 3
#define MD_NAME_MAX 32
/* Longest code block language kept as a class name. */
#define MD_LANG_MAX 32
/* Times a URL is decoded (entities, percent-escapes) while looking for a forbidden scheme. */
#define MD_URL_PASSES 3

/* No MD_FLAG_PERMISSIVEWWWAUTOLINKS: md4c 0.4.8 is very slow with it on long input. */
#define MD_FLAGS                                                                                             \
	(MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS | MD_FLAG_PERMISSIVEURLAUTOLINKS |       \
	 MD_FLAG_PERMISSIVEEMAILAUTOLINKS | MD_FLAG_NOHTML)

enum { IMG_NONE, IMG_LOCAL, IMG_REMOTE };

#define REPLACEMENT_CHAR "\xEF\xBF\xBD"
#define LINK_REL         " rel=\"nofollow ugc noopener\""

struct render {
	struct buf *out;
	size_t start;        /* out->len before we began: the partial output to drop on abort */
	size_t limit;        /* bytes we may add to out */
	struct buf pending;  /* adjacent normal text, scanned for mentions as one run */
	struct buf mentions; /* names found, NUL-separated, reported only if rendering succeeds */
	unsigned links;
	unsigned depth;      /* open blocks */
	unsigned link_depth; /* only the outermost link may become an <a>: never nested */
	int link_open;       /* the outermost link was allowed and emitted as <a> */
	unsigned img_depth;  /* inside an image everything is alt text: no markup */
	int img_open;        /* the outermost image was emitted: IMG_LOCAL as <img alt=", IMG_REMOTE as <a> */
	size_t img_mark;     /* out->len after a remote image's <a>: nothing since means no alt text */
	struct buf img_url;  /* that image's URL, the link's text when it has no alt text */
	char prev;           /* text byte before pending (0 at block starts), for mentions */
};

/* ---- small character helpers ---- */

static int is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
	return is_letter(c) || is_digit(c);
}

static int is_name_char(char c)
{
	return is_alnum(c) || c == '_' || c == '.' || c == '-';
}

static int is_hex(char c)
{
	return hex_digit(c) >= 0;
}

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Length of the entity at s if it is one that cannot create markup: &[A-Za-z][A-Za-z0-9]{1,31};
 * &#[0-9]{1,7}; or &#[xX][0-9a-fA-F]{1,6};  0 otherwise. */
static size_t safe_entity_len(const char *s, size_t len)
{
	size_t i, lo, hi;
	int (*ok)(char);
	if (len < 3 || s[0] != '&')
		return 0;
	if (s[1] == '#' && (s[2] == 'x' || s[2] == 'X'))
		i = 3, lo = 1, hi = 6, ok = is_hex;
	else if (s[1] == '#')
		i = 2, lo = 1, hi = 7, ok = is_digit;
	else if (is_letter(s[1]))
		i = 1, lo = 2, hi = 32, ok = is_alnum;
	else
		return 0;
	size_t first = i;
	while (i < len && i - first <= hi && ok(s[i]))
		i++;
	if (i - first < lo || i - first > hi || i >= len || s[i] != ';')
		return 0;
	return i + 1;
}

static void put_utf8(struct buf *b, unsigned long cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
		buf_puts(b, REPLACEMENT_CHAR);
	} else if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_putc(b, (char)(0xC0 | (cp >> 6)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_putc(b, (char)(0xE0 | (cp >> 12)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_putc(b, (char)(0xF0 | (cp >> 18)));
		buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	}
}

/* Appends the decoded form of the entity s (as safe_entity_len accepted it, or as md4c
 * reported it), as a browser decodes it (the HTML5 table, case-sensitive); a name that is no
 * entity is appended verbatim. */
static void decode_entity(struct buf *b, const char *s, size_t len)
{
	if (len >= 4 && s[1] == '#') {
		int hex = s[2] == 'x' || s[2] == 'X';
		unsigned long cp = 0;
		for (size_t i = hex ? 3 : 2; i + 1 < len && cp <= 0x10FFFF; i++)
			cp = cp * (hex ? 16 : 10) + (unsigned long)hex_digit(s[i]);
		put_utf8(b, cp);
		return;
	}
	const char *text = len >= 3 && s[len - 1] == ';' ? entity_lookup(s + 1, len - 2) : NULL;
	if (text)
		buf_puts(b, text);
	else
		buf_append(b, s, len);
}

/* Appends text escaped for element content or a quoted attribute, NUL bytes as U+FFFD
 * (md4c reports NUL apart only in ordinary text; code text carries it raw). */
static void put_escaped(struct buf *out, const char *s, size_t len)
{
	const char *nul;
	while ((nul = memchr(s, '\0', len)) != NULL) {
		html_escape(out, s, (size_t)(nul - s));
		buf_puts(out, REPLACEMENT_CHAR);
		len -= (size_t)(nul - s) + 1;
		s = nul + 1;
	}
	html_escape(out, s, len);
}

/* ---- URLs ---- */

/* Appends an md4c attribute (href, src, title) as plain text: entities decoded, NUL → U+FFFD. */
static void attr_text(struct buf *b, const MD_ATTRIBUTE *a)
{
	buf_append(b, "", 0); /* b->data is never NULL afterwards, even for an empty URL */
	for (size_t i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		if (a->substr_types[i] == MD_TEXT_ENTITY)
			decode_entity(b, s, n);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			buf_puts(b, REPLACEMENT_CHAR);
		else
			buf_append(b, s, n);
	}
}

/* One decoding pass over a URL as a browser might read its scheme: entities and
 * percent-escapes decoded, ASCII controls and spaces dropped, letters lower-cased. */
static void url_normalise(struct buf *dst, const char *s, size_t len)
{
	struct buf tmp = BUF_INIT;
	for (size_t i = 0; i < len; i++) {
		size_t n = safe_entity_len(s + i, len - i);
		if (n) {
			decode_entity(&tmp, s + i, n);
			i += n - 1;
		} else if (s[i] == '%' && i + 2 < len && hex_digit(s[i + 1]) >= 0 &&
		           hex_digit(s[i + 2]) >= 0) {
			buf_putc(&tmp, (char)(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2])));
			i += 2;
		} else {
			buf_putc(&tmp, s[i]);
		}
	}
	buf_reset(dst);
	for (size_t i = 0; i < tmp.len; i++) {
		unsigned char c = (unsigned char)tmp.data[i];
		if (c > 0x20 && c != 0x7F)
			buf_putc(dst, ascii_lower((char)c));
	}
	buf_free(&tmp);
}

static int is_scheme_char(char c)
{
	return is_alnum(c) || c == '+' || c == '-' || c == '.';
}

/* Whether a normalised URL is relative or uses http, https or mailto. A scheme is what a
 * browser takes for one (WHATWG URL, scheme state): a letter, then letters, digits, '+', '-'
 * or '.', up to a ':'. Anything else before the first ':' ("foo):") makes a relative URL. */
static int scheme_allowed(const char *s, size_t len)
{
	static const char *const allowed[] = {"http", "https", "mailto"};
	for (size_t i = 0; i < len; i++) {
		if (s[i] != ':' && (i == 0 ? !is_letter(s[i]) : !is_scheme_char(s[i])))
			return 1;
		if (s[i] != ':')
			continue;
		for (size_t k = 0; k < sizeof allowed / sizeof allowed[0]; k++)
			if (strlen(allowed[k]) == i && memcmp(s, allowed[k], i) == 0)
				return 1;
		return 0;
	}
	return 1;
}

/* Whether url may become an href or src. Each decoding pass must look allowed, so that
 * double-encoded tricks (%26%23106; ...) are refused too. */
static int url_allowed(const char *url, size_t len)
{
	struct buf cur = BUF_INIT, next = BUF_INIT;
	int ok = 1;
	buf_append(&cur, url, len);
	for (int pass = 0; ok && pass < MD_URL_PASSES; pass++) {
		url_normalise(&next, cur.data, cur.len);
		ok = scheme_allowed(next.data, next.len);
		struct buf t = cur;
		cur = next;
		next = t;
	}
	buf_free(&cur);
	buf_free(&next);
	return ok;
}

/* Bytes a URL keeps as they are (RFC 3986's reserved and unreserved characters, as
 * CommonMark's reference renderers keep them); '%' stays when it starts an escape. */
static int url_keeps(const char *s, size_t i, size_t len)
{
	char c = s[i];
	if (c == '%')
		return i + 2 < len && is_hex(s[i + 1]) && is_hex(s[i + 2]);
	return is_alnum(c) || (c && strchr(";/?:@&=+$,-_.!~*'()#", c) != NULL);
}

/* Appends an allowed URL (decoded text) for a double-quoted attribute: every other byte
 * percent-encoded (spaces, controls, quotes, '\\', brackets, non-ASCII), the rest
 * attribute-escaped ('&' as &amp;). */
static void put_url(struct buf *out, const char *url, size_t len)
{
	size_t done = 0;
	for (size_t i = 0; i < len; i++) {
		if (url_keeps(url, i, len))
			continue;
		html_escape(out, url + done, i - done);
		buf_printf(out, "%%%02X", (unsigned char)url[i]);
		done = i + 1;
	}
	html_escape(out, url + done, len - done);
}

/* Appends ` title="..."` when the link or image has a title. */
static void put_title(struct buf *out, const MD_ATTRIBUTE *title)
{
	if (title->size == 0)
		return;
	struct buf t = BUF_INIT;
	attr_text(&t, title);
	buf_puts(out, " title=\"");
	put_escaped(out, t.data, t.len);
	buf_putc(out, '"');
	buf_free(&t);
}

/* ---- text and mentions ---- */

/* Length of the mention name starting at s (just after '@'), or 0 if there is none. */
static size_t mention_len(const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && is_name_char(s[n]))
		n++;
	while (n > 0 && s[n - 1] == '.')
		n--;
	return (n >= MD_NAME_MIN && n <= MD_NAME_MAX) ? n : 0;
}

static void put_mention(struct render *st, const char *name, size_t len)
{
	buf_puts(st->out, "<a class=\"mention\" href=\"/u/");
	buf_append(st->out, name, len); /* name characters need no escaping */
	buf_puts(st->out, "\">@");
	buf_append(st->out, name, len);
	buf_puts(st->out, "</a>");
	buf_append(&st->mentions, name, len);
	buf_putc(&st->mentions, '\0');
}

/* Appends ordinary text escaped, with @mentions turned into links. */
static void put_text_with_mentions(struct render *st, const char *s, size_t len)
{
	size_t done = 0;
	for (size_t i = 0; i < len; i++) {
		char before = i ? s[i - 1] : st->prev;
		if (s[i] != '@' || is_name_char(before) || before == '@')
			continue;
		size_t n = mention_len(s + i + 1, len - i - 1);
		if (n == 0)
			continue;
		put_escaped(st->out, s + done, i - done);
		put_mention(st, s + i + 1, n);
		i += n;
		done = i + 1;
	}
	put_escaped(st->out, s + done, len - done);
}

/* Writes out the pending run of ordinary text. Called before every other event. */
static void flush(struct render *st)
{
	struct buf *p = &st->pending;
	if (p->len == 0)
		return;
	if (st->link_depth || st->img_depth)
		put_escaped(st->out, p->data, p->len);
	else
		put_text_with_mentions(st, p->data, p->len);
	st->prev = p->data[p->len - 1];
	buf_reset(p);
}

/* Returns the md4c callback status: -1 (abort) once the output budget is spent. */
static int budget(const struct render *st)
{
	return st->out->len - st->start + st->pending.len > st->limit ? -1 : 0;
}

static void put_entity(struct buf *out, const char *s, size_t len)
{
	if (safe_entity_len(s, len) == len)
		buf_append(out, s, len);
	else
		html_escape(out, s, len);
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *arg)
{
	struct render *st = arg;
	if (type == MD_TEXT_NORMAL) {
		buf_append(&st->pending, text, size);
		return budget(st);
	}
	flush(st);
	switch (type) {
	case MD_TEXT_NULLCHAR: buf_puts(st->out, REPLACEMENT_CHAR); break;
	case MD_TEXT_BR: buf_puts(st->out, st->img_depth ? " " : "<br>\n"); break;
	case MD_TEXT_SOFTBR: buf_puts(st->out, st->img_depth ? " " : "\n"); break;
	case MD_TEXT_ENTITY: put_entity(st->out, text, size); break;
	default: put_escaped(st->out, text, size); break; /* code; raw HTML that NOHTML keeps out */
	}
	st->prev = (type == MD_TEXT_BR || type == MD_TEXT_SOFTBR) ? ' ' : size ? text[size - 1] : st->prev;
	return budget(st);
}

/* ---- blocks ---- */

static void open_li(struct render *st, const MD_BLOCK_LI_DETAIL *d)
{
	if (!d->is_task) {
		buf_puts(st->out, "<li>");
		return;
	}
	buf_puts(st->out, "<li class=\"task\"><input type=\"checkbox\" disabled");
	if (d->task_mark == 'x' || d->task_mark == 'X')
		buf_puts(st->out, " checked");
	buf_puts(st->out, "> ");
}

/* The class is kept only when the info string's first word is a plain language name. */
static void open_code(struct render *st, const MD_BLOCK_CODE_DETAIL *d)
{
	const MD_ATTRIBUTE *lang = &d->lang;
	int ok = lang->size > 0 && lang->size <= MD_LANG_MAX;
	for (MD_SIZE i = 0; ok && i < lang->size; i++) {
		char c = lang->text[i];
		ok = is_alnum(c) || c == '_' || c == '+' || c == '-';
	}
	buf_puts(st->out, "<pre><code");
	if (ok) {
		buf_puts(st->out, " class=\"language-");
		buf_append(st->out, lang->text, lang->size);
		buf_putc(st->out, '"');
	}
	buf_putc(st->out, '>');
}

/* Alignment goes in a class: our CSP forbids inline styles. */
static void open_cell(struct render *st, const char *tag, const MD_BLOCK_TD_DETAIL *d)
{
	static const char *const align[] = {"", " class=\"align-left\"", " class=\"align-center\"",
	                                    " class=\"align-right\""};
	unsigned a = (unsigned)d->align < 4 ? (unsigned)d->align : 0;
	buf_printf(st->out, "<%s%s>", tag, align[a]);
}

static unsigned heading_level(const MD_BLOCK_H_DETAIL *d)
{
	return d->level >= 1 && d->level <= 6 ? d->level : 6;
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct render *st = arg;
	struct buf *out = st->out;
	flush(st);
	st->prev = 0;
	if (++st->depth > MD_MAX_DEPTH)
		return -1;
	switch (type) {
	case MD_BLOCK_QUOTE: buf_puts(out, "<blockquote>\n"); break;
	case MD_BLOCK_UL: buf_puts(out, "<ul>\n"); break;
	case MD_BLOCK_OL: {
		unsigned start = ((MD_BLOCK_OL_DETAIL *)detail)->start;
		if (start == 1)
			buf_puts(out, "<ol>\n");
		else
			buf_printf(out, "<ol start=\"%u\">\n", start);
		break;
	}
	case MD_BLOCK_LI: open_li(st, detail); break;
	case MD_BLOCK_HR: buf_puts(out, "<hr>\n"); break;
	case MD_BLOCK_H: buf_printf(out, "<h%u>", heading_level(detail)); break;
	case MD_BLOCK_CODE: open_code(st, detail); break;
	case MD_BLOCK_P: buf_puts(out, "<p>"); break;
	case MD_BLOCK_TABLE:
		if (((MD_BLOCK_TABLE_DETAIL *)detail)->col_count > MD_MAX_COLS)
			return -1;
		buf_puts(out, "<table>\n");
		break;
	case MD_BLOCK_THEAD: buf_puts(out, "<thead>\n"); break;
	case MD_BLOCK_TBODY: buf_puts(out, "<tbody>\n"); break;
	case MD_BLOCK_TR: buf_puts(out, "<tr>"); break;
	case MD_BLOCK_TH: open_cell(st, "th", detail); break;
	case MD_BLOCK_TD: open_cell(st, "td", detail); break;
	default: break; /* document; raw HTML blocks, which NOHTML keeps out */
	}
	return budget(st);
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	static const char *const h_close[] = {"</h1>\n", "</h2>\n", "</h3>\n",
	                                      "</h4>\n", "</h5>\n", "</h6>\n"};
	struct render *st = arg;
	const char *close = NULL;
	flush(st);
	st->prev = 0;
	st->depth--;
	switch (type) {
	case MD_BLOCK_QUOTE: close = "</blockquote>\n"; break;
	case MD_BLOCK_UL: close = "</ul>\n"; break;
	case MD_BLOCK_OL: close = "</ol>\n"; break;
	case MD_BLOCK_LI: close = "</li>\n"; break;
	case MD_BLOCK_H: close = h_close[heading_level(detail) - 1]; break;
	case MD_BLOCK_CODE: close = "</code></pre>\n"; break;
	case MD_BLOCK_P: close = "</p>\n"; break;
	case MD_BLOCK_TABLE: close = "</table>\n"; break;
	case MD_BLOCK_THEAD: close = "</thead>\n"; break;
	case MD_BLOCK_TBODY: close = "</tbody>\n"; break;
	case MD_BLOCK_TR: close = "</tr>\n"; break;
	case MD_BLOCK_TH: close = "</th>"; break;
	case MD_BLOCK_TD: close = "</td>"; break;
	default: break; /* document, <hr> (void), raw HTML blocks */
	}
	if (close)
		buf_puts(st->out, close);
	return budget(st);
}

/* ---- spans ---- */

static void open_link(struct render *st, const MD_SPAN_A_DETAIL *d)
{
	st->links++;
	if (st->link_depth++ > 0 || st->img_depth > 0)
		return;
	struct buf url = BUF_INIT;
	attr_text(&url, &d->href);
	st->link_open = url_allowed(url.data, url.len);
	if (st->link_open) {
		buf_puts(st->out, "<a href=\"");
		put_url(st->out, url.data, url.len);
		buf_putc(st->out, '"');
		put_title(st->out, &d->title);
		buf_puts(st->out, LINK_REL ">");
	}
	buf_free(&url);
}

/* Whether an allowed URL stays on this site: no authority ("//host", or "\\host" which
 * browsers read alike) and no scheme, where any ':' before the first '/', '?' or '#' counts as
 * one (stricter than scheme_allowed: in doubt, an image is not loaded). */
static int url_same_site(const char *s, size_t len)
{
	if (len >= 2 && (s[0] == '/' || s[0] == '\\') && (s[1] == '/' || s[1] == '\\'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '/' || s[i] == '?' || s[i] == '#')
			return 1;
		if (s[i] == ':')
			return 0;
	}
	return 1;
}

/* An image from this site becomes <img>. One from elsewhere becomes a link to it with the alt
 * text (a remote image in a members-only board would tell its owner who reads the board, and
 * when; the CSP allows images from 'self' only). A refused image, or a remote one inside a
 * link, leaves its alt text as ordinary escaped text. */
static void open_img(struct render *st, const MD_SPAN_IMG_DETAIL *d)
{
	st->links++;
	if (st->img_depth++ > 0)
		return;
	struct buf *url = &st->img_url;
	buf_reset(url);
	attr_text(url, &d->src);
	st->img_open = !url_allowed(url->data, url->len) ? IMG_NONE
	               : url_same_site(url->data, url->len) ? IMG_LOCAL
	               : st->link_depth ? IMG_NONE : IMG_REMOTE;
	if (st->img_open == IMG_NONE)
		return;
	buf_puts(st->out, st->img_open == IMG_LOCAL ? "<img src=\"" : "<a href=\"");
	put_url(st->out, url->data, url->len);
	buf_putc(st->out, '"');
	put_title(st->out, &d->title);
	buf_puts(st->out, st->img_open == IMG_LOCAL ? " alt=\"" : LINK_REL ">");
	st->img_mark = st->out->len;
}

static void close_img(struct render *st)
{
	if (st->img_open == IMG_LOCAL) {
		buf_puts(st->out, "\" loading=\"lazy\">");
	} else if (st->img_open == IMG_REMOTE) {
		if (st->out->len == st->img_mark)
			put_escaped(st->out, st->img_url.data, st->img_url.len);
		buf_puts(st->out, "</a>");
	}
	st->img_open = IMG_NONE;
}

static const char *span_tag(MD_SPANTYPE type)
{
	switch (type) {
	case MD_SPAN_EM: return "em>";
	case MD_SPAN_STRONG: return "strong>";
	case MD_SPAN_CODE: return "code>";
	case MD_SPAN_DEL: return "del>";
	default: return NULL; /* extensions we do not enable: their text is still escaped */
	}
}

static int enter_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct render *st = arg;
	const char *tag = span_tag(type);
	flush(st);
	if (type == MD_SPAN_A)
		open_link(st, detail);
	else if (type == MD_SPAN_IMG)
		open_img(st, detail);
	else if (tag && st->img_depth == 0)
		buf_printf(st->out, "<%s", tag);
	return budget(st);
}

static int leave_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct render *st = arg;
	const char *tag = span_tag(type);
	(void)detail;
	flush(st);
	if (type == MD_SPAN_A) {
		if (--st->link_depth == 0 && st->link_open) {
			buf_puts(st->out, "</a>");
			st->link_open = 0;
		}
	} else if (type == MD_SPAN_IMG) {
		if (--st->img_depth == 0)
			close_img(st);
	} else if (tag && st->img_depth == 0) {
		buf_printf(st->out, "</%s", tag);
	}
	return budget(st);
}

/* ---- driver ---- */

/* The fallback: src escaped in one paragraph, line breaks as <br>, NUL as U+FFFD. */
static void render_plain(struct buf *out, const char *src, size_t len)
{
	while (len > 0 && (src[len - 1] == '\n' || src[len - 1] == '\r'))
		len--;
	buf_puts(out, "<p>");
	size_t done = 0;
	for (size_t i = 0; i < len; i++) {
		const char *rep;
		if (src[i] == '\0')
			rep = REPLACEMENT_CHAR;
		else if (src[i] == '\n' || (src[i] == '\r' && (i + 1 == len || src[i + 1] != '\n')))
			rep = "<br>\n";
		else if (src[i] == '\r')
			rep = "";
		else
			continue;
		html_escape(out, src + done, i - done);
		buf_puts(out, rep);
		done = i + 1;
	}
	html_escape(out, src + done, len - done);
	buf_puts(out, "</p>\n");
}

/* Parses a private copy ending in '\n' (md4c 0.4.8 over-reads inputs ending inside a link).
 * Returns md_parse's status: nonzero when aborted. */
static int parse_copy(const char *src, size_t len, struct render *st)
{
	static const MD_PARSER parser = {
	        .abi_version = 0,
	        .flags = MD_FLAGS,
	        .enter_block = enter_block,
	        .leave_block = leave_block,
	        .enter_span = enter_span,
	        .leave_span = leave_span,
	        .text = on_text,
	};
	char *copy = xmalloc(len + 1);
	memcpy(copy, src, len);
	size_t n = len;
	if (n == 0 || copy[n - 1] != '\n')
		copy[n++] = '\n';
	int rc = md_parse(copy, (MD_SIZE)n, &parser, st);
	if (rc == 0)
		flush(st);
	free(copy);
	return rc;
}

static void report_mentions(const struct buf *names, md_mention_cb on_mention, void *arg)
{
	for (size_t i = 0; on_mention && i < names->len;) {
		size_t n = strlen(names->data + i);
		on_mention(arg, names->data + i, n);
		i += n + 1;
	}
}

void md_render(const char *src, size_t len, struct buf *out, struct md_result *res, md_mention_cb on_mention,
               void *arg)
{
	struct md_result ignored;
	struct render st = {.out = out, .start = out->len};
	int rc = -1;
	if (!res)
		res = &ignored;
	if (len <= MD_MAX_INPUT) {
		st.limit = MD_OUT_MAX(len);
		rc = parse_copy(src, len, &st);
	}
	res->links = st.links;
	res->fallback = rc != 0;
	if (rc == 0) {
		report_mentions(&st.mentions, on_mention, arg);
	} else {
		buf_append(out, "", 0); /* make sure data exists before truncating */
		out->len = st.start;
		out->data[out->len] = '\0';
		render_plain(out, src, len);
	}
	buf_free(&st.pending);
	buf_free(&st.mentions);
	buf_free(&st.img_url);
}

/* ---- mentions ---- */

static int mention_seen(char (*names)[MENTION_NAME_MAX + 1], size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(names[i], name))
			return 1;
	return 0;
}

struct mention_set {
	char (*names)[MENTION_NAME_MAX + 1];
	size_t n, max;
};

static void collect_mention(void *arg, const char *name, size_t len)
{
	struct mention_set *m = arg;
	if (m->n == m->max || len > MENTION_NAME_MAX)
		return;
	memcpy(m->names[m->n], name, len);
	m->names[m->n][len] = '\0';
	if (!mention_seen(m->names, m->n, m->names[m->n]))
		m->n++;
}

/* The renderer is the one judge of what is a mention: whoever a post links to as @name is who
 * hears of it, and @ in code, link texts and URLs stays plain text for both. */
size_t md_mentions(const char *text, char (*names)[MENTION_NAME_MAX + 1], size_t max)
{
	struct mention_set m = {names, 0, max};
	struct buf html = BUF_INIT;
	md_render(text, strlen(text), &html, NULL, collect_mention, &m);
	buf_free(&html);
	return m.n;
}
