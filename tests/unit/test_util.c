/* Unit tests for util: the decimal number reader. */
#include "check_main.h"

#include <check.h>
#include <stdint.h>

#include "util.h"

START_TEST(parse_i64_reads_digits)
{
	int64_t n = -1;
	ck_assert_int_eq(parse_i64("0", 0, INT64_MAX, &n), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(parse_i64("42", 0, INT64_MAX, &n), 0);
	ck_assert_int_eq(n, 42);
	ck_assert_int_eq(parse_i64("007", 0, INT64_MAX, &n), 0);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(parse_i64("9223372036854775807", 0, INT64_MAX, &n), 0);
	ck_assert(n == INT64_MAX);
	ck_assert_int_eq(parse_i64("00000000000000000000000000001", 0, INT64_MAX, &n), 0);
	ck_assert_int_eq(n, 1);
}
END_TEST

START_TEST(parse_i64_refuses_other_text)
{
	const char *bad[] = {"", "-1", "+1", " 1", "1 ", "1a", "a1", "0x10", "1.5", "1e3", "١"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t n = 99;
		ck_assert_msg(parse_i64(bad[i], 0, INT64_MAX, &n) == -1, "accepted \"%s\"", bad[i]);
		ck_assert_int_eq(n, 99); /* untouched */
	}
	int64_t n = 99;
	ck_assert_int_eq(parse_i64(NULL, 0, INT64_MAX, &n), -1);
	ck_assert_int_eq(n, 99);
}
END_TEST

START_TEST(parse_i64_refuses_overflow)
{
	int64_t n = 99;
	ck_assert_int_eq(parse_i64("9223372036854775808", 0, INT64_MAX, &n), -1);
	ck_assert_int_eq(parse_i64("9223372036854775810", 0, INT64_MAX, &n), -1);
	ck_assert_int_eq(parse_i64("18446744073709551616", 0, INT64_MAX, &n), -1);
	ck_assert_int_eq(parse_i64("99999999999999999999999999", 0, INT64_MAX, &n), -1);
	ck_assert_int_eq(n, 99);
}
END_TEST

START_TEST(parse_i64_keeps_to_the_range)
{
	int64_t n = 99;
	ck_assert_int_eq(parse_i64("0", 1, 10, &n), -1);
	ck_assert_int_eq(parse_i64("11", 1, 10, &n), -1);
	ck_assert_int_eq(n, 99);
	ck_assert_int_eq(parse_i64("1", 1, 10, &n), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(parse_i64("10", 1, 10, &n), 0);
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(parse_i64("65535", 0, 65535, &n), 0);
	ck_assert_int_eq(parse_i64("65536", 0, 65535, &n), -1);
	ck_assert_int_eq(n, 65535);
}
END_TEST

static const struct unit_tcase util_cases[] = {
	{.name = "parse_i64", .tests = UNIT_TESTS(&parse_i64_reads_digits,
					  &parse_i64_refuses_other_text, &parse_i64_refuses_overflow,
					  &parse_i64_keeps_to_the_range)},
};

UNIT_SUITE(util, util_cases)

const struct unit_tests unit_tests = {.suites = {util_suite}};
