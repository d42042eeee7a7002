/* Loading, holding, swapping and freeing generations. Taking one is a short lock: the pointer
 * and the count must move together, or a holder could count a generation the swap just retired
 * and the collector freed. */
#include "generation.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "plugin_host.h"
#include "template.h"
#include "util.h"

static const char *const static_types[][2] = {
	{".css", "text/css; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
	{".svg", "image/svg+xml"},           {".png", "image/png"},
	{".ico", "image/x-icon"},            {".woff2", "font/woff2"},
};

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof static_types / sizeof static_types[0]; i++)
		if (strcmp(dot, static_types[i][0]) == 0)
			return static_types[i][1];
	return NULL;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

/* Static files are few and small: they are read once and served from memory. */
static void load_statics(struct generation *g, const char *web)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/static", web);
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *type = type_of(e->d_name);
		char path[8192];
		size_t len;
		if (e->d_name[0] == '.' || !type)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *data = read_file(path, &len);
		if (!data)
			continue;
		g->statics = xrealloc(g->statics, (g->nstatics + 1) * sizeof *g->statics);
		g->statics[g->nstatics++] = (struct static_file){xstrdup(e->d_name), data, len, type};
	}
	closedir(d);
}

static void copy_proxies(struct generation *g, const struct generation_source *src)
{
	char **addrs = xcalloc(src->ntrusted_proxies ? src->ntrusted_proxies : 1, sizeof *addrs);
	for (size_t i = 0; i < src->ntrusted_proxies; i++)
		addrs[i] = xstrdup(src->trusted_proxies[i]);
	g->proxies = (struct forwarded_trust){(const char *const *)addrs, src->ntrusted_proxies};
}

static long alive; /* atomic */

long generation_count(void)
{
	return __atomic_load_n(&alive, __ATOMIC_RELAXED);
}

static void generation_free(struct generation *g)
{
	__atomic_sub_fetch(&alive, 1, __ATOMIC_RELAXED);
	plugins_unload(g->plugins);
	tmpl_set_free(g->tmpl);
	i18n_set_free(g->i18n);
	for (size_t i = 0; i < g->nstatics; i++) {
		free(g->statics[i].name);
		free(g->statics[i].data);
	}
	free(g->statics);
	for (size_t i = 0; i < g->proxies.n; i++)
		free((char *)g->proxies.addrs[i]);
	free((void *)g->proxies.addrs);
	free(g);
}

/* Says why a part did not load ("agorad: WHAT: ERR", WHAT left out when NULL), frees err and
 * the half-built generation; NULL. */
static struct generation *load_failed(struct generation *g, const char *what, char *err, const char *otherwise)
{
	fprintf(stderr, "agorad: %s%s%s\n", what ? what : "", what ? ": " : "", err ? err : otherwise);
	free(err);
	generation_free(g);
	return NULL;
}

struct generation *generation_load(const struct generation_source *src)
{
	struct generation *g = xcalloc(1, sizeof *g);
	char dir[4096], *err = NULL;
	__atomic_add_fetch(&alive, 1, __ATOMIC_RELAXED);
	g->refs = 1;
	g->rates = src->rates;
	g->registrations_per_hour = src->registrations_per_hour;
	copy_proxies(g, src);
	snprintf(dir, sizeof dir, "%s/templates", src->web_dir);
	if (!(g->tmpl = tmpl_load_dir(dir, &err)))
		return load_failed(g, "templates", err, dir);
	snprintf(dir, sizeof dir, "%s/i18n", src->web_dir);
	if (!(g->i18n = i18n_load_dir(dir, &err)))
		return load_failed(g, "message catalogs", err, dir);
	load_statics(g, src->web_dir);
	if (!(g->plugins = plugins_load(src->plugins_dir, &err)))
		return load_failed(g, NULL, err, "cannot load plugins");
	return g;
}

struct generation *generation_take(struct generation_cell *cell)
{
	pthread_mutex_lock(&cell->lock);
	struct generation *g = cell->cur;
	__atomic_add_fetch(&g->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&cell->lock);
	return g;
}

void generation_release(struct generation *g)
{
	if (g)
		__atomic_sub_fetch(&g->refs, 1, __ATOMIC_RELEASE);
}

void generation_swap(struct generation_cell *cell, struct generation *g)
{
	pthread_mutex_lock(&cell->lock);
	struct generation *old = cell->cur;
	if (g)
		g->number = old ? old->number + 1 : 1;
	cell->cur = g;
	if (old) {
		old->next_retired = cell->retired;
		cell->retired = old;
	}
	pthread_mutex_unlock(&cell->lock);
	generation_release(old);
}

void generation_collect(struct generation_cell *cell)
{
	struct generation *done = NULL;
	pthread_mutex_lock(&cell->lock);
	for (struct generation **p = &cell->retired; *p;) {
		struct generation *g = *p;
		if (__atomic_load_n(&g->refs, __ATOMIC_ACQUIRE) == 0) {
			*p = g->next_retired;
			g->next_retired = done;
			done = g;
		} else {
			p = &g->next_retired;
		}
	}
	pthread_mutex_unlock(&cell->lock);
	while (done) {
		struct generation *next = done->next_retired;
		generation_free(done);
		done = next;
	}
}
