/* chart: server-drawn SVG charts without scripts or inline styles (the CSP forbids both):
 * presentation attributes and classes only, every text escaped. */
#ifndef AGORA_CHART_H
#define AGORA_CHART_H

#include <stddef.h>

#include "util.h"

/* Escapes s for SVG element text or an attribute; control characters become spaces, since
 * XML forbids most of them even as entities. */
void chart_text(struct buf *out, const char *s, size_t len);
/* s, or as much of it as fits in cols columns (wide characters take two) and an ellipsis. */
void chart_label(struct buf *out, const char *s, size_t len, int cols);

/* One bar: its label, how full it is (0–1; outside is clamped) and the text after it, which
 * says the numbers ("82% · 41 of 50"). */
struct chart_bar {
	const char *label;
	double fraction;
	const char *value;
};
enum { CHART_MAX_BARS = 40 };
/* A horizontal bar chart, one row per bar (at most CHART_MAX_BARS), the label and its value
 * above the bar; role="img" with the title as its accessible name, and each bar's label and
 * value in its own <title>, so that the numbers are text for screen readers too. */
void chart_bars_svg(struct buf *out, const struct chart_bar *bars, size_t n, const char *title);

/* A question's results as an HTML table (the chart is the table, so screen readers read its
 * numbers as data): one row per answer with its label, a bar, the count and the share of
 * total, the respondents of the question (100% = all of them, so that the shares of a
 * multiple choice may add up to more). Shares are whole percentages, rounded half up. Text
 * stays HTML, at the page's size on a phone; each bar is a text-free SVG hidden from screen
 * readers, drawn with attributes and classes only (no style: the CSP forbids inline styles). */
struct chart_row {
	const char *label;
	long long count;
};
struct chart_words {
	const char *caption;                          /* the table's name */
	const char *label_head, *count_head, *share_head; /* the column headers */
	int caption_hidden;                           /* a heading beside it already says it */
};
/* The share of count in total, in whole percent (0 when total is 0, at most 100). */
int chart_percent(long long count, long long total);
void chart_table(struct buf *out, const struct chart_row *rows, size_t n, long long total,
		 const struct chart_words *w);

#endif
