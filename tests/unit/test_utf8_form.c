/* Unit tests for utf8 and form: UTF-8 validation, form/query/cookie decoding, paths. */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "form.h"
#include "utf8.h"

START_TEST(utf8_accepts_well_formed)
{
	static const struct unit_bytes cases[] = {
		UNIT_BYTES(""),
		UNIT_BYTES("hello"),
		UNIT_BYTES("\xC2\xA9"),         /* © */
		UNIT_BYTES("中文"),
		UNIT_BYTES("\xF0\x9F\x98\x80"), /* U+1F600, 4 bytes */
		UNIT_BYTES("\xF4\x8F\xBF\xBF"), /* U+10FFFF */
		UNIT_BYTES("\xED\x9F\xBF"),     /* U+D7FF, just below surrogates */
		UNIT_BYTES("\xEE\x80\x80"),     /* U+E000, just above */
	};

	UNIT_CHECK_BYTES(utf8_valid, 1, cases);
}
END_TEST

START_TEST(utf8_refuses_malformed)
{
	static const struct unit_bytes cases[] = {
		UNIT_BYTES("\xC0\xAF"),         /* overlong '/' */
		UNIT_BYTES("\xC1\xBF"),
		UNIT_BYTES("\xE0\x80\xAF"),     /* overlong, 3 bytes */
		UNIT_BYTES("\xF0\x80\x80\xAF"), /* overlong, 4 bytes */
		UNIT_BYTES("\xED\xA0\x80"),     /* surrogate U+D800 */
		UNIT_BYTES("\xED\xBF\xBF"),     /* surrogate U+DFFF */
		UNIT_BYTES("\xF4\x90\x80\x80"), /* U+110000 */
		UNIT_BYTES("\xF5\x80\x80\x80"),
		UNIT_BYTES("\xFF"),
		UNIT_BYTES("\xE4\xB8"),         /* truncated 中 */
		UNIT_BYTES("a\xF0\x9F\x98"),    /* truncated emoji */
		UNIT_BYTES("\xC3"),
		UNIT_BYTES("\x80"),             /* lone continuation */
		UNIT_BYTES("a\xBF" "b"),
		UNIT_BYTES("\xE4\x41\xAD"),     /* non-continuation inside */
		UNIT_BYTES("a\0b"),             /* NUL */
	};

	UNIT_CHECK_BYTES(utf8_valid, 0, cases);
}
END_TEST

START_TEST(utf8_length_counts_code_points)
{
	ck_assert_uint_eq(utf8_length("", 0), 0);
	ck_assert_uint_eq(utf8_length("abc", 3), 3);
	ck_assert_uint_eq(utf8_length("中文", strlen("中文")), 2);
	ck_assert_uint_eq(utf8_length("a\xF0\x9F\x98\x80z", 6), 3);
}
END_TEST

START_TEST(utf8_text_ok_refuses_controls)
{
	static const struct {
		const char *s;
		size_t len;
		int allow_newlines, ok;
	} cases[] = {
		{"a\tb", 3, 0, 1},
		{"a\r\nb", 4, 1, 1},
		{"a\nb", 3, 0, 0},
		{"a\rb", 3, 0, 0},
		{"a\x1b[0m", 6, 1, 0}, /* with the terminating NUL */
		{"a\x7f", 2, 1, 0},
		{"\x01", 1, 1, 0},
		{"中文 ok", sizeof "中文 ok" - 1, 0, 1},
		{"\xC0\xAF", 2, 1, 0},
	};

	for (size_t i = 0; i < UNIT_COUNT(cases); i++)
		ck_assert_msg(!utf8_text_ok(cases[i].s, cases[i].len, cases[i].allow_newlines) == !cases[i].ok,
			      "case %zu: expected %d", i, cases[i].ok);
}
END_TEST

/* Parses a literal and asserts the status. */
static int parse(const char *s, struct kvlist *l)
{
	return form_parse(s, strlen(s), l);
}

/* A key and the value the list must give for it (NULL: the key must be absent). */
struct kv_case {
	const char *key, *val;
};

static void assert_kvs(const struct kvlist *l, const struct kv_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = kv_get(l, c[i].key);

		if (!c[i].val)
			ck_assert_msg(got == NULL, "\"%s\" is \"%s\", expected none", c[i].key, got);
		else
			ck_assert_msg(got && !strcmp(got, c[i].val), "\"%s\" is \"%s\", expected \"%s\"", c[i].key,
				      got ? got : "(none)", c[i].val);
	}
}

/* A form and the status its parse must end with, leaving the list empty. */
struct refusal {
	const char *form;
	int status;
};

static void assert_refused(const struct refusal *c, size_t n)
{
	struct kvlist l = KVLIST_INIT;

	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(parse(c[i].form, &l) == c[i].status, "\"%s\": expected status %d", c[i].form, c[i].status);
		ck_assert_uint_eq(l.n, 0);
	}
}

START_TEST(form_plain_plus_and_escapes)
{
	struct kvlist l = KVLIST_INIT;

	static const struct kv_case kvs[] = {{"a", "1"}, {"b", "x y"}, {"c", " z+"}, {"d", "中"}, {"e", NULL}};

	ck_assert_int_eq(parse("a=1&b=x+y&c=%20z%2B&d=%E4%B8%AD", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 4);
	assert_kvs(&l, kvs, UNIT_COUNT(kvs));
	ck_assert_uint_eq(l.items[3].val_len, 3);
	kvlist_free(&l);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(form_key_without_equals_keeps_the_rest)
{
	struct kvlist l = KVLIST_INIT;

	static const struct kv_case kvs[] = {{"a", "1"}, {"flag", ""}, {"b", "2"}, {"", "v"}, {"e", ""}};

	ck_assert_int_eq(parse("a=1&flag&b=2&=v&e=", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 5);
	assert_kvs(&l, kvs, UNIT_COUNT(kvs));
	kvlist_free(&l);
}
END_TEST

/* Parses text with parser (form or cookie), which must succeed, and asserts key's value. */
static void assert_parsed(int (*parser)(const char *, struct kvlist *), const char *text, const char *key,
			  const char *val)
{
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(parser(text, &l), FORM_OK);
	ck_assert_str_eq(kv_get(&l, key), val);
	kvlist_free(&l);
}

START_TEST(form_value_may_hold_equals)
{
	assert_parsed(parse, "q=a=b", "q", "a=b");
}
END_TEST

START_TEST(form_refuses_nul)
{
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(parse("a=1&b=x%00y", &l), FORM_NUL);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.items);
	ck_assert_int_eq(parse("k%00=1", &l), FORM_NUL);
	ck_assert_int_eq(form_parse("a=1\0b", 5, &l), FORM_NUL);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(form_refuses_bad_escapes)
{
	static const struct refusal cases[] = {
		{"a=%G1", FORM_BAD_ESCAPE},
		{"a=%4", FORM_BAD_ESCAPE},
		{"a=%", FORM_BAD_ESCAPE},
		{"ok=1&a=%4&b=2", FORM_BAD_ESCAPE},
	};
	struct kvlist l = KVLIST_INIT;

	assert_refused(cases, UNIT_COUNT(cases));
	/* The escape must not read past the end of the piece into the next one. */
	ck_assert_int_eq(form_parse("a=%4142", 4, &l), FORM_BAD_ESCAPE);
}
END_TEST

START_TEST(form_refuses_bad_utf8)
{
	static const struct refusal cases[] = {
		{"a=%C0%AF", FORM_BAD_UTF8},
		{"%ED%A0%80=1", FORM_BAD_UTF8},
		{"a=\xFF", FORM_BAD_UTF8},
	};

	assert_refused(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(form_repeated_keys_first_wins)
{
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(parse("tag=a&tag=b&tag=c", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(kv_get(&l, "tag"), "a");
	ck_assert_str_eq(l.items[2].val, "c");
	kvlist_free(&l);
}
END_TEST

START_TEST(form_empty_pieces)
{
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(parse("", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(parse("&&", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(parse("&a=1&&b=2&", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(kv_get(&l, "b"), "2");
	kvlist_free(&l);
}
END_TEST

/* Builds "k=v&k=v..." with n pairs. */
static char *many_pairs(size_t n)
{
	char *s = malloc(n * 4 + 1);

	for (size_t i = 0; i < n; i++)
		memcpy(s + i * 4, "k=v&", 4);
	s[n * 4] = '\0';
	return s;
}

START_TEST(form_too_many_pairs)
{
	struct kvlist l = KVLIST_INIT;
	char *ok = many_pairs(FORM_MAX_PAIRS), *over = many_pairs(FORM_MAX_PAIRS + 1);

	ck_assert_int_eq(parse(ok, &l), FORM_OK);
	ck_assert_uint_eq(l.n, FORM_MAX_PAIRS);
	kvlist_free(&l);
	ck_assert_int_eq(parse(over, &l), FORM_TOO_MANY);
	ck_assert_uint_eq(l.n, 0);
	free(ok);
	free(over);
}
END_TEST

START_TEST(cookie_spaces_and_odd_pairs)
{
	static const struct kv_case kvs[] = {
		{"sid", "abc%20d"}, {"lang", "zh-CN"}, {"e", ""}, {"q", "\"x=y\""}, {"junk", NULL},
	};
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(cookie_parse("  sid=abc%20d ;lang=zh-CN;; junk ; =nameless; e= ;"
				      "\tq = \"x=y\" ", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 4);
	assert_kvs(&l, kvs, UNIT_COUNT(kvs));
	kvlist_free(&l);
	ck_assert_int_eq(cookie_parse("", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(cookie_repeated_first_wins)
{
	assert_parsed(cookie_parse, "sid=one; sid=two", "sid", "one");
}
END_TEST

/* Decodes a literal segment into a static buffer the next call reuses; NULL when refused. */
static const char *seg(const char *s)
{
	static char keep[64];
	char *d = path_segment_decode(s, strlen(s));

	if (!d)
		return NULL;
	ck_assert_uint_lt(strlen(d), sizeof keep);
	strcpy(keep, d);
	free(d);
	return keep;
}

START_TEST(path_segment_decoding)
{
	static const struct unit_str_case cases[] = {
		{"caf%C3%A9+x%20y", "café+x y"},
		{"", ""},
		{"%E4%B8%AD%e6%96%87", "中文"},
		{"a%2Fb", NULL},
		{"a%2fb", NULL},
		{"a%00", NULL},
		{"a%G0", NULL},
		{"a%2", NULL},
		{"%C0%AF", NULL},
		{"\xFF", NULL},
	};

	UNIT_CHECK_STRINGS(seg, cases);
}
END_TEST

START_TEST(path_normal_accepted)
{
	static const struct unit_bytes cases[] = {
		UNIT_BYTES("/"),
		UNIT_BYTES("/a/b"),
		UNIT_BYTES("/a/b/"),
		UNIT_BYTES("/a/b.c"),
		UNIT_BYTES("/a/.hidden"),
		UNIT_BYTES("/.well-known/x"),
		UNIT_BYTES("/a/..."),
		UNIT_BYTES("/a/b%20c/%E4%B8%AD"),
		UNIT_BYTES("/a/%2e%2ex"),
	};

	UNIT_CHECK_BYTES(path_is_normal, 1, cases);
}
END_TEST

START_TEST(path_abnormal_refused)
{
	static const struct unit_bytes cases[] = {
		UNIT_BYTES(""),
		UNIT_BYTES("a/b"),
		UNIT_BYTES("//"),
		UNIT_BYTES("//a"),
		UNIT_BYTES("/a//b"),
		UNIT_BYTES("/a/./b"),
		UNIT_BYTES("/a/../b"),
		UNIT_BYTES("/a/%2e%2e/b"),
		UNIT_BYTES("/a/%2E/b"),
		UNIT_BYTES("/a/.%2E"),
		UNIT_BYTES("/a%2fb"),
		UNIT_BYTES("/a%2Fb"),
		UNIT_BYTES("/a\\b"),
		UNIT_BYTES("/a%5cb"),
		UNIT_BYTES("/.."),
		UNIT_BYTES("/."),
		UNIT_BYTES("/a/.."),
		UNIT_BYTES("/a/./"),
		UNIT_BYTES("/a\nb"),
		UNIT_BYTES("/a\x7f"),
		UNIT_BYTES("/a\0b"),
	};

	UNIT_CHECK_BYTES(path_is_normal, 0, cases);
}
END_TEST

/* Names and titles that read differently from what they hold (issue 12): every bidi control and
 * zero-width character is found, at the start, middle or end; look-alikes that are visible
 * (accents, CJK, emoji without a joiner) are not. */
START_TEST(utf8_hidden_characters_found)
{
	static const struct unit_bytes hidden[] = {
		UNIT_BYTES("\xE2\x80\xAE" "nimda"), /* U+202E RIGHT-TO-LEFT OVERRIDE */
		UNIT_BYTES("a\xE2\x80\xAA" "b"),       /* U+202A */
		UNIT_BYTES("a\xE2\x80\xAC" "b"),       /* U+202C POP */
		UNIT_BYTES("a\xE2\x81\xA6" "b"),       /* U+2066 LRI */
		UNIT_BYTES("a\xE2\x81\xA9"),        /* U+2069 PDI */
		UNIT_BYTES("\xE2\x80\x8E" "x"),      /* U+200E LRM */
		UNIT_BYTES("x\xE2\x80\x8F"),         /* U+200F RLM */
		UNIT_BYTES("x\xD8\x9C" "y"),             /* U+061C ALM */
		UNIT_BYTES("ad\xE2\x80\x8B" "min"),     /* U+200B ZERO WIDTH SPACE */
		UNIT_BYTES("a\xE2\x80\x8C" "b"),        /* U+200C ZWNJ */
		UNIT_BYTES("\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x8C\xBE"), /* farmer emoji: ZWJ */
		UNIT_BYTES("a\xE2\x81\xA0" "b"),        /* U+2060 WORD JOINER */
		UNIT_BYTES("\xEF\xBB\xBFtitle"),     /* U+FEFF */
	};
	static const struct unit_bytes visible[] = {
		UNIT_BYTES("admin"),
		UNIT_BYTES("乡镇治理 交流"),
		UNIT_BYTES("caf\xC3\xA9"),
		UNIT_BYTES("\xF0\x9F\x8C\xBE harvest"), /* U+1F33E alone */
		UNIT_BYTES("\xE2\x80\x94 dash"),          /* U+2014, a neighbour of U+200B..U+202E */
		UNIT_BYTES("\xE2\x80\xAF"),               /* U+202F narrow no-break space */
		UNIT_BYTES("\xE2\x81\xA5"),               /* U+2065, unassigned, between the ranges */
	};
	UNIT_CHECK_BYTES(utf8_has_hidden, 1, hidden);
	UNIT_CHECK_BYTES(utf8_has_hidden, 0, visible);
	static const char *const lines[] = {"Alice \342\200\256ecilA", "Alice 张", "two\nlines"};
	for (size_t i = 0; i < UNIT_COUNT(lines); i++)
		ck_assert_int_eq(utf8_line_ok(lines[i], strlen(lines[i])), i == 1);
}
END_TEST

static const struct unit_tcase utf8_form_cases[] = {
	{.name = "utf8", .tests = UNIT_TESTS(&utf8_accepts_well_formed, &utf8_refuses_malformed,
					  &utf8_length_counts_code_points, &utf8_text_ok_refuses_controls,
					  &utf8_hidden_characters_found)},
	{.name = "form", .tests = UNIT_TESTS(&form_plain_plus_and_escapes,
					  &form_key_without_equals_keeps_the_rest,
					  &form_value_may_hold_equals, &form_refuses_nul,
					  &form_refuses_bad_escapes, &form_refuses_bad_utf8,
					  &form_repeated_keys_first_wins, &form_empty_pieces,
					  &form_too_many_pairs, &cookie_spaces_and_odd_pairs,
					  &cookie_repeated_first_wins)},
	{.name = "path", .tests = UNIT_TESTS(&path_segment_decoding, &path_normal_accepted,
					  &path_abnormal_refused)},
};

UNIT_SUITE(utf8_form, utf8_form_cases)

const struct unit_tests unit_tests = {.suites = {utf8_form_suite}};
