/* libFuzzer target for filetype: an upload's first bytes are the attacker's. Asserts what the
 * upload path relies on: a kind for every input, read within len (ASan); a type served for
 * every kind but FT_NONE; text never holds a NUL; what is text whole is text as a cut head
 * (complete = 0) too, but for the empty input. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filetype.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *copy = malloc(size ? size : 1); /* exact size: ASan sees any over-read */
	memcpy(copy, data, size);
	enum ft_kind whole = ft_sniff(copy, size, 1), cut = ft_sniff(copy, size, 0);
	assert((ft_type(whole, NULL) == NULL) == (whole == FT_NONE));
	assert(ft_type(whole, "application/octet-stream") == NULL || whole != FT_NONE);
	if (whole == FT_TEXT) {
		assert(memchr(copy, 0, size) == NULL);
		assert(size == 0 || cut == FT_TEXT);
	}
	free(copy);
	return 0;
}
