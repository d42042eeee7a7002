#include "mimesniff.h"

#include <magic.h>
#include <stdio.h>

int mime_sniff(const void *head, size_t len, char *out, size_t size)
{
	int rc = -1;
	out[0] = '\0';
	magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR);
	if (!m)
		return -1;
	if (magic_load(m, NULL) == 0) {
		const char *t = magic_buffer(m, head, len);
		if (t) {
			snprintf(out, size, "%s", t);
			rc = 0;
		}
	}
	magic_close(m);
	return rc;
}
