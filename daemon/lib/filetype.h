/* filetype: what an uploaded file is, from its first bytes, against the short list of kinds
 * the materials library accepts (PDF, Office documents, images, plain text, ZIP). The name a
 * client gives and the type it claims are never trusted alone: a page named notes.pdf is
 * still a page. Free of libevent and SQLite. */
#ifndef AGORA_FILETYPE_H
#define AGORA_FILETYPE_H

#include <stddef.h>

/* Bytes of a file's beginning that ft_sniff needs at most. */
enum { FT_HEAD = 4096 };

enum ft_kind { FT_NONE, FT_PDF, FT_PNG, FT_JPEG, FT_GIF, FT_WEBP, FT_ZIP, FT_OLE, FT_TEXT };

/* The kind of a file whose first len bytes are head (all of it when complete is 1, else at
 * least min(FT_HEAD, size) bytes). FT_TEXT is UTF-8 without NUL or control characters other
 * than tab, form feed and line ends, that does not open like markup (HTML, XML, SVG: its
 * first non-blank character is not '<'); an empty file is text. FT_NONE for anything else. */
enum ft_kind ft_sniff(const unsigned char *head, size_t len, int complete);

/* The Content-Type to serve a file of kind k with: claimed (lower case, no parameters) when it
 * is one of the types of that kind (an OOXML type for a ZIP, text/csv for text...), else the
 * kind's own type; application/octet-stream stays (any kind may be served so). NULL for
 * FT_NONE. */
const char *ft_type(enum ft_kind k, const char *claimed);

#endif
