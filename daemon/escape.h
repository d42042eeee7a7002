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

/* The value of one hex digit, or -1. */
int hex_digit(int c);

#endif
