/* libFuzzer target for imagemeta: an uploaded image's bytes are the attacker's. Asserts what
 * the upload path relies on: reads and rewrites stay within len (ASan); stripping never grows
 * the file, keeps its format, and is done once and for all (stripping again changes nothing);
 * a size read is positive. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imagemeta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy = malloc(size ? size : 1); /* exact size: ASan sees any over-read */
	memcpy(copy, data, size);
	int w = 0, h = 0;
	if (img_size(copy, size, &w, &h) == 0)
		assert(w > 0 && h > 0);
	enum img_format f = img_format(copy, size);
	size_t n = img_strip(copy, size);
	assert(n <= size);
	if (n > 0) {
		assert(img_format(copy, n) == f);
		assert(img_strip(copy, n) == n);
	}
	free(copy);
	return 0;
}
