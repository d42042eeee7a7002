/* md_stdin: renders the Markdown on standard input with md_render (daemon/lib/markdown.c) and
 * writes the HTML to standard output, so that a script can hold our renderer against the
 * CommonMark spec's examples (spec_test.py). Exit status 0; 1 when the input cannot be read. */
#include <stdio.h>

#include "markdown.h"
#include "util.h"

int main(void)
{
	struct buf in = BUF_INIT, out = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		buf_append(&in, chunk, n);
	if (ferror(stdin))
		return 1;
	md_render(in.data ? in.data : "", in.len, &out, NULL, NULL, NULL);
	fwrite(out.data ? out.data : "", 1, out.len, stdout);
	buf_free(&in);
	buf_free(&out);
	return 0;
}
