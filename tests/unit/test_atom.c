/* Unit tests for atom: XML escaping (markup, forbidden characters, bytes that are not
 * UTF-8), the shape of a feed and its entries, and the Host check behind feed links. */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "atom.h"

/* s escaped, in a static buffer the next call reuses. */
static const char *esc_n(const char *s, size_t len)
{
	static char keep[512];
	struct buf b = BUF_INIT;
	xml_escape(&b, s, len);
	ck_assert_uint_lt(b.len, sizeof keep);
	memcpy(keep, b.data ? b.data : "", b.len + 1);
	buf_free(&b);
	return keep;
}

#define ESC(lit) esc_n(lit, sizeof(lit) - 1)

START_TEST(escapes_markup)
{
	ck_assert_str_eq(ESC("a < b & c > d"), "a &lt; b &amp; c &gt; d");
	ck_assert_str_eq(ESC("say \"hi\" 'there'"), "say &quot;hi&quot; &#39;there&#39;");
	ck_assert_str_eq(ESC("<script>&amp;"), "&lt;script&gt;&amp;amp;");
	ck_assert_str_eq(ESC("]]>"), "]]&gt;");
	ck_assert_str_eq(ESC(""), "");
}
END_TEST

START_TEST(keeps_text_xml_allows)
{
	ck_assert_str_eq(ESC("春耕 & 秋收"), "春耕 &amp; 秋收");
	ck_assert_str_eq(ESC("tab\tline\nreturn\r."), "tab\tline\nreturn\r.");
	ck_assert_str_eq(ESC("\xF0\x9F\x8C\xBE"), "\xF0\x9F\x8C\xBE"); /* U+1F33E, beyond the BMP */
	ck_assert_str_eq(ESC("\xEF\xBF\xBD"), "\xEF\xBF\xBD");         /* U+FFFD itself */
	ck_assert_str_eq(ESC("\xC2\x85"), "\xC2\x85");                 /* C1 controls are XML chars */
}
END_TEST

START_TEST(drops_characters_xml_forbids)
{
	ck_assert_str_eq(ESC("a\x01" "b\x08" "c\x0B" "d\x0C" "e\x1F" "f"), "abcdef");
	ck_assert_str_eq(ESC("\x1B[31mred"), "[31mred");
	ck_assert_str_eq(ESC("x\xEF\xBF\xBEy\xEF\xBF\xBFz"), "xyz"); /* U+FFFE, U+FFFF */
	ck_assert_str_eq(esc_n("a\0b", 3), "ab");
}
END_TEST

START_TEST(replaces_bytes_that_are_not_utf8)
{
	ck_assert_str_eq(ESC("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
	ck_assert_str_eq(ESC("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");   /* overlong '/' */
	ck_assert_str_eq(ESC("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* surrogate */
	ck_assert_str_eq(ESC("end\xE4\xB8"), "end\xEF\xBF\xBD\xEF\xBF\xBD"); /* cut short */
	ck_assert_str_eq(ESC("\x80<"), "\xEF\xBF\xBD&lt;");
}
END_TEST

static char *feed_text(void)
{
	struct buf b = BUF_INIT;
	struct atom_feed f = {.id = "tag:example.org,2026:board/a", .title = "R&D <news>",
			      .subtitle = "sub\x01title", .self = "http://example.org/boards/a/feed.atom?x=1&y=2",
			      .alternate = "http://example.org/b/a", .updated = 1795595400};
	struct atom_entry e = {.id = "tag:example.org,2026:post/7", .title = "Re: \"1 < 2\"",
			       .link = "http://example.org/t/3#p7", .author = "Alice 张",
			       .author_uri = "http://example.org/u/alice", .published = 1795595400,
			       .updated = 0, .content_html = "<p>a &amp; b</p>"};
	atom_begin(&b, &f);
	atom_entry(&b, &e);
	atom_end(&b);
	return buf_detach(&b);
}

START_TEST(feed_has_the_required_elements)
{
	static const char *const has[] = {
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">",
		"<id>tag:example.org,2026:board/a</id>",
		"<title>R&amp;D &lt;news&gt;</title>",
		"<subtitle>subtitle</subtitle>",
		"<updated>2026-11-25T08:30:00Z</updated>",
		"<link rel=\"self\" type=\"application/atom+xml\" href=\"http://example.org/boards/a/feed.atom?x=1&amp;y=2\"/>",
		"<link rel=\"alternate\" type=\"text/html\" href=\"http://example.org/b/a\"/>",
		"<title>Re: &quot;1 &lt; 2&quot;</title>",
		"<author><name>Alice 张</name>\n<uri>http://example.org/u/alice</uri>\n</author>",
		/* never edited: updated is when it was published */
		"<published>2026-11-25T08:30:00Z</published>\n<updated>2026-11-25T08:30:00Z</updated>",
		"<content type=\"html\">&lt;p&gt;a &amp;amp; b&lt;/p&gt;</content>",
		"</entry>\n</feed>\n",
	};

	char *x = feed_text();
	UNIT_CHECK_HAS(x, has);
	free(x);
}
END_TEST

START_TEST(feed_without_subtitle_or_entries)
{
	struct buf b = BUF_INIT;
	struct atom_feed f = {.id = "i", .title = "", .self = "s", .alternate = "a", .updated = 0};
	atom_begin(&b, &f);
	atom_end(&b);
	ck_assert_ptr_null(strstr(b.data, "<subtitle>"));
	ck_assert_ptr_null(strstr(b.data, "<entry>"));
	ck_assert_ptr_nonnull(strstr(b.data, "<title></title>"));
	ck_assert_ptr_nonnull(strstr(b.data, "<updated>1970-01-01T00:00:00Z</updated>"));
	buf_free(&b);
}
END_TEST

START_TEST(host_check)
{
	ck_assert(atom_host_valid("example.org"));
	ck_assert(atom_host_valid("Forum.Example.ORG:8443"));
	ck_assert(atom_host_valid("127.0.0.1:8080"));
	ck_assert(atom_host_valid("localhost"));
	ck_assert(atom_host_valid("a-b.c:65535"));
	ck_assert(!atom_host_valid(NULL));
	ck_assert(!atom_host_valid(""));
	ck_assert(!atom_host_valid(":80"));
	ck_assert(!atom_host_valid("example.org:"));
	ck_assert(!atom_host_valid("example.org:0"));
	ck_assert(!atom_host_valid("example.org:65536"));
	ck_assert(!atom_host_valid("example.org:80a"));
	ck_assert(!atom_host_valid("example.org:123456"));
	ck_assert(!atom_host_valid("evil.org/x"));
	ck_assert(!atom_host_valid("user@evil.org"));
	ck_assert(!atom_host_valid("a..b"));
	ck_assert(!atom_host_valid(".a"));
	ck_assert(!atom_host_valid("a."));
	ck_assert(!atom_host_valid("-a"));
	ck_assert(!atom_host_valid("a b"));
	ck_assert(!atom_host_valid("a\"><x"));
	ck_assert(!atom_host_valid("[::1]:80"));
	ck_assert(!atom_host_valid("例子.中国"));
	char big[300];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert(!atom_host_valid(big));
}
END_TEST

static const struct unit_tcase atom_cases[] = {
	{.name = "xml", .tests = UNIT_TESTS(&escapes_markup, &keeps_text_xml_allows,
					  &drops_characters_xml_forbids, &replaces_bytes_that_are_not_utf8)},
	{.name = "feed", .tests = UNIT_TESTS(&feed_has_the_required_elements,
					  &feed_without_subtitle_or_entries, &host_check)},
};

UNIT_SUITE(atom, atom_cases)

const struct unit_tests unit_tests = {.suites = {atom_suite}};
