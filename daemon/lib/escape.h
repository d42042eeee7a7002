/* escape: text made safe for where it lands (HTML element text and quoted attributes, URL
 * components). Free of libevent and SQLite. */
#ifndef AGORA_ESCAPE_H
#define AGORA_ESCAPE_H

#include <stddef.h>

#include "util.h"

/* Appends s with & < > " ' replaced by entities: safe in element text and quoted attributes. */
void html_escape(struct buf *out, const char *s, size_t len);
/* Appends s percent-encoded except for RFC 3986 unreserved characters. */
void url_encode(struct buf *out, const char *s, size_t len);

/* Appends the text a reader sees in html as rendered by our Markdown renderer: tags removed
 * (block-level tags and <br> become a line break, so words of two paragraphs stay apart),
 * the entities html_escape writes and numeric character references decoded, other named
 * entities kept as written. Never fails; output is valid UTF-8 when the input is. */
void html_to_text(struct buf *out, const char *html, size_t len);

/* The value of one hex digit, or -1. */
int hex_digit(int c);

#endif
