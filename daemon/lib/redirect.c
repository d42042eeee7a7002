#include "redirect.h"

#include <string.h>

#include "escape.h"

/* A byte that must not appear in a local path: controls, spaces, DEL and the backslash. */
static int bad_byte(unsigned char c)
{
	return c <= 0x20 || c == 0x7f || c == '\\';
}

/* The byte at s[*i], percent-decoded when it begins a %XX escape; *i moves past it. */
static unsigned char next_byte(const char *s, size_t *i)
{
	if (s[*i] == '%' && hex_digit(s[*i + 1]) >= 0 && hex_digit(s[*i + 2]) >= 0) {
		unsigned char c = (unsigned char)(hex_digit(s[*i + 1]) * 16 + hex_digit(s[*i + 2]));
		*i += 3;
		return c;
	}
	return (unsigned char)s[(*i)++];
}

int redirect_path_ok(const char *s)
{
	if (!s || s[0] != '/' || strlen(s) > REDIRECT_MAX)
		return 0;
	for (size_t i = 0; s[i]; i++)
		if (bad_byte((unsigned char)s[i]))
			return 0;
	if (!s[1])
		return 1;
	/* decoded once, every byte (the second one above all) must still be harmless */
	size_t i = 1;
	unsigned char second = next_byte(s, &i);
	if (second == '/' || bad_byte(second))
		return 0;
	while (s[i])
		if (bad_byte(next_byte(s, &i)))
			return 0;
	return 1;
}

const char *redirect_path_or_home(const char *s)
{
	return redirect_path_ok(s) ? s : "/";
}
