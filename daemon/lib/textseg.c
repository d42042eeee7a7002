#include "textseg.h"

int32_t seg_decode(const char *s, size_t len, size_t *i)
{
	const unsigned char *u = (const unsigned char *)s + *i;
	size_t left = len - *i, n;
	int32_t cp, min;
	if (u[0] < 0x80) {
		*i += 1;
		return u[0];
	}
	if (u[0] >= 0xC2 && u[0] <= 0xDF)
		n = 2, cp = u[0] & 0x1F, min = 0x80;
	else if (u[0] >= 0xE0 && u[0] <= 0xEF)
		n = 3, cp = u[0] & 0x0F, min = 0x800;
	else if (u[0] >= 0xF0 && u[0] <= 0xF4)
		n = 4, cp = u[0] & 0x07, min = 0x10000;
	else
		goto bad;
	if (left < n)
		goto bad;
	for (size_t k = 1; k < n; k++) {
		if ((u[k] & 0xC0) != 0x80)
			goto bad;
		cp = (cp << 6) | (u[k] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto bad;
	*i += n;
	return cp;
bad:
	*i += 1;
	return -1;
}

static int in(int32_t cp, int32_t lo, int32_t hi)
{
	return cp >= lo && cp <= hi;
}

static int is_cjk(int32_t cp)
{
	return in(cp, 0x2E80, 0x2FDF) ||   /* radicals */
	       in(cp, 0x3040, 0x30FF) ||   /* hiragana, katakana */
	       in(cp, 0x3100, 0x312F) ||   /* bopomofo */
	       in(cp, 0x3130, 0x318F) ||   /* hangul compatibility jamo */
	       in(cp, 0x31F0, 0x31FF) ||   /* katakana extension */
	       in(cp, 0x3400, 0x4DBF) ||   /* extension A */
	       in(cp, 0x4E00, 0x9FFF) ||   /* unified ideographs */
	       in(cp, 0x1100, 0x11FF) ||   /* hangul jamo */
	       in(cp, 0xAC00, 0xD7AF) ||   /* hangul syllables */
	       in(cp, 0xF900, 0xFAFF) ||   /* compatibility ideographs */
	       in(cp, 0xFF66, 0xFF9F) ||   /* halfwidth katakana */
	       in(cp, 0x20000, 0x3134F);   /* extensions B to G, compatibility supplement */
}

/* Punctuation, symbols, spaces and controls: everything that separates words. */
static int is_sep(int32_t cp)
{
	if (cp < 0x80)
		return !((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'));
	return cp < 0 || in(cp, 0x80, 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       in(cp, 0x2000, 0x2BFF) ||   /* general punctuation .. misc symbols and arrows */
	       in(cp, 0x2E00, 0x2E7F) ||   /* supplemental punctuation */
	       in(cp, 0x3000, 0x303F) ||   /* CJK symbols and punctuation: 、。「」 */
	       in(cp, 0xD800, 0xF8FF) ||   /* surrogates, private use */
	       in(cp, 0xFE10, 0xFE1F) ||   /* vertical forms */
	       in(cp, 0xFE30, 0xFE6F) ||   /* CJK compatibility and small forms */
	       in(cp, 0xFF00, 0xFF0F) || in(cp, 0xFF1A, 0xFF20) || /* fullwidth ！＂（），：？＠ */
	       in(cp, 0xFF3B, 0xFF40) || in(cp, 0xFF5B, 0xFF65) ||
	       in(cp, 0xFFF0, 0xFFFF) ||   /* specials */
	       in(cp, 0x1F000, 0x1FAFF) || /* emoji and pictographs */
	       in(cp, 0xE0000, 0x10FFFF);  /* tags, private use planes */
}

enum seg_class seg_classify(int32_t cp)
{
	if (is_sep(cp))
		return SEG_SEP;
	return is_cjk(cp) ? SEG_CJK : SEG_WORD;
}

int32_t seg_fold(int32_t cp)
{
	if (in(cp, 0xFF10, 0xFF19) || in(cp, 0xFF21, 0xFF3A) || in(cp, 0xFF41, 0xFF5A))
		cp -= 0xFEE0; /* fullwidth ０-９ Ａ-Ｚ ａ-ｚ */
	if (in(cp, 'A', 'Z') || (in(cp, 0xC0, 0xDE) && cp != 0xD7))
		cp += 0x20;
	return cp;
}

size_t seg_encode(int32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int seg_next_run(const char *s, size_t len, size_t *pos, struct seg_run *run)
{
	size_t i = *pos;
	enum seg_class cls = SEG_SEP;
	while (i < len) {
		size_t at = i;
		cls = seg_classify(seg_decode(s, len, &i));
		if (cls != SEG_SEP) {
			run->start = at;
			break;
		}
	}
	if (cls == SEG_SEP) {
		*pos = len;
		return 0;
	}
	run->cls = cls;
	run->nchars = 1;
	while (i < len) {
		size_t next = i;
		if (seg_classify(seg_decode(s, len, &next)) != cls)
			break;
		i = next;
		run->nchars++;
	}
	run->end = i;
	*pos = i;
	return 1;
}
