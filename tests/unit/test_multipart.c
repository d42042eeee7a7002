/* Unit tests for multipart: the streaming multipart/form-data parser. Most bodies are run
 * whole, one byte at a time and cut in two at every offset, and every run must give the same
 * status and the same transcript of callbacks: where the network splits a body must never
 * change what the parser makes of it. */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "multipart.h"
#include "util.h"

#define B "AaB03x"
#define DELIM_LEN (4 + sizeof(B) - 1)
#define CD "Content-Disposition: form-data; "

/* What the callbacks saw: "{name|filename|type}" for part_begin ("(null)" for NULL), the
 * data bytes as they are, "{/}" for part_end. Each callback can be told to abort at its n-th
 * call (1-based; 0 never). */
struct rec {
	struct buf t;
	enum mp_status st;
	int abort_begin, abort_data, abort_end;
	int nbegin, ndata, nend;
};

static void put_str(struct buf *b, const char *s)
{
	buf_puts(b, s ? s : "(null)");
}

static int on_begin(void *arg, const struct multipart_part *p)
{
	struct rec *r = arg;

	buf_putc(&r->t, '{');
	put_str(&r->t, p->name);
	buf_putc(&r->t, '|');
	put_str(&r->t, p->filename);
	buf_putc(&r->t, '|');
	put_str(&r->t, p->content_type);
	buf_putc(&r->t, '}');
	return ++r->nbegin == r->abort_begin;
}

static int on_data(void *arg, const char *data, size_t len)
{
	struct rec *r = arg;

	ck_assert_uint_gt(len, 0);
	buf_append(&r->t, data, len);
	return ++r->ndata == r->abort_data;
}

static int on_end(void *arg)
{
	struct rec *r = arg;

	buf_puts(&r->t, "{/}");
	return ++r->nend == r->abort_end;
}

static const struct multipart_callbacks CB = {on_begin, on_data, on_end};

/* Feeds body as a piece of `first` bytes then pieces of `step`, each from an exact-size
 * copy so ASan sees any read past a piece; then finishes. Stops at the first error and
 * checks that it sticks. The status lands in r->st. */
static void feed_body(const char *body, size_t len, size_t first, size_t step, struct rec *r)
{
	struct multipart *m = multipart_new(B, &CB, r);
	enum mp_status st = MP_OK;
	size_t off = 0, n = first;

	ck_assert_ptr_nonnull(m);
	while (st == MP_OK && off < len) {
		char *piece;
		if (n > len - off)
			n = len - off;
		piece = xmalloc(n);
		memcpy(piece, body + off, n);
		st = multipart_feed(m, piece, n);
		free(piece);
		off += n;
		n = step;
	}
	if (st == MP_OK) {
		st = multipart_finish(m);
	} else {
		int calls = r->nbegin + r->ndata + r->nend;
		ck_assert_int_eq(multipart_feed(m, "\r\n--" B "--", DELIM_LEN + 2), st);
		ck_assert_int_eq(multipart_finish(m), st);
		ck_assert_int_eq(r->nbegin + r->ndata + r->nend, calls);
	}
	multipart_free(m);
	r->st = st;
}

static void same_as(const struct rec *want, const char *body, size_t len, size_t first, size_t step)
{
	struct rec r = {BUF_INIT, MP_OK, 0, 0, 0, 0, 0, 0};

	feed_body(body, len, first, step, &r);
	ck_assert_msg(r.st == want->st, "status %d, not %d, cut at %zu/%zu", r.st, want->st, first, step);
	ck_assert_msg(r.t.len == want->t.len && (r.t.len == 0 || !memcmp(r.t.data, want->t.data, r.t.len)),
	              "transcript differs, cut at %zu/%zu", first, step);
	buf_free(&r.t);
}

/* Runs body whole, byte by byte and in every 2-piece split (a sample of them past 2 KiB)
 * and checks each gives status want and transcript tr (unless NULL). */
static void check_all(const char *body, size_t len, enum mp_status want, const char *tr, size_t trlen)
{
	struct rec whole = {BUF_INIT, MP_OK, 0, 0, 0, 0, 0, 0};
	size_t stride = len > 2048 ? 97 : 1;

	feed_body(body, len, len, len, &whole);
	ck_assert_int_eq(whole.st, want);
	if (tr) {
		ck_assert_uint_eq(whole.t.len, trlen);
		ck_assert(trlen == 0 || memcmp(whole.t.data, tr, trlen) == 0);
	}
	same_as(&whole, body, len, 1, 1);
	for (size_t k = 0; k <= len; k += stride)
		same_as(&whole, body, len, k, len);
	same_as(&whole, body, len, len > 0 ? len - 1 : 0, len);
	buf_free(&whole.t);
}

#define CHECK(body, want, tr) check_all(body, sizeof(body) - 1, want, tr, sizeof(tr) - 1)
#define CHECK_ST(body, want) check_all(body, sizeof(body) - 1, want, NULL, 0)

/* A body (it may hold NULs), the status and the transcript (NULL: any) every cut must give. */
struct body_case {
	const char *body;
	size_t len;
	enum mp_status want;
	const char *tr;
	size_t trlen;
};
/* A body of one part whose Content-Disposition parameters are params and whose data is value. */
#define PART(params, value) "--" B "\r\n" CD params "\r\n\r\n" value "\r\n--" B "--"
#define BODY(body, want, tr) {body, sizeof(body) - 1, want, tr, sizeof(tr) - 1}
#define BODY_ST(body, want) {body, sizeof(body) - 1, want, NULL, 0}

static void check_cases(const struct body_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_all(c[i].body, c[i].len, c[i].want, c[i].tr, c[i].trlen);
}

START_TEST(two_fields_and_a_file)
{
	CHECK("--" B "\r\n"
	      CD "name=\"title\"\r\n"
	      "\r\n"
	      "Hello\r\n"
	      "--" B "\r\n"
	      "content-disposition: form-data; name=\"body\"\r\n"
	      "\r\n"
	      "line 1\r\nline 2\r\n"
	      "--" B "\r\n"
	      CD "name=\"file\"; filename=\"a.txt\"\r\n"
	      "Content-Type: text/plain\r\n"
	      "\r\n"
	      "file contents\r\n"
	      "--" B "--\r\n",
	      MP_OK,
	      "{title|(null)|(null)}Hello{/}"
	      "{body|(null)|(null)}line 1\r\nline 2{/}"
	      "{file|a.txt|text/plain}file contents{/}");
}
END_TEST

START_TEST(two_files)
{
	CHECK("--" B "\r\n"
	      CD "name=\"files\"; filename=\"one.png\"\r\n"
	      "Content-Type: image/png\r\n\r\n"
	      "\x89PNG\r\n\x1a\n\r\n"
	      "--" B "\r\n"
	      CD "name=\"files\"; filename=\"two.bin\"\r\n"
	      "Content-Type:   application/octet-stream  \r\n\r\n"
	      "\r\n"
	      "--" B "--",
	      MP_OK,
	      "{files|one.png|image/png}\x89PNG\r\n\x1a\n{/}"
	      "{files|two.bin|application/octet-stream}{/}");
}
END_TEST

START_TEST(no_filename_is_null)
{
	CHECK("--" B "\r\n" CD "name=plain\r\n\r\nv\r\n--" B "--", MP_OK, "{plain|(null)|(null)}v{/}");
	/* A file input with no file chosen: browsers send filename="". */
	CHECK("--" B "\r\n" CD "name=f; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n"
	      "\r\n--" B "--",
	      MP_OK, "{f||application/octet-stream}{/}");
}
END_TEST

START_TEST(preamble_epilogue_padding)
{
	static const struct body_case cases[] = {
		BODY("preamble with --" B " inside a line, \r\n--AaB03\r\n--AaB\r\n"
		     "--" B " \t \r\n" CD "name=a\r\n\r\nA\r\n"
		     "--" B "\t\r\n" CD "name=b\r\n\r\nB\r\n"
		     "--" B "--  \r\nepilogue \r\n--" B "\r\n garbage \0 ignored",
		     MP_OK, "{a|(null)|(null)}A{/}{b|(null)|(null)}B{/}"),
		/* A whole delimiter line with junk after it is refused in the preamble too. */
		BODY("preamble \r\n--" B "7 near miss?\r\n--" B "--", MP_MALFORMED, ""),
		/* The first delimiter needs a CRLF before it unless it opens the body: here the first
		 * is the closing one, and the "part" was preamble. */
		BODY("x--" B "\r\n" CD "name=a\r\n\r\nA\r\n--" B "--", MP_OK, ""),
		BODY("--" B "--", MP_OK, ""),
		BODY("\r\n--" B "--", MP_OK, ""),
		BODY(PART("name=a", ""), MP_OK, "{a|(null)|(null)}{/}"),
	};

	check_cases(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(missing_final_boundary)
{
	static const struct body_case cases[] = {
		BODY("", MP_INCOMPLETE, ""),
		BODY("just a preamble", MP_INCOMPLETE, ""),
		BODY("--" B, MP_INCOMPLETE, ""),
		BODY("--" B "\r\n" CD "name=a\r\n", MP_INCOMPLETE, ""),
		BODY("--" B "\r\n" CD "name=a\r\n\r\nsome data", MP_INCOMPLETE, "{a|(null)|(null)}some data"),
		/* Held back bytes of a possible delimiter are not passed on when the body stops. */
		BODY("--" B "\r\n" CD "name=a\r\n\r\nsome data\r\n--AaB0", MP_INCOMPLETE,
		     "{a|(null)|(null)}some data"),
		/* A delimiter line that never ends: no part_end, since it was not confirmed. */
		BODY("--" B "\r\n" CD "name=a\r\n\r\nv\r\n--" B, MP_INCOMPLETE, "{a|(null)|(null)}v"),
		BODY("--" B "\r\n" CD "name=a\r\n\r\nv\r\n--" B "-", MP_INCOMPLETE, "{a|(null)|(null)}v"),
		BODY("--" B "\r\n" CD "name=a\r\n\r\nv\r\n--" B "  \r", MP_INCOMPLETE, "{a|(null)|(null)}v"),
		BODY("--" B "\r\n" CD "name=a\r\n\r\nv\r\n--" B "\r\n", MP_INCOMPLETE, "{a|(null)|(null)}v{/}"),
	};

	check_cases(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(delimiter_followed_by_junk)
{
	static const struct body_case cases[] = {
		BODY("--" B "\r\n" CD "name=a\r\n\r\nv\r\n--" B "x\r\n--" B "--", MP_MALFORMED,
		     "{a|(null)|(null)}v"),
		BODY("--" B "-x", MP_MALFORMED, ""),
		BODY("--" B " x\r\n", MP_MALFORMED, ""),
		BODY("--" B "\rx", MP_MALFORMED, ""),
	};

	check_cases(cases, UNIT_COUNT(cases));
}
END_TEST

/* A body whose one part has a header block of exactly n bytes. */
static char *body_with_header_block(size_t n, size_t *len)
{
	struct buf b = BUF_INIT;
	const char *start = CD "name=\"a\"\r\nX-Pad: ";
	size_t pad = n - strlen(start) - 4;

	buf_puts(&b, "--" B "\r\n");
	buf_puts(&b, start);
	for (size_t i = 0; i < pad; i++)
		buf_putc(&b, 'p');
	buf_puts(&b, "\r\n\r\ndata\r\n--" B "--");
	*len = b.len;
	return buf_detach(&b);
}

START_TEST(huge_headers)
{
	size_t len;
	char *body = body_with_header_block(MP_HEADER_MAX, &len);

	check_all(body, len, MP_OK, "{a|(null)|(null)}data{/}", 24);
	free(body);
	body = body_with_header_block(MP_HEADER_MAX + 1, &len);
	check_all(body, len, MP_TOO_BIG, "", 0);
	free(body);
}
END_TEST

/* An endless header line fails as soon as the buffer is full, not when the body ends. */
START_TEST(endless_header_fails_early)
{
	struct multipart *m = multipart_new(B, NULL, NULL);
	char chunk[1024];
	size_t fed = 0;
	enum mp_status st;

	memset(chunk, 'h', sizeof chunk);
	ck_assert_int_eq(multipart_feed(m, "--" B "\r\nX-Long: ", strlen("--" B "\r\nX-Long: ")), MP_OK);
	do {
		st = multipart_feed(m, chunk, sizeof chunk);
		fed += sizeof chunk;
	} while (st == MP_OK && fed < 1 << 20);
	ck_assert_int_eq(st, MP_TOO_BIG);
	ck_assert_uint_le(fed, MP_HEADER_MAX + sizeof chunk);
	multipart_free(m);
}
END_TEST

START_TEST(filename_star_utf8)
{
	static const struct body_case cases[] = {
		BODY("--" B "\r\n" CD "name=f; filename=\"fallback.txt\"; "
		     "filename*=UTF-8''%E4%B8%AD%E6%96%87.txt\r\n\r\nx\r\n--" B "--",
		     MP_OK, "{f|中文.txt|(null)}x{/}"),
		/* It wins whatever the order; the charset is case-insensitive; a language is dropped. */
		BODY("--" B "\r\n" CD "filename*=utf-8'zh-CN'%e4%b8%ad.txt; name=f; filename=\"fallback.txt\"\r\n"
		     "\r\nx\r\n--" B "--",
		     MP_OK, "{f|中.txt|(null)}x{/}"),
		BODY(PART("name=f; filename*=UTF-8''a%20b", ""), MP_OK, "{f|a b|(null)}{/}"),
		/* Browsers send raw UTF-8 in the plain parameter. */
		BODY(PART("name=\"名\"; filename=\"中文.txt\"", ""), MP_OK,
		     "{名|中文.txt|(null)}{/}"),
		BODY_ST(PART("name=f; filename*=ISO-8859-1''%E9", ""), MP_MALFORMED),
		BODY_ST(PART("name=f; filename*=UTF-8''%E4%B8", ""), MP_MALFORMED),
		BODY_ST(PART("name=f; filename*=UTF-8''a%00b", ""), MP_MALFORMED),
		BODY_ST(PART("name=f; filename*=UTF-8''a%0Ab", ""), MP_MALFORMED),
		BODY_ST(PART("name=f; filename*=UTF-8''a%4", ""), MP_MALFORMED),
		BODY_ST(PART("name=f; filename*=UTF-8''a%zz", ""), MP_MALFORMED),
		BODY_ST(PART("name=f; filename*=UTF-8'a*b", ""), MP_MALFORMED),
		BODY_ST(PART("name=f; filename*=a", ""), MP_MALFORMED),
		BODY_ST(PART("name=f; filename*=x; filename*=y", ""), MP_MALFORMED),
	};

	check_cases(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(quoted_names)
{
	static const struct body_case cases[] = {
		BODY(PART("name=\"a\\\"b\\\\c\"; filename=\"say \\\"hi\\\".txt\"", "v"),
		     MP_OK, "{a\"b\\c|say \"hi\".txt|(null)}v{/}"),
		BODY(PART("name=\"semi;colon\" ; filename=\"\\x\"", "v"), MP_OK,
		     "{semi;colon|x|(null)}v{/}"),
		BODY("--" B "\r\n" "Content-Disposition:form-data;name=tok_en.1;\r\n\r\nv\r\n--" B "--", MP_OK,
		     "{tok_en.1|(null)|(null)}v{/}"),
		BODY(PART("name=\"\"", "v"), MP_OK, "{|(null)|(null)}v{/}"),
		BODY_ST(PART("name=\"open", "v"), MP_MALFORMED),
		BODY_ST(PART("name=\"ends\\\"", "v"), MP_MALFORMED),
		BODY_ST(PART("name=two words", "v"), MP_MALFORMED),
		BODY_ST(PART("name=\"a\"b", "v"), MP_MALFORMED),
		BODY_ST(PART("name=", "v"), MP_MALFORMED),
		BODY_ST(PART("name = a", "v"), MP_MALFORMED),
	};

	check_cases(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(names_must_be_clean_text)
{
	static const struct body_case cases[] = {
		BODY_ST(PART("name=\"a\x01" "b\"", "v"), MP_MALFORMED),
		BODY_ST(PART("name=\"a\x7f" "b\"", "v"), MP_MALFORMED),
		BODY_ST(PART("name=a; filename=\"a\tb\"", "v"), MP_MALFORMED),
		BODY_ST(PART("name=a; filename=\"\xC3(\"", "v"), MP_MALFORMED),
		BODY_ST(PART("name=a; filename=\"\xC2\x85\"", "v"), MP_MALFORMED),
		BODY_ST(PART("name=\"\xED\xA0\x80\"", "v"), MP_MALFORMED),
		BODY_ST(PART("name=a; filename*=UTF-8''%C2%9B", "v"), MP_MALFORMED),
		/* The filename that loses to filename* is not looked at. */
		BODY(PART("name=a; filename=\"\xC3(\"; filename*=UTF-8''ok", "v"),
		     MP_OK, "{a|ok|(null)}v{/}"),
		BODY(PART("name=a; filename=\"\xC2\xA0\"", "v"), MP_OK,
		     "{a|\xC2\xA0|(null)}v{/}"),
		BODY_ST("--" B "\r\n" CD "name=a\r\nContent-Type: text/\xC3\xA9\r\n\r\nv\r\n--" B "--",
		        MP_MALFORMED),
	};

	check_cases(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(binary_data_and_near_misses)
{
	static const struct body_case cases[] = {
		BODY("--" B "\r\n" CD "name=bin\r\n\r\n"
		     "--\r\n\r\r\n\n--" B "\0\r\n--AaB03\0\r\n--AaBX\r\n-\r\r\n--\r\n--AaB03x" "x"
		     "\r\n--" B "--",
		     MP_MALFORMED, "{bin|(null)|(null)}--\r\n\r\r\n\n--" B "\0\r\n--AaB03\0\r\n--AaBX\r\n-\r\r\n--"),
		BODY("--" B "\r\n" CD "name=bin\r\n\r\n"
		     "--\r\n\r\r\n\n--" B "\0\r\n--AaB03\0\r\n--AaBX\r\n-\r\r\n--\r\n--AaB03X\r"
		     "\r\n--" B "--",
		     MP_OK,
		     "{bin|(null)|(null)}"
		     "--\r\n\r\r\n\n--" B "\0\r\n--AaB03\0\r\n--AaBX\r\n-\r\r\n--\r\n--AaB03X\r{/}"),
		/* The near miss the brief names: "\r\n--BOUNDAR" then other bytes. */
		BODY("--" B "\r\n" CD "name=n\r\n\r\n\r\n--AaB03\xff\x00rest\r\n--" B "--", MP_OK,
		     "{n|(null)|(null)}\r\n--AaB03\xff\x00rest{/}"),
	};

	check_cases(cases, UNIT_COUNT(cases));
}
END_TEST

/* Input full of CRs and near misses is still passed on in one call per feed, so a hostile
 * body cannot turn into a callback (and maybe a write) per byte. */
START_TEST(near_misses_do_not_split_data)
{
	struct buf b = BUF_INIT, want = BUF_INIT;
	struct rec r = {BUF_INIT, MP_OK, 0, 0, 0, 0, 0, 0};

	buf_puts(&b, "--" B "\r\n" CD "name=n\r\n\r\n");
	buf_puts(&want, "{n|(null)|(null)}");
	for (int i = 0; i < 4096; i++) {
		buf_puts(&b, "\r\r\n--AaB03\r\n-");
		buf_puts(&want, "\r\r\n--AaB03\r\n-");
	}
	buf_puts(&b, "\r\n--" B "--");
	buf_puts(&want, "{/}");
	feed_body(b.data, b.len, b.len, b.len, &r);
	ck_assert_int_eq(r.st, MP_OK);
	ck_assert_int_eq(r.ndata, 1);
	ck_assert(r.t.len == want.len && memcmp(r.t.data, want.data, want.len) == 0);
	buf_free(&r.t);
	buf_free(&b);
	buf_free(&want);
}
END_TEST

/* Data that ends with k bytes of the delimiter at a feed edge: those bytes are held back,
 * everything before them is passed on within that same feed, and they come out as data
 * once the next byte shows they were not a delimiter. */
START_TEST(prefix_at_feed_edge)
{
	static const char head[] = "--" B "\r\n" CD "name=e\r\n\r\nabc";
	static const char delim[] = "\r\n--" B;

	for (size_t k = 1; k < DELIM_LEN; k++) {
		struct rec r = {BUF_INIT, MP_OK, 0, 0, 0, 0, 0, 0};
		struct multipart *m = multipart_new(B, &CB, &r);
		ck_assert_int_eq(multipart_feed(m, head, sizeof head - 1), MP_OK);
		ck_assert_int_eq(multipart_feed(m, delim, k), MP_OK);
		ck_assert_str_eq(r.t.data, "{e|(null)|(null)}abc");
		ck_assert_int_eq(multipart_feed(m, "!", 1), MP_OK);
		ck_assert_uint_eq(r.t.len, 20 + k + 1);
		ck_assert(memcmp(r.t.data + 20, delim, k) == 0 && r.t.data[20 + k] == '!');
		ck_assert_int_eq(multipart_feed(m, delim, k), MP_OK);
		ck_assert_int_eq(multipart_feed(m, delim + k, DELIM_LEN - k), MP_OK);
		ck_assert_int_eq(multipart_feed(m, "--", 2), MP_OK);
		ck_assert_int_eq(multipart_finish(m), MP_OK);
		ck_assert_uint_eq(r.t.len, 20 + k + 1 + 3);
		multipart_free(m);
		buf_free(&r.t);
	}
}
END_TEST

/* Decision: CRLF only. A bare LF ends nothing, so a body written with LF line endings is
 * refused (or, if it has a preamble, never shows a delimiter and is incomplete). */
START_TEST(lf_only_is_refused)
{
	static const struct body_case cases[] = {
		BODY("--" B "\n" CD "name=a\n\nv\n--" B "--\n", MP_MALFORMED, ""),
		BODY("preamble\n--" B "\n" CD "name=a\n\nv\n--" B "--\n", MP_INCOMPLETE, ""),
		BODY("--" B "\r\n" CD "name=a\n\nv\r\n--" B "--", MP_MALFORMED, ""),
		BODY("--" B "\r\n" CD "name=a\r\n\nv\r\n--" B "--", MP_MALFORMED, ""),
		BODY(PART("name=a\rX: y", "v"), MP_MALFORMED, ""),
		/* Inside data, bare LF and CR are just bytes. */
		BODY("--" B "\r\n" CD "name=a\r\n\r\n\n\r\n\r\r\n--" B "--", MP_OK, "{a|(null)|(null)}\n\r\n\r{/}"),
	};

	check_cases(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(bad_part_headers)
{
	static const struct body_case cases[] = {
		BODY_ST("--" B "\r\nContent-Type: text/plain\r\n\r\nv\r\n--" B "--", MP_MALFORMED),
		BODY_ST("--" B "\r\n\r\nv\r\n--" B "--", MP_MALFORMED),
		BODY_ST(PART("filename=\"a.txt\"", "v"), MP_MALFORMED),
		BODY_ST("--" B "\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--" B "--", MP_MALFORMED),
		BODY_ST("--" B "\r\nContent-Disposition: form-datax; name=a\r\n\r\nv\r\n--" B "--", MP_MALFORMED),
		BODY_ST("--" B "\r\nContent-Disposition: form-data name=a\r\n\r\nv\r\n--" B "--", MP_MALFORMED),
		BODY_ST("--" B "\r\n" CD "name=a\r\n" CD "name=b\r\n\r\nv\r\n--" B "--", MP_MALFORMED),
		BODY_ST(PART("name=a; name=b", "v"), MP_MALFORMED),
		BODY_ST(PART("name=a; filename=x; filename=y", "v"), MP_MALFORMED),
		BODY_ST("--" B "\r\n" CD "name=a\r\nContent-Type: a/b\r\ncontent-type: c/d\r\n\r\nv\r\n--" B "--",
		        MP_MALFORMED),
		BODY_ST("--" B "\r\n" CD "name=a\r\nno colon here\r\n\r\nv\r\n--" B "--", MP_MALFORMED),
		BODY_ST("--" B "\r\n" CD "name=a\r\nX-Fold: a\r\n b\r\n\r\nv\r\n--" B "--", MP_MALFORMED),
		BODY_ST("--" B "\r\n" CD "name=a\r\nX-Space : a\r\n\r\nv\r\n--" B "--", MP_MALFORMED),
		BODY_ST("--" B "\r\n" CD "name=a\r\nX-Nul: a\0b\r\n\r\nv\r\n--" B "--", MP_MALFORMED),
		/* Other headers, unknown parameters and case are fine. */
		BODY("--" B "\r\nX-Whatever: \xff\xfe\r\nCONTENT-DISPOSITION:  FORM-DATA ; Size=3; NAME=a \r\n"
		     "Content-Transfer-Encoding: base64\r\n\r\nv\r\n--" B "--",
		     MP_OK, "{a|(null)|(null)}v{/}"),
	};

	check_cases(cases, UNIT_COUNT(cases));
}
END_TEST

/* A body of n parts named p0, p1, ... */
static char *body_with_parts(int n, size_t *len)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < n; i++)
		buf_printf(&b, "--" B "\r\n" CD "name=p%d\r\n\r\n%d\r\n", i, i);
	buf_puts(&b, "--" B "--\r\n");
	*len = b.len;
	return buf_detach(&b);
}

START_TEST(part_limit)
{
	size_t len;
	char *body = body_with_parts(MP_MAX_PARTS, &len);
	struct rec r = {BUF_INIT, MP_OK, 0, 0, 0, 0, 0, 0};

	feed_body(body, len, len, len, &r);
	ck_assert_int_eq(r.st, MP_OK);
	ck_assert_int_eq(r.nbegin, MP_MAX_PARTS);
	ck_assert_int_eq(r.nend, MP_MAX_PARTS);
	buf_free(&r.t);
	free(body);
	body = body_with_parts(MP_MAX_PARTS + 1, &len);
	check_all(body, len, MP_TOO_BIG, NULL, 0);
	free(body);
}
END_TEST

static const char ABORT_BODY[] = "--" B "\r\n" CD "name=a\r\n\r\nAAA\r\n--" B "\r\n" CD "name=b\r\n\r\nBBB\r\n--" B "--";

/* Runs ABORT_BODY with the callbacks told to abort as in *r. */
static void run_abort(struct rec *r, size_t step)
{
	feed_body(ABORT_BODY, sizeof ABORT_BODY - 1, step, step, r);
	ck_assert_int_eq(r->st, MP_ABORTED);
}

START_TEST(callback_abort)
{
	struct rec r1 = {BUF_INIT, MP_OK, 1, 0, 0, 0, 0, 0};
	struct rec r2 = {BUF_INIT, MP_OK, 0, 1, 0, 0, 0, 0};
	struct rec r3 = {BUF_INIT, MP_OK, 0, 0, 1, 0, 0, 0};

	run_abort(&r1, 1);
	ck_assert_str_eq(r1.t.data, "{a|(null)|(null)}");
	run_abort(&r2, sizeof ABORT_BODY);
	ck_assert_str_eq(r2.t.data, "{a|(null)|(null)}AAA");
	run_abort(&r3, 5);
	ck_assert_str_eq(r3.t.data, "{a|(null)|(null)}AAA{/}");
	buf_free(&r1.t);
	buf_free(&r2.t);
	buf_free(&r3.t);
}
END_TEST

START_TEST(null_callbacks)
{
	struct multipart *m = multipart_new(B, NULL, NULL);

	ck_assert_int_eq(multipart_feed(m, ABORT_BODY, sizeof ABORT_BODY - 1), MP_OK);
	ck_assert_int_eq(multipart_feed(m, NULL, 0), MP_OK);
	ck_assert_int_eq(multipart_finish(m), MP_OK);
	multipart_free(m);
}
END_TEST

static void boundary_is(const char *ct, const char *want)
{
	char *b = multipart_boundary(ct);
	int ok = want ? b && !strcmp(b, want) : b == NULL;

	ck_assert_msg(ok, "%s gave %s", ct ? ct : "NULL", b ? b : "NULL");
	free(b);
}

#define B70 "0123456789012345678901234567890123456789012345678901234567890123456789"

START_TEST(boundary_parsing)
{
	boundary_is("multipart/form-data; boundary=AaB03x", "AaB03x");
	boundary_is("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
	            "----WebKitFormBoundary7MA4YWxkTrZu0gW");
	boundary_is("Multipart/Form-Data;BOUNDARY=\"a b:c/d=e?\"", "a b:c/d=e?");
	boundary_is("multipart/form-data; charset=utf-8; boundary=x", "x");
	boundary_is("  multipart/form-data ; boundary=x ; ", "x");
	boundary_is("multipart/form-data; boundary=\"a\\:b\"", "a:b");
	boundary_is("multipart/form-data; boundary=" B70, B70);
	boundary_is(NULL, NULL);
	boundary_is("", NULL);
	boundary_is("text/plain; boundary=x", NULL);
	boundary_is("multipart/mixed; boundary=x", NULL);
	boundary_is("multipart/form-datax; boundary=x", NULL);
	boundary_is("multipart/form-data", NULL);
	boundary_is("multipart/form-data; charset=utf-8", NULL);
	boundary_is("multipart/form-data; boundary=", NULL);
	boundary_is("multipart/form-data; boundary=\"\"", NULL);
	boundary_is("multipart/form-data; boundary=" B70 "0", NULL);
	boundary_is("multipart/form-data; boundary=\"ends with space \"", NULL);
	boundary_is("multipart/form-data; boundary=\"a@b\"", NULL);
	boundary_is("multipart/form-data; boundary=a; boundary=b", NULL);
	boundary_is("multipart/form-data; boundary=a\"b", NULL);
	boundary_is("multipart/form-data; boundary=\"unterminated", NULL);
	boundary_is("multipart/form-data; boundary=a b", NULL);
	boundary_is("multipart/form-data; boundary=a; junk", NULL);
}
END_TEST

START_TEST(new_refuses_bad_boundaries)
{
	static const struct multipart_callbacks none = {NULL, NULL, NULL};
	struct multipart *m = multipart_new(B70, &none, NULL);

	ck_assert_ptr_nonnull(m);
	multipart_free(m);
	ck_assert_ptr_null(multipart_new("", &none, NULL));
	ck_assert_ptr_null(multipart_new(B70 "0", &none, NULL));
	ck_assert_ptr_null(multipart_new("a\r", &none, NULL));
	ck_assert_ptr_null(multipart_new("a\n", &none, NULL));
	ck_assert_ptr_null(multipart_new("a@", &none, NULL));
	ck_assert_ptr_null(multipart_new("a ", &none, NULL));
}
END_TEST

/* The 20 MiB test compares what part_data receives with the bytes sent, as it goes. */
struct stream {
	const char *want;
	size_t got;
	int ends;
};

static int stream_data(void *arg, const char *data, size_t len)
{
	struct stream *s = arg;

	ck_assert(memcmp(s->want + s->got, data, len) == 0);
	s->got += len;
	return 0;
}

static int stream_end(void *arg)
{
	((struct stream *)arg)->ends++;
	return 0;
}

/* 20 MiB of data with a near miss of the delimiter every 997 bytes and none of the real
 * one (no 'x', which the boundary ends with). */
static void fill_data(char *d, size_t n)
{
	unsigned long long x = 88172645463325252ULL;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		d[i] = (char)(x >> 32);
		if (d[i] == 'x')
			d[i] = 'X';
	}
	for (size_t i = 0; i + DELIM_LEN < n; i += 997)
		memcpy(d + i, "\r\n--" B, DELIM_LEN - 1);
}

START_TEST(memory_stays_bounded)
{
	static const char head[] = "--" B "\r\n" CD "name=f; filename=\"big.bin\"\r\n\r\n";
	static const char tail[] = "\r\n--" B "--\r\n";
	const size_t dlen = 20u << 20, piece = 64u << 10, hlen = sizeof head - 1;
	const size_t len = hlen + dlen + sizeof tail - 1;
	char *body = xmalloc(len);
	struct stream s = {body + hlen, 0, 0};
	struct multipart_callbacks cb = {NULL, stream_data, stream_end};
	struct multipart *m = multipart_new(B, &cb, &s);
	size_t mem = multipart_memory(m);

	memcpy(body, head, hlen);
	fill_data(body + hlen, dlen);
	memcpy(body + hlen + dlen, tail, sizeof tail - 1);
	ck_assert_uint_lt(mem, 16 << 10);
	for (size_t off = 0; off < len; off += piece) {
		size_t n = len - off < piece ? len - off : piece;
		size_t sent = off + n > hlen ? off + n - hlen : 0;
		ck_assert_int_eq(multipart_feed(m, body + off, n), MP_OK);
		ck_assert_uint_eq(multipart_memory(m), mem);
		/* Streaming: no more than a delimiter's worth of data is ever held back. */
		if (sent <= dlen)
			ck_assert_uint_le(sent - s.got, DELIM_LEN);
	}
	ck_assert_int_eq(multipart_finish(m), MP_OK);
	ck_assert_uint_eq(s.got, dlen);
	ck_assert_int_eq(s.ends, 1);
	multipart_free(m);
	free(body);
}
END_TEST

static const struct unit_tcase multipart_cases[] = {
	{.name = "parse", .tests = UNIT_TESTS(&two_fields_and_a_file, &two_files,
					  &no_filename_is_null, &preamble_epilogue_padding,
					  &filename_star_utf8, &quoted_names, &binary_data_and_near_misses,
					  &prefix_at_feed_edge, &near_misses_do_not_split_data,
					  &null_callbacks)},
	{.name = "errors", .tests = UNIT_TESTS(&missing_final_boundary,
					  &delimiter_followed_by_junk, &huge_headers,
					  &endless_header_fails_early, &names_must_be_clean_text,
					  &lf_only_is_refused, &bad_part_headers, &part_limit,
					  &callback_abort), .timeout = 60},
	{.name = "boundary", .tests = UNIT_TESTS(&boundary_parsing, &new_refuses_bad_boundaries)},
	{.name = "memory", .tests = UNIT_TESTS(&memory_stays_bounded), .timeout = 60},
};

UNIT_SUITE(multipart, multipart_cases)

const struct unit_tests unit_tests = {.suites = {multipart_suite}};
