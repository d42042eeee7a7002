/* multipart: a streaming parser for multipart/form-data request bodies (RFC 7578, framing
 * from RFC 2046). Uploads of tens of MiB arrive in pieces from the network, so the parser
 * never holds the body: it keeps one fixed-size object (the delimiter and an 8 KiB buffer for
 * one part's headers) whatever the input, and hands data to callbacks as soon as it cannot
 * be the start of a delimiter. Free of libevent and SQLite so unit tests and fuzzers link it
 * alone (with util.c and utf8.c).
 *
 * What it accepts, and what it refuses (MP_MALFORMED unless said otherwise):
 * - The preamble before the first delimiter and the epilogue after the closing one are
 *   ignored. A delimiter is CRLF "--" BOUNDARY (the first may start the body without the
 *   CRLF), then spaces/tabs, then CRLF; or "--" for the closing one. Once CRLF "--" BOUNDARY
 *   has been seen, anything else after it is refused (RFC 2046 forbids the boundary inside a
 *   part). A closing delimiter as the first one is an empty form: MP_OK, no parts.
 * - Line endings must be CRLF: a bare LF or bare CR in a delimiter line or part headers is
 *   refused. Browsers always send CRLF, and one framing rule leaves no room for a proxy and
 *   us to disagree on where a part ends. (A body using LF only never shows a delimiter
 *   after its first line, so it ends as MP_MALFORMED or MP_INCOMPLETE.)
 * - Part headers: "Name: value" lines up to an empty line, at most MP_HEADER_MAX bytes in
 *   all counting every CRLF (else MP_TOO_BIG); names case-insensitive; no NUL, no folded
 *   (indented) lines, no space before the colon. Content-Disposition is required, once:
 *   "form-data" then parameters name (required), filename, filename* (each at most once;
 *   others ignored), values as token or quoted-string with backslash escapes.
 *   filename*=UTF-8'lang'percent-encoded (RFC 5987; only the UTF-8 charset) wins over
 *   filename. name and filename must be UTF-8 without control characters (C0, DEL, C1,
 *   tab). Content-Type, optional and at most once, must be printable ASCII; other headers
 *   (Content-Transfer-Encoding included, which RFC 7578 deprecates) are ignored.
 * - At most MP_MAX_PARTS parts (MP_TOO_BIG on the next one).
 * - Data is passed through untouched (binary safe, NULs allowed), without the CRLF that
 *   precedes the next delimiter. A part's data may come in any number of calls, of any
 *   sizes, including a few bytes of a near-miss delimiter in a call of their own. */
#ifndef AGORA_MULTIPART_H
#define AGORA_MULTIPART_H

#include <stddef.h>

enum {
	MP_BOUNDARY_MAX = 70, /* RFC 2046: 1 to 70 characters */
	MP_HEADER_MAX = 8192, /* bytes of one part's header block, blank line included */
	MP_MAX_PARTS = 64
};

struct multipart;

/* What part_begin learns of a part. The strings belong to the parser and are valid during
 * the call only. */
struct multipart_part {
	const char *name;         /* form field name (from Content-Disposition); may be "" */
	const char *filename;     /* NULL when the part is not a file; "" for a file input with
	                           * no file chosen. A client's name, never to be used as a path */
	const char *content_type; /* NULL when absent */
};

/* Each returns 0 to go on, non-zero to abort the parse (multipart_feed then returns
 * MP_ABORTED). Any of them may be NULL. For each part: one part_begin, any number of
 * part_data, one part_end once the next delimiter is confirmed; after an error no further
 * call is made, so a part begun but not ended must be thrown away by the caller. The
 * callbacks must not feed or free the parser. */
struct multipart_callbacks {
	int (*part_begin)(void *arg, const struct multipart_part *part);
	int (*part_data)(void *arg, const char *data, size_t len);
	int (*part_end)(void *arg);
};

enum mp_status { MP_OK = 0, MP_MALFORMED = -1, MP_TOO_BIG = -2, MP_ABORTED = -3, MP_INCOMPLETE = -4 };

/* The boundary parameter of a Content-Type header value ("multipart/form-data;
 * boundary=...", quoted or not, type and parameter names case-insensitive, other parameters
 * ignored). NULL when the type is not multipart/form-data, the header is malformed, or the
 * boundary is missing, given twice, empty, longer than 70 or not made of RFC 2046 bchars.
 * The caller frees the result. */
char *multipart_boundary(const char *content_type);
/* A parser for a body with this boundary (without the leading "--"); NULL when the boundary
 * is not one multipart_boundary could return. cb is copied; arg is passed to every callback.
 * The caller frees the parser with multipart_free. */
struct multipart *multipart_new(const char *boundary, const struct multipart_callbacks *cb, void *arg);
/* Feeds the next bytes of the body, in pieces of any size (one byte at a time works).
 * MP_OK, or an error; after an error every further call returns that same error. */
enum mp_status multipart_feed(struct multipart *m, const char *data, size_t len);
/* The body has ended: MP_OK only if the closing delimiter "--BOUNDARY--" was seen (the
 * epilogue after it is ignored), the sticky error if there was one, else MP_INCOMPLETE. */
enum mp_status multipart_finish(struct multipart *m);
void multipart_free(struct multipart *m);
/* Bytes the parser holds; the same from multipart_new to multipart_free, whatever is fed. */
size_t multipart_memory(const struct multipart *m);

#endif
