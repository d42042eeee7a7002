/* Unit tests for survey's SVG chart of a question's results (survey_chart_svg): escaping,
 * bar lengths, odd input and label truncation. */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "survey.h"
#include "utf8.h"

/* ---- SVG chart ---- */

/* The chart for labels and counts given as JSON text; the caller frees it. */
static char *chart(const char *labels_text, const char *counts_text, const char *title)
{
	json_t *labels = J(labels_text), *counts = J(counts_text);
	struct buf out = BUF_INIT;

	survey_chart_svg(&out, labels, counts, title);
	json_decref(labels);
	json_decref(counts);
	return buf_detach(&out);
}

static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* 1 when every tag is closed in order, there is one root element, and every & starts an
 * entity: enough to catch an unescaped label breaking out of its element. */
static int well_formed(const char *s)
{
	char stack[64][32];
	int depth = 0, roots = 0;

	for (const char *p = s; *p; p++) {
		if (*p == '&') {
			if (strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) && strncmp(p, "&gt;", 4) &&
			    strncmp(p, "&quot;", 6) && strncmp(p, "&#39;", 5))
				return 0;
			continue;
		}
		if (*p == '>')
			return 0; /* a > outside a tag: we escape those too */
		if (*p != '<')
			continue;
		const char *end = strchr(p, '>');
		int closing = p[1] == '/';
		size_t n = strcspn(p + 1 + closing, " />");
		if (!end || n == 0 || n >= 32)
			return 0;
		if (closing) {
			if (depth == 0 || strncmp(stack[depth - 1], p + 2, n) || stack[depth - 1][n])
				return 0;
			depth--;
		} else if (end[-1] != '/') {
			if (depth == 0)
				roots++;
			if (depth == 64)
				return 0;
			memcpy(stack[depth], p + 1, n);
			stack[depth++][n] = '\0';
		} else if (depth == 0) {
			return 0;
		}
		p = end;
	}
	return depth == 0 && roots == 1;
}

/* The text of the i-th bar label (0-based), malloc'ed. */
static char *label_text(const char *svg, int i)
{
	const char *p = svg, *start, *end;

	for (int k = 0; k <= i; k++) {
		p = strstr(p, "class=\"bar-label\"");
		ck_assert_ptr_nonnull(p);
		p++;
	}
	start = strchr(p, '>') + 1;
	end = strstr(start, "</text>");
	return strndup(start, (size_t)(end - start));
}

START_TEST(svg_escapes_everything)
{
	static const char *const has[] = {
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"A &amp; B",
		"&quot;q&quot; &#39;x&#39;",
		"<title>&lt;b&gt;Results&lt;/b&gt; &amp; &quot;more&quot;</title>",
		"role=\"img\"",
		"viewBox=\"0 0 ",
	};

	char *svg = chart("[\"<script>alert(1)</script>\", \"A & B\", \"\\\"q\\\" 'x'\"]",
			  "[3, 0, 1]", "<b>Results</b> & \"more\"");

	ck_assert_msg(well_formed(svg), "not well formed: %s", svg);
	ck_assert_ptr_null(strstr(svg, "<script"));
	ck_assert_ptr_null(strstr(svg, "<b>"));
	UNIT_CHECK_HAS(svg, has);
	ck_assert_int_eq(strncmp(svg, "<svg ", 5), 0);
	free(svg);
}
END_TEST

START_TEST(svg_has_no_inline_style)
{
	char *svg = chart("[\"a\", \"b\"]", "[1, 2]", "style");

	for (char *p = svg; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	/* the title is the only place "style" may appear, as text */
	ck_assert_uint_eq(occurrences(svg, "style"), 1);
	ck_assert_ptr_nonnull(strstr(svg, "<title>style</title>"));
	ck_assert_ptr_null(strstr(svg, "style="));
	ck_assert_ptr_null(strstr(svg, "<style"));
	free(svg);
}
END_TEST

START_TEST(svg_counts_and_lengths)
{
	static const char *const has[] = {
		">4</text>",
		">2</text>",
		">0</text>",
		/* proportional to the largest count; zero is an empty track */
		"width=\"340\" height=\"18\" fill=\"#3b6fb6\"",
		"width=\"170\" height=\"18\" fill=\"#3b6fb6\"",
		"width=\"0\" height=\"18\" fill=\"#3b6fb6\"",
	};

	char *svg = chart("[\"a\", \"b\", \"c\"]", "[4, 2, 0]", "T");

	ck_assert_uint_eq(occurrences(svg, "<g class=\"bar\">"), 3);
	ck_assert_uint_eq(occurrences(svg, "class=\"bar-track\""), 3);
	ck_assert_uint_eq(occurrences(svg, "class=\"bar-fill\""), 3);
	UNIT_CHECK_HAS(svg, has);
	ck_assert(well_formed(svg));
	free(svg);
}
END_TEST

START_TEST(svg_all_zero_and_odd_input)
{
	char *svg = chart("[\"a\", \"b\"]", "[0, 0]", "T");

	ck_assert_uint_eq(occurrences(svg, "width=\"0\" height=\"18\" fill=\"#3b6fb6\""), 2);
	ck_assert(well_formed(svg));
	free(svg);
	/* fewer counts than labels, a non-string label, a negative and a real count */
	svg = chart("[\"a\", 7, \"c\"]", "[-5, 2.5]", NULL);
	ck_assert_uint_eq(occurrences(svg, "<g class=\"bar\">"), 2);
	ck_assert_uint_eq(occurrences(svg, ">0</text>"), 2);
	ck_assert_ptr_nonnull(strstr(svg, "<title></title>"));
	ck_assert(well_formed(svg));
	free(svg);
	svg = chart("[]", "[]", "Empty");
	ck_assert_uint_eq(occurrences(svg, "<g class=\"bar\">"), 0);
	ck_assert(well_formed(svg));
	free(svg);
}
END_TEST

START_TEST(svg_at_most_twenty_bars)
{
	json_t *labels = json_array(), *counts = json_array();
	struct buf out = BUF_INIT;

	for (int i = 0; i < 25; i++) {
		json_array_append_new(labels, json_string("x"));
		json_array_append_new(counts, json_integer(i));
	}
	survey_chart_svg(&out, labels, counts, "many");
	ck_assert_uint_eq(occurrences(out.data, "<g class=\"bar\">"), SURVEY_MAX_BARS);
	ck_assert(well_formed(out.data));
	buf_free(&out);
	json_decref(labels);
	json_decref(counts);
}
END_TEST

START_TEST(svg_controls_become_spaces)
{
	char *svg = chart("[\"a\\u0001b\"]", "[1]", "t\x02t\nu");

	ck_assert_ptr_nonnull(strstr(svg, "<title>t t u</title>"));
	ck_assert_ptr_nonnull(strstr(svg, ">a b</text>"));
	free(svg);
}
END_TEST

START_TEST(svg_truncates_latin)
{
	char *svg = chart("[\"abcdefghijklmnopqrstuvwxyz0123\", \"abcdefghijklmnopqrstuvwxyz01234\"]",
			  "[1, 1]", "T");
	char *first = label_text(svg, 0), *second = label_text(svg, 1);

	ck_assert_str_eq(first, "abcdefghijklmnopqrstuvwxyz0123"); /* 30 fits */
	ck_assert_str_eq(second, "abcdefghijklmnopqrstuvwxyz012\xE2\x80\xA6");
	/* the full label stays in the bar's tooltip */
	ck_assert_ptr_nonnull(strstr(svg, "<title>abcdefghijklmnopqrstuvwxyz01234: 1</title>"));
	free(first);
	free(second);
	free(svg);
}
END_TEST

START_TEST(svg_truncates_chinese_on_boundaries)
{
	/* 40 wide characters; and an odd Latin prefix so the cut falls mid-column */
	char *svg = chart("[\"我们的课程内容非常丰富我们的课程内容非常丰富我们的课程内容非常丰富我们的课程\","
			  " \"a中文中文中文中文中文中文中文中文中文中文\", \"短标签\"]",
			  "[5, 3, 1]", "中文标题");
	char *first = label_text(svg, 0), *second = label_text(svg, 1), *third = label_text(svg, 2);

	ck_assert(utf8_valid(first, strlen(first)));
	ck_assert(utf8_valid(second, strlen(second)));
	ck_assert_str_eq(first, "我们的课程内容非常丰富我们的\xE2\x80\xA6"); /* 14 wide + … */
	ck_assert_str_eq(second, "a中文中文中文中文中文中文中文\xE2\x80\xA6"); /* 1 + 14 wide */
	ck_assert_str_eq(third, "短标签");
	ck_assert_ptr_nonnull(strstr(svg, "<title>中文标题</title>"));
	ck_assert(utf8_valid(svg, strlen(svg)));
	ck_assert(well_formed(svg));
	free(first);
	free(second);
	free(third);
	free(svg);
}
END_TEST

static const struct unit_tcase survey_chart_cases[] = {
	{.name = "svg", .tests = UNIT_TESTS(&svg_escapes_everything, &svg_has_no_inline_style,
					  &svg_counts_and_lengths, &svg_all_zero_and_odd_input,
					  &svg_at_most_twenty_bars, &svg_controls_become_spaces,
					  &svg_truncates_latin, &svg_truncates_chinese_on_boundaries)},
};

UNIT_SUITE(survey_chart, survey_chart_cases)

const struct unit_tests unit_tests = {.suites = {survey_chart_suite}};
