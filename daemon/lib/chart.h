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

#endif
