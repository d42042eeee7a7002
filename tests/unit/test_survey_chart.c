/* Unit tests for the chart of a question's results (chart_table): a table with its numbers as
 * text, percentages of the respondents, bars scaled to them, escaping and odd input. */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "chart.h"
#include "utf8.h"

static const struct chart_words WORDS = {"Which crop?", "Answer", "Responses", "Share", 0};

/* The table of n rows out of total respondents; the caller frees it. */
static char *table(const struct chart_row *rows, size_t n, long long total, const struct chart_words *w)
{
	struct buf out = BUF_INIT;

	chart_table(&out, rows, n, total, w ? w : &WORDS);
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

START_TEST(table_says_counts_and_shares_of_respondents)
{
	/* a multiple choice: 10 respondents, shares of them add up to more than 100% */
	const struct chart_row rows[] = {{"rice", 10}, {"wheat", 5}, {"maize", 1}, {"none", 0}};
	static const char *const has[] = {
		"<table class=\"chart\"><caption>Which crop?</caption>",
		"<th scope=\"col\">Answer</th>",
		"<th scope=\"col\" class=\"num\">Responses</th>",
		"<th scope=\"col\" class=\"num\">Share</th>",
		"<th scope=\"row\"><span class=\"chart-label\">rice</span>",
		"<td class=\"num\">10</td><td class=\"num\">100%</td>",
		"<td class=\"num\">5</td><td class=\"num\">50%</td>",
		"<td class=\"num\">1</td><td class=\"num\">10%</td>",
		"<td class=\"num\">0</td><td class=\"num\">0%</td>",
		/* bars are shares of the respondents, not of the largest count */
		"class=\"bar-fill\" width=\"100.0\"",
		"class=\"bar-fill\" width=\"50.0\"",
		"class=\"bar-fill\" width=\"10.0\"",
		"class=\"bar-fill\" width=\"0.0\"",
	};
	char *html = table(rows, 4, 10, NULL);

	UNIT_CHECK_HAS(html, has);
	ck_assert_uint_eq(occurrences(html, "<tr>"), 5);
	ck_assert(well_formed(html));
	free(html);
}
END_TEST

START_TEST(largest_count_is_not_a_full_bar)
{
	const struct chart_row rows[] = {{"yes", 3}, {"no", 1}};
	char *html = table(rows, 2, 8, NULL);

	ck_assert_ptr_nonnull(strstr(html, "width=\"37.5\""));
	ck_assert_ptr_nonnull(strstr(html, ">38%</td>"));
	ck_assert_ptr_null(strstr(html, "width=\"100.0\" height=\"10\" fill=\"#3b6fb6\""));
	free(html);
}
END_TEST

START_TEST(percentages_round_half_up_and_clamp)
{
	ck_assert_int_eq(chart_percent(1, 3), 33);
	ck_assert_int_eq(chart_percent(2, 3), 67);
	ck_assert_int_eq(chart_percent(1, 8), 13);
	ck_assert_int_eq(chart_percent(1, 200), 1);
	ck_assert_int_eq(chart_percent(1, 201), 0);
	ck_assert_int_eq(chart_percent(5, 0), 0);
	ck_assert_int_eq(chart_percent(-1, 4), 0);
	ck_assert_int_eq(chart_percent(9, 4), 100);
}
END_TEST

START_TEST(text_is_html_not_svg_and_escaped)
{
	const struct chart_row rows[] = {{"<script>alert(1)</script>", 1}, {"A & \"B\"", 1}, {NULL, -3}};
	const struct chart_words w = {"<b>Q</b> & 'x'", "答案", "人数", "占比", 1};
	char *html = table(rows, 3, 2, &w);

	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_null(strstr(html, "<b>"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "A &amp; &quot;B&quot;"));
	ck_assert_ptr_nonnull(strstr(html, "<caption class=\"visually-hidden\">&lt;b&gt;Q&lt;/b&gt; &amp; &#39;x&#39;</caption>"));
	ck_assert_ptr_nonnull(strstr(html, "<th scope=\"col\">答案</th>"));
	/* a negative count is none at all */
	ck_assert_ptr_nonnull(strstr(html, "<span class=\"chart-label\"></span>"));
	ck_assert_ptr_nonnull(strstr(html, "<td class=\"num\">0</td><td class=\"num\">0%</td>"));
	/* no text inside the SVG bars (a shrinking viewBox cannot make labels tiny), hidden
	 * from screen readers, which read the table's cells instead */
	ck_assert_ptr_null(strstr(html, "<text"));
	ck_assert_uint_eq(occurrences(html, "aria-hidden=\"true\""), 3);
	ck_assert(utf8_valid(html, strlen(html)));
	ck_assert(well_formed(html));
	free(html);
}
END_TEST

START_TEST(table_has_no_inline_style)
{
	const struct chart_row rows[] = {{"style", 1}};
	const struct chart_words w = {"t", "a", "b", "c", 0};
	char *html = table(rows, 1, 1, &w);

	ck_assert_ptr_null(strstr(html, "style="));
	ck_assert_ptr_null(strstr(html, "<style"));
	ck_assert_uint_eq(occurrences(html, "style"), 1);
	free(html);
}
END_TEST

START_TEST(table_controls_become_spaces_and_rows_are_capped)
{
	struct chart_row rows[CHART_MAX_BARS + 5];
	const struct chart_words w = {"t\x02t\nu", "a", "b", "c", 0};
	for (size_t i = 0; i < CHART_MAX_BARS + 5; i++)
		rows[i] = (struct chart_row){"a\x01" "b", 1};
	char *html = table(rows, CHART_MAX_BARS + 5, 0, &w);

	ck_assert_ptr_nonnull(strstr(html, "<caption>t t u</caption>"));
	ck_assert_ptr_nonnull(strstr(html, ">a b</span>"));
	ck_assert_uint_eq(occurrences(html, "<tr>"), CHART_MAX_BARS + 1);
	ck_assert(well_formed(html));
	free(html);
	html = table(NULL, 0, 0, &w);
	ck_assert_uint_eq(occurrences(html, "<tr>"), 1);
	ck_assert(well_formed(html));
	free(html);
}
END_TEST

static const struct unit_tcase survey_chart_cases[] = {
	{.name = "table", .tests = UNIT_TESTS(&table_says_counts_and_shares_of_respondents,
					    &largest_count_is_not_a_full_bar, &percentages_round_half_up_and_clamp,
					    &text_is_html_not_svg_and_escaped, &table_has_no_inline_style,
					    &table_controls_become_spaces_and_rows_are_capped)},
};

UNIT_SUITE(survey_chart, survey_chart_cases)

const struct unit_tests unit_tests = {.suites = {survey_chart_suite}};
