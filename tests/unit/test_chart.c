/* Unit tests for the training report's bar chart (chart_bars_svg): what a reader and a screen
 * reader get from it, escaping, bars kept within the track, and long labels shortened. */
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "check_main.h"

static char *draw(const struct chart_bar *bars, size_t n, const char *title)
{
	struct buf b = BUF_INIT;
	chart_bars_svg(&b, bars, n, title);
	return buf_detach(&b);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

START_TEST(bars_say_their_numbers_as_text)
{
	const struct chart_bar bars[] = {{"河南省", 0.5, "50% · 2/4"}, {"贵州省", 1, "100% · 3/3"}};
	char *s = draw(bars, 2, "Completion by region");
	ck_assert(strstr(s, "role=\"img\""));
	ck_assert(strstr(s, "aria-label=\"Completion by region\""));
	ck_assert_uint_eq(count(s, "<g class=\"bar\">"), 2);
	ck_assert(strstr(s, "<title>河南省: 50% · 2/4</title>"));
	ck_assert(strstr(s, ">100% · 3/3</text>"));
	ck_assert(strstr(s, "width=\"180.0\""));  /* half of the 360-unit track */
	ck_assert(strstr(s, "width=\"360.0\""));
	ck_assert(!strstr(s, "style"));
	free(s);
}
END_TEST

START_TEST(text_is_escaped_and_fractions_clamped)
{
	const struct chart_bar bars[] = {{"<script>&", 7, "\"x\""}, {NULL, -1, NULL}};
	char *s = draw(bars, 2, "a\"b<c");
	ck_assert(!strstr(s, "<script>"));
	ck_assert(strstr(s, "&lt;script&gt;&amp;"));
	ck_assert(strstr(s, "aria-label=\"a&quot;b&lt;c\""));
	ck_assert(strstr(s, "width=\"360.0\""));  /* 7 is drawn full, not past the track */
	ck_assert(strstr(s, "width=\"0.0\""));    /* -1 is drawn empty */
	free(s);
}
END_TEST

START_TEST(long_labels_end_in_an_ellipsis_and_bars_are_capped)
{
	struct chart_bar bars[CHART_MAX_BARS + 5];
	for (size_t i = 0; i < UNIT_COUNT(bars); i++)
		bars[i] = (struct chart_bar){"乡镇党委书记春季轮训班乡镇党委书记春季轮训班乡镇党委书记", 0.1, "10%"};
	char *s = draw(bars, UNIT_COUNT(bars), "t");
	ck_assert_uint_eq(count(s, "<g class=\"bar\">"), CHART_MAX_BARS);
	ck_assert(strstr(s, "\xE2\x80\xA6</text>"));
	ck_assert(strstr(s, "<title>乡镇党委书记春季轮训班乡镇党委书记春季轮训班乡镇党委书记: 10%</title>"));
	free(s);
}
END_TEST

static const struct unit_tcase chart_cases[] = {
	{.name = "chart_bars_svg", .tests = UNIT_TESTS(&bars_say_their_numbers_as_text, &text_is_escaped_and_fractions_clamped,
						       &long_labels_end_in_an_ellipsis_and_bars_are_capped)},
};

UNIT_SUITE(chart, chart_cases)

const struct unit_tests unit_tests = {.suites = {chart_suite}};
