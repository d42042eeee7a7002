/* Unit tests for imagemeta: an image's size from its header, and its EXIF cut out. */
#include <string.h>

#include "check_main.h"
#include "imagemeta.h"
#include "mimesniff.h"

#define BYTES(lit) (const unsigned char *)(lit), sizeof(lit) - 1

static int has(const unsigned char *b, size_t n, const char *word, size_t k)
{
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(b + i, word, k))
			return 1;
	return 0;
}

START_TEST(sizes_from_headers)
{
	int w = 0, h = 0;
	ck_assert_int_eq(img_size(BYTES("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\x40\0\0\0\xF0"), &w, &h), 0);
	ck_assert_int_eq(w, 320);
	ck_assert_int_eq(h, 240);
	/* SOI, an APP0, then SOF0: precision 8, height 0x0258, width 0x0320 */
	ck_assert_int_eq(img_size(BYTES("\xFF\xD8\xFF\xE0\0\x04JF\xFF\xC0\0\x11\x08\x02\x58\x03\x20\x03"), &w, &h), 0);
	ck_assert_int_eq(w, 800);
	ck_assert_int_eq(h, 600);
	ck_assert_int_eq(img_size(BYTES("GIF89a\x10\0\x20\0\0\0"), &w, &h), 0);
	ck_assert_int_eq(w, 16);
	ck_assert_int_eq(h, 32);
	ck_assert_int_eq(img_size(BYTES("RIFF\x16\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0\x63\0\0\xc7\0\0"), &w, &h), 0);
	ck_assert_int_eq(w, 100);
	ck_assert_int_eq(h, 200);
	/* VP8L: signature 0x2F, then 14 bits of width-1 (9) and of height-1 (4) */
	ck_assert_int_eq(img_size(BYTES("RIFF\x12\0\0\0WEBPVP8L\x05\0\0\0\x2f\x09\x00\x01\x00\0"), &w, &h), 0);
	ck_assert_int_eq(w, 10);
	ck_assert_int_eq(h, 5);
	ck_assert_int_eq(img_size(BYTES("RIFF\x1a\0\0\0WEBPVP8 \x0e\0\0\0\0\0\0\x9d\x01\x2a\x40\x01\xf0\x00\0\0"), &w, &h), 0);
	ck_assert_int_eq(w, 320);
	ck_assert_int_eq(h, 240);
	ck_assert_int_eq(img_size(BYTES("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0"), &w, &h), -1); /* cut short */
	ck_assert_int_eq(img_size(BYTES("\xFF\xD8\xFF\xDA\0\x04xx"), &w, &h), -1);           /* no frame */
	ck_assert_int_eq(img_size(BYTES("<html>"), &w, &h), -1);
}
END_TEST

START_TEST(jpeg_loses_exif_and_gps)
{
	unsigned char b[] = "\xFF\xD8"
	                    "\xFF\xE0\0\x06JFIF"                    /* kept */
	                    "\xFF\xE1\0\x0d" "Exif\0\0GPS\0\0"      /* Exif: dropped */
	                    "\xFF\xE1\0\x0b" "xmp GPS:1"            /* XMP naming GPS: dropped */
	                    "\xFF\xDB\0\x04\x01\x02"                /* a table: kept */
	                    "\xFF\xDA\0\x04\x00\x00" "GPSpixels\xFF\xD9"; /* scan data untouched */
	size_t n = sizeof b - 1, m = img_strip(b, n);
	ck_assert_uint_eq(m, n - 15 - 13);
	ck_assert(!has(b, m, "Exif", 4));
	ck_assert(has(b, m, "JFIF", 4));
	ck_assert(has(b, m, "GPSpixels", 9));
	ck_assert(!memcmp(b + m - 2, "\xFF\xD9", 2));
	unsigned char cut[] = "\xFF\xD8\xFF\xE1\0\x40" "Exif"; /* a segment longer than the file */
	ck_assert_uint_eq(img_strip(cut, sizeof cut - 1), 0);
}
END_TEST

START_TEST(png_loses_exif_chunk)
{
	unsigned char b[] = "\x89PNG\r\n\x1a\n"
	                    "\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0CRC!"
	                    "\0\0\0\x04" "eXIfGPS!CRC!"
	                    "\0\0\0\0IENDCRC!"
	                    "trailing";
	size_t m = img_strip(b, sizeof b - 1);
	ck_assert_uint_eq(m, 8 + 25 + 12);
	ck_assert(!has(b, m, "eXIf", 4));
	ck_assert(!memcmp(b + m - 8, "IEND", 4));
}
END_TEST

START_TEST(webp_loses_exif_chunk)
{
	unsigned char b[] = "RIFF\x32\0\0\0WEBP"
	                    "VP8X\x0a\0\0\0\x0c\0\0\0\0\0\0\0\0\0"
	                    "EXIF\x05\0\0\0" "Exif\0\0"            /* odd length: one pad byte */
	                    "VP8L\x05\0\0\0\x2f\0\0\0\0\0";
	size_t m = img_strip(b, sizeof b - 1);
	ck_assert_uint_eq(m, 12 + 18 + 14);
	ck_assert(!has(b, m, "Exif", 4));
	ck_assert_uint_eq(b[4] | b[5] << 8, m - 8);
	ck_assert_uint_eq(b[20] & 0x0C, 0);
}
END_TEST

START_TEST(magic_reads_bytes)
{
	char t[128];
	ck_assert_int_eq(mime_sniff("<!DOCTYPE html><html><body>x</body></html>", 42, t, sizeof t), 0);
	ck_assert_str_eq(t, "text/html");
	ck_assert_int_eq(mime_sniff("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", 15, t, sizeof t), 0);
	ck_assert_str_eq(t, "application/pdf");
}
END_TEST

static const struct unit_tcase imagemeta_cases[] = {
	{.name = "size", .tests = UNIT_TESTS(&sizes_from_headers)},
	{.name = "strip", .tests = UNIT_TESTS(&jpeg_loses_exif_and_gps, &png_loses_exif_chunk, &webp_loses_exif_chunk)},
	{.name = "magic", .tests = UNIT_TESTS(&magic_reads_bytes)},
};

UNIT_SUITE(imagemeta, imagemeta_cases)

const struct unit_tests unit_tests = {.suites = {imagemeta_suite}};
