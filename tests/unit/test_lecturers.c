/* Unit tests of the lecturer pool's rules (domain/lecturers.c) on a real store: expertise
 * lists, one pending application per member, a decision taken once. */
#include <string.h>

#include "check_main.h"
#include "unit_store.h"
#include "accounts.h"
#include "auth.h"
#include "lecturers.h"
#include "store_user.h"

static struct agora_ctx ctx_as(const struct user *actor)
{
	return (struct agora_ctx){.db = db, .arena = arena, .actor = actor, .now = 5000};
}

static struct user make_user(const char *name, enum role role)
{
	struct agora_ctx c = ctx_as(NULL);
	struct user u = {.username = name, .role = role};
	ck_assert_int_eq(account_create(&c, &u, "correct horse battery"), AG_CREATED);
	ck_assert_int_eq(store_user_by_name(db, arena, name, &u), STORE_OK);
	return u;
}

START_TEST(expertise_lists_round_trip_within_limits)
{
	struct agora_ctx c = ctx_as(NULL);
	const char *items[11] = {"乡村振兴", "Rural policy", "a", "b", "c", "d", "e", "f", "g", "h", "i"};
	const char *joined;
	size_t n;
	ck_assert_int_eq(lecturer_expertise_join(&c, items, 10, &joined), AG_OK);
	const char **back = lecturer_expertise_split(&c, joined, &n);
	ck_assert_uint_eq(n, 10);
	ck_assert_str_eq(back[0], "乡村振兴");
	ck_assert_str_eq(back[1], "Rural policy");
	ck_assert_int_eq(lecturer_expertise_join(&c, items, 11, &joined), AG_EINVAL);
	ck_assert_str_eq(c.error_code, "too_many_expertise");
	lecturer_expertise_split(&c, "", &n);
	ck_assert_uint_eq(n, 0);
	const char *forty[] = {"字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字"};
	ck_assert_int_eq(lecturer_expertise_join(&c, forty, 1, &joined), AG_OK);
	static const char *const bad[] = {"", " ", "two\nlines", "tab\there", "bidi\xe2\x80\xae", "x\x01",
					  "字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字字"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(lecturer_expertise_join(&c, &bad[i], 1, &joined), AG_EINVAL);
		ck_assert_str_eq(c.error_code, "invalid_expertise");
	}
}
END_TEST

START_TEST(one_pending_application_and_one_decision)
{
	struct user admin = make_user("root", ROLE_ADMIN), m = make_user("applicant", ROLE_MEMBER);
	struct user lect = make_user("teacher", ROLE_LECTURER);
	struct agora_ctx c = ctx_as(&m);
	struct lecturer_app a, again;
	const char *exp[] = {"调解"};
	ck_assert_int_eq(lecturer_apply(&c, "  ", exp, 1, &a), AG_EINVAL);
	ck_assert_int_eq(lecturer_apply(&c, "twenty years in townships", exp, 1, &a), AG_OK);
	ck_assert_str_eq(a.state, "pending");
	ck_assert_int_eq(lecturer_apply(&c, "again", NULL, 0, &again), AG_ECONFLICT);
	ck_assert_str_eq(c.error_code, "application_pending");
	ck_assert_int_eq(lecturer_decide(&c, a.id, "approve", NULL, &again), AG_EFORBIDDEN);
	c.actor = &lect;
	ck_assert_int_eq(lecturer_apply(&c, "me too", NULL, 0, &again), AG_ECONFLICT);
	ck_assert_str_eq(c.error_code, "already_lecturer");
	c.actor = &admin;
	ck_assert_int_eq(lecturer_decide(&c, a.id, "approve", NULL, &again), AG_OK);
	ck_assert_str_eq(again.state, "approved");
	ck_assert_str_eq(again.decider, "root");
	ck_assert_int_eq(lecturer_decide(&c, a.id, "decline", "late", &again), AG_ECONFLICT);
	ck_assert_str_eq(c.error_code, "already_decided");
	struct user now;
	ck_assert_int_eq(store_user_by_name(db, arena, "applicant", &now), STORE_OK);
	ck_assert_int_eq(now.role, ROLE_LECTURER);
	const char *bio, *html, *joined;
	ck_assert_int_eq(lecturer_profile_text(&c, m.id, &bio, &html, &joined), AG_OK);
	ck_assert_str_eq(joined, "调解");
}
END_TEST

static const struct unit_tcase lecturer_cases[] = {
	{.name = "rules", .tests = UNIT_TESTS(&expertise_lists_round_trip_within_limits,
					  &one_pending_application_and_one_decision),
	 .setup = unit_store_setup, .teardown = unit_store_teardown, .timeout = 60},
};

UNIT_SUITE(lecturers, lecturer_cases)

const struct unit_tests unit_tests = {.setup = auth_init, .suites = {lecturers_suite}};
