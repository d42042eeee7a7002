/* Unit tests for clock: AGORA_NOW's values, and a clock that starts there and runs on. */
#include "check_main.h"

#include <check.h>
#include <stdint.h>
#include <time.h>

#include "clock.h"

START_TEST(system_clock_by_default)
{
	ck_assert_int_eq(clock_init(NULL), 0);
	ck_assert(!clock_injected());
	int64_t d = clock_now() - (int64_t)time(NULL);
	ck_assert(d >= -1 && d <= 1);
	ck_assert_int_eq(clock_init(""), 0); /* set but empty: as if unset */
	ck_assert(!clock_injected());
}
END_TEST

START_TEST(starts_at_agora_now_and_runs_on)
{
	ck_assert_int_eq(clock_init("1700000000"), 0);
	ck_assert(clock_injected());
	int64_t t0 = clock_now();
	ck_assert(t0 == 1700000000 || t0 == 1700000001);
	struct timespec step = {1, 100000000}; /* 1.1 s */
	nanosleep(&step, NULL);
	int64_t t1 = clock_now();
	ck_assert(t1 >= 1700000001 && t1 <= 1700000002);
	ck_assert(t1 > t0);
	ck_assert_int_eq(clock_init("0"), 0); /* the epoch itself is a moment */
	ck_assert(clock_now() <= 1);
	ck_assert_int_eq(clock_init("253402300799"), 0);
	ck_assert(clock_now() >= CLOCK_MAX);
}
END_TEST

START_TEST(refuses_what_is_not_unix_seconds)
{
	static const char *const bad[] = {"abc", "-5", "+5", " 5", "5 ", "1.5", "1e9", "0x10",
					  "253402300800", "99999999999999999999", "1700000000s"};
	ck_assert_int_eq(clock_init("1234567890"), 0);
	for (size_t i = 0; i < UNIT_COUNT(bad); i++) {
		ck_assert_msg(clock_init(bad[i]) == -1, "accepted \"%s\"", bad[i]);
		ck_assert(clock_injected()); /* unchanged by the refusal */
		ck_assert(clock_now() >= 1234567890 && clock_now() < 1234567900);
	}
}
END_TEST

static const struct unit_tcase clock_cases[] = {
	{.name = "clock",
	 .tests = UNIT_TESTS(&system_clock_by_default, &starts_at_agora_now_and_runs_on,
			     &refuses_what_is_not_unix_seconds)},
};

UNIT_SUITE(clock, clock_cases)

const struct unit_tests unit_tests = {.suites = {clock_suite}};
