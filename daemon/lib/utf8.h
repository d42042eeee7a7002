/* utf8: validation of the text Agora accepts. Invalid UTF-8 is refused at the edge and never
 * stored (DESIGN.md), so these checks are strict. Free of libevent and SQLite. */
#ifndef AGORA_UTF8_H
#define AGORA_UTF8_H

#include <stddef.h>

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, nothing above
 * U+10FFFF) and contains no NUL byte; else 0. */
int utf8_valid(const char *s, size_t len);
/* The length of the well-formed sequence at s[0] (of avail bytes, at least 1), or 0 when it
 * is malformed or a NUL: for walking text one character at a time. */
size_t utf8_seq(const unsigned char *s, size_t avail);
/* Number of code points in valid UTF-8. */
size_t utf8_length(const char *s, size_t len);
/* 1 when valid and free of ASCII control characters other than \t \n \r (for single-line
 * fields pass allow_newlines=0: then \n and \r are refused too). */
int utf8_text_ok(const char *s, size_t len, int allow_newlines);

#endif
