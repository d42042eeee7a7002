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

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINKS_LIMIT 1000000L
#define MAX_DAYS_LIMIT 36500L /* a hundred years */

struct linklimit {
	long max_links; /* max_links_new_user */
	long new_days;  /* new_user_days */
};

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\v' || *s == '\f')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n' ||
			   end[-1] == '\v' || end[-1] == '\f'))
		*--end = '\0';
	return s;
}

/* Reads the one whole number in arg (trimmed) for directive `key` into *out, which must land
 * in [0, max]. Returns 0, or -1 with a message in msg. */
static int parse_count(const char *key, const char *arg, long max, long *out, char *msg, size_t msglen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || end == arg || *end) {
		snprintf(msg, msglen, "expected a number after %s", key);
		return -1;
	}
	if (v < 0) {
		snprintf(msg, msglen, "%s must not be negative", key);
		return -1;
	}
	if (errno == ERANGE || v > max) {
		snprintf(msg, msglen, "%s must be at most %ld", key, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Handles one trimmed, non-comment line. Returns 0, or -1 with a message in msg. */
static int ll_directive(struct linklimit *ll, char *line, char *msg, size_t msglen)
{
	size_t klen = strcspn(line, " \t");
	char *arg = trim(line + klen);

	line[klen] = '\0';
	if (!strcmp(line, "max_links_new_user"))
		return parse_count(line, arg, MAX_LINKS_LIMIT, &ll->max_links, msg, msglen);
	if (!strcmp(line, "new_user_days"))
		return parse_count(line, arg, MAX_DAYS_LIMIT, &ll->new_days, msg, msglen);
	snprintf(msg, msglen, "unknown directive \"%.40s\" (expected max_links_new_user or new_user_days)", line);
	return -1;
}

/* Reads the config at path into ll; a missing file keeps the defaults. Returns 0, or -1 with
 * "FILE:LINE: message" (or "FILE: error") in err. */
static int ll_read(struct linklimit *ll, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, *line, msg[160];
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int rc = 0;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&buf, &cap, f)) >= 0) {
		lineno++;
		if (memchr(buf, '\0', (size_t)n)) {
			snprintf(err, errlen, "%s:%lu: the line holds a NUL byte", path, lineno);
			rc = -1;
			goto done;
		}
		line = trim(buf);
		if (!*line || *line == '#')
			continue;
		if (ll_directive(ll, line, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "%s:%lu: %s", path, lineno, msg);
			rc = -1;
			goto done;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
done:
	free(buf);
	fclose(f);
	return rc;
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
	if (ll_read(ll, config_path, err, errlen) < 0) {
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

	if (is_staff(s->author_role) || s->account_age >= (int64_t)ll->new_days * 86400 ||
	    s->links <= (unsigned long)ll->max_links)
		return;
	out->verdict = AGORA_HOLD;
	if (ll->max_links == 0)
		snprintf(out->reason, sizeof out->reason, "new accounts may not post links before review");
	else
		snprintf(out->reason, sizeof out->reason, "new accounts may post at most %ld link%s before review",
			 ll->max_links, ll->max_links == 1 ? "" : "s");
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
