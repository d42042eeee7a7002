/* floodguard — refuses posts from an author who posts too fast.
 *
 * Configuration (DIR/floodguard.conf; without it the default applies):
 *
 *     max_posts_per_minute N   new threads and replies per author in any 60 s (5; 1..1000)
 *
 * For each author it keeps the host-clock times of their accepted submissions of the last
 * 60 s. When an author already has N of them, the submission is refused (429) with
 * retry_after set to the seconds until the oldest leaves the window. A submission is counted
 * when floodguard allows it (check_post runs before the post is stored). Edits are neither
 * counted nor limited; moderators and admins are not limited. Authors whose times have all
 * aged out are dropped by a sweep at most once a minute, so memory follows the number of
 * authors active in the last two minutes. check_post runs on several threads: one mutex
 * guards the table.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <agora/plugin.h>
#include <agora/plugin_config.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 60 /* seconds */
#define MAX_POSTS_LIMIT 1000L

/* One author's recent submissions: times[0..count) in arrival order, then the name. */
struct fg_author {
	struct fg_author *next; /* in its bucket */
	const char *name;       /* points after times[max_posts] in the same allocation */
	unsigned count;
	int64_t times[];
};

struct floodguard {
	const struct agora_host *host;
	long max_posts;
	pthread_mutex_t lock; /* guards everything below */
	struct fg_author **buckets;
	size_t nbuckets; /* a power of two */
	size_t nauthors;
	int64_t next_sweep; /* host time of the next sweep */
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		abort(); /* agorad's one out-of-memory policy */
	return p;
}

/* ---- configuration --------------------------------------------------------------------- */

/* Handles one directive (agora_config_read). Returns 0, or -1 with a message in msg. */
static int fg_directive(void *self, const char *key, char *arg, char *msg, size_t msglen)
{
	struct floodguard *fg = self;

	if (!strcmp(key, "max_posts_per_minute"))
		return agora_config_number(key, arg, 1, MAX_POSTS_LIMIT, &fg->max_posts, msg, msglen);
	snprintf(msg, msglen, "unknown directive \"%.40s\" (expected max_posts_per_minute)", key);
	return -1;
}

/* ---- the table of authors (callers hold fg->lock) -------------------------------------- */

static size_t fg_bucket(const struct floodguard *fg, const char *name)
{
	uint64_t h = 14695981039346656037ull; /* FNV-1a */

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	return (size_t)(h ^ (h >> 32)) & (fg->nbuckets - 1);
}

static struct fg_author *fg_find(const struct floodguard *fg, const char *name)
{
	struct fg_author *a;

	for (a = fg->buckets[fg_bucket(fg, name)]; a; a = a->next)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

/* Doubles the buckets when there are more authors than buckets. */
static void fg_grow(struct floodguard *fg)
{
	struct fg_author **old = fg->buckets, *a, *next;
	size_t oldn = fg->nbuckets, i, b;

	if (fg->nauthors <= fg->nbuckets)
		return;
	fg->nbuckets *= 2;
	fg->buckets = xcalloc(fg->nbuckets, sizeof *fg->buckets);
	for (i = 0; i < oldn; i++)
		for (a = old[i]; a; a = next) {
			next = a->next;
			b = fg_bucket(fg, a->name);
			a->next = fg->buckets[b];
			fg->buckets[b] = a;
		}
	free(old);
}

/* Adds an author with no times yet; the table owns it. */
static struct fg_author *fg_add(struct floodguard *fg, const char *name)
{
	size_t len = strlen(name) + 1, b;
	struct fg_author *a = xcalloc(1, sizeof *a + (size_t)fg->max_posts * sizeof a->times[0] + len);

	a->name = memcpy((char *)(a->times + fg->max_posts), name, len);
	fg->nauthors++;
	fg_grow(fg);
	b = fg_bucket(fg, name);
	a->next = fg->buckets[b];
	fg->buckets[b] = a;
	return a;
}

/* Forgets the times that have left the window ending at now (a time t counts while
 * now - t < WINDOW), keeping the rest in order. */
static void fg_prune(struct fg_author *a, int64_t now)
{
	unsigned i, kept = 0;

	for (i = 0; i < a->count; i++)
		if (now - a->times[i] < WINDOW)
			a->times[kept++] = a->times[i];
	a->count = kept;
}

/* Drops the authors with no time left in the window; runs at most once a minute (and at once
 * when the clock has gone back by more than that). */
static void fg_sweep(struct floodguard *fg, int64_t now)
{
	struct fg_author **link, *a;
	size_t i;

	if (now < fg->next_sweep && now >= fg->next_sweep - WINDOW)
		return;
	fg->next_sweep = now + WINDOW;
	for (i = 0; i < fg->nbuckets; i++)
		for (link = &fg->buckets[i]; (a = *link);) {
			fg_prune(a, now);
			if (a->count) {
				link = &a->next;
				continue;
			}
			*link = a->next;
			free(a);
			fg->nauthors--;
		}
}

/* Seconds until the oldest of a's times leaves the window, in [1, WINDOW]. */
static int64_t fg_retry_after(const struct fg_author *a, int64_t now)
{
	int64_t oldest = a->times[0], wait;
	unsigned i;

	for (i = 1; i < a->count; i++)
		if (a->times[i] < oldest)
			oldest = a->times[i];
	wait = oldest + WINDOW - now;
	return wait < 1 ? 1 : wait > WINDOW ? WINDOW : wait;
}

/* ---- the plugin ------------------------------------------------------------------------ */

static void fg_fini(void *state)
{
	struct floodguard *fg = state;
	struct fg_author *a, *next;
	size_t i;

	if (!fg)
		return;
	for (i = 0; i < fg->nbuckets; i++)
		for (a = fg->buckets[i]; a; a = next) {
			next = a->next;
			free(a);
		}
	free(fg->buckets);
	pthread_mutex_destroy(&fg->lock);
	free(fg);
}

static int fg_init(const char *config_path, const struct agora_host *host, void **state, char *err, size_t errlen)
{
	struct floodguard *fg = xcalloc(1, sizeof *fg);
	int rc;

	fg->host = host;
	fg->max_posts = 5;
	if (agora_config_read(config_path, fg_directive, fg, err, errlen) < 0) {
		free(fg);
		return -1;
	}
	if ((rc = pthread_mutex_init(&fg->lock, NULL)) != 0) {
		snprintf(err, errlen, "floodguard: cannot create a mutex: %s", strerror(rc));
		free(fg);
		return -1;
	}
	fg->nbuckets = 64;
	fg->buckets = xcalloc(fg->nbuckets, sizeof *fg->buckets);
	fg->next_sweep = host->now(host) + WINDOW;
	*state = fg;
	return 0;
}

static int is_staff(const char *role)
{
	return role && (!strcmp(role, "moderator") || !strcmp(role, "admin"));
}

/* Counts the submission when it is allowed; refuses it when the author already has
 * max_posts in the window. The clock is read under the lock so times arrive in order. */
static void fg_check_post(void *state, const struct agora_submission *s, struct agora_result *out)
{
	struct floodguard *fg = state;
	struct fg_author *a;
	int64_t now, wait;
	char text[96], secs[24];

	if (s->is_edit || !s->author || is_staff(s->author_role))
		return;
	pthread_mutex_lock(&fg->lock);
	now = fg->host->now(fg->host);
	fg_sweep(fg, now);
	a = fg_find(fg, s->author);
	if (a)
		fg_prune(a, now);
	else
		a = fg_add(fg, s->author);
	if (a->count >= (unsigned)fg->max_posts) {
		wait = fg_retry_after(a, now);
		out->verdict = AGORA_REJECT;
		out->retry_after = wait;
		snprintf(text, sizeof text, "posting too fast; try again in %lld s", (long long)wait);
		snprintf(secs, sizeof secs, "%lld", (long long)wait);
		agora_reason_set(out, text, "plugin.floodguard.too_fast", secs);
	} else {
		a->times[a->count++] = now;
	}
	pthread_mutex_unlock(&fg->lock);
}

static const struct agora_plugin floodguard_plugin = {
	.abi_version = AGORA_PLUGIN_ABI,
	.name = "floodguard",
	.init = fg_init,
	.check_post = fg_check_post,
	.fini = fg_fini,
};

AGORA_PLUGIN_EXPORT const struct agora_plugin *agora_plugin(void)
{
	return &floodguard_plugin;
}
