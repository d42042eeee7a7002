/* textseg: how search cuts text into words. One definition of which code points are letters
 * of alphabetic scripts, which are CJK (written without spaces) and which separate, shared
 * by the FTS5 tokenizer, the query builder and the snippet highlighter so that the three
 * can never disagree. Tolerates invalid UTF-8 (an invalid byte separates). Free of libevent
 * and SQLite. */
#ifndef AGORA_TEXTSEG_H
#define AGORA_TEXTSEG_H

#include <stddef.h>
#include <stdint.h>

enum seg_class {
	SEG_SEP = 0, /* spaces, punctuation, symbols, invalid bytes */
	SEG_WORD,    /* letters and digits of alphabetic scripts */
	SEG_CJK,     /* ideographs (with extensions and compatibility forms), kana, hangul */
};

/* A maximal run of one class other than SEG_SEP: bytes [start, end), nchars code points. */
struct seg_run {
	size_t start, end, nchars;
	enum seg_class cls;
};

/* Decodes the code point at s[*i] (i < len) and advances *i past it; an invalid or truncated
 * sequence gives -1 and advances by one byte. */
int32_t seg_decode(const char *s, size_t len, size_t *i);
enum seg_class seg_classify(int32_t cp);
/* The case-folded form of a word character: ASCII and Latin-1 letters lowered, fullwidth
 * ASCII letters and digits mapped to ASCII. Others unchanged. */
int32_t seg_fold(int32_t cp);
/* Writes cp as UTF-8 into out (4 bytes at most); returns the length. */
size_t seg_encode(int32_t cp, char *out);
/* Finds the next run at or after *pos and moves *pos past it. 0 when there is none. */
int seg_next_run(const char *s, size_t len, size_t *pos, struct seg_run *run);

#endif
