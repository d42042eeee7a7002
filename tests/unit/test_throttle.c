/* Unit tests for the account guards' pure parts: the sign-in slow-down (throttle), the
 * return paths a page may redirect to (redirect) and the client behind a trusted proxy
 * (forwarded). */
#include "check_main.h"

#include <check.h>
#include <string.h>

#include "forwarded.h"
#include "redirect.h"
#include "throttle.h"

static const struct throttle_rule rule = {.free = 5, .max_delay = 60, .hard_max = 100, .window = 900};

START_TEST(free_failures_cost_nothing)
{
	for (int64_t f = 0; f < 5; f++) {
		struct throttle_count n = {f, f ? 1000 : 0, f ? 1000 : 0};
		ck_assert_int_eq(throttle_wait(&rule, &n, 1000), 0);
	}
}
END_TEST

START_TEST(delays_double_up_to_the_cap)
{
	const int64_t want[] = {1, 2, 4, 8, 16, 32, 60, 60, 60};
	for (size_t k = 0; k < UNIT_COUNT(want); k++)
		ck_assert_int_eq(throttle_delay(&rule, 5 + (int64_t)k), want[k]);
	/* the wait runs from the last failure */
	struct throttle_count n = {7, 100, 1000}; /* delay 4 */
	ck_assert_int_eq(throttle_wait(&rule, &n, 1000), 4);
	ck_assert_int_eq(throttle_wait(&rule, &n, 1003), 1);
	ck_assert_int_eq(throttle_wait(&rule, &n, 1004), 0);
}
END_TEST

START_TEST(hard_cap_waits_for_the_window)
{
	struct throttle_count n = {100, 500, 1000};
	ck_assert_int_eq(throttle_wait(&rule, &n, 1000), 400); /* the oldest ages out at 1400 */
	ck_assert_int_eq(throttle_wait(&rule, &n, 5000), 1);   /* never 0 while the count holds */
	struct throttle_rule nocap = rule;
	nocap.hard_max = 0;
	ck_assert_int_eq(throttle_wait(&nocap, &n, 1100), 0);
}
END_TEST

START_TEST(local_paths_accepted)
{
	const char *ok[] = {"/", "/t/12", "/b/general?page=2#p5", "/u/%E5%BC%A0", "/search?q=a%2Bb"};
	for (size_t i = 0; i < UNIT_COUNT(ok); i++)
		ck_assert_msg(redirect_path_ok(ok[i]), "refused %s", ok[i]);
}
END_TEST

START_TEST(other_sites_refused)
{
	const char *bad[] = {"", "t/12", "//evil.example", "/\\evil.example", "/%09/evil.example",
			     "/\t/evil.example", "/%2F/evil.example", "/%2f%2fevil", "/%5Cevil.example",
			     "https://evil.example", "/ok\\..", "/a b", "/a%20b", "/a%0d%0aSet-Cookie:x",
			     "/\x7f", "/x%7F", " /t/1"};
	for (size_t i = 0; i < UNIT_COUNT(bad); i++)
		ck_assert_msg(!redirect_path_ok(bad[i]), "accepted %s", bad[i]);
	ck_assert(!redirect_path_ok(NULL));
	ck_assert_str_eq(redirect_path_or_home("/%09/evil.example"), "/");
	ck_assert_str_eq(redirect_path_or_home("/t/3"), "/t/3");
}
END_TEST

static const char *const proxies[] = {"127.0.0.1", "10.0.0.2"};
static const struct forwarded_trust trust = {proxies, 2};

static const char *client(const char *peer, const char *xff)
{
	static char out[FORWARDED_ADDR_MAX];
	forwarded_client(&trust, peer, xff, out);
	return out;
}

START_TEST(untrusted_peer_is_the_client)
{
	ck_assert_str_eq(client("192.0.2.7", "198.51.100.1"), "192.0.2.7");
	struct forwarded_trust none = {NULL, 0};
	char out[FORWARDED_ADDR_MAX];
	forwarded_client(&none, "127.0.0.1", "198.51.100.1", out);
	ck_assert_str_eq(out, "127.0.0.1");
	ck_assert(!forwarded_https(&trust, "192.0.2.7", "https"));
}
END_TEST

START_TEST(rightmost_untrusted_entry_from_a_proxy)
{
	ck_assert_str_eq(client("127.0.0.1", NULL), "127.0.0.1");
	ck_assert_str_eq(client("127.0.0.1", "198.51.100.1"), "198.51.100.1");
	/* what the client wrote itself (the left part) is never believed */
	ck_assert_str_eq(client("127.0.0.1", "1.2.3.4, 198.51.100.1"), "198.51.100.1");
	ck_assert_str_eq(client("127.0.0.1", "1.2.3.4, 198.51.100.1 , 10.0.0.2"), "198.51.100.1");
	ck_assert_str_eq(client("127.0.0.1", "2001:db8::1"), "2001:db8::1");
	ck_assert_str_eq(client("127.0.0.1", "1.2.3.4, <script>"), "127.0.0.1");
	ck_assert(forwarded_https(&trust, "127.0.0.1", "https"));
	ck_assert(!forwarded_https(&trust, "127.0.0.1", "http"));
}
END_TEST

static const struct unit_tcase throttle_cases[] = {
	{.name = "throttle", .tests = UNIT_TESTS(&free_failures_cost_nothing, &delays_double_up_to_the_cap,
						 &hard_cap_waits_for_the_window)},
	{.name = "redirect", .tests = UNIT_TESTS(&local_paths_accepted, &other_sites_refused)},
	{.name = "forwarded", .tests = UNIT_TESTS(&untrusted_peer_is_the_client,
						  &rightmost_untrusted_entry_from_a_proxy)},
};

UNIT_SUITE(guards, throttle_cases)

const struct unit_tests unit_tests = {.suites = {guards_suite}};
