#include "demo_uploads.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "blobs.h"
#include "forum.h"
#include "uploads.h"

/* The demo's photograph, drawn here: sky over rows of young wheat, 480x320, an RGB PNG made
 * with zlib (a real photo would be a binary blob in the tree). */
enum { PIC_W = 480, PIC_H = 320 };

static void pixel(unsigned char *px, int x, int y)
{
	int horizon = PIC_H * 3 / 10;
	if (y < horizon) { /* sky, lighter towards the horizon */
		px[0] = (unsigned char)(120 + 100 * y / horizon), px[1] = (unsigned char)(170 + 60 * y / horizon), px[2] = 235;
		return;
	}
	int depth = y - horizon, row = (x + depth * 2) % (6 + depth / 12); /* rows narrowing to the horizon */
	int green = row < 2 ? 90 : 150 - depth / 6;
	px[0] = (unsigned char)(60 + depth / 8), px[1] = (unsigned char)(green > 60 ? green : 60), px[2] = 40;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Appends a chunk (type, data) with its length and CRC to out at *n. */
static void chunk(unsigned char *out, size_t *n, const char *type, const unsigned char *data, size_t len)
{
	put32(out + *n, (uint32_t)len);
	memcpy(out + *n + 4, type, 4);
	if (len) /* IEND has none, and memcpy wants a pointer even for nothing */
		memcpy(out + *n + 8, data, len);
	uLong crc = crc32(crc32(0, NULL, 0), out + *n + 4, (uInt)len + 4);
	put32(out + *n + 8 + len, (uint32_t)crc);
	*n += len + 12;
}

/* The PNG in malloc'd memory, its size in *len; NULL when zlib fails. */
static unsigned char *wheat_png(size_t *len)
{
	size_t raw_len = (size_t)PIC_H * (1 + PIC_W * 3);
	unsigned char *raw = malloc(raw_len), ihdr[13] = {0};
	uLongf zlen = compressBound(raw_len);
	unsigned char *z = malloc(zlen), *out = malloc(zlen + 64);
	for (int y = 0; y < PIC_H; y++) {
		unsigned char *row = raw + (size_t)y * (1 + PIC_W * 3);
		row[0] = 0; /* no filter */
		for (int x = 0; x < PIC_W; x++)
			pixel(row + 1 + x * 3, x, y);
	}
	if (compress2(z, &zlen, raw, raw_len, 9) != Z_OK) {
		free(raw), free(z), free(out);
		return NULL;
	}
	put32(ihdr, PIC_W), put32(ihdr + 4, PIC_H), ihdr[8] = 8, ihdr[9] = 2; /* 8-bit RGB */
	memcpy(out, "\x89PNG\r\n\x1a\n", 8);
	*len = 8;
	chunk(out, len, "IHDR", ihdr, sizeof ihdr);
	chunk(out, len, "IDAT", z, zlen);
	chunk(out, len, "IEND", NULL, 0);
	free(raw), free(z);
	return out;
}

int demo_uploads(struct agora_ctx *c)
{
	char sha[BLOB_HEX + 1];
	struct upload_file f, up;
	struct thread t;
	struct post p;
	size_t len = 0;
	unsigned char *png = wheat_png(&len);
	struct blob_writer *w = png ? blob_begin(c->files_dir) : NULL;
	int ok = w != NULL;
	if (ok && blob_write(w, png, len) != 0) {
		blob_abort(w);
		ok = 0;
	}
	ok = ok && blob_commit(w, sha) == 0;
	const struct upload_kind *k = ok ? upload_kind_of("image/png", png, len, 1) : NULL;
	free(png);
	if (!ok || !k)
		return -1;
	f = (struct upload_file){.sha = sha, .filename = "wheat.png", .size = (int64_t)len, .width = PIC_W, .height = PIC_H};
	if (upload_create(c, &f, k, &up) != AG_CREATED)
		return -1;
	const char *body = arena_printf(c->arena, "今天下乡拍的麦苗长势，大家看看这个密度合不合适？\n\n![麦苗长势](%s)",
					upload_url(c->arena, &up));
	return forum_thread_create(c, "spring-farming", "田间照片：麦苗长势", body, &t, &p) == AG_CREATED ? 0 : -1;
}
