/* snippet: the piece of a post shown under a search result, with what was searched for
 * marked. Works on plain text (see html_to_text) and produces safe HTML: every byte of the
 * text is escaped, the only markup is <mark>..</mark>. Free of libevent and SQLite. */
#ifndef AGORA_SNIPPET_H
#define AGORA_SNIPPET_H

#include <stddef.h>

#include "util.h"

enum { SNIPPET_CHARS = 160 };

/* Appends to out about `window` characters of text (runs of white space count as one
 * space) around the first place where one of the needles occurs, with "…" where text was
 * cut, and every occurrence of a needle inside wrapped in <mark>. Needles (runs of one
 * textseg class) match as the index does: case-folded like the tokenizer (seg_fold), a
 * word only at the start of a word (also as a prefix), a CJK run anywhere; the longest
 * needle wins where several match. With no occurrence, the start of the text. Cuts fall on
 * character boundaries; invalid UTF-8 becomes U+FFFD. */
void snippet_html(struct buf *out, const char *text, size_t len, const char *const *needles, size_t nneedles,
		  size_t window);

#endif
