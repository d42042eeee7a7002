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
/* 1 when valid UTF-8 s holds a character that is invisible yet changes how the text around it
 * reads: the bidirectional embeddings, overrides, isolates and marks (U+202A-U+202E,
 * U+2066-U+2069, U+200E, U+200F, U+061C) that make "admin" of "nimda" or hide a file's real
 * extension, and the zero-width characters (U+200B-U+200D, U+2060, U+FEFF) that make two
 * names look alike. U+200D also joins emoji sequences: those names and titles are refused. */
int utf8_has_hidden(const char *s, size_t len);
/* A name or title on one line: utf8_text_ok without newlines, and nothing utf8_has_hidden finds. */
int utf8_line_ok(const char *s, size_t len);

#endif
