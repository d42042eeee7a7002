#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util.h"

struct i18n {
	char *lang;
	json_t *root;
	/* The set's English catalog (possibly this one, or NULL), so i18n_msg can fall back
	 * without being handed the set. */
	const struct i18n *en;
};

struct i18n_set {
	struct i18n *cats; /* sorted by file name, so prefix matches are deterministic */
	size_t n;
};

/* A range of an Accept-Language header: the tag and its q-value in thousandths. */
struct range {
	const char *tag;
	size_t len;
	int q;
};

static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_err(char **err, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (err)
		*err = buf_detach(&b);
	else
		buf_free(&b);
}

/* Dot files are skipped: editors leave lock and swap files beside the catalogs. */
static int is_json_file(const struct dirent *d)
{
	size_t len = strlen(d->d_name);
	return d->d_name[0] != '.' && len > 5 && strcmp(d->d_name + len - 5, ".json") == 0;
}

/* Leaves must be strings: a number or a list would otherwise print silently as its key.
 * On failure key holds the dotted key of the offending value. */
static int check_leaves(json_t *obj, struct buf *key)
{
	size_t keep = key->len;
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v) {
		key->len = keep;
		if (keep)
			buf_putc(key, '.');
		buf_puts(key, k);
		if (json_is_object(v)) {
			if (check_leaves(v, key) < 0)
				return -1;
		} else if (!json_is_string(v)) {
			return -1;
		}
	}
	key->len = keep;
	if (key->data)
		key->data[keep] = '\0';
	return 0;
}

/* Parses path into root, which the caller owns; NULL with *err set on failure. */
static json_t *load_catalog(const char *path, char **err)
{
	struct buf key = BUF_INIT;
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);

	if (!root) {
		if (je.line > 0)
			set_err(err, "%s:%d: %s", path, je.line, je.text);
		else
			set_err(err, "%s: %s", path, je.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		set_err(err, "%s:1: a catalog must be a JSON object", path);
	} else if (check_leaves(root, &key) < 0) {
		set_err(err, "%s: \"%s\" is not a string", path, key.data);
	} else {
		buf_free(&key);
		return root;
	}
	buf_free(&key);
	json_decref(root);
	return NULL;
}

static int load_one(struct i18n *cat, const char *dir, const char *fname, char **err)
{
	struct buf path = BUF_INIT;

	buf_printf(&path, "%s/%s", dir, fname);
	cat->root = load_catalog(path.data, err);
	buf_free(&path);
	if (!cat->root)
		return -1;
	cat->lang = xstrndup(fname, strlen(fname) - 5);
	return 0;
}

static const struct i18n *find_exact(const struct i18n_set *set, const char *tag, size_t len)
{
	for (size_t i = 0; i < set->n; i++) {
		const char *lang = set->cats[i].lang;
		if (strlen(lang) == len && strncasecmp(lang, tag, len) == 0)
			return &set->cats[i];
	}
	return NULL;
}

/* The first catalog whose primary subtag ("zh" of "zh-CN") is that of tag. */
static const struct i18n *find_primary(const struct i18n_set *set, const char *tag, size_t len)
{
	size_t plen = strcspn(tag, "-");

	if (plen > len)
		plen = len;
	for (size_t i = 0; i < set->n; i++) {
		const char *lang = set->cats[i].lang;
		if (strcspn(lang, "-") == plen && strncasecmp(lang, tag, plen) == 0)
			return &set->cats[i];
	}
	return NULL;
}

static const struct i18n *find_cat(const struct i18n_set *set, const char *tag, size_t len)
{
	const struct i18n *cat = find_exact(set, tag, len);
	return cat ? cat : find_primary(set, tag, len);
}

struct i18n_set *i18n_load_dir(const char *dir, char **err)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, is_json_file, alphasort);
	int rc = 0;

	if (n < 0) {
		set_err(err, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	struct i18n_set *set = xcalloc(1, sizeof *set);
	set->cats = xcalloc((size_t)n, sizeof *set->cats);
	for (int i = 0; i < n; i++) {
		if (rc == 0 && (rc = load_one(&set->cats[set->n], dir, ents[i]->d_name, err)) == 0)
			set->n++;
		free(ents[i]);
	}
	free(ents);
	if (rc < 0) {
		i18n_set_free(set);
		return NULL;
	}
	for (size_t i = 0; i < set->n; i++)
		set->cats[i].en = find_exact(set, "en", 2);
	return set;
}

const struct i18n *i18n_get(const struct i18n_set *set, const char *lang)
{
	const struct i18n *cat = NULL;

	if (!set)
		return NULL;
	if (lang)
		cat = find_cat(set, lang, strlen(lang));
	return cat ? cat : find_exact(set, "en", 2);
}

/* A q-value in thousandths: "0", "0.8", "1.000". Anything else counts as 0 (unacceptable),
 * which is what a client sending garbage deserves. */
static int parse_q(const char *s)
{
	int q, scale = 100;

	if (*s != '0' && *s != '1')
		return 0;
	q = (*s - '0') * 1000;
	if (*++s != '.')
		return q;
	while (scale && *++s >= '0' && *s <= '9') {
		q += (*s - '0') * scale;
		scale /= 10;
	}
	return q > 1000 ? 1000 : q;
}

/* Reads one range starting at p (not at a separator); returns where the next one starts. */
static const char *parse_range(const char *p, struct range *r)
{
	r->tag = p;
	r->len = strcspn(p, " \t,;");
	r->q = 1000;
	p += r->len;
	for (;;) {
		p += strspn(p, " \t");
		if (*p != ';')
			break;
		p += 1 + strspn(p + 1, " \t");
		if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
			r->q = parse_q(p + 2);
		p += strcspn(p, ",;");
	}
	return p + strcspn(p, ",");
}

const struct i18n *i18n_negotiate(const struct i18n_set *set, const char *accept_language)
{
	const struct i18n *best = NULL;
	const char *p = accept_language;
	int best_q = 0;
	struct range r;

	if (!set)
		return NULL;
	while (p && *(p += strspn(p, " \t,"))) {
		p = parse_range(p, &r);
		const struct i18n *cat = r.len == 1 && r.tag[0] == '*' ? find_exact(set, "en", 2)
								       : find_cat(set, r.tag, r.len);
		/* Strictly greater: among equal q-values the client's first choice wins. */
		if (cat && r.q > best_q) {
			best = cat;
			best_q = r.q;
		}
	}
	return best ? best : find_exact(set, "en", 2);
}

const char *i18n_lang(const struct i18n *cat)
{
	return cat ? cat->lang : "en";
}

/* The string at a dotted key, or NULL. */
static const char *lookup(const json_t *v, const char *key)
{
	size_t n = strcspn(key, ".");

	v = json_object_getn(v, key, n);
	while (v && key[n]) {
		key += n + 1;
		n = strcspn(key, ".");
		v = json_object_getn(v, key, n);
	}
	return json_string_value(v);
}

const char *i18n_msg(const struct i18n *cat, const char *key)
{
	const char *s = NULL;

	if (cat)
		s = lookup(cat->root, key);
	if (!s && cat && cat->en)
		s = lookup(cat->en->root, key);
	return s ? s : key;
}

void i18n_set_free(struct i18n_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->cats[i].lang);
		json_decref(set->cats[i].root);
	}
	free(set->cats);
	free(set);
}
