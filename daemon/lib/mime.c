/* mime: RFC 5322 messages with MIME bodies and RFC 2047 headers (mime.h). */
#include "mime.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "utf8.h"
#include "util.h"

#define B64 sodium_base64_VARIANT_ORIGINAL

enum {
	WORD_BYTES = 36,     /* UTF-8 bytes per encoded word: 48 base64 characters, 60 in all */
	WORD_MAX = 60,       /* the length of such a word, and of a display name left unencoded */
	LINE_SOFT = 76,      /* RFC 2047's limit for a line holding encoded words; our folding aim */
	NAME_ROOM = 16,      /* room left on a first line for the longest "Header-Name: " we fold */
	ASCII_RUN_MAX = 900, /* a longer run without spaces cannot be folded under 998: encode it */
	BODY_CHUNK = 57,     /* bytes per base64 line of 76 characters */
	ID_MAX = 250,        /* a Message-ID's id, so its header stays one short line */
	LANG_MAX = 35,       /* a language tag (RFC 5646's longest useful ones) */
	URL_MAX = 900,       /* the unsubscribe URL, so its header stays under 998 */
	BOUNDARY_RANDOM = 16 /* random bytes of a multipart boundary */
};

static int ascii_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int ascii_alnum(unsigned char c)
{
	return ascii_alpha(c) || (c >= '0' && c <= '9');
}

/* RFC 5322's atext: what an atom may hold without quoting. */
static int atext(unsigned char c)
{
	return ascii_alnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* 1 when s[0..n) is a dot-atom: runs of atext joined by single dots. */
static int dot_atom(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.' ? s[i + 1] == '.' : !atext((unsigned char)s[i]))
			return 0;
	return 1;
}

/* 1 when s[0..n) is a DNS name of two labels or more whose last label has a letter, so that
 * neither "localhost" nor an IP address passes. */
static int domain_ok(const char *s, size_t n)
{
	size_t label = 0, labels = 0;
	int letter = 0;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)s[i] : '.';
		if (c == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-')
				return 0;
			labels++;
			label = 0;
			letter = i < n ? 0 : letter;
			continue;
		}
		if (!ascii_alnum(c) && c != '-')
			return 0;
		letter |= ascii_alpha(c);
		label++;
	}
	return labels >= 2 && letter;
}

int mime_address_ok(const char *s)
{
	if (!s)
		return 0;
	size_t n = strlen(s);
	const char *at = memchr(s, '@', n);
	if (n > 254 || !at)
		return 0;
	size_t local = (size_t)(at - s);
	return local <= 64 && dot_atom(s, local) && domain_ok(at + 1, n - local - 1);
}

/* A Message-ID's id-left "@" id-right, both dot-atoms (RFC 5322 3.6.4). */
static int message_id_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	size_t n = s ? strlen(s) : 0;
	return at && n <= ID_MAX && dot_atom(s, (size_t)(at - s)) && dot_atom(at + 1, strlen(at + 1));
}

/* A language tag as Content-Language carries it (RFC 3282): letters, digits and '-'. */
static int lang_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > LANG_MAX || !ascii_alpha((unsigned char)s[0]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!ascii_alnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

/* A URL that can stand between angle brackets in List-Unsubscribe as it is (RFC 2369). */
static int url_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > URL_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7F || c == '<' || c == '>' || c == '"')
			return 0;
	}
	return 1;
}

/* 1 when a text of a member may go into a header at all: UTF-8 without CR or LF (a NUL cannot
 * occur in a C string); how it is then written is put_value's business. */
static int header_text_ok(const char *s)
{
	return s && !strpbrk(s, "\r\n") && utf8_valid(s, strlen(s));
}

/* 1 when s can stand in a header unencoded: printable ASCII without "=?" (which a reader would
 * try to decode), and no run without spaces too long to fold. */
static int plain_ascii(const char *s)
{
	size_t run = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c > 0x7E || (c == '=' && s[1] == '?'))
			return 0;
		run = c == ' ' ? 0 : run + 1;
		if (run > ASCII_RUN_MAX)
			return 0;
	}
	return 1;
}

/* Appends plain ASCII s, breaking the line before a space where it would pass LINE_SOFT
 * (the first line counted from col); unfolding gives s back. A break never leaves a line of
 * spaces alone (RFC 5322 3.2.2), since it comes only after a line that has a word. */
static void put_folded(struct buf *b, const char *s, size_t col)
{
	while (*s) {
		size_t chunk = strcspn(s + 1, " ") + 1; /* a word, or a space and its word */
		if (*s == ' ' && col + chunk > LINE_SOFT && col > 1) {
			buf_puts(b, "\r\n");
			col = 0;
		}
		buf_append(b, s, chunk);
		col += chunk;
		s += chunk;
	}
}

/* Appends v as encoded words of at most WORD_BYTES bytes each, cut between UTF-8 characters
 * so that each word decodes to whole characters, separated by CRLF SP (which a reader drops
 * between encoded words, RFC 2047 6.2). */
static void put_encoded(struct buf *b, const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t left = strlen(v);
	const char *sep = "";
	while (left > 0) {
		size_t take = 0;
		while (take < left) {
			size_t n = utf8_seq(p + take, left - take);
			n = n ? n : 1; /* callers checked the text; this only keeps the loop finite */
			if (take + n > WORD_BYTES)
				break;
			take += n;
		}
		char word[sodium_base64_ENCODED_LEN(WORD_BYTES, B64)];
		sodium_bin2base64(word, sizeof word, p, take, B64);
		buf_printf(b, "%s=?utf-8?B?%s?=", sep, word);
		sep = "\r\n ";
		p += take;
		left -= take;
	}
}

/* Appends a header value after a header name of col characters. */
static void put_value(struct buf *b, const char *v, size_t col)
{
	if (plain_ascii(v))
		put_folded(b, v, col);
	else
		put_encoded(b, v);
}

char *mime_header_word(const char *value)
{
	struct buf b = BUF_INIT;
	put_value(&b, value, NAME_ROOM);
	return buf_detach(&b);
}

/* Appends a display name: as it is when it is atoms and spaces, as a quoted string when other
 * short printable ASCII ("Agora, Inc."), else as encoded words. */
static void put_phrase(struct buf *b, const char *name)
{
	if (!plain_ascii(name) || strlen(name) > WORD_MAX) {
		put_encoded(b, name);
		return;
	}
	int atoms = 1;
	for (const char *s = name; *s; s++)
		atoms &= atext((unsigned char)*s) || *s == ' ';
	if (atoms) {
		buf_puts(b, name);
		return;
	}
	buf_putc(b, '"');
	for (const char *s = name; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* The length of the last line of b so far. */
static size_t column(const struct buf *b)
{
	size_t i = b->len;
	while (i > 0 && b->data[i - 1] != '\n')
		i--;
	return b->len - i;
}

/* "Field: name <addr>" (the address on a line of its own when the name leaves no room), or
 * "Field: addr" for a missing or blank name. */
static void put_mailbox(struct buf *b, const char *field, const char *name, const char *addr)
{
	buf_printf(b, "%s: ", field);
	if (!name || !name[strspn(name, " ")]) {
		buf_printf(b, "%s\r\n", addr);
		return;
	}
	put_phrase(b, name);
	int fold = column(b) + strlen(addr) + 3 > LINE_SOFT;
	buf_printf(b, "%s<%s>\r\n", fold ? "\r\n " : " ", addr);
}

/* "Date: Tue, 25 Nov 2025 08:30:00 +0000" in English whatever the locale (RFC 5322 3.3).
 * -1 for a time gmtime cannot give or a year outside 1900-9999. */
static int put_date(struct buf *b, int64_t t)
{
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t tt = (time_t)t;
	struct tm tm;
	if ((int64_t)tt != t || !gmtime_r(&tt, &tm) || tm.tm_year < 0 || tm.tm_year > 9999 - 1900)
		return -1;
	buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
		   months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

/* Appends text in base64 lines of 76 characters, its line ends made CRLF first: MIME's
 * canonical form of text (RFC 2045 6.8), so that every reader shows the same lines. */
static void put_base64(struct buf *b, const char *text)
{
	struct buf canon = BUF_INIT;
	for (const char *s = text; *s; s++) {
		if (*s == '\r' && s[1] == '\n')
			continue; /* the '\n' that follows writes the pair */
		if (*s == '\r' || *s == '\n')
			buf_puts(&canon, "\r\n");
		else
			buf_putc(&canon, *s);
	}
	char line[sodium_base64_ENCODED_LEN(BODY_CHUNK, B64)];
	for (size_t at = 0; at < canon.len; at += BODY_CHUNK) {
		size_t n = canon.len - at < BODY_CHUNK ? canon.len - at : BODY_CHUNK;
		sodium_bin2base64(line, sizeof line, (const unsigned char *)canon.data + at, n, B64);
		buf_printf(b, "%s\r\n", line);
	}
	buf_free(&canon);
}

static int mail_ok(const struct mime_mail *m)
{
	return m->text && utf8_valid(m->text, strlen(m->text)) &&
	       (!m->html || utf8_valid(m->html, strlen(m->html))) && mime_address_ok(m->from_addr) &&
	       mime_address_ok(m->to_addr) && header_text_ok(m->subject) &&
	       (!m->from_name || header_text_ok(m->from_name)) && (!m->to_name || header_text_ok(m->to_name)) &&
	       message_id_ok(m->message_id) && (!m->lang || lang_ok(m->lang)) &&
	       (!m->unsubscribe_url || url_ok(m->unsubscribe_url));
}

/* The header block up to the body's own Content-Type; -1 when the date cannot be written. */
static int put_headers(struct buf *b, const struct mime_mail *m)
{
	if (put_date(b, m->date) < 0)
		return -1;
	put_mailbox(b, "From", m->from_name, m->from_addr);
	put_mailbox(b, "To", m->to_name, m->to_addr);
	buf_puts(b, "Subject: ");
	put_value(b, m->subject, strlen("Subject: "));
	buf_printf(b, "\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\n", m->message_id);
	if (m->lang)
		buf_printf(b, "Content-Language: %s\r\n", m->lang);
	if (m->unsubscribe_url)
		buf_printf(b, "List-Unsubscribe: <%s>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
			   m->unsubscribe_url);
	buf_puts(b, "Auto-Submitted: auto-generated\r\n");
	return 0;
}

/* 1 when the encoded part holds s. */
static int part_has(const struct buf *part, const char *s)
{
	return part->len > 0 && strstr(part->data, s) != NULL;
}

/* A boundary of 128 random bits after "=_", which base64 never writes; mime_compose still
 * checks the parts, so the promise does not rest on the encoding alone. */
static void make_boundary(char *out, size_t size)
{
	unsigned char r[BOUNDARY_RANDOM];
	randombytes_buf(r, sizeof r);
	memcpy(out, "=_agora_", 9);
	sodium_bin2hex(out + 8, size - 8, r, sizeof r);
}

static void put_part(struct buf *b, const char *boundary, const char *type, const struct buf *part)
{
	buf_printf(b, "--%s\r\nContent-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		   boundary, type);
	buf_append(b, part->data, part->len);
}

/* The body: the text alone, or text then HTML as multipart/alternative (RFC 2046 5.1.4:
 * the last part is the one preferred). */
static void put_body(struct buf *b, const struct mime_mail *m)
{
	struct buf text = BUF_INIT, html = BUF_INIT;
	put_base64(&text, m->text);
	if (!m->html) {
		buf_puts(b, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
		buf_append(b, text.data, text.len);
		buf_free(&text);
		return;
	}
	put_base64(&html, m->html);
	char boundary[8 + 2 * BOUNDARY_RANDOM + 1];
	do
		make_boundary(boundary, sizeof boundary);
	while (part_has(&text, boundary) || part_has(&html, boundary));
	buf_printf(b, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", boundary);
	put_part(b, boundary, "text/plain", &text);
	put_part(b, boundary, "text/html", &html);
	buf_printf(b, "--%s--\r\n", boundary);
	buf_free(&text);
	buf_free(&html);
}

char *mime_compose(const struct mime_mail *m, size_t *len)
{
	if (!mail_ok(m) || sodium_init() < 0)
		return NULL;
	struct buf b = BUF_INIT;
	if (put_headers(&b, m) < 0) {
		buf_free(&b);
		return NULL;
	}
	put_body(&b, m);
	*len = b.len;
	return buf_detach(&b);
}
