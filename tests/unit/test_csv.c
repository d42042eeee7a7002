/* Unit tests for csv: what a spreadsheet program reads from each row. */
#include "check_main.h"

#include <check.h>
#include <string.h>

#include "csv.h"

static const char *row_of(struct buf *b, const char *const *cells, size_t n)
{
	buf_reset(b);
	csv_row(b, cells, n);
	return b->data;
}

START_TEST(plain_fields_stay_bare)
{
	struct buf b = BUF_INIT;
	const char *cells[] = {"alice", "基层治理", NULL, "16"};
	ck_assert_str_eq(row_of(&b, cells, UNIT_COUNT(cells)), "alice,基层治理,,16\r\n");
	buf_free(&b);
}
END_TEST

START_TEST(separators_and_quotes_are_quoted)
{
	struct buf b = BUF_INIT;
	const char *cells[] = {"a,b", "say \"hi\"", "two\nlines"};
	ck_assert_str_eq(row_of(&b, cells, UNIT_COUNT(cells)), "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
	buf_free(&b);
}
END_TEST

START_TEST(formulas_read_as_text)
{
	struct buf b = BUF_INIT;
	const char *cells[] = {"=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "a=b"};
	ck_assert_str_eq(row_of(&b, cells, UNIT_COUNT(cells)),
			 "\"'=HYPERLINK(\"\"x\"\")\",'+1,'-2,'@SUM(A1),a=b\r\n");
	buf_free(&b);
}
END_TEST

static const struct unit_tcase csv_cases[] = {
	{.name = "csv_row", .tests = UNIT_TESTS(&plain_fields_stay_bare, &separators_and_quotes_are_quoted,
						&formulas_read_as_text)},
};

UNIT_SUITE(csv, csv_cases)

const struct unit_tests unit_tests = {.suites = {csv_suite}};
