/* Unit tests for mime: encoded words decoded back by the test's own base64 reader, long
 * Chinese subjects cut between characters, header injection refused, the multipart boundary
 * absent from the parts, CRLF line ends and line lengths everywhere, and the address check. */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "mime.h"
#include "utf8.h"
#include "util.h"

#define T0 1764059400 /* 2025-11-25T08:30:00Z, a Tuesday */
#define LONG_ZH "乡村振兴战略与基层治理能力提升专题培训班第一讲：如何做好新时代群众工作的方法与案例分析"
#define WORD_PREFIX "=?utf-8?B?"

/* ---- the test's own readers, independent of mime.c ---- */

static int b64_value(char c)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(alphabet, c) : NULL;
	return p ? (int)(p - alphabet) : -1;
}

/* Appends the bytes of base64 s[0..n) to out (whole groups of 4, '=' padding); -1 if not base64. */
static int b64_decode(const char *s, size_t n, struct buf *out)
{
	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;
		for (int k = 0; k < 4; k++) {
			v[k] = s[i + k] == '=' && i + 4 == n && k >= 2 ? (pad++, 0) : b64_value(s[i + k]);
			if (v[k] < 0 || (pad && s[i + k] != '='))
				return -1;
		}
		unsigned bits = (unsigned)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
		char bytes[3] = {(char)(bits >> 16), (char)(bits >> 8), (char)bits};
		buf_append(out, bytes, (size_t)(3 - pad));
	}
	return 0;
}

/* Decodes a header value as mime_header_word writes it: either plain text, folded by CRLF SP,
 * or encoded words separated by CRLF SP. Each word is checked: at most 75 characters, and
 * decoding to whole UTF-8 characters. The caller frees the text. */
static char *decode_value(const char *v)
{
	struct buf out = BUF_INIT;
	if (strncmp(v, WORD_PREFIX, strlen(WORD_PREFIX)) != 0) {
		for (const char *p = v; *p; p++)
			if (!(p[0] == '\r' && p[1] == '\n' && p[2] == ' ') && !(p[0] == '\n' && p > v && p[-1] == '\r'))
				buf_putc(&out, *p);
		return buf_detach(&out);
	}
	for (const char *w = v; *w;) {
		size_t len = strcspn(w, "\r");
		ck_assert_msg(len <= 75, "an encoded word of %zu characters", len);
		ck_assert_msg(len > 12 && strncmp(w, WORD_PREFIX, 10) == 0 && strncmp(w + len - 2, "?=", 2) == 0,
			      "not an encoded word: %.*s", (int)len, w);
		size_t before = out.len;
		ck_assert_int_eq(b64_decode(w + 10, len - 12, &out), 0);
		ck_assert_msg(utf8_valid(out.data + before, out.len - before), "a word cuts a character: %.*s",
			      (int)len, w);
		w += len;
		if (*w) {
			ck_assert_msg(strncmp(w, "\r\n ", 3) == 0, "words not separated by CRLF SP");
			w += 3;
		}
	}
	return buf_detach(&out);
}

/* The raw value of header name in message m (folds kept), malloc'd; NULL when absent. */
static char *header(const char *m, const char *name)
{
	const char *end = strstr(m, "\r\n\r\n");
	size_t n = strlen(name);
	ck_assert_ptr_nonnull(end);
	for (const char *line = m; line < end; line = strstr(line, "\r\n") + 2) {
		if (strncmp(line, name, n) != 0 || strncmp(line + n, ": ", 2) != 0)
			continue;
		const char *v = line + n + 2, *stop = v;
		while ((stop = strstr(stop, "\r\n")) && (stop[2] == ' ' || stop[2] == '\t'))
			stop += 2;
		return xstrndup(v, (size_t)(stop - v));
	}
	return NULL;
}

/* 1 when line[0..n) holds the start of an encoded word. */
static int has_word(const char *line, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (line[i] == '=' && line[i + 1] == '?')
			return 1;
	return 0;
}

/* Asserts CRLF line ends only, lines of at most 998 (76 where encoded words are), none
 * starting with a dot, and the whole text ending with CRLF. */
static void check_lines(const char *m, size_t len)
{
	ck_assert_uint_eq(strlen(m), len);
	ck_assert(len >= 2 && m[len - 2] == '\r' && m[len - 1] == '\n');
	for (const char *line = m; *line;) {
		const char *cr = strchr(line, '\r'), *lf = strchr(line, '\n');
		ck_assert_msg(cr && cr + 1 == lf, "a line end that is not CRLF after: %.40s", line);
		size_t n = (size_t)(cr - line);
		ck_assert_msg(n <= 998, "a line of %zu characters", n);
		if (has_word(line, n))
			ck_assert_msg(n <= 76, "a line with encoded words of %zu characters: %.*s", n, (int)n, line);
		ck_assert_msg(line[0] != '.', "a line starts with a dot");
		line = lf + 1;
	}
}

static char *word(const char *v)
{
	char *w = mime_header_word(v);
	ck_assert_ptr_nonnull(w);
	return w;
}

/* Asserts that v is encoded and decodes back to itself; returns the number of words. */
static size_t check_round_trip(const char *v)
{
	char *w = word(v), *back = decode_value(w);
	ck_assert_msg(strncmp(w, WORD_PREFIX, 10) == 0, "not encoded: %s", w);
	ck_assert_str_eq(back, v);
	size_t words = 1;
	for (const char *p = w; (p = strstr(p, "\r\n ")); p += 3)
		words++;
	free(w);
	free(back);
	return words;
}

START_TEST(ascii_values_unchanged)
{
	static const char *const plain[] = {"Hello, world", "", "Re: [agora] a = b ? c", "100% <ok> \"yes\"",
					    "Weekly digest (3 new threads)"};
	for (size_t i = 0; i < UNIT_COUNT(plain); i++) {
		char *w = word(plain[i]);
		ck_assert_str_eq(w, plain[i]);
		free(w);
	}
}
END_TEST

START_TEST(encoded_words_decode_back)
{
	static const char *const texts[] = {"春耕", "Re: 春耕 & 秋收", "Ünïcödé", "\xF0\x9F\x8C\xBE harvest",
					    "a=?b", "=?utf-8?B?Zm9v?=", "tab\there", "del\x7F"};
	for (size_t i = 0; i < UNIT_COUNT(texts); i++)
		ck_assert_uint_eq(check_round_trip(texts[i]), 1);
	char *w = word("春耕");
	ck_assert_str_eq(w, "=?utf-8?B?5pil6ICV?=");
	free(w);
}
END_TEST

START_TEST(long_subjects_split_on_characters)
{
	ck_assert_uint_ge(check_round_trip(LONG_ZH), 4);
	ck_assert_uint_ge(check_round_trip(LONG_ZH LONG_ZH LONG_ZH LONG_ZH), 12);
	struct buf mixed = BUF_INIT;
	for (int i = 0; i < 40; i++) /* 1, 2, 3 and 4-byte characters at every offset */
		buf_puts(&mixed, i % 3 ? "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x8C\xBE" : "\xF0\x9F\x8C\xBE\xE4\xB8\xAD");
	ck_assert_uint_ge(check_round_trip(mixed.data), 10);
	buf_free(&mixed);
}
END_TEST

START_TEST(long_ascii_folds_at_spaces)
{
	struct buf s = BUF_INIT;
	for (int i = 0; i < 40; i++)
		buf_printf(&s, "%sword%d", i ? (i % 7 ? " " : "  ") : "", i);
	char *w = word(s.data), *back = decode_value(w);
	ck_assert_str_eq(back, s.data);
	ck_assert_ptr_nonnull(strstr(w, "\r\n "));
	for (const char *line = w; line; line = strstr(line, "\r\n") ? strstr(line, "\r\n") + 2 : NULL) {
		size_t n = strcspn(line, "\r");
		ck_assert_uint_le(n, line == w ? 76 - 16 : 76); /* the first after a header's name */
		ck_assert_msg(strspn(line, " ") < n, "a folded line of spaces only");
	}
	free(w);
	free(back);
	buf_free(&s);
	char run[1000];
	memset(run, 'x', sizeof run - 1); /* too long a word to fold under 998: encoded */
	run[sizeof run - 1] = '\0';
	ck_assert_uint_gt(check_round_trip(run), 10);
}
END_TEST

static const struct mime_mail base = {
	.from_name = "农业培训平台", .from_addr = "noreply@agora.example", .to_name = "张伟",
	.to_addr = "zhangwei@example.cn", .subject = "您的培训报名已通过", .text = "您好，\n\n报名已通过。\n",
	.html = "<p>您好，</p><p>报名已通过。</p>", .message_id = "outbox.42.x7@agora.example", .date = T0,
	.lang = "zh-CN", .unsubscribe_url = "https://agora.example/unsubscribe?token=abc_DEF-123"};

static char *compose(const struct mime_mail *m, size_t *len)
{
	char *msg = mime_compose(m, len);
	ck_assert_ptr_nonnull(msg);
	check_lines(msg, *len);
	return msg;
}

START_TEST(header_injection_refused)
{
	struct mime_mail bad[24];
	size_t n = 0;
#define BAD(field, value) (bad[n] = base, bad[n].field = (value), n++)
	BAD(subject, "Hello\r\nBcc: victim@example.org");
	BAD(subject, "Hello\nBcc: victim@example.org");
	BAD(subject, "Hello\rBcc: victim@example.org");
	BAD(subject, NULL);
	BAD(subject, "bad \xFF utf-8");
	BAD(from_name, "Agora\r\nBcc: victim@example.org");
	BAD(to_name, "张伟\n");
	BAD(to_name, "\xE5\xBC"); /* cut short */
	BAD(from_addr, "noreply@agora.example\r\nBcc: victim@example.org");
	BAD(to_addr, "zhangwei@example.cn>, <victim@example.org");
	BAD(to_addr, "Zhang <zhangwei@example.cn>");
	BAD(to_addr, NULL);
	BAD(message_id, "x@y.org>\r\nBcc: victim@example.org");
	BAD(message_id, "<x@y.org>");
	BAD(message_id, "no-domain");
	BAD(message_id, NULL);
	BAD(lang, "zh-CN\r\nBcc: victim@example.org");
	BAD(lang, "zh CN");
	BAD(unsubscribe_url, "https://agora.example/u\r\nBcc: victim@example.org");
	BAD(unsubscribe_url, "https://agora.example/u>, <mailto:x@y.org");
	BAD(unsubscribe_url, "https://agora.example/a b");
	BAD(text, NULL);
	BAD(text, "bad \xC0\xAF utf-8");
	BAD(html, "bad \xED\xA0\x80 utf-8");
#undef BAD
	ck_assert_uint_eq(n, UNIT_COUNT(bad));
	for (size_t i = 0; i < n; i++) {
		size_t len = 12345;
		ck_assert_msg(mime_compose(&bad[i], &len) == NULL, "case %zu composed", i);
		ck_assert_uint_eq(len, 12345);
	}
	struct mime_mail late = base;
	late.date = (int64_t)1 << 60;
	size_t len;
	ck_assert_ptr_null(mime_compose(&late, &len));
}
END_TEST

/* The decoded body of the part that follows "Content-Transfer-Encoding: base64\r\n\r\n" at
 * from, up to the next "--" line; malloc'd. */
static char *part_body(const char *from, const char **after)
{
	const char *cte = "Content-Transfer-Encoding: base64\r\n\r\n";
	const char *p = strstr(from, cte);
	ck_assert_ptr_nonnull(p);
	p += strlen(cte);
	struct buf out = BUF_INIT;
	while (*p && *p != '-') {
		size_t n = strcspn(p, "\r");
		ck_assert_uint_le(n, 76);
		ck_assert_int_eq(b64_decode(p, n, &out), 0);
		p += n + 2;
	}
	*after = p;
	return buf_detach(&out);
}

START_TEST(text_only_mail)
{
	struct mime_mail m = base;
	m.html = NULL;
	m.text = "Line one\nline two\r\nline three\rend";
	size_t len;
	char *msg = compose(&m, &len), *ct = header(msg, "Content-Type");
	ck_assert_str_eq(ct, "text/plain; charset=utf-8");
	ck_assert_ptr_null(strstr(msg, "multipart"));
	const char *after;
	char *body = part_body(msg, &after);
	ck_assert_str_eq(body, "Line one\r\nline two\r\nline three\r\nend");
	ck_assert_str_eq(after, "");
	free(body);
	free(ct);
	free(msg);
}
END_TEST

/* The boundary of a multipart message, from its Content-Type; malloc'd. */
static char *boundary_of(const char *msg)
{
	char *ct = header(msg, "Content-Type");
	const char *prefix = "multipart/alternative; boundary=\"";
	ck_assert_ptr_nonnull(ct);
	ck_assert_msg(strncmp(ct, prefix, strlen(prefix)) == 0, "Content-Type: %s", ct);
	char *b = xstrndup(ct + strlen(prefix), strlen(ct) - strlen(prefix) - 1);
	ck_assert_uint_ge(strlen(b), 24);
	free(ct);
	return b;
}

START_TEST(multipart_mail)
{
	struct mime_mail m = base;
	m.text = "Plain --=_agora_ text\nwith a boundary-like line:\n--=_agora_0123456789abcdef\n.\n";
	m.html = "<p>HTML --=_agora_ part</p>\n.\n";
	size_t len;
	char *msg = compose(&m, &len), *b = boundary_of(msg);
	struct buf delim = BUF_INIT;
	buf_printf(&delim, "\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\n", b);
	const char *p = strstr(msg, delim.data), *after;
	ck_assert_ptr_nonnull(p);
	char *text = part_body(p, &after);
	ck_assert_str_eq(text, "Plain --=_agora_ text\r\nwith a boundary-like line:\r\n--=_agora_0123456789abcdef\r\n.\r\n");
	buf_reset(&delim);
	buf_printf(&delim, "--%s\r\nContent-Type: text/html; charset=utf-8\r\n", b);
	ck_assert_msg(strncmp(after, delim.data, delim.len) == 0, "the HTML part does not follow: %.60s", after);
	char *html = part_body(after, &after);
	ck_assert_str_eq(html, "<p>HTML --=_agora_ part</p>\r\n.\r\n");
	buf_reset(&delim);
	buf_printf(&delim, "--%s--\r\n", b);
	ck_assert_str_eq(after, delim.data);
	ck_assert_ptr_null(strstr(text, b));
	ck_assert_ptr_null(strstr(html, b));
	size_t seen = 0; /* the header's parameter, two delimiters, the close */
	for (const char *q = msg; (q = strstr(q, b)); q++)
		seen++;
	ck_assert_uint_eq(seen, 4);
	free(text);
	free(html);
	free(b);
	buf_free(&delim);
	free(msg);
}
END_TEST

START_TEST(boundaries_differ)
{
	size_t len;
	char *one = compose(&base, &len), *two = compose(&base, &len);
	char *b1 = boundary_of(one), *b2 = boundary_of(two);
	ck_assert_str_ne(b1, b2);
	free(b1);
	free(b2);
	free(one);
	free(two);
}
END_TEST

/* Asserts that header name of msg decodes to want (NULL: absent). */
static void check_header(const char *msg, const char *name, const char *want)
{
	char *raw = header(msg, name);
	if (!want) {
		ck_assert_msg(raw == NULL, "%s is present: %s", name, raw);
		return;
	}
	ck_assert_msg(raw != NULL, "no %s", name);
	char *got = decode_value(raw);
	ck_assert_str_eq(got, want);
	free(got);
	free(raw);
}

START_TEST(headers_of_a_mail)
{
	size_t len;
	char *msg = compose(&base, &len);
	ck_assert_msg(strncmp(msg, "Date: Tue, 25 Nov 2025 08:30:00 +0000\r\n", 39) == 0, "%.60s", msg);
	check_header(msg, "Subject", "您的培训报名已通过");
	check_header(msg, "Message-ID", "<outbox.42.x7@agora.example>");
	check_header(msg, "MIME-Version", "1.0");
	check_header(msg, "Content-Language", "zh-CN");
	check_header(msg, "List-Unsubscribe", "<https://agora.example/unsubscribe?token=abc_DEF-123>");
	check_header(msg, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
	check_header(msg, "Auto-Submitted", "auto-generated");
	char *from = header(msg, "From");
	ck_assert_str_eq(from, "=?utf-8?B?5Yac5Lia5Z+56K6t5bmz5Y+w?= <noreply@agora.example>");
	free(from);
	free(msg);
	struct mime_mail m = base;
	m.lang = NULL;
	m.unsubscribe_url = NULL;
	m.to_name = NULL;
	m.from_name = "Agora";
	msg = compose(&m, &len);
	check_header(msg, "Content-Language", NULL);
	check_header(msg, "List-Unsubscribe", NULL);
	check_header(msg, "List-Unsubscribe-Post", NULL);
	check_header(msg, "To", "zhangwei@example.cn");
	check_header(msg, "From", "Agora <noreply@agora.example>");
	free(msg);
}
END_TEST

START_TEST(display_names)
{
	static const struct unit_str_case names[] = {
		{"Agora, Inc.", "\"Agora, Inc.\" <noreply@agora.example>"},
		{"Say \"hi\" \\o/", "\"Say \\\"hi\\\" \\\\o/\" <noreply@agora.example>"},
		{"   ", "noreply@agora.example"},
		{"王 <evil@example.org>", "王 <evil@example.org> <noreply@agora.example>"},
	};
	for (size_t i = 0; i < UNIT_COUNT(names); i++) {
		struct mime_mail m = base;
		m.from_name = names[i].in;
		size_t len;
		char *msg = compose(&m, &len), *raw = header(msg, "From");
		if (strstr(raw, "=?")) { /* encoded: the words, then the address */
			char *cut = strstr(raw, "?= ");
			ck_assert_ptr_nonnull(cut);
			cut[2] = '\0';
			char *name = decode_value(raw);
			ck_assert_str_eq(name, "王 <evil@example.org>");
			ck_assert_str_eq(cut + 3, "<noreply@agora.example>");
			free(name);
		} else
			ck_assert_str_eq(raw, names[i].out);
		free(raw);
		free(msg);
	}
}
END_TEST

START_TEST(long_names_and_lines)
{
	struct buf big = BUF_INIT;
	for (int i = 0; i < 5000; i++)
		buf_putc(&big, (char)('a' + i % 26));
	struct mime_mail m = base;
	m.subject = LONG_ZH LONG_ZH;
	m.from_name = LONG_ZH;
	m.to_name = "A very long ASCII display name that needs no quoting but is long";
	m.text = big.data;
	size_t len;
	char *msg = compose(&m, &len);
	check_header(msg, "Subject", LONG_ZH LONG_ZH);
	char *from = header(msg, "From");
	ck_assert(strstr(from, "?= <noreply@agora.example>") || strstr(from, "?=\r\n <noreply@agora.example>"));
	free(from);
	const char *after;
	char *text = part_body(msg, &after);
	ck_assert_str_eq(text, big.data);
	free(text);
	free(msg);
	buf_free(&big);
}
END_TEST

START_TEST(address_check)
{
	static const char *const good[] = {
		"a@b.co", "first.last+tag@sub.example.org", "o'brien@example.ie", "x@xn--fiqs8s.cn",
		"user_name-1@a-b.example", "!#$%&'*+-/=?^_`{|}~@example.org", "UPPER@EXAMPLE.ORG",
	};
	static const char *const bad[] = {
		"", "a", "@b.co", "a@", "a@b", "a b@c.org", "a@b .org", "\"a\"@b.org", "<a@b.org>", "a@@b.org",
		"a@b@c.org", ".a@b.org", "a.@b.org", "a..b@c.org", "a@-b.org", "a@b-.org", "a@b..org", "a@.b.org",
		"a@b.org.", "张@b.org", "a@例子.中国", "a@b.org\r\n", "a@b.o\x01rg", "a,b@c.org", "a@127.0.0.1",
		"a@b.org ", " a@b.org", "a(b)@c.org", "a@[127.0.0.1]", "a;b@c.org", "a\\b@c.org", "a@b_c.org",
	};
	for (size_t i = 0; i < UNIT_COUNT(good); i++)
		ck_assert_msg(mime_address_ok(good[i]), "refused: %s", good[i]);
	for (size_t i = 0; i < UNIT_COUNT(bad); i++)
		ck_assert_msg(!mime_address_ok(bad[i]), "accepted: %s", bad[i]);
	ck_assert(!mime_address_ok(NULL));
	char s[300];
	memset(s, 'a', 64);
	strcpy(s + 64, "@example.org");
	ck_assert(mime_address_ok(s));
	memset(s, 'a', 65); /* a local part of 65 */
	strcpy(s + 65, "@example.org");
	ck_assert(!mime_address_ok(s));
	strcpy(s, "a@");
	for (int i = 0; i < 4; i++) /* 2 + 4 * 63 = 254 bytes */
		strcat(s, i ? ".bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
			    : "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	ck_assert_uint_eq(strlen(s), 254);
	ck_assert(mime_address_ok(s));
	strcat(s, "c");
	ck_assert(!mime_address_ok(s)); /* 255 bytes */
}
END_TEST

static const struct unit_tcase mime_cases[] = {
	{.name = "words", .tests = UNIT_TESTS(&ascii_values_unchanged, &encoded_words_decode_back,
					    &long_subjects_split_on_characters, &long_ascii_folds_at_spaces)},
	{.name = "compose", .tests = UNIT_TESTS(&header_injection_refused, &text_only_mail, &multipart_mail,
					      &boundaries_differ, &headers_of_a_mail, &display_names,
					      &long_names_and_lines)},
	{.name = "addresses", .tests = UNIT_TESTS(&address_check)},
};

UNIT_SUITE(mime, mime_cases)

const struct unit_tests unit_tests = {.suites = {mime_suite}};
