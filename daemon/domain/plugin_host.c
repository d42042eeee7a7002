#include "plugin_host.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "util.h"

struct loaded {
	void *handle;
	const struct agora_plugin *p;
	void *state;
	struct agora_host host;
};

struct plugin_host {
	struct loaded *items;
	size_t n;
};

static void host_log(const struct agora_host *h, enum agora_log_level level, const char *message)
{
	static const char *const names[] = {"error", "warning", "info"};
	const struct agora_plugin *p = h->host_data;
	fprintf(stderr, "agorad: plugin %s: %s: %s\n", p->name, (unsigned)level < 3 ? names[level] : "info", message);
}

static int64_t host_now(const struct agora_host *h)
{
	(void)h;
	return clock_now();
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.so files of dir, sorted; the caller frees each and the array. */
static char **list_objects(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < 4 || strcmp(e->d_name + len - 3, ".so") != 0 || e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (*n + 1) * sizeof *names);
		names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof *names, by_name);
	return names;
}

static char *msg(const char *fmt, const char *a, const char *b)
{
	struct buf m = BUF_INIT;
	buf_printf(&m, fmt, a, b);
	return buf_detach(&m);
}

/* A plugin's name becomes a file name: keep it to a plain word. */
static int name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n < 1 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') || name[i] == '_' ||
		      name[i] == '-'))
			return 0;
	return 1;
}

/* Opens one plugin and runs its init. 0, or -1 with *err set. */
static int load_one(const char *dir, const char *file, struct loaded *l, char **err)
{
	char path[4096], conf[4096], why[512] = "";
	snprintf(path, sizeof path, "%s/%s", dir, file);
	l->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!l->handle)
		return *err = msg("plugin %s: %s", path, dlerror()), -1;
	const struct agora_plugin *(*entry)(void);
	*(void **)&entry = dlsym(l->handle, "agora_plugin");
	if (!entry || !(l->p = entry()))
		return *err = msg("plugin %s: no agora_plugin() entry point%s", path, ""), -1;
	if (l->p->abi_version != AGORA_PLUGIN_ABI) {
		struct buf m = BUF_INIT;
		buf_printf(&m, "plugin %s: ABI version %u, but this agorad speaks version %u", path, l->p->abi_version,
			   AGORA_PLUGIN_ABI);
		*err = buf_detach(&m);
		return -1;
	}
	if (!name_ok(l->p->name))
		return *err = msg("plugin %s: its name must be 1-64 of a-z, 0-9, _ and -%s", path, ""), -1;
	l->host = (struct agora_host){AGORA_PLUGIN_ABI, host_log, host_now, (void *)l->p};
	snprintf(conf, sizeof conf, "%s/%s.conf", dir, l->p->name);
	if (l->p->init && l->p->init(conf, &l->host, &l->state, why, sizeof why) != 0)
		return *err = msg("plugin %s: %s", path, why[0] ? why : "init failed"), -1;
	return 0;
}

struct plugin_host *plugins_load(const char *dir, char **err)
{
	struct plugin_host *h = xcalloc(1, sizeof *h);
	size_t n = 0;
	char **names = dir ? list_objects(dir, &n) : NULL;
	*err = NULL;
	h->items = xcalloc(n ? n : 1, sizeof *h->items);
	for (size_t i = 0; i < n; i++) {
		if (!*err && load_one(dir, names[i], &h->items[h->n], err) == 0)
			h->n++;
		else if (h->items[h->n].handle)
			dlclose(h->items[h->n].handle);
		free(names[i]);
	}
	free(names);
	if (*err) {
		plugins_unload(h);
		return NULL;
	}
	return h;
}

void plugins_unload(struct plugin_host *h)
{
	if (!h)
		return;
	for (size_t i = h->n; i-- > 0;) {
		if (h->items[i].p->fini)
			h->items[i].p->fini(h->items[i].state);
		dlclose(h->items[i].handle);
	}
	free(h->items);
	free(h);
}

size_t plugins_count(const struct plugin_host *h)
{
	return h ? h->n : 0;
}

/* Folds one plugin's answer into the combined verdict. */
static void combine(struct plugin_verdict *v, const struct agora_result *r)
{
	if (r->verdict == AGORA_ALLOW)
		return;
	if (r->verdict > v->verdict)
		v->verdict = r->verdict;
	if (r->verdict == AGORA_REJECT && r->retry_after > v->retry_after)
		v->retry_after = r->retry_after;
	if (v->nreasons < sizeof v->reasons / sizeof v->reasons[0]) {
		memcpy(v->reasons[v->nreasons], r->reason, sizeof r->reason);
		v->reasons[v->nreasons][sizeof v->reasons[0] - 1] = '\0';
		if (!v->reasons[v->nreasons][0]) /* (and no key: it would name a text not there) */
			memset(v->reasons[v->nreasons], 0, sizeof v->reasons[0]);
		if (!v->reasons[v->nreasons][0])
			snprintf(v->reasons[v->nreasons], sizeof v->reasons[0], "%s", "held by a moderation plugin");
		v->nreasons++;
	}
}

/* A packed part of a reason (agora_reason_set) that starts at off: a NUL-terminated string
 * inside the buffer, NULL when there is none or it is not one. */
static const char *packed_part(const char *reason, size_t size, size_t off, int is_key)
{
	if (off >= size || !reason[off])
		return NULL;
	size_t n = strnlen(reason + off, size - off);
	if (off + n >= size)
		return NULL;
	if (is_key && (n > 63 || strspn(reason + off, "abcdefghijklmnopqrstuvwxyz0123456789._") != n))
		return NULL;
	return reason + off;
}

struct ag_reason plugin_reason(const char *reason, size_t size)
{
	struct ag_reason out = {reason, NULL, NULL};
	size_t t = strnlen(reason, size);
	out.key = packed_part(reason, size, t + 1, 1);
	if (out.key)
		out.arg = packed_part(reason, size, t + 1 + strlen(out.key) + 1, 0);
	return out;
}

void plugins_check_post(const struct plugin_host *h, const struct agora_submission *s, struct plugin_verdict *v)
{
	memset(v, 0, sizeof *v);
	for (size_t i = 0; h && i < h->n; i++) {
		struct agora_result r = {AGORA_ALLOW, "", 0};
		if (h->items[i].p->check_post) {
			h->items[i].p->check_post(h->items[i].state, s, &r);
			combine(v, &r);
		}
	}
}

void plugins_check_registration(const struct plugin_host *h, const struct agora_registration *reg,
				struct plugin_verdict *v)
{
	memset(v, 0, sizeof *v);
	for (size_t i = 0; h && i < h->n; i++) {
		struct agora_result r = {AGORA_ALLOW, "", 0};
		if (h->items[i].p->check_registration) {
			h->items[i].p->check_registration(h->items[i].state, reg, &r);
			combine(v, &r);
		}
	}
}

void plugins_report(const struct plugin_host *h, const struct agora_report *rep)
{
	for (size_t i = 0; h && i < h->n; i++)
		if (h->items[i].p->on_report)
			h->items[i].p->on_report(h->items[i].state, rep);
}

void plugins_published(const struct plugin_host *h, const struct agora_event *e)
{
	for (size_t i = 0; h && i < h->n; i++)
		if (h->items[i].p->on_published)
			h->items[i].p->on_published(h->items[i].state, e);
}
