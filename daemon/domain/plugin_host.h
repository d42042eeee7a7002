/* plugin host: loads the moderation plugins of --plugins DIR (see
 * plugins/include/agora/plugin.h) and asks them about submissions. Read-only once loaded,
 * so every worker may call it at once; plugins lock their own state. */
#ifndef AGORA_PLUGIN_HOST_H
#define AGORA_PLUGIN_HOST_H

#include <stddef.h>

#include "agora/plugin.h"
#include "ctx.h"

struct plugin_host;

/* Every plugin's reasons beside the combined verdict: reject beats hold beats allow. */
struct plugin_verdict {
	enum agora_verdict verdict;
	int64_t retry_after; /* the largest asked for by a rejecting plugin */
	char reasons[8][256];
	size_t nreasons;
};

/* Loads every *.so in dir in name order; dir may be NULL (no plugins). On failure returns
 * NULL and *err (malloc'd) is one line naming the plugin file. */
struct plugin_host *plugins_load(const char *dir, char **err);
void plugins_unload(struct plugin_host *h);
size_t plugins_count(const struct plugin_host *h);

void plugins_check_post(const struct plugin_host *h, const struct agora_submission *s, struct plugin_verdict *v);
void plugins_check_registration(const struct plugin_host *h, const struct agora_registration *r,
				struct plugin_verdict *v);
/* A reason's text with the catalog key and argument a plugin packed behind it
 * (agora_reason_set); the pointers are into reason, which is size bytes. */
struct ag_reason plugin_reason(const char *reason, size_t size);
void plugins_report(const struct plugin_host *h, const struct agora_report *r);
void plugins_published(const struct plugin_host *h, const struct agora_event *e);

#endif
