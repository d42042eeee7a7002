/* template: a small logic-less engine (a Mustache subset) over jansson values.
 *
 * Every value is HTML-escaped unless the template names it as pre-sanitised HTML:
 *   {{name}} {{a.b}} {{.}}   the value, HTML-escaped (strings as is, integers in decimal,
 *                            reals with %g, true as "true"; false/null/missing/objects/arrays
 *                            print nothing)
 *   {{{name_html}}}          raw output; only names whose last segment ends in "_html"
 *   {{%name}}                the value percent-encoded as a URL component
 *   {{#name}}..{{/name}}     section: once per array element, once inside an object, once
 *                            for true/non-empty string/non-zero number
 *   {{^name}}..{{/name}}     inverted section: when the section would not render
 *   {{>partial}}             another template of the set, at most TMPL_MAX_DEPTH deep
 *   {{@key}} {{@key name}}   an i18n message, escaped; each "{}" becomes the escaped value
 *   {{! comment }}
 * The first segment of a dotted name is looked up from the innermost context outward, the
 * rest inside the value found there.
 *
 * A template whose name ends in TMPL_TEXT_SUFFIX is plain text (an e-mail's text part): in
 * it, {{name}} and {{@key}} print unescaped. Its partials are rendered the same way.
 *
 * A set is compiled once and is read-only afterwards, so one set may be rendered from many
 * threads at once. Free of libevent and SQLite. */
#ifndef AGORA_TEMPLATE_H
#define AGORA_TEMPLATE_H

#include <stddef.h>

#include <jansson.h>

#include "i18n.h"
#include "util.h"

#define TMPL_TEXT_SUFFIX ".txt"

/* How deep {{>partial}} may nest; deeper inclusions render nothing. */
#define TMPL_MAX_DEPTH 16

struct tmpl_set;

/* Compiles every *.html file in dir, named by file name without ".html" (and every *.txt
 * file, named by its whole file name), and checks that
 * every {{>partial}} names a template of the set. Returns a set the caller frees with
 * tmpl_set_free, or NULL with *err set to a malloc'd "FILE:LINE: message". */
struct tmpl_set *tmpl_load_dir(const char *dir, char **err);

/* An empty set, for tests and sets built in memory. */
struct tmpl_set *tmpl_set_new(void);

/* Compiles src as template name (copied). Returns 0, or -1 with *err set to a malloc'd
 * "NAME:LINE: message" on a syntax error or a duplicate name. Partials are not checked
 * here: they are resolved by name when rendering. */
int tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len, char **err);

int tmpl_exists(const struct tmpl_set *set, const char *name);

/* Renders template name with model as the root context (model may be NULL), appending to
 * out. catalog may be NULL: {{@key}} then prints the key. Returns 0, or -1 when the set
 * has no such template (out is then untouched). */
int tmpl_render(const struct tmpl_set *set, const char *name, const json_t *model,
		const struct i18n *catalog, struct buf *out);

void tmpl_set_free(struct tmpl_set *set);

#endif
