#include "quote.h"

#include <string.h>

void quote_markdown(struct buf *out, const char *username, int64_t post_id, const char *source)
{
	const char *s = source ? source : "";
	buf_printf(out, "[@%s](/p/%lld):\n", username, (long long)post_id);
	while (*s) {
		size_t n = strcspn(s, "\n"), len = n;
		if (len && s[len - 1] == '\r')
			len--;
		buf_puts(out, len ? "> " : ">");
		buf_append(out, s, len);
		buf_putc(out, '\n');
		s += n + (s[n] == '\n');
	}
	buf_putc(out, '\n');
}
