/* Unit tests for quote: what the reply box holds after "Quote" on a post. */
#include "check_main.h"

#include <check.h>

#include "quote.h"

static const char *quoted(struct buf *b, const char *source)
{
	buf_reset(b);
	quote_markdown(b, "li_ming", 42, source);
	return b->data;
}

START_TEST(each_line_is_quoted_with_a_link_back)
{
	struct buf b = BUF_INIT;
	ck_assert_str_eq(quoted(&b, "春耕 first line\nsecond *line*"),
			 "[@li_ming](/p/42):\n> 春耕 first line\n> second *line*\n\n");
	buf_free(&b);
}
END_TEST

START_TEST(empty_lines_and_crlf_stay_one_quote)
{
	struct buf b = BUF_INIT;
	ck_assert_str_eq(quoted(&b, "one\r\n\r\ntwo\r\n"), "[@li_ming](/p/42):\n> one\n>\n> two\n\n");
	buf_free(&b);
}
END_TEST

START_TEST(a_quote_inside_nests_deeper)
{
	struct buf b = BUF_INIT;
	ck_assert_str_eq(quoted(&b, "> earlier\nmine"), "[@li_ming](/p/42):\n> > earlier\n> mine\n\n");
	ck_assert_str_eq(quoted(&b, ""), "[@li_ming](/p/42):\n\n");
	buf_free(&b);
}
END_TEST

static const struct unit_tcase quote_cases[] = {
	{.name = "quote_markdown", .tests = UNIT_TESTS(&each_line_is_quoted_with_a_link_back,
						       &empty_lines_and_crlf_stay_one_quote, &a_quote_inside_nests_deeper)},
};

UNIT_SUITE(quote, quote_cases)

const struct unit_tests unit_tests = {.suites = {quote_suite}};
