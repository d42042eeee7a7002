/* libFuzzer target for template: the compiler (tmpl_add) and the renderer (tmpl_render) over a
 * JSON model. The input is three parts split at NUL bytes: a template "a", a template "p" that
 * either may include as {{>p}}, and a JSON model merged over a fixed one whose strings are
 * hostile HTML. Asserts that a refused template says why as "NAME:LINE: ...", and the promise
 * of escaped output: when neither template holds < > " ' or a raw {{{..}}} tag, no value of the
 * model can put one of those characters in the page. Templates are our own files, so an
 * exponential template (sections nested over big arrays, partials that fan out) is no finding:
 * rendering is skipped for those, compiling never is. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MODEL_MAX = 256, SECTIONS_MAX = 3, PARTIALS_MAX = 2 };

static const char base_model[] =
	"{\"s\":\"<script>alert('x')</script>\",\"q\":\"\\\"quoted\\\" & 'single'\","
	"\"a\":[\"<i>\",{\"s\":\"<b>\",\"n\":1},[\">\"]],\"o\":{\"s\":\"</textarea>\",\"t\":true},"
	"\"n\":-7,\"r\":1.5e300,\"t\":true,\"f\":false,\"z\":null,\"e\":\"\",\"x_html\":\"<em>ok</em>\","
	"\"u\":\"a b&c=d/é\"}";

struct part {
	const char *s;
	size_t len;
};

/* Splits data at its first two NUL bytes; missing parts are empty. */
static void split(const uint8_t *data, size_t size, struct part p[3])
{
	const char *s = (const char *)data, *end = s + size;
	for (int i = 0; i < 3; i++) {
		const char *nul = i < 2 ? memchr(s, '\0', (size_t)(end - s)) : NULL;
		p[i].s = s;
		p[i].len = (size_t)((nul ? nul : end) - s);
		s = nul ? nul + 1 : end;
	}
}

/* The tags of src whose sigil is among sigils ("#^" sections, ">" partials), whitespace
 * allowed around the sigil; with name, only those naming it. */
static int count_tags(const struct part *src, const char *sigils, const char *name)
{
	int n = 0;
	const char *s = src->s, *end = s + src->len;
	for (const char *p = s; p + 1 < end; p++) {
		if (p[0] != '{' || p[1] != '{')
			continue;
		const char *q = p + 2;
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
			q++;
		if (q >= end || !*q || !strchr(sigils, *q))
			continue;
		for (q++; q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'); q++)
			;
		size_t len = name ? strlen(name) : 0;
		if (!name || ((size_t)(end - q) > len && !memcmp(q, name, len) && strchr(" \t\n\r}", q[len])))
			n++;
	}
	return n;
}

/* Whether rendering stays small: a template that includes itself (directly or through the
 * other) renders up to TMPL_MAX_DEPTH levels, each repeating its sections, so only a
 * section-free recursion is rendered. */
static int cheap(const struct part p[3])
{
	int sections = count_tags(&p[0], "#^", NULL) + count_tags(&p[1], "#^", NULL);
	int partials = count_tags(&p[0], ">", NULL) + count_tags(&p[1], ">", NULL);
	int recursive = count_tags(&p[0], ">", "a") || count_tags(&p[0], ">", "a.txt") ||
			count_tags(&p[1], ">", "p") || count_tags(&p[1], ">", "a") ||
			count_tags(&p[1], ">", "a.txt");
	return sections <= SECTIONS_MAX && partials <= PARTIALS_MAX && (!recursive || sections == 0);
}

static int holds_markup(const struct part *src)
{
	for (size_t i = 0; i < src->len; i++)
		if (strchr("<>\"'", src->s[i]) && src->s[i])
			return 1;
	for (size_t i = 0; i + 2 < src->len; i++)
		if (!memcmp(src->s + i, "{{{", 3))
			return 1;
	return 0;
}

/* Compiles src as name; a refusal must name the template and a line. */
static int compile(struct tmpl_set *set, const char *name, const struct part *src)
{
	char *err = NULL;
	int rc = tmpl_add(set, name, src->s, src->len, &err);
	assert(rc == 0 || rc == -1);
	if (rc == 0) {
		assert(err == NULL && tmpl_exists(set, name));
		return 0;
	}
	assert(err && !strncmp(err, name, strlen(name)) && err[strlen(name)] == ':');
	free(err);
	return -1;
}

static json_t *model_of(const struct part *m)
{
	json_t *model = json_loads(base_model, 0, NULL);
	assert(model);
	if (m->len <= MODEL_MAX) {
		json_t *extra = json_loadb(m->s, m->len, JSON_DECODE_ANY, NULL);
		if (json_is_object(extra))
			json_object_update(model, extra);
		else if (extra)
			json_object_set(model, "m", extra);
		json_decref(extra);
	}
	return model;
}

static void render_checked(const struct tmpl_set *set, const json_t *model, int escaped_only)
{
	struct buf out = BUF_INIT, text = BUF_INIT;
	assert(tmpl_render(set, "a", model, NULL, &out) == 0);
	assert(tmpl_render(set, "a.txt", model, NULL, &text) == 0);
	if (escaped_only)
		for (size_t i = 0; i < out.len; i++)
			assert(!strchr("<>\"'", out.data[i]) || !out.data[i]);
	assert(tmpl_render(set, "missing", model, NULL, &out) == -1);
	buf_free(&out);
	buf_free(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) { /* as agorad does at start */
		util_json_init();
		ready = 1;
	}
	struct part p[3];
	split(data, size, p);
	struct tmpl_set *set = tmpl_set_new();
	int ok = compile(set, "a", &p[0]) == 0;
	ok &= compile(set, "a.txt", &p[0]) == 0;
	ok &= compile(set, "p", &p[1]) == 0;
	if (ok && cheap(p)) {
		json_t *model = model_of(&p[2]);
		render_checked(set, model, !holds_markup(&p[0]) && !holds_markup(&p[1]));
		json_decref(model);
	}
	tmpl_set_free(set);
	return 0;
}
