/* Unit tests for the configuration file's syntax (conf_parse): settings, comments, quotes,
 * keys made canonical, and each kind of bad line with its number. */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "conf.h"

struct seen {
	char text[1024];
	int stop_at;
};

static int record(const char *key, const char *value, int line, void *arg)
{
	struct seen *s = arg;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof s->text - n, "%d:%s=[%s];", line, key, value);
	return s->stop_at == line ? 7 : 0;
}

static int parse(const char *in, struct seen *s, int *bad, const char **why)
{
	static char buf[8192];
	size_t n = strlen(in);
	memcpy(buf, in, n + 1);
	s->text[0] = '\0';
	return conf_parse(buf, n, record, s, bad, why);
}

START_TEST(settings_comments_and_quotes)
{
	struct seen s = {.stop_at = 0};
	int bad = 0;
	const char *why = NULL;
	ck_assert_int_eq(parse("# agora.conf\n\nlisten = 127.0.0.1:8080\n  workers=2  \n"
			       "smtp_password = \" pass # word \"\r\nbase-url=https://x.example\n", &s, &bad, &why), 0);
	ck_assert_str_eq(s.text, "3:listen=[127.0.0.1:8080];4:workers=[2];5:smtp-password=[ pass # word ];"
				 "6:base-url=[https://x.example];");
	ck_assert_int_eq(parse("\xEF\xBB\xBF" "demo = true", &s, &bad, &why), 0); /* BOM, no final newline */
	ck_assert_str_eq(s.text, "1:demo=[true];");
	ck_assert_int_eq(parse("empty =\n", &s, &bad, &why), 0);
	ck_assert_str_eq(s.text, "1:empty=[];");
}
END_TEST

START_TEST(a_bad_line_is_named)
{
	struct seen s = {.stop_at = 0};
	const struct { const char *in; int line; const char *why; } cases[] = {
		{"a = 1\nno equals sign\n", 2, "expected key = value"},
		{"Listen = x\n", 1, "bad key"},
		{"my key = x\n", 1, "bad key"},
		{" = x\n", 1, "bad key"},
		{"a = \"open\n", 1, "unterminated quote"},
		{"a = 1\n\nb = \x01\n", 3, "not UTF-8 text"},
		{"a = \xff\n", 1, "not UTF-8 text"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int bad = 0;
		const char *why = NULL;
		ck_assert_int_eq(parse(cases[i].in, &s, &bad, &why), -1);
		ck_assert_int_eq(bad, cases[i].line);
		ck_assert_str_eq(why, cases[i].why);
	}
	char *longline = malloc(5000);
	memset(longline, 'x', 4999);
	memcpy(longline, "a = ", 4);
	longline[4999] = '\0';
	int bad = 0;
	const char *why = NULL;
	ck_assert_int_eq(parse(longline, &s, &bad, &why), -1);
	ck_assert_str_eq(why, "line too long");
	free(longline);
}
END_TEST

START_TEST(the_callback_stops_the_reading)
{
	struct seen s = {.stop_at = 2};
	int bad = 0;
	const char *why = NULL;
	ck_assert_int_eq(parse("a = 1\nb = 2\nc = 3\n", &s, &bad, &why), 7);
	ck_assert_str_eq(s.text, "1:a=[1];2:b=[2];");
}
END_TEST

static const struct unit_tcase conf_cases[] = {
	{.name = "syntax", .tests = UNIT_TESTS(&settings_comments_and_quotes, &a_bad_line_is_named,
					       &the_callback_stops_the_reading)},
};

UNIT_SUITE(conf, conf_cases)

const struct unit_tests unit_tests = {.suites = {conf_suite}};
