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
#include <stddef.h>

/* The number of elements of array a, for the tests' tables of cases. */
#define UNIT_COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum { UNIT_SUITES_MAX = 8 };

struct unit_tests {
	int (*setup)(void);                    /* NULL, or run once first: non-zero fails the run */
	Suite *(*suites[UNIT_SUITES_MAX])(void); /* in order; the first is required, then NULL */
};

extern const struct unit_tests unit_tests;

/* ---- suites as tables ----
 * A test case (TCase) of a suite: its name, its tests (UNIT_TESTS(&a, &b, ...), the names
 * START_TEST gave them), and its options: a checked fixture, a timeout in seconds (0: Check's
 * default), and for loop tests the end of the range each test runs over (0: plain tests). */
struct unit_tcase {
	const char *name;
	const TTest *const *const *tests; /* NULL-terminated */
	void (*setup)(void), (*teardown)(void);
	int timeout;
	int loop_end;
};
#define UNIT_TESTS(...) ((const TTest *const *const[]){__VA_ARGS__, NULL})

/* The suite of the test cases in order. */
Suite *unit_suite(const char *name, const struct unit_tcase *tc, size_t n);
/* Defines `static Suite *NAME_suite(void)` for the table `cases`. */
#define UNIT_SUITE(name, cases)                                             \
	static Suite *name##_suite(void)                                    \
	{                                                                   \
		return unit_suite(#name, cases, UNIT_COUNT(cases));         \
	}

/* ---- tables of cases ----
 * Helpers for the tests that are a list of inputs and what must come of each: every case is
 * asserted, and a failure names the function and the case. */

/* Bytes that may hold a NUL: UNIT_BYTES("a\0b") keeps all three. */
struct unit_bytes {
	const char *s;
	size_t len;
};
#define UNIT_BYTES(lit) {lit, sizeof(lit) - 1}

/* Asserts that pred(s, len) is true (expect 1) or false (expect 0) for every case. */
void unit_check_bytes(const char *name, int (*pred)(const char *, size_t), int expect, const struct unit_bytes *c,
		      size_t n);
#define UNIT_CHECK_BYTES(pred, expect, cases) unit_check_bytes(#pred, pred, expect, cases, UNIT_COUNT(cases))

/* An input and the text a function must make of it (NULL: the function must return NULL). */
struct unit_str_case {
	const char *in, *out;
};

/* Asserts f(in) == out, as strings, for every case. */
void unit_check_strings(const char *name, const char *(*f)(const char *), const struct unit_str_case *c, size_t n);
#define UNIT_CHECK_STRINGS(f, cases) unit_check_strings(#f, f, cases, UNIT_COUNT(cases))

/* Asserts f(in) == out, as strings, for every input in (all give the same answer). */
void unit_check_all(const char *name, const char *(*f)(const char *), const char *out, const char *const *in,
		    size_t n);
#define UNIT_CHECK_ALL(f, out, inputs) unit_check_all(#f, f, out, inputs, UNIT_COUNT(inputs))

/* Asserts that text holds each of the n parts (has = 1) or none of them (has = 0). */
void unit_check_parts(const char *text, int has, const char *const *parts, size_t n);
#define UNIT_CHECK_HAS(text, parts) unit_check_parts(text, 1, parts, UNIT_COUNT(parts))
#define UNIT_CHECK_LACKS(text, parts) unit_check_parts(text, 0, parts, UNIT_COUNT(parts))

#ifndef AGORA_UNIT_NO_CORE
#include <jansson.h>

/* ---- JSON ---- */

/* Parses a JSON literal of the test itself (any value; \u0000 allowed in strings); a typo
 * there is a bug of the test, and fails it. The caller json_decrefs the value. */
json_t *J(const char *text);
#endif

#endif
