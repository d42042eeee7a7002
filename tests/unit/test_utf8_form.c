/* Unit tests for utf8 and form: UTF-8 validation, form/query/cookie decoding, paths. */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "form.h"
#include "utf8.h"

#define VALID(lit) utf8_valid(lit, sizeof(lit) - 1)

START_TEST(utf8_accepts_well_formed)
{
	ck_assert(VALID(""));
	ck_assert(VALID("hello"));
	ck_assert(VALID("\xC2\xA9"));                  /* © */
	ck_assert(VALID("中文"));
	ck_assert(VALID("\xF0\x9F\x98\x80"));          /* U+1F600, 4 bytes */
	ck_assert(VALID("\xF4\x8F\xBF\xBF"));          /* U+10FFFF */
	ck_assert(VALID("\xED\x9F\xBF"));              /* U+D7FF, just below surrogates */
	ck_assert(VALID("\xEE\x80\x80"));              /* U+E000, just above */
}
END_TEST

START_TEST(utf8_refuses_malformed)
{
	ck_assert(!VALID("\xC0\xAF"));                 /* overlong '/' */
	ck_assert(!VALID("\xC1\xBF"));
	ck_assert(!VALID("\xE0\x80\xAF"));             /* overlong, 3 bytes */
	ck_assert(!VALID("\xF0\x80\x80\xAF"));         /* overlong, 4 bytes */
	ck_assert(!VALID("\xED\xA0\x80"));             /* surrogate U+D800 */
	ck_assert(!VALID("\xED\xBF\xBF"));             /* surrogate U+DFFF */
	ck_assert(!VALID("\xF4\x90\x80\x80"));         /* U+110000 */
	ck_assert(!VALID("\xF5\x80\x80\x80"));
	ck_assert(!VALID("\xFF"));
	ck_assert(!VALID("\xE4\xB8"));                 /* truncated 中 */
	ck_assert(!VALID("a\xF0\x9F\x98"));            /* truncated emoji */
	ck_assert(!VALID("\xC3"));
	ck_assert(!VALID("\x80"));                     /* lone continuation */
	ck_assert(!VALID("a\xBF" "b"));
	ck_assert(!VALID("\xE4\x41\xAD"));             /* non-continuation inside */
	ck_assert(!VALID("a\0b"));                     /* NUL */
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
	ck_assert(utf8_text_ok("a\tb", 3, 0));
	ck_assert(utf8_text_ok("a\r\nb", 4, 1));
	ck_assert(!utf8_text_ok("a\nb", 3, 0));
	ck_assert(!utf8_text_ok("a\rb", 3, 0));
	ck_assert(!utf8_text_ok("a\x1b[0m", 6, 1));
	ck_assert(!utf8_text_ok("a\x7f", 2, 1));
	ck_assert(!utf8_text_ok("\x01", 1, 1));
	ck_assert(utf8_text_ok("中文 ok", strlen("中文 ok"), 0));
	ck_assert(!utf8_text_ok("\xC0\xAF", 2, 1));
}
END_TEST

/* Parses a literal and asserts the status. */
static int parse(const char *s, struct kvlist *l)
{
	return form_parse(s, strlen(s), l);
}

START_TEST(form_plain_plus_and_escapes)
{
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(parse("a=1&b=x+y&c=%20z%2B&d=%E4%B8%AD", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_str_eq(kv_get(&l, "a"), "1");
	ck_assert_str_eq(kv_get(&l, "b"), "x y");
	ck_assert_str_eq(kv_get(&l, "c"), " z+");
	ck_assert_str_eq(kv_get(&l, "d"), "中");
	ck_assert_uint_eq(l.items[3].val_len, 3);
	ck_assert_ptr_null(kv_get(&l, "e"));
	kvlist_free(&l);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(form_key_without_equals_keeps_the_rest)
{
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(parse("a=1&flag&b=2&=v&e=", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 5);
	ck_assert_str_eq(kv_get(&l, "a"), "1");
	ck_assert_str_eq(kv_get(&l, "flag"), "");
	ck_assert_str_eq(kv_get(&l, "b"), "2");
	ck_assert_str_eq(kv_get(&l, ""), "v");
	ck_assert_str_eq(kv_get(&l, "e"), "");
	kvlist_free(&l);
}
END_TEST

START_TEST(form_value_may_hold_equals)
{
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(parse("q=a=b", &l), FORM_OK);
	ck_assert_str_eq(kv_get(&l, "q"), "a=b");
	kvlist_free(&l);
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
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(parse("a=%G1", &l), FORM_BAD_ESCAPE);
	ck_assert_int_eq(parse("a=%4", &l), FORM_BAD_ESCAPE);
	ck_assert_int_eq(parse("a=%", &l), FORM_BAD_ESCAPE);
	ck_assert_int_eq(parse("ok=1&a=%4&b=2", &l), FORM_BAD_ESCAPE);
	ck_assert_uint_eq(l.n, 0);
	/* The escape must not read past the end of the piece into the next one. */
	ck_assert_int_eq(form_parse("a=%4142", 4, &l), FORM_BAD_ESCAPE);
}
END_TEST

START_TEST(form_refuses_bad_utf8)
{
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(parse("a=%C0%AF", &l), FORM_BAD_UTF8);
	ck_assert_int_eq(parse("%ED%A0%80=1", &l), FORM_BAD_UTF8);
	ck_assert_int_eq(parse("a=\xFF", &l), FORM_BAD_UTF8);
	ck_assert_uint_eq(l.n, 0);
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
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(cookie_parse("  sid=abc%20d ;lang=zh-CN;; junk ; =nameless; e= ;"
				      "\tq = \"x=y\" ", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_str_eq(kv_get(&l, "sid"), "abc%20d");
	ck_assert_str_eq(kv_get(&l, "lang"), "zh-CN");
	ck_assert_str_eq(kv_get(&l, "e"), "");
	ck_assert_str_eq(kv_get(&l, "q"), "\"x=y\"");
	ck_assert_ptr_null(kv_get(&l, "junk"));
	kvlist_free(&l);
	ck_assert_int_eq(cookie_parse("", &l), FORM_OK);
	ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(cookie_repeated_first_wins)
{
	struct kvlist l = KVLIST_INIT;

	ck_assert_int_eq(cookie_parse("sid=one; sid=two", &l), FORM_OK);
	ck_assert_str_eq(kv_get(&l, "sid"), "one");
	kvlist_free(&l);
}
END_TEST

/* Decodes a literal segment; NULL when refused. The caller frees. */
static char *seg(const char *s)
{
	return path_segment_decode(s, strlen(s));
}

START_TEST(path_segment_decoding)
{
	char *s;

	s = seg("caf%C3%A9+x%20y");
	ck_assert_str_eq(s, "café+x y");
	free(s);
	s = seg("");
	ck_assert_str_eq(s, "");
	free(s);
	s = seg("%E4%B8%AD%e6%96%87");
	ck_assert_str_eq(s, "中文");
	free(s);
	ck_assert_ptr_null(seg("a%2Fb"));
	ck_assert_ptr_null(seg("a%2fb"));
	ck_assert_ptr_null(seg("a%00"));
	ck_assert_ptr_null(seg("a%G0"));
	ck_assert_ptr_null(seg("a%2"));
	ck_assert_ptr_null(seg("%C0%AF"));
	ck_assert_ptr_null(seg("\xFF"));
}
END_TEST

#define NORMAL(lit) path_is_normal(lit, sizeof(lit) - 1)

START_TEST(path_normal_accepted)
{
	ck_assert(NORMAL("/"));
	ck_assert(NORMAL("/a/b"));
	ck_assert(NORMAL("/a/b/"));
	ck_assert(NORMAL("/a/b.c"));
	ck_assert(NORMAL("/a/.hidden"));
	ck_assert(NORMAL("/.well-known/x"));
	ck_assert(NORMAL("/a/..."));
	ck_assert(NORMAL("/a/b%20c/%E4%B8%AD"));
	ck_assert(NORMAL("/a/%2e%2ex"));
}
END_TEST

START_TEST(path_abnormal_refused)
{
	ck_assert(!NORMAL(""));
	ck_assert(!NORMAL("a/b"));
	ck_assert(!NORMAL("//"));
	ck_assert(!NORMAL("//a"));
	ck_assert(!NORMAL("/a//b"));
	ck_assert(!NORMAL("/a/./b"));
	ck_assert(!NORMAL("/a/../b"));
	ck_assert(!NORMAL("/a/%2e%2e/b"));
	ck_assert(!NORMAL("/a/%2E/b"));
	ck_assert(!NORMAL("/a/.%2E"));
	ck_assert(!NORMAL("/a%2fb"));
	ck_assert(!NORMAL("/a%2Fb"));
	ck_assert(!NORMAL("/a\\b"));
	ck_assert(!NORMAL("/a%5cb"));
	ck_assert(!NORMAL("/.."));
	ck_assert(!NORMAL("/."));
	ck_assert(!NORMAL("/a/.."));
	ck_assert(!NORMAL("/a/./"));
	ck_assert(!NORMAL("/a\nb"));
	ck_assert(!NORMAL("/a\x7f"));
	ck_assert(!NORMAL("/a\0b"));
}
END_TEST

static Suite *utf8_form_suite(void)
{
	Suite *s = suite_create("utf8_form");
	TCase *u = tcase_create("utf8"), *f = tcase_create("form"), *p = tcase_create("path");

	tcase_add_test(u, utf8_accepts_well_formed);
	tcase_add_test(u, utf8_refuses_malformed);
	tcase_add_test(u, utf8_length_counts_code_points);
	tcase_add_test(u, utf8_text_ok_refuses_controls);
	tcase_add_test(f, form_plain_plus_and_escapes);
	tcase_add_test(f, form_key_without_equals_keeps_the_rest);
	tcase_add_test(f, form_value_may_hold_equals);
	tcase_add_test(f, form_refuses_nul);
	tcase_add_test(f, form_refuses_bad_escapes);
	tcase_add_test(f, form_refuses_bad_utf8);
	tcase_add_test(f, form_repeated_keys_first_wins);
	tcase_add_test(f, form_empty_pieces);
	tcase_add_test(f, form_too_many_pairs);
	tcase_add_test(f, cookie_spaces_and_odd_pairs);
	tcase_add_test(f, cookie_repeated_first_wins);
	tcase_add_test(p, path_segment_decoding);
	tcase_add_test(p, path_normal_accepted);
	tcase_add_test(p, path_abnormal_refused);
	suite_add_tcase(s, u);
	suite_add_tcase(s, f);
	suite_add_tcase(s, p);
	return s;
}

const struct unit_tests unit_tests = {.suites = {utf8_form_suite}};
