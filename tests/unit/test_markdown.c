/* Unit tests for daemon/lib/markdown: rendering, the XSS corpus, mentions, link counts and one
 * regression test per md4c 0.4.8 fault we guard against. Run under ASan in CI. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_main.h"
#include "markdown.h"

/* Output budget from markdown.h; the fallback that replaces an aborted render stays under it
 * too (every byte escaped to at most 6). */
#define OUT_BOUND(len) MD_OUT_MAX(len)

/* Seconds allowed per pathological input, generous enough for sanitizer builds; raise it
 * with -DSLOW_SECONDS=60 to run under valgrind (which, unlike ASan, also sees over-reads
 * inside the uninstrumented libmd4c). */
#ifndef SLOW_SECONDS
#define SLOW_SECONDS 2.0
#endif

/* ---- helpers ---- */

struct mentions {
	unsigned count;
	char names[256];
};

static void record_mention(void *arg, const char *name, size_t len)
{
	struct mentions *m = arg;
	size_t used = strlen(m->names);
	m->count++;
	if (used + len + 2 < sizeof m->names) {
		if (used)
			m->names[used++] = ',';
		memcpy(m->names + used, name, len);
		m->names[used + len] = '\0';
	}
}

/* Renders src of length len; the caller frees the result. */
static char *render_n(const char *src, size_t len, struct md_result *res, struct mentions *m)
{
	struct buf out = BUF_INIT;
	struct md_result ignored;
	md_render(src, len, &out, res ? res : &ignored, m ? record_mention : NULL, m);
	return buf_detach(&out);
}

static char *render(const char *src, struct md_result *res)
{
	return render_n(src, strlen(src), res, NULL);
}

/* CPU time of this process: the machine running the tests is shared, and a wall clock there
 * measures the neighbours as much as the renderer. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && lower(hay[i]) == lower(needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

static int in_list(const char *s, size_t len, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == len && memcmp(s, *list, len) == 0)
			return 1;
	return 0;
}

static const char *const allowed_tags[] = {"p",     "br",    "em", "strong", "code",       "del",   "a",
                                           "img",   "pre",   "h1", "h2",     "h3",         "h4",    "h5",
                                           "h6",    "ul",    "ol", "li",     "blockquote", "hr",    "table",
                                           "thead", "tbody", "tr", "th",     "td",         "input", NULL};
static const char *const void_tags[] = {"br", "hr", "img", "input", NULL};
static const char *const allowed_attrs[] = {"href", "src",     "alt",      "title",   "rel",   "class",
                                            "type", "loading", "disabled", "checked", "start", NULL};

/* Whether an attribute-escaped href/src value is http(s), mailto or relative. Decodes only
 * what html_escape produces: anything else is left as the browser would see it. */
static int url_value_ok(const char *v, size_t len)
{
	char url[512];
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < sizeof url; i++) {
		if (v[i] == '&' && strncmp(v + i, "&amp;", 5) == 0)
			url[n++] = '&', i += 4;
		else if ((unsigned char)v[i] > 0x20)
			url[n++] = lower(v[i]);
	}
	url[n] = '\0';
	if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0 ||
	    strncmp(url, "mailto:", 7) == 0)
		return 1;
	/* a browser's scheme: a letter, then letters, digits, '+', '-', '.' up to ':' (WHATWG URL);
	 * anything else first ("foo):") makes a relative URL */
	size_t k = 0;
	while ((url[k] >= 'a' && url[k] <= 'z') || (k > 0 && ((url[k] >= '0' && url[k] <= '9') || url[k] == '+' ||
							     url[k] == '-' || url[k] == '.')))
		k++;
	return url[k] != ':';
}

/* Checks one attribute list starting at *p; leaves *p on the tag's closing '>'. */
static void check_attrs(const char **p, const char *html)
{
	const char *s = *p;
	while (*s == ' ') {
		s++;
		size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz-");
		ck_assert_msg(in_list(s, n, allowed_attrs), "attribute %.*s in: %s", (int)n, s, html);
		const char *name = s;
		s += n;
		if (*s != '=')
			continue;
		ck_assert_msg(s[1] == '"', "unquoted attribute in: %s", html);
		const char *v = s + 2;
		size_t vlen = strcspn(v, "\"<>");
		ck_assert_msg(v[vlen] == '"', "bad attribute value in: %s", html);
		if (strncmp(name, "href=", 5) == 0 || strncmp(name, "src=", 4) == 0)
			ck_assert_msg(url_value_ok(v, vlen), "unsafe URL %.*s in: %s", (int)vlen, v, html);
		s = v + vlen + 1;
	}
	ck_assert_msg(*s == '>', "malformed tag in: %s", html);
	*p = s;
}

/* Asserts html is made only of allowed tags and attributes, with safe URLs, and that every
 * element opened is closed in order. Text is escaped, so each '<' starts one of our tags. */
static void assert_safe_html(const char *html)
{
	const char *stack[256];
	size_t depth = 0;
	for (const char *p = strchr(html, '<'); p; p = strchr(p, '<')) {
		int closing = p[1] == '/';
		const char *name = p + 1 + closing;
		size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
		ck_assert_msg(in_list(name, n, allowed_tags), "tag %.*s in: %s", (int)n, name, html);
		p = name + n;
		if (closing) {
			ck_assert_msg(depth > 0 && strncmp(stack[depth - 1], name, n) == 0 &&
			                      !in_list(name, n, void_tags),
			              "unbalanced </%.*s> in: %s", (int)n, name, html);
			depth--;
			ck_assert_msg(*p == '>', "malformed close tag in: %s", html);
			continue;
		}
		check_attrs(&p, html);
		if (!in_list(name, n, void_tags)) {
			ck_assert_msg(depth < 256, "too deep: %s", html);
			stack[depth++] = name;
		}
	}
	ck_assert_msg(depth == 0, "unclosed <%s in: %s", depth ? stack[depth - 1] : "", html);
}

#define ASSERT_HAS(out, frag)   ck_assert_msg(strstr(out, frag) != NULL, "no %s in: %s", frag, out)
#define ASSERT_LACKS(out, frag) ck_assert_msg(strstr(out, frag) == NULL, "%s in: %s", frag, out)

/* ---- basic rendering ---- */

static void expect(const char *src, const char *frag)
{
	struct md_result r;
	char *out = render(src, &r);
	ASSERT_HAS(out, frag);
	ck_assert_int_eq(r.fallback, 0);
	assert_safe_html(out);
	free(out);
}

static void expect_all(const struct unit_str_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		expect(c[i].in, c[i].out);
}

START_TEST(test_inline)
{
	static const struct unit_str_case cases[] = {
		{"*em* **strong** `a<b` ~~gone~~", "<p><em>em</em> <strong>strong</strong> "
		 "<code>a&lt;b</code> <del>gone</del></p>\n"},
		{"a  \nb\nc", "<p>a<br>\nb\nc</p>\n"},
		{"x &amp; &copy; &#106; &#x6A; &bogus", "x &amp; &copy; &#106; &#x6A; &amp;bogus"},
		{"It's \"quoted\"", "It&#39;s &quot;quoted&quot;"},
	};

	expect_all(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(test_blocks)
{
	static const struct unit_str_case cases[] = {
		{"## Title\n", "<h2>Title</h2>\n"},
		{"###### six\n", "<h6>six</h6>\n"},
		{"- a\n- b\n", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"},
		{"3. a\n4. b\n", "<ol start=\"3\">\n<li>a</li>\n<li>b</li>\n</ol>\n"},
		{"> quoted\n", "<blockquote>\n<p>quoted</p>\n</blockquote>\n"},
		{"a\n\n---\n", "<hr>\n"},
		{"```c++ extra\nint <x>;\n```\n",
		 "<pre><code class=\"language-c++\">int &lt;x&gt;;\n</code></pre>\n"},
		{"```\nplain\n```\n", "<pre><code>plain\n</code></pre>\n"},
		{"    indented\n", "<pre><code>indented\n</code></pre>\n"},
		/* a language that is not a plain name gets no class at all */
		{"```x\"onclick=y\nz\n```\n", "<pre><code>z\n</code></pre>\n"},
		{"```a&amp;b\nz\n```\n", "<pre><code>z\n</code></pre>\n"},
	};

	expect_all(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(test_table)
{
	const char *src = "| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 |\n";
	expect(src, "<table>\n<thead>\n<tr><th class=\"align-left\">a</th>"
	            "<th class=\"align-center\">b</th><th class=\"align-right\">c</th><th>d</th>"
	            "</tr>\n</thead>\n<tbody>\n<tr><td class=\"align-left\">1</td>");
	char *out = render(src, NULL);
	ASSERT_LACKS(out, "style");
	free(out);
}
END_TEST

START_TEST(test_task_list)
{
	expect("- [ ] todo\n- [x] done\n",
	       "<li class=\"task\"><input type=\"checkbox\" disabled> todo</li>\n"
	       "<li class=\"task\"><input type=\"checkbox\" disabled checked> done</li>\n");
}
END_TEST

START_TEST(test_links_allowed)
{
	static const struct unit_str_case cases[] = {
		{"[x](https://example.org/x?a=1&b=2)",
		 "<a href=\"https://example.org/x?a=1&amp;b=2\" rel=\"nofollow ugc noopener\">x</a>"},
		{"see https://example.org/x?a=1&b=2 now",
		 "<a href=\"https://example.org/x?a=1&amp;b=2\" rel=\"nofollow ugc noopener\">"
		 "https://example.org/x?a=1&amp;b=2</a>"},
		{"<http://a.b/c>", "<a href=\"http://a.b/c\" rel=\"nofollow ugc noopener\">"},
		{"mail bob@example.org", "<a href=\"mailto:bob@example.org\" rel=\"nofollow ugc "},
		{"[m](mailto:x@y.z)", "<a href=\"mailto:x@y.z\""},
		{"[r](/t/1#p2) [f](#top) [q](?page=2) [p](page/a:b)", "<a href=\"/t/1#p2\""},
		{"[f](#top)", "<a href=\"#top\""},
		{"[e]()", "<a href=\"\" rel="},
		{"[q](?page=2)", "<a href=\"?page=2\""},
		{"[p](page/a:b)", "<a href=\"page/a:b\""},
		{"[HTTP](HTTP://A.B)", "<a href=\"HTTP://A.B\""},
		{"[s](</a b>)", "<a href=\"/a%20b\""},
		{"[t](/x \"a title\")", "<a href=\"/x\" title=\"a title\" rel="},
		{"![pic *of* me](/i.png)", "<img src=\"/i.png\" alt=\"pic of me\" loading=\"lazy\">"},
		{"[![logo](/l.png)](/home)", "<a href=\"/home\" rel=\"nofollow ugc noopener\">"
		 "<img src=\"/l.png\" alt=\"logo\" loading=\"lazy\"></a>"},
	};

	expect_all(cases, UNIT_COUNT(cases));
}
END_TEST

/* Issue 12: an image from another site would tell it who reads a members-only board (and the
 * CSP is img-src 'self'): it becomes a link to the image, its alt text the link's text. */
START_TEST(test_remote_images_become_links)
{
	static const struct unit_str_case cases[] = {
		{"![a chart](https://tracker.example/p.png?u=1)",
		 "<p><a href=\"https://tracker.example/p.png?u=1\" rel=\"nofollow ugc noopener\">a chart</a></p>\n"},
		{"![](http://x.example/i.gif \"t\")",
		 "<p><a href=\"http://x.example/i.gif\" title=\"t\" rel=\"nofollow ugc noopener\">"
		 "http://x.example/i.gif</a></p>\n"},
		{"![proto](//cdn.example/i.png)", "<p><a href=\"//cdn.example/i.png\" rel=\"nofollow ugc noopener\">proto</a></p>\n"},
		{"![bs](</\\\\evil.example/i.png>)", "<p><a href=\"/%5Cevil.example/i.png\" rel=\"nofollow ugc noopener\">bs</a></p>\n"},
		{"![ent](&#47;&#47;evil.example/i.png)", "<p><a href=\"//evil.example/i.png\" rel=\"nofollow ugc noopener\">ent</a></p>\n"},
		{"![*em* @alice](HTTPS://X.EXAMPLE/a)", "<p><a href=\"HTTPS://X.EXAMPLE/a\" rel=\"nofollow ugc noopener\">em @alice</a></p>\n"},
		{"[![in a link](https://x.example/i.png)](/home)",
		 "<p><a href=\"/home\" rel=\"nofollow ugc noopener\">in a link</a></p>\n"},
		{"![here](/files/i.png) ![rel](i.png) ![q](?x=1)",
		 "<p><img src=\"/files/i.png\" alt=\"here\" loading=\"lazy\"> <img src=\"i.png\" alt=\"rel\" loading=\"lazy\"> "
		 "<img src=\"?x=1\" alt=\"q\" loading=\"lazy\"></p>\n"},
	};
	for (size_t i = 0; i < UNIT_COUNT(cases); i++) {
		char *out = render(cases[i].in, NULL);
		ck_assert_msg(!strcmp(out, cases[i].out), "%s\ngot:  %s\nwant: %s", cases[i].in, out, cases[i].out);
		ck_assert_msg(!strstr(out, "<img src=\"h") && !strstr(out, "<img src=\"/\\") && !strstr(out, "<img src=\"//"),
			      "remote <img> in %s", out);
		free(out);
	}
}
END_TEST

/* CommonMark 0.31.2 §6.3: a destination is read with its entities and backslash escapes
 * decoded, then percent-encoded; the allow-list judges the decoded URL, so no spelling of a
 * forbidden scheme gets through. */
START_TEST(test_destinations_as_the_spec_reads_them)
{
	static const struct unit_str_case cases[] = {
		{"[foo](/f&ouml;&ouml; \"f&ouml;&ouml;\")", "<p><a href=\"/f%C3%B6%C3%B6\" title=\"föö\" rel=\"nofollow ugc noopener\">foo</a></p>\n"},
		{"[link](foo\\bar)", "<p><a href=\"foo%5Cbar\" rel=\"nofollow ugc noopener\">link</a></p>\n"},
		{"[link](foo\\)\\:)", "<p><a href=\"foo):\" rel=\"nofollow ugc noopener\">link</a></p>\n"},
		{"[link](foo%20b&auml;)", "<p><a href=\"foo%20b%C3%A4\" rel=\"nofollow ugc noopener\">link</a></p>\n"},
		{"[q](</a\"b>)", "<p><a href=\"/a%22b\" rel=\"nofollow ugc noopener\">q</a></p>\n"},
		{"[x](&#106;avascript:alert(1))", "<p>x</p>\n"},
		{"[x](java&Tab;script:alert(1))", "<p>x</p>\n"},
		{"[x](javascript&colon;alert(1))", "<p>x</p>\n"},
		{"[x](JaVaScRiPt:alert(1))", "<p>x</p>\n"},
		{"[x](data&#x3A;text/html,x)", "<p>x</p>\n"},
		{"[x](%6Aavascript:alert(1))", "<p>x</p>\n"},
		{"[x](vbscript\\:x)", "<p>x</p>\n"},
	};
	expect_all(cases, UNIT_COUNT(cases));
}
END_TEST

/* ---- XSS corpus ---- */

struct xss_case {
	const char *src;
	int shows_scheme; /* the refused text itself reads "javascript:" etc., escaped */
};

static const struct xss_case xss_corpus[] = {
        {"[x](javascript:alert(1))", 0},
        {"[x](JaVaScRiPt:alert(1))", 0},
        {"[x](java&#09;script:alert(1))", 0},
        {"[x](&#106;avascript:alert(1))", 0},
        {"[x](&#x6A;avascript:alert(1))", 0},
        {"[x](javascript&colon;alert(1))", 0},
        {"[x](jav%0Ascript:alert(1))", 0},
        {"[x](%6A%61vascript:x)", 0},
        {"[x](%26%23106;avascript:x)", 0},
        {"[x]( javascript:x)", 0},
        {"[x](<javascript:x>)", 0},
        {"[x](<\x01javascript:x>)", 0},
        {"[x](<java\tscript:x>)", 0},
        {"![x](javascript:x)", 0},
        {"![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", 0},
        {"[x](vbscript:msgbox)", 0},
        {"[x](data:text/html,<script>)", 0},
        {"[x](file:///etc/passwd)", 0},
        {"<script>alert(1)</script>", 0},
        {"<img src=x onerror=alert(1)>", 0},
        {"<a href=\"javascript:x\">x</a>", 1},
        {"<div onclick=\"x\">y</div>\n\nz", 0},
        {"[x](http://a\" onmouseover=\"alert(1))", 0},
        {"[x](http://a 'title\" onclick=x')", 0},
        {"![x](http://a 'title\" onerror=x')", 0},
        {"`<b>`", 0},
        {"[a][r]\n\n[r]: javascript:x", 0},
        {"![a][r]\n\n[r]: data:text/html,x", 0},
        {"<javascript:alert(1)>", 1},
        {"&lt;script&gt;", 0},
        {"a\0b <script>", 0},
        {"[x](\0javascript:x)", 1}, /* not a link: its text stays */
        {"| <script> | [x](javascript:x) |\n|---|---|\n| a | b |", 0},
        {"```\"><script>\nx\n```", 0},
        {"![x\" onerror=\"alert(1)](/i.png)", 0},
        {"[<img src=x onerror=y>](/ok)", 0},
        {"<!-- x --><?php ?><![CDATA[x]]>", 0},
};

static void check_xss(const struct xss_case *c, size_t len)
{
	struct md_result r;
	char *out = render_n(c->src, len, &r, NULL);
	assert_safe_html(out);
	ck_assert_msg(!contains_ci(out, "<script"), "script tag in: %s", out);
	ck_assert_msg(!contains_ci(out, "href=\"javascript") && !contains_ci(out, "src=\"java"),
	              "javascript URL in: %s", out);
	ck_assert_msg(!contains_ci(out, "=\"data:") && !contains_ci(out, "=\"vbscript:"),
	              "data/vbscript URL in: %s", out);
	if (!c->shows_scheme)
		ck_assert_msg(!contains_ci(out, "javascript:") && !contains_ci(out, "vbscript:"),
		              "scheme shown in: %s", out);
	ck_assert_int_eq(r.fallback, 0);
	free(out);
}

START_TEST(test_xss_corpus)
{
	for (size_t i = 0; i < sizeof xss_corpus / sizeof xss_corpus[0]; i++) {
		const char *src = xss_corpus[i].src;
		/* entries with a NUL byte are measured up to the end of their literal */
		size_t len = strlen(src);
		if (strncmp(src, "a\0b", 3) == 0)
			len = sizeof "a\0b <script>" - 1;
		else if (strncmp(src, "[x](\0", 5) == 0)
			len = sizeof "[x](\0javascript:x)" - 1;
		check_xss(&xss_corpus[i], len);
	}
}
END_TEST

START_TEST(test_refused_link_keeps_text)
{
	char *out = render("[click me](javascript:alert(1)) ![the alt](data:x)", NULL);
	ck_assert_str_eq(out, "<p>click me the alt</p>\n");
	free(out);
}
END_TEST

START_TEST(test_title_escaped)
{
	char *out = render("[x](http://a 'title\" onclick=x')", NULL);
	ASSERT_HAS(out, "title=\"title&quot; onclick=x\"");
	free(out);
}
END_TEST

START_TEST(test_nul_becomes_replacement)
{
	static const char src[] = "a\0b `c\0d`";
	char *out = render_n(src, sizeof src - 1, NULL, NULL);
	ck_assert_str_eq(out, "<p>a\xEF\xBF\xBD"
	                      "b <code>c\xEF\xBF\xBD"
	                      "d</code></p>\n");
	free(out);
}
END_TEST

/* ---- mentions ---- */

START_TEST(test_mentions)
{
	struct mentions m = {0};
	const char *src = "hi @alice and @bob.";
	char *out = render_n(src, strlen(src), NULL, &m);
	ck_assert_str_eq(out, "<p>hi <a class=\"mention\" href=\"/u/alice\">@alice</a> and "
	                      "<a class=\"mention\" href=\"/u/bob\">@bob</a>.</p>\n");
	ck_assert_uint_eq(m.count, 2);
	ck_assert_str_eq(m.names, "alice,bob");
	free(out);
}
END_TEST

static void expect_mentions(const char *src, unsigned count, const char *names)
{
	struct mentions m = {0};
	char *out = render_n(src, strlen(src), NULL, &m);
	ck_assert_msg(m.count == count && strcmp(m.names, names) == 0, "%s: got %u [%s], output %s", src,
	              m.count, m.names, out);
	assert_safe_html(out);
	free(out);
}

/* A source, how many mentions it reports and their names, comma-separated. */
struct mention_case {
	const char *src;
	unsigned count;
	const char *names;
};

static void expect_mentions_all(const struct mention_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		expect_mentions(c[i].src, c[i].count, c[i].names);
}

START_TEST(test_mention_rules)
{
	static const struct mention_case cases[] = {
		{"mail a@b.com please", 0, ""},
		{"x@alice y.@alice z-@alice w_@alice @@alice", 0, ""},
		{"code `@alice` here", 0, ""},
		{"```\n@alice\n```", 0, ""},
		{"[@alice](/x) ![@alice](/i.png) <http://x/@alice>", 0, ""},
		{"@al too short, @a23456789012345678901234567890123 too long", 0, ""},
		{"@alice", 1, "alice"},
		{"(@a.b-c_d...)", 1, "a.b-c_d"},
		{"你好@alice，*@bob* @carol's", 3, "alice,bob,carol"},
		{"line\n@alice", 1, "alice"},
		{"- @alice\n- @alice", 2, "alice,alice"},
		{"@ali\\_ce", 1, "ali_ce"}, /* md4c splits text at the escape */
	};

	expect_mentions_all(cases, UNIT_COUNT(cases));
}
END_TEST

START_TEST(test_no_mentions_on_fallback)
{
	struct mentions m = {0};
	size_t len = MD_MAX_INPUT + 1;
	char *src = malloc(len);
	memset(src, 'a', len);
	memcpy(src, "@alice ", 7);
	char *out = render_n(src, len, NULL, &m);
	ck_assert_uint_eq(m.count, 0);
	free(out);
	free(src);
}
END_TEST

/* ---- link counting ---- */

START_TEST(test_links_count)
{
	struct md_result r;
	char *out = render("[a](/x) <http://b.c> ![i](/i.png) https://c.d e@f.gh "
	                   "[bad](javascript:x) @alice `http://no.link`",
	                   &r);
	ck_assert_uint_eq(r.links, 6);
	free(out);
	out = render("no links here", &r);
	ck_assert_uint_eq(r.links, 0);
	free(out);
}
END_TEST

/* ---- md4c 0.4.8 regressions: no crash (ASan), bounded output, fast ---- */

/* Renders a heap copy of exactly len bytes (so ASan sees any over-read) and checks time and
 * output size. Returns the fallback flag. */
static int render_hostile(const char *src, size_t len)
{
	char *copy = malloc(len ? len : 1);
	memcpy(copy, src, len);
	struct md_result r;
	double t0 = now();
	char *out = render_n(copy, len, &r, NULL);
	double took = now() - t0;
	ck_assert_msg(took < SLOW_SECONDS, "took %.2fs", took);
	ck_assert_msg(strlen(out) <= OUT_BOUND(len), "output %zu for input %zu", strlen(out), len);
	if (len < 4096)
		assert_safe_html(out);
	free(out);
	free(copy);
	return r.fallback;
}

/* Builds a string of head, then rep repeated n times, then tail; the caller frees it. */
static char *repeat(const char *head, const char *rep, size_t n, const char *tail, size_t *len)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, head);
	for (size_t i = 0; i < n; i++)
		buf_puts(&b, rep);
	buf_puts(&b, tail);
	*len = b.len;
	return buf_detach(&b);
}

/* A table source: head, a header row of cols "a" cells, a delimiter row of cols `delim`
 * cells, then rows lines "a"; its length in *len. The caller frees it. */
static char *table_src(const char *head, size_t cols, const char *delim, size_t rows, size_t *len)
{
	char *header = repeat(head, "|a", cols, "|\n", len);
	char *top = repeat(header, delim, cols, "|\n", len);
	char *src = repeat(top, "a\n", rows, "", len);
	free(top);
	free(header);
	return src;
}

START_TEST(test_regress_link_at_eof)
{
	static const char *const inputs[] = {"[](", "[a](", "![a](", "[a](/x", "[a]: ", "[a](<"};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
		ck_assert_int_eq(render_hostile(inputs[i], strlen(inputs[i])), 0);
	char *out = render("[](", NULL);
	ck_assert_str_eq(out, "<p>[](</p>\n");
	free(out);
}
END_TEST

/* Reference definitions (def_head, def_n times def_rep, def_tail) followed by n times use;
 * its length in *len. The caller frees it. */
static char *ref_uses(const char *def_head, const char *def_rep, size_t def_n, const char *def_tail,
		      const char *use, size_t n, size_t *len)
{
	char *defs = repeat(def_head, def_rep, def_n, def_tail, len);
	char *src = repeat(defs, use, n, "", len);
	free(defs);
	return src;
}

START_TEST(test_regress_many_ref_uses)
{
	size_t len;
	char *src = ref_uses("", "[x]: /u\n", 5000, "\n", "[x] ", 20000, &len);
	render_hostile(src, len);
	free(src);
}
END_TEST

START_TEST(test_regress_ref_output_quadratic)
{
	/* one long destination used many times: output ~ uses * length, cut by the budget */
	size_t len;
	char *src = ref_uses("[x]: /", "a", 100000, "\n\n", "[x]", 40000, &len);
	ck_assert_int_eq(render_hostile(src, len), 1);
	char *out = render_n(src, len, NULL, NULL);
	ck_assert(strncmp(out, "<p>[x]: /aaa", 12) == 0);
	free(out);
	free(src);
}
END_TEST

/* Issue 12: a 64 KiB post of reference links rendered to 677 KB. The HTML of any source stays
 * within MD_OUT_MAX (8x + 32 KiB): such a post becomes plain text, a post with a few dozen
 * links still renders them. */
START_TEST(test_rendered_size_bounded)
{
	size_t len;
	char *src = ref_uses("[a]: /x\n", "", 0, "\n", "[a] ", 16000, &len);
	struct md_result r;
	char *out = render_n(src, len, &r, NULL);
	ck_assert_msg(strlen(out) <= MD_OUT_MAX(len), "%zu bytes of HTML for %zu of source", strlen(out), len);
	ck_assert_int_eq(r.fallback, 1);
	ck_assert(strncmp(out, "<p>[a]: /x<br>", 14) == 0);
	free(out);
	free(src);
	src = ref_uses("[a]: https://example.org/a/long/path/to/a/page\n", "", 0, "\n", "see [a], ", 40, &len);
	out = render_n(src, len, &r, NULL);
	ck_assert_int_eq(r.fallback, 0);
	ASSERT_HAS(out, "<a href=\"https://example.org/a/long/path/to/a/page\"");
	free(out);
	free(src);
}
END_TEST

START_TEST(test_regress_wide_table)
{
	size_t len;
	char *src = table_src("", 10000, "|---", 1000, &len);
	ck_assert_int_eq(render_hostile(src, len), 1);
	free(src);
}
END_TEST

START_TEST(test_table_width_limit)
{
	size_t len;
	char *ok = table_src("", 64, "|---", 0, &len);
	ck_assert_int_eq(render_hostile(ok, len), 0);
	char *out = render_n(ok, len, NULL, NULL);
	ASSERT_HAS(out, "<table>");
	free(out);
	char *wide = table_src("", 65, "|---", 0, &len);
	ck_assert_int_eq(render_hostile(wide, len), 1);
	free(wide);
	free(ok);
}
END_TEST

START_TEST(test_regress_www_line)
{
	size_t len;
	char *src = repeat("", "www.", 60000, "", &len);
	struct md_result r;
	ck_assert_int_eq(render_hostile(src, len), 0);
	char *out = render_n(src, len, &r, NULL);
	ck_assert_uint_eq(r.links, 0); /* www. autolinks are off */
	free(out);
	free(src);
}
END_TEST

START_TEST(test_input_limit)
{
	size_t len = MD_MAX_INPUT + 1;
	char *src = malloc(len);
	memset(src, '*', len);
	memcpy(src, "<b>\0\n", 5);
	ck_assert_int_eq(render_hostile(src, len), 1);
	char *out = render_n(src, len, NULL, NULL);
	const char *head = "<p>&lt;b&gt;\xEF\xBF\xBD<br>\n***";
	ck_assert(strncmp(out, head, strlen(head)) == 0);
	ck_assert(strcmp(out + strlen(out) - 6, "*</p>\n") == 0);
	free(out);
	ck_assert_int_eq(render_hostile(src, MD_MAX_INPUT), 0);
	free(src);
}
END_TEST

START_TEST(test_deep_nesting)
{
	size_t len;
	char *quotes = repeat("", "> ", 100000, "x\n", &len);
	ck_assert_int_eq(render_hostile(quotes, len), 1);
	char *lists = repeat("", "- ", 20, "x\n", &len);
	ck_assert_int_eq(render_hostile(lists, len), 0);
	free(lists);
	free(quotes);
}
END_TEST

START_TEST(test_pathological_fast)
{
	static const char *const reps[] = {"http://", "a@",   "[",  "*a",       "<",   "![",
	                                   "](",      "[a](", "`",  "@aaa ",    "|",   "&#1;",
	                                   "\\",      "_a",   "~~", "a.b@c.d ", "[a]", "> -"};
	for (size_t i = 0; i < sizeof reps / sizeof reps[0]; i++) {
		size_t len;
		char *src = repeat("", reps[i], 200000 / strlen(reps[i]), "", &len);
		render_hostile(src, len);
		free(src);
	}
}
END_TEST

/* Rendering appends; a fallback drops only its own partial output, not what was there. */
START_TEST(test_appends_to_existing_output)
{
	struct buf out = BUF_INIT;
	size_t len;
	buf_puts(&out, "KEEP");
	md_render("*a*", 3, &out, NULL, NULL, NULL);
	ck_assert_str_eq(out.data, "KEEP<p><em>a</em></p>\n");
	buf_reset(&out);
	buf_puts(&out, "KEEP");
	char *wide = table_src("# title\n\n", 65, "|:-:", 0, &len);
	md_render(wide, len, &out, NULL, NULL, NULL);
	const char *want = "KEEP<p># title<br>\n<br>\n|a|a";
	ck_assert_msg(strncmp(out.data, want, strlen(want)) == 0, "got %.40s", out.data);
	free(wide);
	buf_free(&out);
}
END_TEST

static const struct unit_tcase markdown_cases[] = {
	{.name = "render", .tests = UNIT_TESTS(&test_inline, &test_blocks, &test_table,
					  &test_task_list, &test_links_allowed, &test_links_count,
					  &test_appends_to_existing_output, &test_remote_images_become_links,
					  &test_destinations_as_the_spec_reads_them)},
	{.name = "xss", .tests = UNIT_TESTS(&test_xss_corpus, &test_refused_link_keeps_text,
					  &test_title_escaped, &test_nul_becomes_replacement)},
	{.name = "mentions", .tests = UNIT_TESTS(&test_mentions, &test_mention_rules,
					  &test_no_mentions_on_fallback)},
	{.name = "md4c-regressions", .tests = UNIT_TESTS(&test_regress_link_at_eof,
					  &test_regress_many_ref_uses, &test_regress_ref_output_quadratic,
					  &test_rendered_size_bounded,
					  &test_regress_wide_table, &test_table_width_limit,
					  &test_regress_www_line, &test_input_limit, &test_deep_nesting,
					  &test_pathological_fast), .timeout = 60},
};

UNIT_SUITE(markdown, markdown_cases)

const struct unit_tests unit_tests = {.suites = {markdown_suite}};
