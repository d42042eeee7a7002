/* check_main: the one main() of the unit tests (check_main.c, linked into every test_*). A
 * test file includes this header and defines `unit_tests`, naming its suites (and, if it
 * needs one, a set-up), e.g.
 *
 *     const struct unit_tests unit_tests = {.setup = auth_init, .suites = {auth_suite}};
 *
 * main makes jansson allocate through xmalloc (util_json_init, as agorad does), runs the
 * set-up, then every suite in one runner; it exits 0 when no test failed. */
#ifndef AGORA_CHECK_MAIN_H
#define AGORA_CHECK_MAIN_H

#include <check.h>

enum { UNIT_SUITES_MAX = 8 };

struct unit_tests {
	int (*setup)(void);                    /* NULL, or run once first: non-zero fails the run */
	Suite *(*suites[UNIT_SUITES_MAX])(void); /* in order; the first is required, then NULL */
};

extern const struct unit_tests unit_tests;

#endif
