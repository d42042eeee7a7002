#include "imagemeta.h"

#include <stdint.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

enum img_format img_format(const unsigned char *b, size_t n)
{
	if (n >= 8 && !memcmp(b, "\x89PNG\r\n\x1a\n", 8))
		return IMG_PNG;
	if (n >= 3 && !memcmp(b, "\xFF\xD8\xFF", 3))
		return IMG_JPEG;
	if (n >= 6 && (!memcmp(b, "GIF87a", 6) || !memcmp(b, "GIF89a", 6)))
		return IMG_GIF;
	if (n >= 12 && !memcmp(b, "RIFF", 4) && !memcmp(b + 8, "WEBP", 4))
		return IMG_WEBP;
	return IMG_NONE;
}

/* JPEG markers that start a frame (SOF0..SOF15 but DHT C4, JPG C8 and DAC CC). */
static int is_sof(unsigned char m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* Walks JPEG segments from the SOI up to the frame header. */
static int jpeg_size(const unsigned char *b, size_t n, int *w, int *h)
{
	size_t i = 2;
	while (i + 4 <= n) {
		if (b[i] != 0xFF)
			return -1;
		unsigned char m = b[i + 1];
		if (m == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		size_t len = (size_t)b[i + 2] << 8 | b[i + 3];
		if (len < 2)
			return -1;
		if (is_sof(m)) {
			if (i + 9 > n)
				return -1;
			*h = b[i + 5] << 8 | b[i + 6];
			*w = b[i + 7] << 8 | b[i + 8];
			return 0;
		}
		if (m == 0xDA) /* scan data before any frame header */
			return -1;
		i += 2 + len;
	}
	return -1;
}

/* The first chunk of a WebP file: VP8 (lossy key frame), VP8L (lossless) or VP8X (extended). */
static int webp_size(const unsigned char *b, size_t n, int *w, int *h)
{
	if (n < 30 && !(n >= 25 && !memcmp(b + 12, "VP8L", 4)))
		return -1;
	const unsigned char *c = b + 12, *d = b + 20;
	if (!memcmp(c, "VP8 ", 4) && !memcmp(d + 3, "\x9D\x01\x2A", 3)) {
		*w = (d[6] | d[7] << 8) & 0x3FFF;
		*h = (d[8] | d[9] << 8) & 0x3FFF;
	} else if (!memcmp(c, "VP8L", 4) && d[0] == 0x2F) {
		uint32_t bits = le32(d + 1);
		*w = (int)(bits & 0x3FFF) + 1;
		*h = (int)((bits >> 14) & 0x3FFF) + 1;
	} else if (!memcmp(c, "VP8X", 4)) {
		*w = (int)(d[4] | d[5] << 8 | d[6] << 16) + 1;
		*h = (int)(d[7] | d[8] << 8 | d[9] << 16) + 1;
	} else
		return -1;
	return 0;
}

int img_size(const unsigned char *b, size_t n, int *width, int *height)
{
	int w = 0, h = 0, rc = -1;
	switch (img_format(b, n)) {
	case IMG_PNG:
		if (n >= 24 && !memcmp(b + 12, "IHDR", 4) && be32(b + 16) <= 0x7FFFFFFF && be32(b + 20) <= 0x7FFFFFFF) {
			w = (int)be32(b + 16);
			h = (int)be32(b + 20);
			rc = 0;
		}
		break;
	case IMG_JPEG: rc = jpeg_size(b, n, &w, &h); break;
	case IMG_GIF:
		if (n >= 10) {
			w = b[6] | b[7] << 8;
			h = b[8] | b[9] << 8;
			rc = 0;
		}
		break;
	case IMG_WEBP: rc = webp_size(b, n, &w, &h); break;
	case IMG_NONE: break;
	}
	if (rc != 0 || w <= 0 || h <= 0)
		return -1;
	*width = w;
	*height = h;
	return 0;
}

static int mentions(const unsigned char *p, size_t n, const char *word)
{
	size_t k = strlen(word);
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(p + i, word, k))
			return 1;
	return 0;
}

/* A JPEG APPn segment (E0..EF) to drop: Exif, or anything naming GPS. */
static int jpeg_drop(unsigned char m, const unsigned char *payload, size_t len)
{
	if (m < 0xE0 || m > 0xEF)
		return 0;
	return (m == 0xE1 && len >= 6 && !memcmp(payload, "Exif\0\0", 6)) || mentions(payload, len, "GPS");
}

/* Copies the segments before the scan, leaving out the dropped ones; the scan and what
 * follows it are kept as they are. */
static size_t jpeg_strip(unsigned char *b, size_t n)
{
	size_t in = 2, out = 2;
	while (in + 4 <= n) {
		if (b[in] != 0xFF)
			return 0;
		unsigned char m = b[in + 1];
		size_t len = (size_t)b[in + 2] << 8 | b[in + 3];
		if (m == 0xDA) /* start of scan: the rest is image data */
			break;
		if (len < 2 || in + 2 + len > n)
			return 0;
		if (!jpeg_drop(m, b + in + 4, len - 2)) {
			memmove(b + out, b + in, 2 + len);
			out += 2 + len;
		}
		in += 2 + len;
	}
	if (in + 4 > n)
		return 0;
	memmove(b + out, b + in, n - in);
	return out + (n - in);
}

/* PNG chunks: length, type, data, CRC. eXIf goes; everything else stays in order. */
static size_t png_strip(unsigned char *b, size_t n)
{
	size_t in = 8, out = 8;
	while (in + 12 <= n) {
		uint32_t len = be32(b + in);
		if (len > n - in - 12)
			return 0;
		size_t whole = 12 + (size_t)len;
		int end = !memcmp(b + in + 4, "IEND", 4);
		if (memcmp(b + in + 4, "eXIf", 4)) {
			memmove(b + out, b + in, whole);
			out += whole;
		}
		in += whole;
		if (end)
			return out; /* bytes after the end are not the image's */
	}
	return 0;
}

/* RIFF chunks after "WEBP": EXIF and XMP go, and so do the VP8X flags that announce them
 * (0x08 EXIF, 0x04 XMP); the RIFF size is the new length less its 8-byte header. */
static size_t webp_strip(unsigned char *b, size_t n)
{
	size_t in = 12, out = 12, vp8x = 0;
	if ((size_t)le32(b + 4) + 8 < n) /* bytes after the RIFF are not the image's */
		n = (size_t)le32(b + 4) + 8;
	while (in + 8 <= n) {
		size_t len = le32(b + in + 4), whole = 8 + len + (len & 1);
		if (len > n - in - 8 || whole > n - in)
			return 0;
		int drop = !memcmp(b + in, "EXIF", 4) || !memcmp(b + in, "XMP ", 4);
		if (!drop) {
			if (!memcmp(b + in, "VP8X", 4) && len >= 10)
				vp8x = out;
			memmove(b + out, b + in, whole);
			out += whole;
		}
		in += whole;
	}
	if (in != n)
		return 0;
	if (vp8x)
		b[vp8x + 8] &= (unsigned char)~0x0C;
	put_le32(b + 4, (uint32_t)(out - 8));
	return out;
}

size_t img_strip(unsigned char *b, size_t n)
{
	switch (img_format(b, n)) {
	case IMG_PNG: return png_strip(b, n);
	case IMG_JPEG: return jpeg_strip(b, n);
	case IMG_WEBP: return webp_strip(b, n);
	case IMG_GIF: return n; /* GIF has no EXIF; its comments carry no position */
	case IMG_NONE: break;
	}
	return 0;
}
