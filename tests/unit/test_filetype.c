/* Unit tests for filetype: the kinds of upload Agora accepts, judged by their first bytes. */
#include <string.h>

#include "check_main.h"
#include "filetype.h"

struct kind_case {
	const char *bytes;
	size_t len;
	enum ft_kind kind;
};
#define KIND(lit, k) {lit, sizeof(lit) - 1, k}

START_TEST(sniff_by_bytes_not_name)
{
	static const struct kind_case cases[] = {
		KIND("%PDF-1.7\n", FT_PDF),
		KIND("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", FT_PNG),
		KIND("\xFF\xD8\xFF\xE0\0\x10JFIF", FT_JPEG),
		KIND("GIF89a\x01\0", FT_GIF),
		KIND("GIF87a\x01\0", FT_GIF),
		KIND("RIFF\x10\0\0\0WEBPVP8 ", FT_WEBP),
		KIND("RIFF\x10\0\0\0WAVEfmt ", FT_NONE), /* RIFF, but sound */
		KIND("PK\x03\x04\x14\0", FT_ZIP),
		KIND("PK\x05\x06\0\0\0\0", FT_ZIP),
		KIND("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0", FT_OLE),
		KIND("Plain notes, 中文.\r\n\tindented\f", FT_TEXT),
		KIND("", FT_TEXT),
		KIND("<!DOCTYPE html><script>alert(1)</script>", FT_NONE),
		KIND("\xEF\xBB\xBF \n <html>", FT_NONE),
		KIND("<svg xmlns=\"http://www.w3.org/2000/svg\"/>", FT_NONE),
		KIND("<?xml version=\"1.0\"?>", FT_NONE),
		KIND("MZ\x90\0\x03\0", FT_NONE),            /* a Windows program */
		KIND("\x7F" "ELF\x02\x01", FT_NONE),          /* a Linux one */
		KIND("text with a NUL\0", FT_NONE),
		KIND("bad \xC3\x28 UTF-8", FT_NONE),
		KIND("%PD", FT_TEXT),                          /* too short to be a PDF: just text */
	};
	for (size_t i = 0; i < UNIT_COUNT(cases); i++)
		ck_assert_msg(ft_sniff((const unsigned char *)cases[i].bytes, cases[i].len, 1) == cases[i].kind,
			      "case %zu: got %d, want %d", i, ft_sniff((const unsigned char *)cases[i].bytes, cases[i].len, 1),
			      cases[i].kind);
}
END_TEST

/* The head of a longer file may end inside a UTF-8 sequence: still text. */
START_TEST(sniff_cut_head)
{
	const unsigned char cut[] = "\xE4\xB8\xAD\xE6"; /* 中 and the first byte of 文 */
	ck_assert_int_eq(ft_sniff(cut, 4, 0), FT_TEXT);
	ck_assert_int_eq(ft_sniff(cut, 4, 1), FT_NONE);
}
END_TEST

START_TEST(types_served)
{
	const char *docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	ck_assert_str_eq(ft_type(FT_ZIP, docx), docx);
	ck_assert_str_eq(ft_type(FT_ZIP, "application/pdf"), "application/zip");
	ck_assert_str_eq(ft_type(FT_TEXT, "text/html"), "text/plain");
	ck_assert_str_eq(ft_type(FT_TEXT, "text/csv"), "text/csv");
	ck_assert_str_eq(ft_type(FT_PNG, NULL), "image/png");
	ck_assert_str_eq(ft_type(FT_PDF, "application/octet-stream"), "application/octet-stream");
	ck_assert_ptr_null(ft_type(FT_NONE, "text/plain"));
}
END_TEST

static const struct unit_tcase filetype_cases[] = {
	{.name = "sniff", .tests = UNIT_TESTS(&sniff_by_bytes_not_name, &sniff_cut_head, &types_served)},
};

UNIT_SUITE(filetype, filetype_cases)

const struct unit_tests unit_tests = {.suites = {filetype_suite}};
