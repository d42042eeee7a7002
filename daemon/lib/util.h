/* util: the one out-of-memory policy, growable byte buffers and a per-request arena.
 * Free of libevent and SQLite so unit tests and fuzzers link it alone. */
#ifndef AGORA_UTIL_H
#define AGORA_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Allocation wrappers: they abort the process on out-of-memory, so callers never check. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Makes jansson allocate through xmalloc (and free with free), so JSON values follow the same
 * out-of-memory policy. Call once at start, before any json_t is made. */
void util_json_init(void);

/* A growable byte buffer, always NUL-terminated after the first append. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_reset(struct buf *b);
/* Hands the bytes to the caller (who frees them); the buffer becomes empty. Never NULL. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);
/* Appends the file's bytes (NUL-terminated, not counted in len). 0, or -1 with errno set,
 * EFBIG when the file holds more than max bytes (b then holds the start of it). */
int buf_read_file(const char *path, struct buf *b, size_t max);

/* A bump allocator for request-scoped memory: everything is freed at once by arena_free. */
struct arena;

struct arena *arena_new(void);
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

/* Unix seconds as an RFC 3339 UTC string, e.g. 2026-11-25T08:30:00Z (out holds 32 bytes). */
void time_rfc3339(long long t, char out[32]);
/* Parses "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]" (no zone means UTC) into Unix seconds.
 * 0, or -1 when the text is not such a time. */
int time_parse(const char *s, long long *out);

/* The one reader of decimal numbers from input (forms, queries, headers, the command line):
 * digits only (no sign, no space, at least one), a value from min to max. 0 with *out set, or
 * -1 with *out untouched, also when the number would overflow int64_t. s may be NULL. */
int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
