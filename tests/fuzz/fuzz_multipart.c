/* libFuzzer target for multipart: upload bodies are attacker bytes that arrive cut wherever
 * the network cuts them. Input: byte 0 picks a boundary, bytes 1-4 seed the cut points, the
 * rest is the body. Asserts the promises callers rely on, not just "no crash": the same
 * status and callbacks whole, byte by byte and in random pieces; callbacks in order; clean
 * names; a parser whose size never changes; errors that stick. The Content-Type parser sees
 * the whole input as a header value. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "multipart.h"
#include "utf8.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const boundaries[] = {"AaB03x", "-", "--", "a b", "----WebKitFormBoundaryx"};

/* What the callbacks saw, and checks of their order. */
struct rec {
	struct buf t;
	int in_part, parts;
};

static int on_begin(void *arg, const struct multipart_part *p)
{
	struct rec *r = arg;

	assert(!r->in_part && ++r->parts <= MP_MAX_PARTS);
	assert(p->name && utf8_text_ok(p->name, strlen(p->name), 0) && !strchr(p->name, '\t'));
	assert(!p->filename || utf8_text_ok(p->filename, strlen(p->filename), 0));
	r->in_part = 1;
	buf_printf(&r->t, "{%s|%s|%s}", p->name, p->filename ? p->filename : "-",
	           p->content_type ? p->content_type : "-");
	return 0;
}

static int on_data(void *arg, const char *d, size_t len)
{
	struct rec *r = arg;

	assert(r->in_part && len > 0);
	buf_append(&r->t, d, len);
	return 0;
}

static int on_end(void *arg)
{
	struct rec *r = arg;

	assert(r->in_part);
	r->in_part = 0;
	buf_puts(&r->t, "{/}");
	return 0;
}

static const struct multipart_callbacks CB = {on_begin, on_data, on_end};

/* Feeds body in pieces: whole when seed is 0, one byte at a time when 1, else sizes drawn
 * from an xorshift seeded with seed. Each piece is an exact-size copy so ASan catches a read
 * past it. */
static enum mp_status run(const char *boundary, const char *body, size_t len, uint32_t seed, struct rec *r)
{
	struct multipart *m = multipart_new(boundary, &CB, r);
	size_t mem = multipart_memory(m), off = 0;
	enum mp_status st = MP_OK;

	while (st == MP_OK && off < len) {
		size_t n = len - off;
		char *piece;
		if (seed == 1)
			n = 1;
		else if (seed != 0) {
			seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
			n = 1 + seed % (n < 64 ? n : 64);
		}
		piece = xmalloc(n);
		memcpy(piece, body + off, n);
		st = multipart_feed(m, piece, n);
		free(piece);
		off += n;
		assert(multipart_memory(m) == mem);
	}
	if (st == MP_OK)
		st = multipart_finish(m);
	else
		assert(multipart_feed(m, "\r\n", 2) == st && multipart_finish(m) == st);
	assert(st != MP_OK || !r->in_part);
	assert(st != MP_ABORTED);
	multipart_free(m);
	return st;
}

static void check_boundary(const uint8_t *data, size_t size)
{
	char *ct = xstrndup((const char *)data, size);
	char *b = multipart_boundary(ct);

	if (b) {
		size_t n = strlen(b);
		struct multipart *m = multipart_new(b, NULL, NULL);
		assert(n >= 1 && n <= MP_BOUNDARY_MAX && m);
		multipart_free(m);
	}
	free(b);
	free(ct);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rec whole = {BUF_INIT, 0, 0}, cut = {BUF_INIT, 0, 0}, bytes = {BUF_INIT, 0, 0};
	const char *body = (const char *)data + 5, *boundary;
	size_t len;
	uint32_t seed;
	enum mp_status st;

	check_boundary(data, size);
	if (size < 5)
		return 0;
	boundary = boundaries[data[0] % (sizeof boundaries / sizeof boundaries[0])];
	memcpy(&seed, data + 1, 4);
	seed |= 2; /* never 0 or 1: those are the whole and byte-by-byte runs */
	len = size - 5;
	st = run(boundary, body, len, 0, &whole);
	assert(run(boundary, body, len, seed, &cut) == st);
	assert(cut.t.len == whole.t.len && (!whole.t.len || !memcmp(cut.t.data, whole.t.data, whole.t.len)));
	if (len <= 4096) {
		assert(run(boundary, body, len, 1, &bytes) == st);
		assert(bytes.t.len == whole.t.len && (!whole.t.len || !memcmp(bytes.t.data, whole.t.data, whole.t.len)));
	}
	buf_free(&whole.t);
	buf_free(&cut.t);
	buf_free(&bytes.t);
	return 0;
}
