/* Unit tests for avatar: the initials of a name and the stable colour of a username. */
#include "check_main.h"

#include <check.h>
#include <string.h>

#include "avatar.h"

static const char *initials(const char *name)
{
	static char out[AVATAR_INITIALS_MAX];
	avatar_initials(name, "fallback", out, sizeof out);
	return out;
}

START_TEST(initials_of_names)
{
	static const struct unit_str_case cases[] = {
		{"张伟", "张"},        {"欧阳修", "欧"},    {"Li Wei", "LW"},  {"li wei", "LW"},
		{"Alice", "A"},       {"  Bob  ", "B"},    {"Mary Ann Smith", "MS"}, {"Émile Zola", "ÉZ"},
		{"Chen 静", "C"},       {"김민수", "김"},     {"", "F"},         {"   ", "F"},
	};
	UNIT_CHECK_STRINGS(initials, cases);
}
END_TEST

START_TEST(initials_without_any_name)
{
	char out[AVATAR_INITIALS_MAX];
	avatar_initials(NULL, NULL, out, sizeof out);
	ck_assert_str_eq(out, "?");
	avatar_initials("", "wang_li", out, sizeof out);
	ck_assert_str_eq(out, "W");
}
END_TEST

START_TEST(tone_is_stable_and_in_range)
{
	ck_assert_int_eq(avatar_tone("zhangwei"), avatar_tone("zhangwei"));
	int seen[AVATAR_TONES] = {0};
	const char *names[] = {"zhangwei", "lina", "chenjing", "admin", "wangfang", "liuyang", "e2e", "x", ""};
	for (size_t i = 0; i < UNIT_COUNT(names); i++) {
		int t = avatar_tone(names[i]);
		ck_assert(t >= 0 && t < AVATAR_TONES);
		seen[t] = 1;
	}
	int distinct = 0;
	for (int i = 0; i < AVATAR_TONES; i++)
		distinct += seen[i];
	ck_assert_msg(distinct >= 3, "nine names share %d colours", distinct);
}
END_TEST

static const struct unit_tcase avatar_cases[] = {
	{.name = "initials", .tests = UNIT_TESTS(&initials_of_names, &initials_without_any_name)},
	{.name = "tone", .tests = UNIT_TESTS(&tone_is_stable_and_in_range)},
};

UNIT_SUITE(avatar, avatar_cases)

const struct unit_tests unit_tests = {.suites = {avatar_suite}};
