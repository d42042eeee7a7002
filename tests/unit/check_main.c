/* The main() every unit test shares (check_main.h). Built with AGORA_UNIT_NO_CORE where
 * agora_core is not linked (the standalone build of plugins/, whose tests use no JSON). */
#include "check_main.h"

#include <stdlib.h>
#include <string.h>

#ifndef AGORA_UNIT_NO_CORE
#include "util.h"
#endif

int main(void)
{
	SRunner *sr;
	int failed;

#ifndef AGORA_UNIT_NO_CORE
	util_json_init();
#endif
	if (unit_tests.setup && unit_tests.setup() != 0)
		return EXIT_FAILURE;
	sr = srunner_create(unit_tests.suites[0]());
	for (int i = 1; i < UNIT_SUITES_MAX && unit_tests.suites[i]; i++)
		srunner_add_suite(sr, unit_tests.suites[i]());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

Suite *unit_suite(const char *name, const struct unit_tcase *tc, size_t n)
{
	Suite *s = suite_create(name);

	for (size_t i = 0; i < n; i++) {
		TCase *c = tcase_create(tc[i].name);

		if (tc[i].setup || tc[i].teardown)
			tcase_add_checked_fixture(c, tc[i].setup, tc[i].teardown);
		if (tc[i].timeout)
			tcase_set_timeout(c, tc[i].timeout);
		for (const TTest *const *const *t = tc[i].tests; *t; t++)
			tcase_add_loop_test(c, **t, 0, tc[i].loop_end ? tc[i].loop_end : 1);
		suite_add_tcase(s, c);
	}
	return s;
}

void unit_check_bytes(const char *name, int (*pred)(const char *, size_t), int expect, const struct unit_bytes *c,
		      size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(!pred(c[i].s, c[i].len) == !expect, "%s, case %zu (\"%s\"): expected %s", name, i, c[i].s,
			      expect ? "true" : "false");
}

void unit_check_strings(const char *name, const char *(*f)(const char *), const struct unit_str_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = f(c[i].in);

		if (!c[i].out)
			ck_assert_msg(got == NULL, "%s(\"%s\") is \"%s\", expected NULL", name, c[i].in, got);
		else
			ck_assert_msg(got && !strcmp(got, c[i].out), "%s(\"%s\") is \"%s\", expected \"%s\"", name,
				      c[i].in, got ? got : "(null)", c[i].out);
	}
}

void unit_check_all(const char *name, const char *(*f)(const char *), const char *out, const char *const *in,
		    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = f(in[i]);

		ck_assert_msg(got && !strcmp(got, out), "%s(\"%s\") is \"%s\", expected \"%s\"", name, in[i],
			      got ? got : "(null)", out);
	}
}

void unit_check_parts(const char *text, int has, const char *const *parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(!strstr(text, parts[i]) == !has, "%s \"%s\" in: %s", has ? "no" : "a", parts[i], text);
}

#ifndef AGORA_UNIT_NO_CORE
json_t *J(const char *text)
{
	json_error_t err;
	json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);

	ck_assert_msg(v != NULL, "bad test JSON: %s: %s", text, err.text);
	return v;
}
#endif
