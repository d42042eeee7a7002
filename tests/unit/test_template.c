/* Unit tests for the template engine and the i18n catalogs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "check_main.h"
#include "i18n.h"
#include "template.h"
#include "util.h"

/* Compiles src as template "t" (plus any partials already in set) and renders it with the
 * model given as JSON text. Returns the output, which the caller frees. */
static char *render_in(struct tmpl_set *set, const char *src, const char *model_json,
		       const struct i18n *cat)
{
	struct buf out = BUF_INIT;
	char *err = NULL;
	json_t *model = model_json ? json_loads(model_json, 0, NULL) : NULL;

	ck_assert_msg(!model_json || model, "bad test JSON: %s", model_json);
	ck_assert_msg(tmpl_add(set, "t", src, strlen(src), &err) == 0, "compile: %s", err);
	ck_assert_int_eq(tmpl_render(set, "t", model, cat, &out), 0);
	json_decref(model);
	return buf_detach(&out);
}

static char *render(const char *src, const char *model_json)
{
	struct tmpl_set *set = tmpl_set_new();
	char *s = render_in(set, src, model_json, NULL);
	tmpl_set_free(set);
	return s;
}

#define ck_render(src, model, want)                                                          \
	do {                                                                                 \
		char *got_ = render(src, model);                                             \
		ck_assert_str_eq(got_, want);                                                \
		free(got_);                                                                  \
	} while (0)

/* Compiling src must fail with an error message starting with want_prefix. */
static void ck_compile_error(const char *src, const char *want_prefix)
{
	struct tmpl_set *set = tmpl_set_new();
	char *err = NULL;

	ck_assert_int_eq(tmpl_add(set, "page", src, strlen(src), &err), -1);
	ck_assert_ptr_nonnull(err);
	ck_assert_msg(strncmp(err, want_prefix, strlen(want_prefix)) == 0, "error \"%s\" for %s",
		      err, src);
	free(err);
	ck_assert(!tmpl_exists(set, "page"));
	tmpl_set_free(set);
}

START_TEST(test_escaping)
{
	ck_render("<p>{{x}}</p>", "{\"x\": \"<script>\\\"'&\"}",
		  "<p>&lt;script&gt;&quot;&#39;&amp;</p>");
	ck_render("{{{x_html}}}", "{\"x_html\": \"<b>hi</b>\"}", "<b>hi</b>");
	ck_render("{{{ post.body_html }}}", "{\"post\": {\"body_html\": \"<i>x</i>\"}}", "<i>x</i>");
	ck_render("{{x_html}}", "{\"x_html\": \"<b>\"}", "&lt;b&gt;");
	ck_render("<a href=\"/s?q={{%q}}\">", "{\"q\": \"a b&c\"}", "<a href=\"/s?q=a%20b%26c\">");
	ck_render("{{%q}}", "{\"q\": \"\\\"<>'\"}", "%22%3C%3E%27");
}
END_TEST

START_TEST(test_raw_needs_html_name)
{
	ck_compile_error("a\n{{{x}}}", "page:2: ");
	ck_compile_error("{{{x_html.y}}}", "page:1: ");
	ck_compile_error("{{{.}}}", "page:1: ");
	ck_compile_error("{{&x}}", "page:1: ");
}
END_TEST

START_TEST(test_values)
{
	ck_render("{{i}} {{n}} {{r}} {{t}}|{{f}}{{z}}{{missing}}{{o}}{{a}}|",
		  "{\"i\": 42, \"n\": -7, \"r\": 2.5, \"t\": true, \"f\": false, \"z\": null,"
		  " \"o\": {\"k\": 1}, \"a\": [1]}",
		  "42 -7 2.5 true||");
	ck_render("{{big}}", "{\"big\": 9007199254740993}", "9007199254740993");
	ck_render("{{ a.b.c }}", "{\"a\": {\"b\": {\"c\": \"deep\"}}}", "deep");
	ck_render("[{{a.x.c}}]", "{\"a\": {\"b\": 1}}", "[]");
	ck_render("{{! a comment }}x{{!\nmultiline }}y", NULL, "xy");
	ck_render("no tags at all", NULL, "no tags at all");
	ck_render("", NULL, "");
	ck_render("{{x}}", "[1, 2]", "");
}
END_TEST

START_TEST(test_sections)
{
	ck_render("{{#xs}}<{{.}}>{{/xs}}", "{\"xs\": [1, \"b\", 3]}", "<1><b><3>");
	ck_render("a{{#xs}}<{{.}}>{{/xs}}b", "{\"xs\": []}", "ab");
	ck_render("{{#u}}{{name}}{{/u}}", "{\"u\": {\"name\": \"ann\"}}", "ann");
	ck_render("{{#t}}yes{{/t}}{{#f}}no{{/f}}{{#z}}no{{/z}}{{#m}}no{{/m}}",
		  "{\"t\": true, \"f\": false, \"z\": null}", "yes");
	ck_render("{{#s}}[{{s}}]{{/s}}{{#e}}no{{/e}}{{#n}}{{n}}{{/n}}{{#zero}}no{{/zero}}",
		  "{\"s\": \"str\", \"e\": \"\", \"n\": 3, \"zero\": 0}", "[str]3");
	ck_render("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", "{\"a\": {\"b\": [{\"c\": 1}, {\"c\": 2}]}}",
		  "12");
}
END_TEST

START_TEST(test_inverted)
{
	const char *src = "{{^xs}}none{{/xs}}";

	ck_render(src, "{\"xs\": []}", "none");
	ck_render(src, "{}", "none");
	ck_render(src, "{\"xs\": null}", "none");
	ck_render(src, "{\"xs\": false}", "none");
	ck_render(src, "{\"xs\": \"\"}", "none");
	ck_render(src, "{\"xs\": 0}", "none");
	ck_render(src, "{\"xs\": [1]}", "");
	ck_render(src, "{\"xs\": {}}", "");
	ck_render(src, "{\"xs\": true}", "");
	ck_render(src, "{\"xs\": \"a\"}", "");
}
END_TEST

START_TEST(test_context_stack)
{
	const char *model = "{\"name\": \"outer\", \"site\": {\"title\": \"Agora\"},"
			    " \"posts\": [{\"name\": \"p1\"}, {\"id\": 2}]}";

	/* The element's name shadows the outer one; an element without it sees the outer. */
	ck_render("{{#posts}}{{name}}/{{site.title}};{{/posts}}{{name}}", model,
		  "p1/Agora;outer/Agora;outer");
	/* Once the first segment is found, the rest is not looked up outward again. */
	ck_render("{{#u}}[{{site.title}}]{{/u}}",
		  "{\"site\": {\"title\": \"T\"}, \"u\": {\"site\": {\"x\": 1}}}", "[]");
	/* An explicit null shadows too. */
	ck_render("{{#u}}[{{name}}]{{/u}}", "{\"name\": \"o\", \"u\": {\"name\": null}}", "[]");
}
END_TEST

START_TEST(test_partials)
{
	struct tmpl_set *set = tmpl_set_new();
	const char *hdr = "<h1>{{title}}</h1>";
	char *err = NULL;

	ck_assert_int_eq(tmpl_add(set, "header", hdr, strlen(hdr), &err), 0);
	ck_assert(tmpl_exists(set, "header"));
	ck_assert(!tmpl_exists(set, "footer"));
	char *s = render_in(set, "{{>header}}{{#p}}{{> header }}{{/p}}{{>nosuch}}",
			    "{\"title\": \"A\", \"p\": {\"title\": \"B\"}}", NULL);
	ck_assert_str_eq(s, "<h1>A</h1><h1>B</h1>");
	free(s);
	ck_assert_int_eq(tmpl_add(set, "header", hdr, strlen(hdr), &err), -1);
	ck_assert_ptr_nonnull(err);
	free(err);
	tmpl_set_free(set);
}
END_TEST

START_TEST(test_partial_recursion)
{
	struct tmpl_set *set = tmpl_set_new();
	const char *loop = "x{{>loop}}";
	const char *tree = "({{id}}{{#kids}}{{>tree}}{{/kids}})";
	struct buf out = BUF_INIT;
	char *err = NULL;
	/* Every node carries "kids": a node without it would see its parent's (Mustache lookup)
	 * and recurse down to the depth limit. */
	json_t *model = json_loads("{\"id\": 1, \"kids\": [{\"id\": 2, \"kids\": [{\"id\": 3,"
				   " \"kids\": []}]}, {\"id\": 4, \"kids\": []}]}", 0, NULL);

	ck_assert_int_eq(tmpl_add(set, "loop", loop, strlen(loop), &err), 0);
	ck_assert_int_eq(tmpl_add(set, "tree", tree, strlen(tree), &err), 0);
	ck_assert_int_eq(tmpl_render(set, "loop", NULL, NULL, &out), 0);
	ck_assert_uint_eq(out.len, TMPL_MAX_DEPTH + 1);
	buf_reset(&out);
	ck_assert_int_eq(tmpl_render(set, "tree", model, NULL, &out), 0);
	ck_assert_str_eq(out.data, "(1(2(3))(4))");
	buf_reset(&out);
	ck_assert_int_eq(tmpl_render(set, "nosuch", model, NULL, &out), -1);
	ck_assert_uint_eq(out.len, 0);
	buf_free(&out);
	json_decref(model);
	tmpl_set_free(set);
}
END_TEST

START_TEST(test_compile_errors)
{
	ck_compile_error("a\nb {{x", "page:2: unclosed tag");
	ck_compile_error("{{{x_html}}", "page:1: unclosed tag");
	ck_compile_error("1\n{{#a}}\n2\n", "page:2: ");
	ck_compile_error("{{#a}}\n{{#b}}\n{{/a}}", "page:3: ");
	ck_compile_error("x\n\n{{/a}}", "page:3: ");
	ck_compile_error("{{}}", "page:1: ");
	ck_compile_error("{{a..b}}", "page:1: ");
	ck_compile_error("{{a b}}", "page:1: ");
	ck_compile_error("{{@}}", "page:1: ");
	ck_compile_error("{{@a.b c d}}", "page:1: ");
	ck_compile_error("{{>.}}", "page:1: ");
	ck_compile_error("{{! multi\nline }}\n{{=<% %>=}}", "page:3: ");
}
END_TEST

START_TEST(test_nesting_limit)
{
	struct buf src = BUF_INIT;

	for (int i = 0; i < 100; i++)
		buf_puts(&src, "{{#a}}");
	for (int i = 0; i < 100; i++)
		buf_puts(&src, "{{/a}}");
	ck_compile_error(src.data, "page:1: ");
	buf_free(&src);
}
END_TEST

/* ---- i18n ---- */

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void remove_file(const char *name)
{
	char path[128];

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	unlink(path);
}

static void make_dir(void)
{
	strcpy(tmpdir, "/tmp/agora-i18n-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* Removes the files any test may have written, then the folder. */
static void remove_dir(void)
{
	static const char *names[] = {"en.json", "zh-CN.json", "bad.json", "list.json",
				      "t.html", "u.html", ".swp.html", "notes.md", "mail.txt"};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		remove_file(names[i]);
	rmdir(tmpdir);
}

static struct i18n_set *load_catalogs(int with_zh)
{
	struct i18n_set *set;
	char *err = NULL;

	make_dir();
	write_file("en.json", "{\"nav\": {\"home\": \"Home\", \"reply\": \"Reply to {}\"},"
			      " \"replies\": \"{} replies\", \"only_en\": \"English only\","
			      " \"warn\": \"<b>&\"}");
	if (with_zh)
		write_file("zh-CN.json", "{\"nav\": {\"home\": \"首页\", \"reply\": \"回复{}\"}}");
	write_file("notes.txt", "not a catalog");
	set = i18n_load_dir(tmpdir, &err);
	ck_assert_msg(set != NULL, "load: %s", err);
	return set;
}

START_TEST(test_i18n_lookup)
{
	struct i18n_set *set = load_catalogs(1);
	const struct i18n *en = i18n_get(set, "en"), *zh = i18n_get(set, "zh-CN");

	ck_assert_str_eq(i18n_lang(en), "en");
	ck_assert_str_eq(i18n_lang(zh), "zh-CN");
	ck_assert_str_eq(i18n_msg(en, "nav.home"), "Home");
	ck_assert_str_eq(i18n_msg(zh, "nav.home"), "首页");
	ck_assert_str_eq(i18n_msg(zh, "only_en"), "English only");
	ck_assert_str_eq(i18n_msg(zh, "no.such.key"), "no.such.key");
	ck_assert_str_eq(i18n_msg(en, "nav"), "nav");
	ck_assert_str_eq(i18n_msg(en, "nav.home.x"), "nav.home.x");
	ck_assert_str_eq(i18n_msg(NULL, "nav.home"), "nav.home");
	ck_assert_ptr_eq(i18n_get(set, "zh-TW"), zh);
	ck_assert_ptr_eq(i18n_get(set, "ZH"), zh);
	ck_assert_ptr_eq(i18n_get(set, "EN-us"), en);
	ck_assert_ptr_eq(i18n_get(set, "fr"), en);
	ck_assert_ptr_eq(i18n_get(set, NULL), en);
	i18n_set_free(set);
	remove_dir();
}
END_TEST

START_TEST(test_i18n_negotiate)
{
	struct i18n_set *set = load_catalogs(1);
	const struct i18n *en = i18n_get(set, "en"), *zh = i18n_get(set, "zh-CN");

	ck_assert_ptr_eq(i18n_negotiate(set, "zh-CN,zh;q=0.9,en;q=0.8"), zh);
	ck_assert_ptr_eq(i18n_negotiate(set, "fr"), en);
	ck_assert_ptr_eq(i18n_negotiate(set, NULL), en);
	ck_assert_ptr_eq(i18n_negotiate(set, ""), en);
	ck_assert_ptr_eq(i18n_negotiate(set, "en;q=0.5, zh;q=0.8"), zh);
	ck_assert_ptr_eq(i18n_negotiate(set, "zh-TW;q=0.7 , en-GB ; q=0.9"), en);
	ck_assert_ptr_eq(i18n_negotiate(set, "fr-FR, zh-HK;q=0.4, *;q=0.1"), zh);
	ck_assert_ptr_eq(i18n_negotiate(set, "zh;q=0, fr"), en);
	ck_assert_ptr_eq(i18n_negotiate(set, ",,;q=,;;,zh;q=x"), en);
	i18n_set_free(set);
	remove_dir();

	set = load_catalogs(0);
	en = i18n_get(set, "en");
	ck_assert_ptr_eq(i18n_negotiate(set, "zh-CN,zh;q=0.9,en;q=0.8"), en);
	i18n_set_free(set);
	remove_dir();
}
END_TEST

START_TEST(test_i18n_in_templates)
{
	struct i18n_set *cats = load_catalogs(1);
	struct tmpl_set *set = tmpl_set_new();
	const char *model = "{\"user\": \"<eve>\", \"n\": 3}";
	char *s;

	s = render_in(set, "{{@nav.home}}|{{@nav.reply user}}|{{@replies n}}|{{@warn}}|{{@x.y}}",
		      model, i18n_get(cats, "en"));
	ck_assert_str_eq(s, "Home|Reply to &lt;eve&gt;|3 replies|&lt;b&gt;&amp;|x.y");
	free(s);
	tmpl_set_free(set);
	set = tmpl_set_new();
	s = render_in(set, "{{@nav.reply user}}|{{@replies n}}|{{@replies}}", model,
		      i18n_get(cats, "zh-CN"));
	ck_assert_str_eq(s, "回复&lt;eve&gt;|3 replies|{} replies");
	free(s);
	tmpl_set_free(set);
	set = tmpl_set_new();
	s = render_in(set, "{{@nav.home}} {{@replies missing}}", model, NULL);
	ck_assert_str_eq(s, "nav.home replies");
	free(s);
	tmpl_set_free(set);
	i18n_set_free(cats);
	remove_dir();
}
END_TEST

START_TEST(test_i18n_bad_catalogs)
{
	char *err = NULL;

	make_dir();
	write_file("en.json", "{\"a\": \"x\"}");
	write_file("bad.json", "{\n\"a\": \"x\",\n\"b\" 1}");
	ck_assert_ptr_null(i18n_load_dir(tmpdir, &err));
	ck_assert_ptr_nonnull(strstr(err, "bad.json:3:"));
	free(err);
	remove_file("bad.json");
	write_file("list.json", "{\"a\": {\"b\": [1]}}");
	ck_assert_ptr_null(i18n_load_dir(tmpdir, &err));
	ck_assert_ptr_nonnull(strstr(err, "list.json"));
	ck_assert_ptr_nonnull(strstr(err, "a.b"));
	free(err);
	remove_dir();
	ck_assert_ptr_null(i18n_load_dir("/nonexistent/agora", &err));
	free(err);
}
END_TEST

START_TEST(test_load_dir)
{
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	char *err = NULL;

	make_dir();
	write_file("t.html", "<{{>u}}>");
	write_file("u.html", "{{x}}");
	write_file(".swp.html", "{{{broken");
	write_file("notes.md", "{{{broken");
	write_file("mail.txt", "{{x}}");
	set = tmpl_load_dir(tmpdir, &err);
	ck_assert_msg(set != NULL, "load: %s", err);
	ck_assert(tmpl_exists(set, "t") && tmpl_exists(set, "u") && !tmpl_exists(set, ".swp"));
	ck_assert(tmpl_exists(set, "mail.txt") && !tmpl_exists(set, "mail") && !tmpl_exists(set, "notes"));
	json_t *model = json_pack("{s:s}", "x", "&");
	ck_assert_int_eq(tmpl_render(set, "t", model, NULL, &out), 0);
	ck_assert_str_eq(out.data, "<&amp;>");
	json_decref(model);
	buf_free(&out);
	tmpl_set_free(set);

	write_file("u.html", "line 1\n{{#a}}\n");
	ck_assert_ptr_null(tmpl_load_dir(tmpdir, &err));
	ck_assert_msg(strstr(err, "/u.html:2: ") != NULL, "error: %s", err);
	free(err);

	write_file("u.html", "ok\n\n{{>nosuch}}");
	ck_assert_ptr_null(tmpl_load_dir(tmpdir, &err));
	ck_assert_msg(strstr(err, "/u.html:3: ") != NULL, "error: %s", err);
	free(err);
	remove_dir();
}
END_TEST

/* An e-mail's text part: values and messages go out as they are, and so do its partials. */
START_TEST(test_text_templates)
{
	struct tmpl_set *set = tmpl_set_new();
	char *err = NULL;
	struct buf out = BUF_INIT;
	const char *txt = "{{a}} {{>p.txt}}", *part = "[{{a}}]";
	ck_assert_int_eq(tmpl_add(set, "m" TMPL_TEXT_SUFFIX, txt, strlen(txt), &err), 0);
	ck_assert_int_eq(tmpl_add(set, "p" TMPL_TEXT_SUFFIX, part, strlen(part), &err), 0);
	ck_assert_int_eq(tmpl_add(set, "m", txt, strlen(txt), &err), 0);
	json_t *model = json_pack("{s:s}", "a", "R&D <b>");
	ck_assert_int_eq(tmpl_render(set, "m" TMPL_TEXT_SUFFIX, model, NULL, &out), 0);
	ck_assert_str_eq(out.data, "R&D <b> [R&D <b>]");
	out.len = 0;
	ck_assert_int_eq(tmpl_render(set, "m", model, NULL, &out), 0);
	buf_append(&out, "", 0);
	ck_assert_str_eq(out.data, "R&amp;D &lt;b&gt; [R&amp;D &lt;b&gt;]"); /* a partial takes its caller's mode */
	json_decref(model);
	buf_free(&out);
	tmpl_set_free(set);
}
END_TEST

static const struct unit_tcase template_cases[] = {
	{.name = "core", .tests = UNIT_TESTS(&test_escaping, &test_raw_needs_html_name,
					  &test_values, &test_sections, &test_inverted,
					  &test_context_stack, &test_partials, &test_partial_recursion,
					  &test_compile_errors, &test_nesting_limit, &test_i18n_lookup,
					  &test_i18n_negotiate, &test_i18n_in_templates,
					  &test_i18n_bad_catalogs, &test_load_dir, &test_text_templates)},
};

UNIT_SUITE(template, template_cases)

const struct unit_tests unit_tests = {.suites = {template_suite}};
