#include "template.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Deeper section nesting is refused when compiling, so neither the parser nor the renderer
 * can exhaust the C stack on a broken template (fuzzers feed us those). */
#define MAX_NESTING 64
/* How much of a tag an error message quotes. */
#define QUOTE_MAX 60

enum node_kind { N_TEXT, N_VAR, N_RAW, N_URL, N_SECTION, N_INVERTED, N_PARTIAL, N_MSG };

/* One piece of a compiled template; a template and each section body is a list of them. */
struct node {
	enum node_kind kind;
	int line;
	/* N_TEXT: the bytes; N_PARTIAL: a template name; N_MSG: the catalog key;
	 * otherwise the dotted name ("." for the current context). */
	char *text;
	size_t len;
	char *arg; /* N_MSG: the dotted name whose value fills "{}", or NULL */
	struct node *body; /* N_SECTION, N_INVERTED */
	struct node *next;
};

struct tmpl {
	char *name;
	char *file; /* for error messages: the path it came from, or its name */
	struct node *root;
};

struct tmpl_set {
	struct tmpl *v;
	size_t n, cap;
};

struct parser {
	const char *p, *end;
	const char *file;
	int line;
	int nesting;
	char **err;
};

/* A tag as read from the source: its sigil ('\0' for a plain name, '{' for triple braces)
 * and its content with surrounding whitespace trimmed. */
struct tag {
	char sigil;
	const char *s;
	size_t len;
	int line;
};

/* The render-time context stack lives on the C stack, linked innermost first, so rendering
 * allocates nothing of its own and shares no state between threads. */
struct ctx {
	const json_t *v;
	const struct ctx *up;
};

struct render {
	const struct tmpl_set *set;
	const struct i18n *cat;
	struct buf *out;
	int text; /* a plain-text template: values and messages go out unescaped */
};

static void render_nodes(const struct render *r, const struct node *n, const struct ctx *c,
			 int depth);

/* ---- errors ---- */

static void give_err(char **err, struct buf *b)
{
	if (err)
		*err = buf_detach(b);
	else
		buf_free(b);
}

static int fail(const struct parser *ps, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sets *err to "FILE:LINE: message" and returns -1, so parse errors are one statement. */
static int fail(const struct parser *ps, int line, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	buf_printf(&b, "%s:%d: ", ps->file, line);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	give_err(ps->err, &b);
	return -1;
}

static int quote_len(size_t len)
{
	return len > QUOTE_MAX ? QUOTE_MAX : (int)len;
}

/* ---- compiling ---- */

static const char *find(const char *p, const char *end, const char *pat)
{
	size_t n = strlen(pat);

	for (; (size_t)(end - p) >= n; p++)
		if (memcmp(p, pat, n) == 0)
			return p;
	return NULL;
}

static int count_lines(const char *s, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_space((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* A dotted name: non-empty segments of letters, digits, '_' and '-'; or "." alone. */
static bool valid_name(const char *s, size_t len)
{
	bool seg_start = true;

	if (len == 1 && s[0] == '.')
		return true;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.' && !seg_start)
			seg_start = true;
		else if (is_name_char(s[i]))
			seg_start = false;
		else
			return false;
	}
	return !seg_start;
}

/* Raw output is allowed by name only, so a reviewer can see at a glance which values must
 * be sanitised HTML: the last segment must end in "_html". */
static bool is_html_name(const char *s, size_t len)
{
	return valid_name(s, len) && len >= 5 && memcmp(s + len - 5, "_html", 5) == 0;
}

static struct node *append(struct node ***tail, enum node_kind kind, int line)
{
	struct node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->line = line;
	**tail = n;
	*tail = &n->next;
	return n;
}

static void add_text(struct parser *ps, struct node ***tail, const char *end)
{
	struct node *n = append(tail, N_TEXT, ps->line);

	n->len = (size_t)(end - ps->p);
	n->text = xstrndup(ps->p, n->len);
	ps->line += count_lines(ps->p, n->len);
	ps->p = end;
}

/* Reads the tag at ps->p (which points at "{{") and moves past it. */
static int read_tag(struct parser *ps, struct tag *t)
{
	bool triple = ps->end - ps->p > 2 && ps->p[2] == '{';
	const char *start = ps->p + (triple ? 3 : 2);
	const char *close = find(start, ps->end, triple ? "}}}" : "}}");

	t->line = ps->line;
	if (!close)
		return fail(ps, t->line, "unclosed tag");
	ps->line += count_lines(start, (size_t)(close - start));
	ps->p = close + (triple ? 3 : 2);
	t->s = start;
	t->len = (size_t)(close - start);
	trim(&t->s, &t->len);
	t->sigil = triple ? '{' : '\0';
	if (!triple && t->len && t->s[0] && strchr("#^/>@%!", t->s[0])) {
		t->sigil = *t->s++;
		t->len--;
		trim(&t->s, &t->len);
	}
	return 0;
}

static int parse_block(struct parser *ps, const struct tag *open, struct node **out);

static int parse_section(struct parser *ps, const struct tag *t, struct node *n)
{
	int rc;

	if (ps->nesting >= MAX_NESTING)
		return fail(ps, t->line, "sections nested more than %d deep", MAX_NESTING);
	ps->nesting++;
	rc = parse_block(ps, t, &n->body);
	ps->nesting--;
	return rc;
}

/* {{name}}, {{{name_html}}}, {{%name}}, {{#name}}, {{^name}}, {{>name}}. */
static int add_named(struct parser *ps, const struct tag *t, enum node_kind kind,
		     struct node ***tail)
{
	if (!valid_name(t->s, t->len) || (kind == N_PARTIAL && t->s[0] == '.'))
		return fail(ps, t->line, "bad name in {{%c%.*s}}", t->sigil ? t->sigil : ' ',
			    quote_len(t->len), t->s);
	if (kind == N_RAW && !is_html_name(t->s, t->len))
		return fail(ps, t->line,
			    "{{{%.*s}}}: raw output is only allowed for names ending in _html",
			    quote_len(t->len), t->s);
	struct node *n = append(tail, kind, t->line);
	n->text = xstrndup(t->s, t->len);
	n->len = t->len;
	if (kind == N_SECTION || kind == N_INVERTED)
		return parse_section(ps, t, n);
	return 0;
}

/* {{@key}} or {{@key name}}. */
static int add_msg(struct parser *ps, const struct tag *t, struct node ***tail)
{
	size_t klen = 0;
	const char *arg;
	size_t alen;

	while (klen < t->len && !is_space(t->s[klen]))
		klen++;
	arg = t->s + klen;
	alen = t->len - klen;
	trim(&arg, &alen);
	if (!valid_name(t->s, klen) || t->s[0] == '.' || (alen && !valid_name(arg, alen)))
		return fail(ps, t->line, "bad message tag {{@%.*s}}", quote_len(t->len), t->s);
	struct node *n = append(tail, N_MSG, t->line);
	n->text = xstrndup(t->s, klen);
	n->len = klen;
	n->arg = alen ? xstrndup(arg, alen) : NULL;
	return 0;
}

static int add_tag(struct parser *ps, const struct tag *t, struct node ***tail)
{
	switch (t->sigil) {
	case '!': return 0;
	case '@': return add_msg(ps, t, tail);
	case '>': return add_named(ps, t, N_PARTIAL, tail);
	case '#': return add_named(ps, t, N_SECTION, tail);
	case '^': return add_named(ps, t, N_INVERTED, tail);
	case '{': return add_named(ps, t, N_RAW, tail);
	case '%': return add_named(ps, t, N_URL, tail);
	default: return add_named(ps, t, N_VAR, tail);
	}
}

static int close_section(struct parser *ps, const struct tag *open, const struct tag *t)
{
	if (!open)
		return fail(ps, t->line, "{{/%.*s}} closes no section", quote_len(t->len), t->s);
	if (t->len != open->len || memcmp(t->s, open->s, t->len) != 0)
		return fail(ps, t->line, "{{/%.*s}} does not close {{%c%.*s}} of line %d",
			    quote_len(t->len), t->s, open->sigil, quote_len(open->len), open->s,
			    open->line);
	return 0;
}

/* Parses nodes into *out up to the end of input or, inside section open, up to its end
 * tag. On error *out holds what was parsed so far, for the caller to free. */
static int parse_block(struct parser *ps, const struct tag *open, struct node **out)
{
	struct node **tail = out;
	struct tag t;

	for (;;) {
		const char *tag = find(ps->p, ps->end, "{{");
		if (ps->p < (tag ? tag : ps->end))
			add_text(ps, &tail, tag ? tag : ps->end);
		if (!tag && open)
			return fail(ps, open->line, "{{%c%.*s}} is never closed", open->sigil,
				    quote_len(open->len), open->s);
		if (!tag)
			return 0;
		if (read_tag(ps, &t) < 0)
			return -1;
		if (t.sigil == '/')
			return close_section(ps, open, &t);
		if (add_tag(ps, &t, &tail) < 0)
			return -1;
	}
}

static void free_nodes(struct node *n)
{
	while (n) {
		struct node *next = n->next;
		free_nodes(n->body);
		free(n->text);
		free(n->arg);
		free(n);
		n = next;
	}
}

static const struct tmpl *find_tmpl(const struct tmpl_set *set, const char *name)
{
	/* A linear scan: a site has a few dozen templates, and this keeps the set a plain
	 * array that needs no ordering kept up by tmpl_add. */
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0)
			return &set->v[i];
	return NULL;
}

/* Compiles src as template name; file names it in error messages. */
static int add_source(struct tmpl_set *set, const char *name, const char *file, const char *src,
		      size_t len, char **err)
{
	if (!src)
		src = "";
	struct parser ps = {src, src + len, file, 1, 0, err};
	struct node *root = NULL;

	if (find_tmpl(set, name))
		return fail(&ps, 1, "a template named \"%s\" already exists", name);
	if (parse_block(&ps, NULL, &root) < 0) {
		free_nodes(root);
		return -1;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xrealloc(set->v, set->cap * sizeof *set->v);
	}
	set->v[set->n++] = (struct tmpl){xstrdup(name), xstrdup(file), root};
	return 0;
}

struct tmpl_set *tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len, char **err)
{
	return add_source(set, name, name, src, len, err);
}

int tmpl_exists(const struct tmpl_set *set, const char *name)
{
	return find_tmpl(set, name) != NULL;
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->v[i].name);
		free(set->v[i].file);
		free_nodes(set->v[i].root);
	}
	free(set->v);
	free(set);
}

/* ---- loading a folder ---- */

static int has_suffix(const char *name, const char *suffix)
{
	size_t len = strlen(name), n = strlen(suffix);
	return len > n && strcmp(name + len - n, suffix) == 0;
}

/* Dot files are skipped: editors leave lock and swap files beside the templates. */
static int is_template_file(const struct dirent *d)
{
	return d->d_name[0] != '.' && (has_suffix(d->d_name, ".html") || has_suffix(d->d_name, TMPL_TEXT_SUFFIX));
}

static int load_file(struct tmpl_set *set, const char *dir, const char *fname, char **err)
{
	struct buf path = BUF_INIT, src = BUF_INIT, msg = BUF_INIT;
	/* NAME.html is template NAME; a text template keeps its suffix, beside its HTML twin */
	char *name = has_suffix(fname, ".html") ? xstrndup(fname, strlen(fname) - 5) : xstrdup(fname);
	int rc = 0;

	buf_printf(&path, "%s/%s", dir, fname);
	if (buf_read_file(path.data, &src, SIZE_MAX) < 0) {
		buf_printf(&msg, "%s: %s", path.data, strerror(errno));
		give_err(err, &msg);
		rc = -1;
		goto done;
	}
	rc = add_source(set, name, path.data, src.data, src.len, err);
done:
	free(name);
	buf_free(&path);
	buf_free(&src);
	return rc;
}

/* A misspelt {{>partial}} would otherwise render as nothing; in a folder every name is
 * known, so it is caught at start-up instead. */
static int check_partials(const struct tmpl_set *set, const struct tmpl *t, const struct node *n,
			  char **err)
{
	struct buf msg = BUF_INIT;

	for (; n; n = n->next) {
		if (n->kind == N_PARTIAL && !find_tmpl(set, n->text)) {
			buf_printf(&msg, "%s:%d: {{>%s}}: no such template", t->file, n->line,
				   n->text);
			give_err(err, &msg);
			return -1;
		}
		if (n->body && check_partials(set, t, n->body, err) < 0)
			return -1;
	}
	return 0;
}

struct tmpl_set *tmpl_load_dir(const char *dir, char **err)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, is_template_file, alphasort);
	int rc = 0;

	if (n < 0) {
		struct buf msg = BUF_INIT;
		buf_printf(&msg, "%s: %s", dir, strerror(errno));
		give_err(err, &msg);
		return NULL;
	}
	struct tmpl_set *set = tmpl_set_new();
	for (int i = 0; i < n; i++) {
		if (rc == 0)
			rc = load_file(set, dir, ents[i]->d_name, err);
		free(ents[i]);
	}
	free(ents);
	for (size_t i = 0; rc == 0 && i < set->n; i++)
		rc = check_partials(set, &set->v[i], set->v[i].root, err);
	if (rc < 0) {
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}

/* ---- rendering ---- */

/* Mustache lookup: the first segment from the innermost context outward, the rest inside
 * the value found there (without falling back outward again). */
static const json_t *lookup(const struct ctx *c, const char *name)
{
	size_t n = strcspn(name, ".");
	const json_t *v = NULL;

	if (name[0] == '.')
		return c->v;
	for (; c && !v; c = c->up)
		v = json_object_getn(c->v, name, n);
	while (v && name[n]) {
		name += n + 1;
		n = strcspn(name, ".");
		v = json_object_getn(v, name, n);
	}
	return v;
}

/* The text {{name}} prints for v; false when it prints nothing. */
static bool scalar_text(const json_t *v, char num[static 32], const char **s, size_t *len)
{
	int n = -1;

	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_STRING:
		*s = json_string_value(v);
		*len = json_string_length(v);
		return true;
	case JSON_TRUE:
		*s = "true";
		*len = 4;
		return true;
	case JSON_INTEGER:
		n = snprintf(num, 32, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		n = snprintf(num, 32, "%g", json_real_value(v));
		break;
	default:
		return false;
	}
	*s = num;
	*len = n < 0 ? 0 : (size_t)n;
	return true;
}

static void render_value(const struct render *r, enum node_kind kind, const json_t *v)
{
	struct buf *out = r->out;
	char num[32];
	const char *s;
	size_t len;

	if (!scalar_text(v, num, &s, &len))
		return;
	if (kind == N_RAW || (r->text && kind == N_VAR))
		buf_append(out, s, len);
	else if (kind == N_URL)
		url_encode(out, s, len); /* its output (unreserved and %XX) needs no HTML escaping */
	else
		html_escape(out, s, len);
}

static bool truthy(const json_t *v)
{
	if (!v)
		return false;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
	case JSON_TRUE: return true;
	case JSON_ARRAY: return json_array_size(v) > 0;
	case JSON_STRING: return json_string_length(v) > 0;
	case JSON_INTEGER: return json_integer_value(v) != 0;
	case JSON_REAL: return json_real_value(v) != 0.0;
	default: return false;
	}
}

static void render_section(const struct render *r, const struct node *n, const struct ctx *c,
			   int depth)
{
	const json_t *v = lookup(c, n->text);

	if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v); i++) {
			struct ctx inner = {json_array_get(v, i), c};
			render_nodes(r, n->body, &inner, depth);
		}
	} else if (json_is_object(v)) {
		struct ctx inner = {v, c};
		render_nodes(r, n->body, &inner, depth);
	} else if (truthy(v)) {
		render_nodes(r, n->body, c, depth);
	}
}

/* Beyond TMPL_MAX_DEPTH a partial renders nothing, so a template including itself (as a
 * post tree does) always ends. */
static void render_partial(const struct render *r, const struct node *n, const struct ctx *c,
			   int depth)
{
	const struct tmpl *t = find_tmpl(r->set, n->text);

	if (t && depth < TMPL_MAX_DEPTH)
		render_nodes(r, t->root, c, depth + 1);
}

static void emit_text(const struct render *r, const char *s, size_t len)
{
	if (r->text)
		buf_append(r->out, s, len);
	else
		html_escape(r->out, s, len);
}

/* The message is escaped like any value; each "{}" becomes the argument, escaped too. */
static void render_msg(const struct render *r, const struct node *n, const struct ctx *c)
{
	const char *msg = i18n_msg(r->cat, n->text);
	const json_t *arg = n->arg ? lookup(c, n->arg) : NULL;
	const char *hole;

	while (n->arg && (hole = strstr(msg, "{}"))) {
		emit_text(r, msg, (size_t)(hole - msg));
		render_value(r, N_VAR, arg);
		msg = hole + 2;
	}
	emit_text(r, msg, strlen(msg));
}

static void render_nodes(const struct render *r, const struct node *n, const struct ctx *c,
			 int depth)
{
	for (; n; n = n->next) {
		switch (n->kind) {
		case N_TEXT: buf_append(r->out, n->text, n->len); break;
		case N_VAR:
		case N_RAW:
		case N_URL: render_value(r, n->kind, lookup(c, n->text)); break;
		case N_SECTION: render_section(r, n, c, depth); break;
		case N_INVERTED:
			if (!truthy(lookup(c, n->text)))
				render_nodes(r, n->body, c, depth);
			break;
		case N_PARTIAL: render_partial(r, n, c, depth); break;
		case N_MSG: render_msg(r, n, c); break;
		}
	}
}

int tmpl_render(const struct tmpl_set *set, const char *name, const json_t *model,
		const struct i18n *catalog, struct buf *out)
{
	const struct tmpl *t = find_tmpl(set, name);
	struct render r = {set, catalog, out, has_suffix(name, TMPL_TEXT_SUFFIX)};
	struct ctx root = {model, NULL};

	if (!t)
		return -1;
	render_nodes(&r, t->root, &root, 0);
	return 0;
}
