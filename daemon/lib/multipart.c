/* multipart: streaming multipart/form-data parser; see multipart.h for the rules.
 *
 * The parser is a byte-level state machine over one fixed-size object. Part data is never
 * copied: bytes go to part_data straight from the caller's buffer, except the few bytes of
 * a delimiter candidate that spans two feeds. Those need no lookbehind buffer either: a
 * partial match is a count of delimiter bytes matched, and on a miss the bytes are passed
 * on from the delimiter itself. Because a boundary cannot contain CR (RFC 2046 bchars),
 * only the byte that broke a match can start a new one, so no KMP table is needed. */
#include "multipart.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"
#include "util.h"

enum mp_state {
	ST_PREAMBLE,   /* before the first delimiter: bytes are dropped */
	ST_DELIM_TAIL, /* just after CRLF "--" BOUNDARY: "--", padding or CRLF must follow */
	ST_PADDING,    /* spaces/tabs after the boundary */
	ST_CLOSE,      /* after BOUNDARY "-": the second '-' must follow */
	ST_DELIM_LF,   /* the CR ending a delimiter line was seen */
	ST_HEADERS,    /* collecting one part's header block in hdr */
	ST_DATA,       /* a part's data */
	ST_EPILOGUE    /* after the closing delimiter: bytes are dropped */
};

struct multipart {
	struct multipart_callbacks cb;
	void *arg;
	enum mp_state state;
	enum mp_status err;  /* sticky: once set, nothing more is parsed */
	int in_part;         /* part_begin was called and part_end not yet */
	unsigned nparts;
	size_t dlen;         /* length of delim */
	size_t match;        /* how many bytes of delim the last bytes seen match */
	size_t hlen;
	char delim[4 + MP_BOUNDARY_MAX]; /* CRLF "--" BOUNDARY, not NUL-terminated */
	char hdr[MP_HEADER_MAX + 1];     /* +1: the block is NUL-terminated to parse as strings */
};

/* One "key=value" of a header value. */
struct param {
	char key[12]; /* lowercased; "" when too long to be a key we know */
	char *val;    /* decoded in place, NUL-terminated */
};

/* ---- Character classes and small parsing helpers ---- */

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 7230 tchar: what a header name, a parameter key or an unquoted value is made of. */
static int is_tchar(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

/* RFC 2046 bchars. */
static int is_bchar(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("'()+_,-./:=? ", c));
}

/* RFC 5987 attr-char: what an ext-value may hold unencoded. */
static int is_attr_char(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$&+-.^_`|~", c));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

static int boundary_ok(const char *b, size_t n)
{
	if (n == 0 || n > MP_BOUNDARY_MAX || b[n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_bchar((unsigned char)b[i]))
			return 0;
	return 1;
}

static char *skip_ows(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static size_t token_len(const char *p)
{
	size_t n = 0;

	while (is_tchar((unsigned char)p[n]))
		n++;
	return n;
}

/* Stores val in *slot; -1 when the slot is already taken. A header or parameter given twice
 * is refused rather than picked from, so no other reader of the same bytes (a proxy, a
 * scanner) can settle on a different one than we do. */
static int set_once(char **slot, char *val)
{
	if (*slot)
		return -1;
	*slot = val;
	return 0;
}

/* ---- Header values: types and parameters, decoded in place ---- */

/* Decodes the quoted-string at r (r[0] is the quote) to w, which lies at least two bytes
 * before r, so writing never overtakes reading. The byte after the closing quote, or NULL
 * when the string is unterminated or holds a control character. */
static char *unquote(char *r, char *w)
{
	for (r++; *r != '"'; r++) {
		unsigned char c = (unsigned char)*r;
		if (c == '\\')
			c = (unsigned char)*++r;
		if (c == '\0' || (c < 0x20 && c != '\t') || c == 0x7F)
			return NULL;
		*w++ = (char)c;
	}
	*w = '\0';
	return r + 1;
}

/* Copies the token at r to w (before r); the byte after the token, or NULL if empty. */
static char *untoken(char *r, char *w)
{
	size_t n = token_len(r);

	if (n == 0)
		return NULL;
	memmove(w, r, n);
	w[n] = '\0';
	return r + n;
}

/* Reads the next "; key=value" of a header value at *pp and advances it. The key is copied
 * out first, then the value is decoded over it: that keeps the decoded value behind the
 * bytes still to read without needing a second buffer. 1 with *out filled, 0 at the end
 * (a trailing ';' is allowed), -1 on bad syntax. */
static int param_next(char **pp, struct param *out)
{
	char *p = skip_ows(*pp), *key, *end;
	size_t klen;

	if (*p == '\0')
		return 0;
	if (*p != ';')
		return -1;
	key = skip_ows(p + 1);
	if (*key == '\0')
		return 0;
	klen = token_len(key);
	if (klen == 0 || key[klen] != '=')
		return -1;
	out->key[0] = '\0';
	if (klen < sizeof out->key) {
		for (size_t i = 0; i < klen; i++)
			out->key[i] = (char)(key[i] | (key[i] >= 'A' && key[i] <= 'Z' ? 0x20 : 0));
		out->key[klen] = '\0';
	}
	p = key + klen + 1;
	end = *p == '"' ? unquote(p, key) : untoken(p, key);
	if (!end)
		return -1;
	out->val = key;
	*pp = end;
	return 1;
}

/* 1 when header value v is of the given type (case-insensitive), ending there or followed
 * by parameters; *rest then points just after the type. */
static int value_has_type(char *v, const char *type, char **rest)
{
	size_t n = strlen(type);

	v = skip_ows(v);
	if (strncasecmp(v, type, n) != 0)
		return 0;
	v += n;
	if (*v != '\0' && *v != ';' && *v != ' ' && *v != '\t')
		return 0;
	*rest = v;
	return 1;
}

/* Decodes an RFC 5987 ext-value "UTF-8'lang'percent-encoded" in place (the language is
 * dropped). 0 when the charset is not UTF-8, an escape is bad or decodes to NUL (which
 * would silently cut the name short), or a byte should have been escaped. */
static int ext_value_decode(char *s)
{
	char *q = strchr(s, '\''), *r, *w = s;

	if (!q || q - s != 5 || strncasecmp(s, "utf-8", 5) != 0 || !(q = strchr(q + 1, '\'')))
		return 0;
	for (r = q + 1; *r; r++) {
		if (*r == '%') {
			int hi = hexval(r[1]), lo = hi < 0 ? -1 : hexval(r[2]);
			if (lo < 0 || (hi | lo) == 0)
				return 0;
			*w++ = (char)(hi * 16 + lo);
			r += 2;
		} else if (is_attr_char((unsigned char)*r)) {
			*w++ = *r;
		} else {
			return 0;
		}
	}
	*w = '\0';
	return 1;
}

/* Names and filenames: UTF-8 with no control character at all (C0 including tab, DEL, and
 * C1, which is U+0080..U+009F, encoded C2 80..C2 9F), as they end up in pages and logs. */
static int name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!utf8_text_ok(s, n, 0) || memchr(s, '\t', n))
		return 0;
	for (size_t i = 0; i + 1 < n; i++)
		if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] < 0xA0)
			return 0;
	return 1;
}

/* A part's Content-Type: printable ASCII (with tabs), as media types are. */
static int ascii_ok(const char *s)
{
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if ((*u < 0x20 && *u != '\t') || *u >= 0x7F)
			return 0;
	return 1;
}

/* Content-Disposition: form-data; name=...; [filename=...]; [filename*=...]. */
static enum mp_status parse_disposition(char *v, struct multipart_part *part)
{
	char *p, *name = NULL, *fn = NULL, *fnx = NULL;
	struct param prm;
	int r;

	if (!value_has_type(v, "form-data", &p))
		return MP_MALFORMED;
	while ((r = param_next(&p, &prm)) > 0) {
		char **slot = !strcmp(prm.key, "name")        ? &name
		              : !strcmp(prm.key, "filename")  ? &fn
		              : !strcmp(prm.key, "filename*") ? &fnx
		                                              : NULL;
		if (slot && set_once(slot, prm.val) < 0)
			return MP_MALFORMED;
	}
	if (r < 0 || !name || (fnx && !ext_value_decode(fnx)))
		return MP_MALFORMED;
	part->name = name;
	part->filename = fnx ? fnx : fn;
	if (!name_ok(part->name) || (part->filename && !name_ok(part->filename)))
		return MP_MALFORMED;
	return MP_OK;
}

/* Splits a header line "Name: value" in place; -1 unless Name is a token right before the
 * colon (which also refuses folded lines, as they start with a space). */
static int header_split(char *line, char **val)
{
	size_t n = token_len(line);
	char *v, *e;

	if (n == 0 || line[n] != ':')
		return -1;
	line[n] = '\0';
	v = skip_ows(line + n + 1);
	e = v + strlen(v);
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*e = '\0';
	*val = v;
	return 0;
}

/* Parses a complete header block s (lines ending in CRLF, then an empty line; no NUL, no
 * bare CR or LF) in place into *part, whose strings then point into s. */
static enum mp_status parse_headers(char *s, struct multipart_part *part)
{
	char *cd = NULL, *ct = NULL;

	while (*s != '\r') {
		char *line = s, *cr = strchr(s, '\r'), *val, **slot = NULL;
		*cr = '\0';
		s = cr + 2;
		if (header_split(line, &val) < 0)
			return MP_MALFORMED;
		if (!strcasecmp(line, "content-disposition"))
			slot = &cd;
		else if (!strcasecmp(line, "content-type"))
			slot = &ct;
		if (slot && set_once(slot, val) < 0)
			return MP_MALFORMED;
	}
	if (!cd || (ct && !ascii_ok(ct)))
		return MP_MALFORMED;
	part->content_type = ct;
	return parse_disposition(cd, part);
}

/* ---- The state machine ---- */

static void fail(struct multipart *m, enum mp_status err)
{
	if (m->err == MP_OK)
		m->err = err;
}

static void pass_data(struct multipart *m, const char *data, size_t len)
{
	if (len == 0 || m->err || !m->cb.part_data)
		return;
	if (m->cb.part_data(m->arg, data, len))
		fail(m, MP_ABORTED);
}

/* Called once the delimiter after a part is known to be a real one. */
static void end_part(struct multipart *m)
{
	if (!m->in_part)
		return;
	m->in_part = 0;
	if (m->cb.part_end && m->cb.part_end(m->arg))
		fail(m, MP_ABORTED);
}

static void begin_headers(struct multipart *m)
{
	if (m->nparts == MP_MAX_PARTS) {
		fail(m, MP_TOO_BIG);
		return;
	}
	m->nparts++;
	m->hlen = 0;
	m->state = ST_HEADERS;
}

static void begin_part(struct multipart *m)
{
	struct multipart_part part = {NULL, NULL, NULL};
	enum mp_status st;

	m->hdr[m->hlen] = '\0';
	st = parse_headers(m->hdr, &part);
	if (st != MP_OK) {
		fail(m, st);
		return;
	}
	m->in_part = 1;
	m->state = ST_DATA;
	m->match = 0;
	if (m->cb.part_begin && m->cb.part_begin(m->arg, &part))
		fail(m, MP_ABORTED);
}

/* Preamble and data: looks for the delimiter, passing data bytes on (in ST_DATA) as soon as
 * they cannot begin it. A miss leaves the bytes it matched in the run of data, so that input
 * full of CRs or near misses still makes one part_data call per feed, not one per byte. Only
 * the `carried` bytes of a match begun in an earlier feed are not in this chunk; they equal
 * delim's first bytes, so on a miss they are passed on from delim. */
static const char *scan(struct multipart *m, const char *p, const char *end)
{
	int pass = m->state == ST_DATA;
	const char *run = p; /* the data not yet passed on starts here */
	size_t carried = m->match;

	while (p < end && !m->err) {
		if (m->match == 0) {
			const char *cr = memchr(p, '\r', (size_t)(end - p));
			p = cr ? cr : end;
			if (!cr)
				break;
		}
		if (*p != m->delim[m->match]) {
			/* What matched was data after all. *p is looked at again: it may be the CR
			 * of a real delimiter. */
			if (pass && carried)
				pass_data(m, m->delim, carried);
			carried = m->match = 0;
			continue;
		}
		p++;
		if (++m->match == m->dlen) {
			if (pass)
				pass_data(m, run, (size_t)(p - (m->dlen - carried) - run));
			m->match = 0;
			m->state = ST_DELIM_TAIL;
			return p;
		}
	}
	/* Hold back the bytes of this chunk that may still begin a delimiter. */
	if (pass)
		pass_data(m, run, (size_t)(p - (m->match - carried) - run));
	return p;
}

/* The rest of a delimiter line, one byte at a time. */
static const char *delim_tail(struct multipart *m, const char *p)
{
	char c = *p;

	if (m->state == ST_CLOSE || m->state == ST_DELIM_LF) {
		if (c != (m->state == ST_CLOSE ? '-' : '\n')) {
			fail(m, MP_MALFORMED);
			return p + 1;
		}
		end_part(m);
		if (m->state == ST_CLOSE)
			m->state = ST_EPILOGUE;
		else if (!m->err)
			begin_headers(m);
	} else if (m->state == ST_DELIM_TAIL && c == '-') {
		m->state = ST_CLOSE;
	} else if (c == ' ' || c == '\t') {
		m->state = ST_PADDING;
	} else if (c == '\r') {
		m->state = ST_DELIM_LF;
	} else {
		fail(m, MP_MALFORMED);
	}
	return p + 1;
}

static int header_block_done(const struct multipart *m)
{
	return m->hlen == 2 || (m->hlen >= 4 && memcmp(m->hdr + m->hlen - 4, "\r\n\r\n", 4) == 0);
}

/* Collects a part's header block, checking each byte so that a bad block fails at once
 * rather than when the buffer fills. */
static const char *headers(struct multipart *m, const char *p, const char *end)
{
	while (p < end) {
		char c = *p++;
		char prev = m->hlen ? m->hdr[m->hlen - 1] : '\0';
		/* CR only before LF, LF only after CR; no NUL so the block parses as strings. */
		if (c == '\0' || (prev == '\r') != (c == '\n')) {
			fail(m, MP_MALFORMED);
			break;
		}
		if (m->hlen == MP_HEADER_MAX) {
			fail(m, MP_TOO_BIG);
			break;
		}
		m->hdr[m->hlen++] = c;
		if (c == '\n' && header_block_done(m)) {
			begin_part(m);
			break;
		}
	}
	return p;
}

static const char *step(struct multipart *m, const char *p, const char *end)
{
	switch (m->state) {
	case ST_PREAMBLE:
	case ST_DATA:
		return scan(m, p, end);
	case ST_HEADERS:
		return headers(m, p, end);
	case ST_EPILOGUE:
		return end;
	default:
		return delim_tail(m, p);
	}
}

/* ---- Public API ---- */

char *multipart_boundary(const char *content_type)
{
	char *copy, *p, *b = NULL, *res = NULL;
	struct param prm;
	int r = -1;

	if (!content_type)
		return NULL;
	copy = xstrdup(content_type);
	if (value_has_type(copy, "multipart/form-data", &p))
		while ((r = param_next(&p, &prm)) > 0)
			if (!strcmp(prm.key, "boundary") && set_once(&b, prm.val) < 0)
				break; /* r stays 1: refused below */
	if (r == 0 && b && boundary_ok(b, strlen(b)))
		res = xstrdup(b);
	free(copy);
	return res;
}

struct multipart *multipart_new(const char *boundary, const struct multipart_callbacks *cb, void *arg)
{
	size_t n = strlen(boundary);
	struct multipart *m;

	if (!boundary_ok(boundary, n))
		return NULL;
	m = xcalloc(1, sizeof *m);
	if (cb)
		m->cb = *cb;
	m->arg = arg;
	memcpy(m->delim, "\r\n--", 4);
	memcpy(m->delim + 4, boundary, n);
	m->dlen = n + 4;
	/* The first delimiter may open the body without a CRLF: start as if one came before. */
	m->match = 2;
	m->state = ST_PREAMBLE;
	return m;
}

enum mp_status multipart_feed(struct multipart *m, const char *data, size_t len)
{
	const char *end;

	if (len == 0)
		return m->err; /* data may be NULL, and NULL + 0 is undefined */
	end = data + len;
	while (!m->err && data < end)
		data = step(m, data, end);
	return m->err;
}

enum mp_status multipart_finish(struct multipart *m)
{
	if (m->err)
		return m->err;
	return m->state == ST_EPILOGUE ? MP_OK : MP_INCOMPLETE;
}

void multipart_free(struct multipart *m)
{
	free(m);
}

size_t multipart_memory(const struct multipart *m)
{
	return sizeof *m;
}
