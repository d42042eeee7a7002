/* generation: the parts of the site that SIGHUP reloads — templates, message catalogs, static
 * files, plugins (with their configuration files) and the settings that may change while
 * serving. Every request, message and job holds the generation it started with until it ends;
 * a reload builds a whole new generation and swaps it in, and the old one is retired: the main
 * thread frees it once its last holder has given it back (never a worker, the mailer or the
 * scheduler, so plugins' fini runs where their init ran). So a reload drops no connection, and
 * nothing ever sees half of one generation and half of another. */
#ifndef AGORA_GENERATION_H
#define AGORA_GENERATION_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "forwarded.h"

struct static_file {
	char *name; /* path under /static/ */
	char *data;
	size_t len;
	const char *type;
};

/* What a generation is built from: the folders and the reloadable settings. */
struct generation_source {
	const char *web_dir;
	const char *plugins_dir; /* NULL: no plugins */
	struct ag_rates rates;
	int64_t registrations_per_hour;
	const char *const *trusted_proxies;
	size_t ntrusted_proxies;
};

struct generation {
	int refs; /* atomic: holders, the site's current pointer among them */
	unsigned number; /* 1 at start, one more at each reload */
	struct tmpl_set *tmpl;
	struct i18n_set *i18n;
	struct static_file *statics;
	size_t nstatics;
	struct plugin_host *plugins;
	struct ag_rates rates;
	int64_t registrations_per_hour;
	struct forwarded_trust proxies; /* its own copies of the addresses */
	struct generation *next_retired;
};

/* Where the current generation is found. */
struct generation_cell {
	pthread_mutex_t lock;
	struct generation *cur;
	struct generation *retired; /* replaced, freed by generation_collect once nobody holds them */
};

/* Loads everything anew; NULL when a part does not load (said on stderr, "agorad: ..."). */
struct generation *generation_load(const struct generation_source *src);
/* The current generation, held until generation_release. */
struct generation *generation_take(struct generation_cell *cell);
void generation_release(struct generation *g);
/* Makes g current (g's first reference passes to the cell) and retires the one it replaces.
 * With g NULL, only retires the current one (at the end). */
void generation_swap(struct generation_cell *cell, struct generation *g);
/* Frees the retired generations nobody holds any more; the main thread's work. */
void generation_collect(struct generation_cell *cell);
/* Generations loaded and not yet freed, in the process (for /metrics: 1 when no reload is
 * still finishing requests). */
long generation_count(void);

#endif
