/* Unit tests for the shipped plugins that limit posting: linklimit (links from new accounts)
 * and floodguard (posts a minute per author). They run on the harness of plugin_harness.h,
 * as test_plugins.c does for wordfilter.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "plugin_harness.h"

/* ---- linklimit ---------------------------------------------------------------------------------- */

/* A reply by a member whose account is `days` old, with `links` links. */
static struct agora_submission linked(const char *role, int64_t days, unsigned links)
{
	struct agora_submission s = reply("liuyang", "see [this](https://example.org)");

	s.author_role = role;
	s.account_age = days * DAY;
	s.links = links;
	return s;
}

/* The author's role, account age in days and links of a reply, and the verdict it must get. */
struct linked_case {
	const char *role;
	int64_t days;
	unsigned links;
	enum agora_verdict verdict;
};

static void assert_linked_verdicts(const struct linked_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct agora_submission s = linked(c[i].role, c[i].days, c[i].links);
		enum agora_verdict v = check(&s).verdict;
		ck_assert_msg(v == c[i].verdict, "%s, %lld days, %u links: verdict %d, expected %d", c[i].role,
			      (long long)c[i].days, c[i].links, v, c[i].verdict);
	}
}

/* agora_reason_set cuts the text, never the key, and never inside a character. */
START_TEST(reason_set_keeps_the_key)
{
	struct agora_result r;
	char text[400];
	memset(text, 'a', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	memcpy(text + 200, "长长长长长长长长长长长长长长长长长长长长", 60);
	agora_reason_set(&r, text, "plugin.x.y", "42");
	size_t t = strlen(r.reason);
	ck_assert_uint_eq(t + 1 + strlen("plugin.x.y") + 1 + 2 + 1 <= sizeof r.reason, 1);
	ck_assert_uint_eq(t >= 200 && (t - 200) % 3 == 0, 1);
	ck_assert_str_eq(r.reason + t + 1, "plugin.x.y");
	ck_assert_str_eq(r.reason + t + 1 + 11, "42");
	agora_reason_set(&r, "short", NULL, "ignored without a key");
	ck_assert_str_eq(r.reason, "short");
	ck_assert_int_eq(r.reason[6], 0);
}
END_TEST

/* A key too long is dropped rather than cut into another message's key; an argument too long
 * is cut between characters, so the page never receives half a character. */
START_TEST(reason_set_drops_a_long_key_and_cuts_arg_whole)
{
	struct agora_result r;
	char key[80], arg[100] = "x";
	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	agora_reason_set(&r, "text", key, "1");
	ck_assert_str_eq(r.reason, "text");
	ck_assert_str_eq(r.reason + 5, "");
	for (int i = 0; i < 30; i++)
		strcat(arg, "长"); /* 1 + 90 bytes: byte 63 falls inside a character */
	agora_reason_set(&r, "text", "plugin.x.y", arg);
	const char *cut = r.reason + 5 + strlen("plugin.x.y") + 1;
	ck_assert_uint_eq(strlen(cut), 61); /* "x" and 20 whole characters */
	ck_assert_int_eq(memcmp(cut, arg, 61), 0);
}
END_TEST

START_TEST(linklimit_holds_new_account_with_many_links)
{
	struct agora_submission s = linked("member", 1, 3);
	struct agora_result r;

	start("linklimit", NULL);
	r = check(&s);
	ck_assert_int_eq(r.verdict, AGORA_HOLD);
	ck_assert_str_eq(r.reason, "new accounts may post at most 2 links before review");
	/* behind the text, for the page to translate: the catalog key and its argument */
	const char *key = r.reason + strlen(r.reason) + 1;
	ck_assert_str_eq(key, "plugin.linklimit.max_links");
	ck_assert_str_eq(key + strlen(key) + 1, "2");
	s = linked("lecturer", 0, 50);
	ck_assert_int_eq(check(&s).verdict, AGORA_HOLD);
}
END_TEST

START_TEST(linklimit_allows_old_accounts_few_links_and_staff)
{
	static const struct linked_case cases[] = {
		{"member", 10, 3, AGORA_ALLOW},
		{"member", 1, 2, AGORA_ALLOW},
		{"moderator", 1, 10, AGORA_ALLOW},
		{"admin", 0, 10, AGORA_ALLOW},
		{"member", 3, 3, AGORA_ALLOW}, /* exactly D days old: no longer new */
	};
	struct agora_submission s;

	start("linklimit", NULL);
	assert_linked_verdicts(cases, UNIT_COUNT(cases));
	s = linked("member", 3, 3);
	s.account_age -= 1;
	ck_assert_int_eq(check(&s).verdict, AGORA_HOLD);
}
END_TEST

START_TEST(linklimit_configured)
{
	struct agora_submission s;
	struct agora_result r;

	static const struct linked_case cases[] = {
		{"member", 5, 0, AGORA_ALLOW},
		{"member", 8, 5, AGORA_ALLOW},
	};

	start("linklimit", "# stricter\nmax_links_new_user 0\nnew_user_days 7\n");
	s = linked("member", 5, 1);
	r = check(&s);
	ck_assert_int_eq(r.verdict, AGORA_HOLD);
	ck_assert_str_eq(r.reason, "new accounts may not post links before review");
	assert_linked_verdicts(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(linklimit_one_link_reason_and_days_zero)
{
	struct agora_submission s = linked("member", 0, 2);

	start("linklimit", "max_links_new_user 1\n");
	ck_assert_str_eq(check(&s).reason, "new accounts may post at most 1 link before review");
	plug->fini(state);
	started = 0;
	dlclose(handle);
	start("linklimit", "new_user_days 0\n");
	s = linked("member", 0, 100);
	ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
}
END_TEST

START_TEST(linklimit_bad_lines)
{
	char err[256];
	char expect[256];

	static const struct bad_conf cases[] = {
		{"max_links_new_user 3\nnew_user_days -1\n", 2, "new_user_days must not be negative"},
		{"max_links 3\n", 1, "unknown directive \"max_links\""},
		{"max_links_new_user 3x\n", 1, "expected a number after max_links_new_user"},
		{"new_user_days 3 4\n", 1, "expected a number after new_user_days"},
		{"new_user_days 99999999999999999999999\n", 1, "new_user_days must be at most"},
	};

	start_fails("linklimit", "# new accounts\n\nmax_links_new_user\n", err, sizeof err);
	snprintf(expect, sizeof expect, "%s:3: expected a number after max_links_new_user", conf_path("linklimit"));
	ck_assert_str_eq(err, expect);
	dlclose(handle);
	handle = NULL;
	assert_bad_confs("linklimit", cases, UNIT_COUNT(cases));
}
END_TEST

/* ---- floodguard --------------------------------------------------------------------------------- */

static struct agora_result submit(const char *author)
{
	struct agora_submission s = reply(author, "一条回复");

	return check(&s);
}

/* An author's reply, sent after the host clock moved `after` seconds, and its verdict. */
struct submit_case {
	const char *author;
	int after;
	enum agora_verdict verdict;
};

static void assert_submits(const struct submit_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum agora_verdict v;

		fake.now += c[i].after;
		v = submit(c[i].author).verdict;
		ck_assert_msg(v == c[i].verdict, "reply %zu by %s: verdict %d, expected %d", i, c[i].author, v,
			      c[i].verdict);
	}
}

START_TEST(floodguard_allows_n_then_rejects)
{
	struct agora_result r;

	static const struct submit_case first[] = {
		{"chenjing", 0, AGORA_ALLOW},
		{"chenjing", 10, AGORA_ALLOW},
		{"chenjing", 10, AGORA_ALLOW},
	};

	start("floodguard", "max_posts_per_minute 3\n");
	assert_submits(first, UNIT_COUNT(first));
	fake.now += 10;
	r = submit("chenjing");
	ck_assert_int_eq(r.verdict, AGORA_REJECT);
	ck_assert_int_eq(r.retry_after, 30); /* the first leaves the window 60 s after it came */
	ck_assert_str_eq(r.reason, "posting too fast; try again in 30 s");
	ck_assert_str_eq(r.reason + strlen(r.reason) + 1, "plugin.floodguard.too_fast");

	fake.now += 30; /* 60 s after the first: it has left */
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
	fake.now += 1;
	r = submit("chenjing");
	ck_assert_int_eq(r.verdict, AGORA_REJECT);
	ck_assert_int_eq(r.retry_after, 9);
}
END_TEST

START_TEST(floodguard_defaults_and_window)
{
	struct agora_result r;
	int i;

	start("floodguard", NULL); /* no config: 5 a minute */
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
	r = submit("chenjing");
	ck_assert_int_eq(r.verdict, AGORA_REJECT);
	ck_assert_int_ge(r.retry_after, 1);
	ck_assert_int_le(r.retry_after, 60);
	ck_assert_ptr_nonnull(strstr(r.reason, "posting too fast; try again in "));
	fake.now += 61;
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_REJECT);
}
END_TEST

START_TEST(floodguard_refusals_are_not_counted)
{
	start("floodguard", "max_posts_per_minute 1\n");
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
	fake.now += 30;
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_REJECT);
	fake.now += 29;
	ck_assert_int_eq(submit("chenjing").retry_after, 1);
	fake.now += 1;
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
}
END_TEST

START_TEST(floodguard_users_are_independent)
{
	static const struct submit_case cases[] = {
		{"chenjing", 0, AGORA_ALLOW}, {"chenjing", 0, AGORA_ALLOW}, {"chenjing", 0, AGORA_REJECT},
		{"liuyang", 0, AGORA_ALLOW},  {"liuyang", 0, AGORA_ALLOW},  {"liuyang", 0, AGORA_REJECT},
		{"zhangwei", 0, AGORA_ALLOW},
	};

	start("floodguard", "max_posts_per_minute 2\n");
	assert_submits(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(floodguard_edits_and_staff_are_free)
{
	struct agora_submission s = reply("chenjing", "fixed a typo");
	int i;

	start("floodguard", "max_posts_per_minute 2\n");
	s.is_edit = 1;
	for (i = 0; i < 10; i++)
		ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW); /* edits were not counted */
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_ALLOW);
	ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW); /* nor limited */
	ck_assert_int_eq(submit("chenjing").verdict, AGORA_REJECT);

	s = reply("moderator", "welcome");
	s.author_role = "moderator";
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
	s.author_role = "admin";
	for (i = 0; i < 20; i++)
		ck_assert_int_eq(check(&s).verdict, AGORA_ALLOW);
}
END_TEST

START_TEST(floodguard_forgets_idle_authors)
{
	char name[32];
	int i;

	start("floodguard", "max_posts_per_minute 1\n");
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "member%d", i);
		ck_assert_int_eq(submit(name).verdict, AGORA_ALLOW);
	}
	fake.now += 120; /* the next check sweeps them all away */
	ck_assert_int_eq(submit("member0").verdict, AGORA_ALLOW);
	ck_assert_int_eq(submit("member0").verdict, AGORA_REJECT);
	ck_assert_int_eq(submit("member4999").verdict, AGORA_ALLOW);
	fake.now -= 3600; /* a clock set back: still sane */
	ck_assert_int_eq(submit("member0").verdict, AGORA_REJECT);
	ck_assert_int_le(submit("member0").retry_after, 60);
	ck_assert_int_eq(submit("member1").verdict, AGORA_ALLOW);
}
END_TEST

#define THREADS 8
#define AUTHORS 2000
#define PER_MINUTE 2

static pthread_barrier_t barrier;

/* Submits once for each of AUTHORS authors, all threads in the same order so they collide
 * on the same author at the same time; returns how many were allowed. */
static void *flood_worker(void *arg)
{
	long allowed = 0;
	char name[32];
	int i;

	(void)arg;
	pthread_barrier_wait(&barrier);
	for (i = 0; i < AUTHORS; i++) {
		snprintf(name, sizeof name, "member%d", i);
		if (submit(name).verdict == AGORA_ALLOW)
			allowed++;
	}
	return (void *)allowed;
}

START_TEST(floodguard_concurrent_checks_count_exactly)
{
	pthread_t t[THREADS];
	long total = 0;
	void *allowed;
	int i;

	start("floodguard", "max_posts_per_minute 2\n");
	ck_assert_int_eq(pthread_barrier_init(&barrier, NULL, THREADS), 0);
	for (i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, flood_worker, NULL), 0);
	for (i = 0; i < THREADS; i++) {
		ck_assert_int_eq(pthread_join(t[i], &allowed), 0);
		total += (long)allowed;
	}
	pthread_barrier_destroy(&barrier);
	ck_assert_int_eq(total, AUTHORS * PER_MINUTE);
}
END_TEST

START_TEST(floodguard_bad_lines)
{
	static const struct bad_conf cases[] = {
		{"max_posts_per_minute 0\n", 1, "max_posts_per_minute must be between 1 and"},
		{"\n# limit\nmax_posts_per_minute -3\n", 3, "max_posts_per_minute must not be negative"},
		{"max_posts_per_minute\n", 1, "expected a number after max_posts_per_minute"},
		{"max_posts_per_minute five\n", 1, "expected a number after max_posts_per_minute"},
		{"max_posts_per_hour 5\n", 1, "unknown directive"},
	};

	assert_bad_confs("floodguard", cases, UNIT_COUNT(cases));
}
END_TEST

/* ---- the suite ---------------------------------------------------------------------------------- */

static Suite *plugin_limits_suite(void)
{
	Suite *s = suite_create("plugin_limits");
	TCase *ll = plugin_tcase("linklimit"), *fg = plugin_tcase("floodguard");

	tcase_add_test(ll, reason_set_keeps_the_key);
	tcase_add_test(ll, reason_set_drops_a_long_key_and_cuts_arg_whole);
	tcase_add_test(ll, linklimit_holds_new_account_with_many_links);
	tcase_add_test(ll, linklimit_allows_old_accounts_few_links_and_staff);
	tcase_add_test(ll, linklimit_configured);
	tcase_add_test(ll, linklimit_one_link_reason_and_days_zero);
	tcase_add_test(ll, linklimit_bad_lines);
	tcase_add_test(fg, floodguard_allows_n_then_rejects);
	tcase_add_test(fg, floodguard_defaults_and_window);
	tcase_add_test(fg, floodguard_refusals_are_not_counted);
	tcase_add_test(fg, floodguard_users_are_independent);
	tcase_add_test(fg, floodguard_edits_and_staff_are_free);
	tcase_add_test(fg, floodguard_forgets_idle_authors);
	tcase_add_test(fg, floodguard_concurrent_checks_count_exactly);
	tcase_add_test(fg, floodguard_bad_lines);
	suite_add_tcase(s, ll);
	suite_add_tcase(s, fg);
	return s;
}

const struct unit_tests unit_tests = {.suites = {plugin_limits_suite}};
