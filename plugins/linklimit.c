/* linklimit — holds for review the posts of new accounts that carry many links.
 *
 * Configuration (DIR/linklimit.conf; without it the defaults apply):
 *
 *     max_links_new_user N   links and images a new account may post without review (2)
 *     new_user_days D        an account is new for its first D days (3; 0 turns the rule off)
 *
 * A post (new thread, reply or edit) whose author's account is younger than D days and whose
 * body holds more than N links is held. Moderators and admins are never held. The state is
 * read-only after init, so check_post needs no lock. docs/PLUGINS.md walks through this file.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <agora/plugin.h>
#include <agora/plugin_config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINKS_LIMIT 1000000L
#define MAX_DAYS_LIMIT 36500L /* a hundred years */

struct linklimit {
	long max_links; /* max_links_new_user */
	long new_days;  /* new_user_days */
};

/* Handles one directive (agora_config_read). Returns 0, or -1 with a message in msg. */
static int ll_directive(void *self, const char *key, char *arg, char *msg, size_t msglen)
{
	struct linklimit *ll = self;

	if (!strcmp(key, "max_links_new_user"))
		return agora_config_number(key, arg, 0, MAX_LINKS_LIMIT, &ll->max_links, msg, msglen);
	if (!strcmp(key, "new_user_days"))
		return agora_config_number(key, arg, 0, MAX_DAYS_LIMIT, &ll->new_days, msg, msglen);
	snprintf(msg, msglen, "unknown directive \"%.40s\" (expected max_links_new_user or new_user_days)", key);
	return -1;
}

static int ll_init(const char *config_path, const struct agora_host *host, void **state, char *err, size_t errlen)
{
	struct linklimit *ll = malloc(sizeof *ll);

	(void)host;
	if (!ll) {
		snprintf(err, errlen, "linklimit: out of memory");
		return -1;
	}
	ll->max_links = 2;
	ll->new_days = 3;
	if (agora_config_read(config_path, ll_directive, ll, err, errlen) < 0) {
		free(ll);
		return -1;
	}
	*state = ll;
	return 0;
}

static void ll_fini(void *state)
{
	free(state);
}

static int is_staff(const char *role)
{
	return role && (!strcmp(role, "moderator") || !strcmp(role, "admin"));
}

static void ll_check_post(void *state, const struct agora_submission *s, struct agora_result *out)
{
	const struct linklimit *ll = state;
	char text[96], max[24];

	if (is_staff(s->author_role) || s->account_age >= (int64_t)ll->new_days * 86400 ||
	    s->links <= (unsigned long)ll->max_links)
		return;
	out->verdict = AGORA_HOLD;
	if (ll->max_links == 0) {
		agora_reason_set(out, "new accounts may not post links before review", "plugin.linklimit.no_links", NULL);
	} else {
		snprintf(text, sizeof text, "new accounts may post at most %ld link%s before review", ll->max_links,
			 ll->max_links == 1 ? "" : "s");
		snprintf(max, sizeof max, "%ld", ll->max_links);
		agora_reason_set(out, text, ll->max_links == 1 ? "plugin.linklimit.max_one_link" : "plugin.linklimit.max_links",
				 max);
	}
}

static const struct agora_plugin linklimit_plugin = {
	.abi_version = AGORA_PLUGIN_ABI,
	.name = "linklimit",
	.init = ll_init,
	.check_post = ll_check_post,
	.fini = ll_fini,
};

AGORA_PLUGIN_EXPORT const struct agora_plugin *agora_plugin(void)
{
	return &linklimit_plugin;
}
