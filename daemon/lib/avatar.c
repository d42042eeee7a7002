#include "avatar.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* Han, kana, Hangul and their punctuation-free blocks: one character stands for the name. */
static int is_cjk(uint32_t c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0x20000 && c <= 0x3FFFF);
}

static uint32_t decode(const unsigned char *s, size_t n)
{
	static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
	uint32_t c = s[0] & lead_mask[n];
	for (size_t i = 1; i < n; i++)
		c = (c << 6) | (s[i] & 0x3F);
	return c;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '-' || c == '_' || c == '.';
}

/* Appends the character at s (n bytes) to out, upper-casing ASCII letters. */
static size_t put_char(char *out, size_t at, size_t size, const unsigned char *s, size_t n)
{
	if (at + n >= size)
		return at;
	memcpy(out + at, s, n);
	if (n == 1 && s[0] >= 'a' && s[0] <= 'z')
		out[at] = (char)(s[0] - 'a' + 'A');
	out[at + n] = '\0';
	return at + n;
}

/* The start of the last word of s (after the last separator), or NULL when s has one word. */
static const unsigned char *last_word(const unsigned char *s, size_t len)
{
	const unsigned char *found = NULL;
	for (size_t i = 1; i < len; i++)
		if (is_space(s[i - 1]) && !is_space(s[i]))
			found = s + i;
	return found;
}

/* 1 when name gave initials. */
static int initials_of(const char *name, char *out, size_t size)
{
	const unsigned char *s = (const unsigned char *)(name ? name : "");
	size_t len = strlen((const char *)s);
	while (len && is_space(*s))
		s++, len--;
	size_t n = len ? utf8_seq(s, len) : 0;
	if (!n)
		return 0;
	size_t at = put_char(out, 0, size, s, n);
	if (is_cjk(decode(s, n)))
		return 1;
	const unsigned char *w = last_word(s, len);
	size_t wn = w ? utf8_seq(w, len - (size_t)(w - s)) : 0;
	if (wn && !is_cjk(decode(w, wn)))
		put_char(out, at, size, w, wn);
	return 1;
}

void avatar_initials(const char *display_name, const char *username, char *out, size_t size)
{
	out[0] = '\0';
	if (initials_of(display_name, out, size))
		return;
	char one[AVATAR_INITIALS_MAX];
	if (initials_of(username, one, sizeof one)) {
		size_t n = utf8_seq((const unsigned char *)one, strlen(one));
		put_char(out, 0, size, (const unsigned char *)one, n ? n : 1);
		return;
	}
	put_char(out, 0, size, (const unsigned char *)"?", 1);
}

int avatar_tone(const char *username)
{
	uint32_t h = 2166136261u; /* FNV-1a: any stable spread will do */
	for (const unsigned char *p = (const unsigned char *)(username ? username : ""); *p; p++)
		h = (h ^ *p) * 16777619u;
	return (int)(h % AVATAR_TONES);
}
