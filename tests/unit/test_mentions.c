/* Unit tests for md_mentions: which @names of a Markdown text notify someone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "markdown.h"

static char names[MENTIONS_MAX][MENTION_NAME_MAX + 1];

/* The names found in text, joined by spaces, in a static buffer the next call reuses. */
static const char *found(const char *text, size_t max)
{
	static char out[2048];
	size_t n = md_mentions(text, names, max);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, names[i]);
	}
	return out;
}

/* found with the cap every post has. */
static const char *mentioned(const char *text)
{
	return found(text, MENTIONS_MAX);
}

START_TEST(names_at_word_starts)
{
	static const struct unit_str_case cases[] = {
		{"hi @alice and @bob_2.x-y!", "alice bob_2.x-y"},
		{"请看@张三 @wang", "wang"},
		{"你好@zhangwei，谢谢", "zhangwei"},
		{"mail me at bob@example.org", ""},
		{"@ab is short, @abc is not", "abc"},
		{"Ask @alice. Or @bob--", "alice bob--"},
	};

	UNIT_CHECK_STRINGS(mentioned, cases);
}
END_TEST

/* Who is notified is who the rendered post links to: the Markdown renderer decides, so
 * links, URLs and every kind of code keep their @ to themselves. */
START_TEST(as_the_renderer_links_them)
{
	static const struct unit_str_case cases[] = {
		{"see https://example.org/@alice and <https://x.org/@bob2>", ""},
		{"[@carol](https://example.org) and ![@dave](https://x.org/i.png)", ""},
		{"a `span that\n@erin goes on` line", ""},
		{"text\n\n    @frank in an indented block\n", ""},
		{"@@grace and @heidi_", "heidi_"},
		{"ends with @ivan", "ivan"},
	};

	UNIT_CHECK_STRINGS(mentioned, cases);
}
END_TEST

/* Hostile bodies: thousands of @, and more distinct names than anyone is told of. */
START_TEST(hostile_bodies)
{
	enum { LEN = 64 * 1024 };
	char *text = malloc(LEN + 1);
	memset(text, '@', LEN);
	text[LEN] = '\0';
	ck_assert_str_eq(found(text, MENTIONS_MAX), "");
	size_t off = 0;
	for (int i = 0; off + 16 < LEN; i++)
		off += (size_t)snprintf(text + off, LEN - off, "@user%05d ", i);
	ck_assert_uint_eq(md_mentions(text, names, MENTIONS_MAX), MENTIONS_MAX);
	ck_assert_str_eq(names[MENTIONS_MAX - 1], "user00019");
	free(text);
}
END_TEST

START_TEST(once_each_and_capped)
{
	ck_assert_str_eq(mentioned("@Alice @alice @ALICE @bob"), "Alice bob");
	ck_assert_str_eq(found("@aaa @bbb @ccc @ddd", 2), "aaa bbb");
	char big[40 + 1];
	memset(big, 'x', 40);
	big[40] = '\0';
	char text[64];
	snprintf(text, sizeof text, "@%s @ok1", big);
	ck_assert_str_eq(found(text, MENTIONS_MAX), "ok1");
}
END_TEST

START_TEST(not_in_code)
{
	static const struct unit_str_case cases[] = {
		{"`@code` and ``a @b2c ` d`` but @real", "real"},
		{"```\n@fenced\n```\n@after\n~~~\n@tilde\n~~~", "after"},
		{"an unclosed ` then @seen", "seen"},
	};

	UNIT_CHECK_STRINGS(mentioned, cases);
}
END_TEST

static const struct unit_tcase mentions_cases[] = {
	{.name = "mentions", .tests = UNIT_TESTS(&names_at_word_starts, &once_each_and_capped,
					  &not_in_code, &as_the_renderer_links_them, &hostile_bodies)},
};

UNIT_SUITE(mentions, mentions_cases)

const struct unit_tests unit_tests = {.suites = {mentions_suite}};
