/* libFuzzer target for daemon/lib/markdown: any byte string goes to md_render. Crashes, sanitizer
 * reports, leaks and timeouts are the findings; the output itself is not checked here (the
 * unit tests check its safety). Build: see tests/fuzz/README.md. */
#include <stddef.h>
#include <stdint.h>

#include "markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore_mention(void *arg, const char *name, size_t len)
{
	(void)arg;
	(void)name;
	(void)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT;
	struct md_result res;
	md_render((const char *)data, size, &out, &res, ignore_mention, NULL);
	buf_free(&out);
	return 0;
}
