#include "csv.h"

#include <string.h>

/* The apostrophe is OWASP's advice against formula injection: the cell reads as text. */
void csv_field(struct buf *out, const char *s, size_t len)
{
	int guard = len > 0 && memchr("=+-@\t\r", s[0], 6) != NULL;
	int quote = 0;

	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (quote)
		buf_putc(out, '"');
	if (guard)
		buf_putc(out, '\'');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[i]);
	}
	if (quote)
		buf_putc(out, '"');
}

void csv_row(struct buf *out, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ',');
		const char *s = cells[i] ? cells[i] : "";
		csv_field(out, s, strlen(s));
	}
	buf_puts(out, "\r\n");
}
