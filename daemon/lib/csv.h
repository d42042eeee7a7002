/* csv: the rows of every CSV export (RFC 4180), as spreadsheet programs read them safely. */
#ifndef AGORA_CSV_H
#define AGORA_CSV_H

#include <stddef.h>

#include "util.h"

/* What every export starts with: a UTF-8 byte order mark, without which spreadsheet programs
 * read Chinese as mojibake (API.md, Round 2). */
#define CSV_BOM "\xEF\xBB\xBF"

/* One field of len bytes: quoted when it holds a comma, quote or line break; a field a
 * spreadsheet would run as a formula (= + - @, tab or CR first) gets a leading apostrophe. */
void csv_field(struct buf *out, const char *s, size_t len);
/* A whole row of n fields (NULL is empty) and its CRLF. */
void csv_row(struct buf *out, const char *const *cells, size_t n);

#endif
