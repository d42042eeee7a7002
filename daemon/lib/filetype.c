#include "filetype.h"

#include <string.h>

#include "utf8.h"

struct signature {
	enum ft_kind kind;
	size_t at, len;
	const char *bytes;
};

/* Magic numbers of the formats themselves (PDF 1.7 §7.5.2, PNG §5.2, JFIF, GIF89a, RIFF/WEBP,
 * ZIP APPNOTE 4.3.7 local header or the end record of an empty archive, OLE2 compound file). */
static const struct signature signatures[] = {
        {FT_PDF, 0, 5, "%PDF-"},
        {FT_PNG, 0, 8, "\x89PNG\r\n\x1a\n"},
        {FT_JPEG, 0, 3, "\xFF\xD8\xFF"},
        {FT_GIF, 0, 6, "GIF87a"},
        {FT_GIF, 0, 6, "GIF89a"},
        {FT_WEBP, 8, 4, "WEBP"},
        {FT_ZIP, 0, 4, "PK\x03\x04"},
        {FT_ZIP, 0, 4, "PK\x05\x06"},
        {FT_OLE, 0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"},
};

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Valid UTF-8 up to a sequence the cut at len may have split. */
static int utf8_prefix_ok(const unsigned char *s, size_t len, int complete)
{
	size_t i = 0;
	while (i < len) {
		size_t n = utf8_seq(s + i, len - i);
		if (n == 0)
			return !complete && len - i < 4 && s[i] >= 0xC2 && s[i] <= 0xF4;
		i += n;
	}
	return 1;
}

static int is_text(const unsigned char *s, size_t len, int complete)
{
	size_t i = 0;
	for (size_t k = 0; k < len; k++)
		if ((s[k] < 0x20 && !is_blank(s[k])) || s[k] == 0x7F)
			return 0;
	if (!utf8_prefix_ok(s, len, complete))
		return 0;
	if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && is_blank(s[i]))
		i++;
	return i == len || s[i] != '<';
}

enum ft_kind ft_sniff(const unsigned char *head, size_t len, int complete)
{
	for (size_t i = 0; i < sizeof signatures / sizeof signatures[0]; i++) {
		const struct signature *g = &signatures[i];
		if (len >= g->at + g->len && !memcmp(head + g->at, g->bytes, g->len) &&
		    (g->kind != FT_WEBP || !memcmp(head, "RIFF", 4)))
			return g->kind;
	}
	return (len > 0 || complete) && is_text(head, len, complete) ? FT_TEXT : FT_NONE;
}

/* Each kind's types, its own first. */
static const char *const *types_of(enum ft_kind k)
{
	static const char *const pdf[] = {"application/pdf", NULL}, *const png[] = {"image/png", NULL},
	                         *const jpeg[] = {"image/jpeg", NULL}, *const gif[] = {"image/gif", NULL},
	                         *const webp[] = {"image/webp", NULL};
	static const char *const zip[] = {
	        "application/zip",
	        "application/x-zip-compressed",
	        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	        NULL};
	static const char *const ole[] = {"application/x-ole-storage", "application/msword",
	                                  "application/vnd.ms-excel", "application/vnd.ms-powerpoint", NULL};
	static const char *const text[] = {"text/plain", "text/markdown", "text/csv", NULL};
	switch (k) {
	case FT_PDF: return pdf;
	case FT_PNG: return png;
	case FT_JPEG: return jpeg;
	case FT_GIF: return gif;
	case FT_WEBP: return webp;
	case FT_ZIP: return zip;
	case FT_OLE: return ole;
	case FT_TEXT: return text;
	default: return NULL;
	}
}

const char *ft_type(enum ft_kind k, const char *claimed)
{
	const char *const *types = types_of(k);
	if (!types)
		return NULL;
	if (claimed && !strcmp(claimed, "application/octet-stream"))
		return "application/octet-stream"; /* a download as it is: always safe */
	for (size_t i = 0; claimed && types[i]; i++)
		if (!strcmp(types[i], claimed))
			return types[i];
	return types[0];
}
