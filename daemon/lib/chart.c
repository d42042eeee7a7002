/* chart: the pieces of the server-drawn SVG charts (questionnaire results in survey.c, the
 * training report's bars here). */
#include "chart.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"

void chart_text(struct buf *out, const char *s, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != 0x7F)
			continue;
		html_escape(out, s + start, i - start);
		buf_putc(out, ' ');
		start = i + 1;
	}
	html_escape(out, s + start, len - start);
}

/* Decodes the sequence at s and sets *n to its length: a lead byte plus the continuation
 * bytes after it, so a cut at i + *n never splits a sequence even in malformed input. */
static unsigned decode(const unsigned char *s, size_t avail, size_t *n)
{
	unsigned cp = s[0];
	size_t len = 1;

	while (len < avail && len < 4 && (s[len] & 0xC0) == 0x80)
		len++;
	if (len > 1)
		cp &= 0x7Fu >> len;
	for (size_t i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3Fu);
	*n = len;
	return cp;
}

/* East Asian wide characters and emoji take about two Latin columns. */
static int is_wide(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
	       (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* Byte length of the longest prefix of s, made of whole characters, within cols columns. */
static size_t prefix_within(const char *s, size_t len, int cols)
{
	size_t i = 0, n;
	int used = 0;

	while (i < len) {
		int w = is_wide(decode((const unsigned char *)s + i, len - i, &n)) ? 2 : 1;
		if (used + w > cols)
			break;
		used += w;
		i += n;
	}
	return i;
}

void chart_label(struct buf *out, const char *s, size_t len, int cols)
{
	if (prefix_within(s, len, cols) == len) {
		chart_text(out, s, len);
		return;
	}
	chart_text(out, s, prefix_within(s, len, cols - 1));
	buf_puts(out, "\xE2\x80\xA6"); /* U+2026 … */
}


/* Geometry of chart_bars_svg, in viewBox units: narrow, so that on a 375 px phone the chart
 * is drawn at about its own size and its 13-unit text stays readable; labels sit above their
 * bars, so that a long name does not squeeze the bar. */
enum { W = 360, ROW = 40, TEXT_Y = 14, BAR_Y = 20, BAR_H = 12, FONT = 13, VALUE_COLS = 18 };

static void bar_row(struct buf *out, int i, const struct chart_bar *b)
{
	double f = b->fraction < 0 ? 0 : b->fraction > 1 ? 1 : b->fraction;
	const char *label = b->label ? b->label : "", *value = b->value ? b->value : "";
	int y = i * ROW;
	buf_puts(out, "<g class=\"bar\"><title>");
	chart_text(out, label, strlen(label));
	buf_puts(out, ": ");
	chart_text(out, value, strlen(value));
	buf_printf(out, "</title><text class=\"bar-label\" x=\"0\" y=\"%d\">", y + TEXT_Y);
	chart_label(out, label, strlen(label), W / 7 - VALUE_COLS);
	buf_printf(out, "</text><text class=\"bar-count\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", W, y + TEXT_Y);
	chart_text(out, value, strlen(value));
	buf_printf(out, "</text><rect class=\"bar-track\" x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#eef0f4\""
		   " stroke=\"#c8ccd4\"/><rect class=\"bar-fill\" x=\"0\" y=\"%d\" width=\"%.1f\" height=\"%d\""
		   " fill=\"#3b6fb6\"/></g>", y + BAR_Y, W, BAR_H, y + BAR_Y, f * W, BAR_H);
}

void chart_bars_svg(struct buf *out, const struct chart_bar *bars, size_t n, const char *title)
{
	if (n > CHART_MAX_BARS)
		n = CHART_MAX_BARS;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"report-chart\" role=\"img\""
		   " viewBox=\"0 0 %d %d\" width=\"100%%\" font-family=\"sans-serif\" font-size=\"%d\" fill=\"#222\""
		   " aria-label=\"", W, (int)n * ROW + 4, FONT);
	chart_text(out, title ? title : "", title ? strlen(title) : 0);
	buf_puts(out, "\"><title>");
	chart_text(out, title ? title : "", title ? strlen(title) : 0);
	buf_puts(out, "</title>");
	for (size_t i = 0; i < n; i++)
		bar_row(out, (int)i, &bars[i]);
	buf_puts(out, "</svg>");
}

/* ---- a question's results: the table is the chart ---- */

int chart_percent(long long count, long long total)
{
	if (total <= 0 || count <= 0)
		return 0;
	if (count >= total)
		return 100;
	return (int)((count * 100 + total / 2) / total);
}

static void cell_text(struct buf *out, const char *s)
{
	chart_text(out, s ? s : "", s ? strlen(s) : 0);
}

/* The bar fills its share of a 100-unit track; preserveAspectRatio="none" lets CSS give it
 * the cell's width and any height, and it holds no text for the viewBox to shrink. */
static void table_row(struct buf *out, const struct chart_row *row, long long total)
{
	long long count = row->count > 0 ? row->count : 0;
	int pct = chart_percent(count, total);
	double fill = total > 0 ? (double)(count < total ? count : total) * 100.0 / (double)total : 0;

	buf_puts(out, "<tr><th scope=\"row\"><span class=\"chart-label\">");
	cell_text(out, row->label);
	buf_printf(out, "</span><svg class=\"chart-bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\""
		   " aria-hidden=\"true\" focusable=\"false\"><rect class=\"bar-track\" width=\"100\" height=\"10\""
		   " fill=\"#eef0f4\"/><rect class=\"bar-fill\" width=\"%.1f\" height=\"10\" fill=\"#3b6fb6\"/>"
		   "</svg></th><td class=\"num\">%lld</td><td class=\"num\">%d%%</td></tr>",
		   fill, count, pct);
}

void chart_table(struct buf *out, const struct chart_row *rows, size_t n, long long total,
		 const struct chart_words *w)
{
	if (n > CHART_MAX_BARS)
		n = CHART_MAX_BARS;
	buf_puts(out, w->caption_hidden ? "<table class=\"chart\"><caption class=\"visually-hidden\">"
					: "<table class=\"chart\"><caption>");
	cell_text(out, w->caption);
	buf_puts(out, "</caption><thead><tr><th scope=\"col\">");
	cell_text(out, w->label_head);
	buf_puts(out, "</th><th scope=\"col\" class=\"num\">");
	cell_text(out, w->count_head);
	buf_puts(out, "</th><th scope=\"col\" class=\"num\">");
	cell_text(out, w->share_head);
	buf_puts(out, "</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++)
		table_row(out, &rows[i], total);
	buf_puts(out, "</tbody></table>");
}
