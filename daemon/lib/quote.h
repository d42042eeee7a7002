/* quote: the Markdown of a quote-reply, built from the quoted post's Markdown source. Free of
 * libevent and SQLite. */
#ifndef AGORA_QUOTE_H
#define AGORA_QUOTE_H

#include <stdint.h>

#include "util.h"

/* Appends to out "[@username](/p/POST_ID):", then each line of source behind "> " (">" alone
 * for an empty line, a CR before the line end dropped), then a blank line. A quote inside the
 * source becomes a quote nested one deeper, as Markdown reads it. */
void quote_markdown(struct buf *out, const char *username, int64_t post_id, const char *source);

#endif
