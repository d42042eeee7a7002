/* A small hash table of addresses and counts under one lock: it is touched once when a
 * connection opens or closes and once around a search, never per byte. */
#include "climit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum { BUCKETS = 256, ADDR_MAX = 64 };

struct entry {
	struct entry *next;
	int n;
	char addr[ADDR_MAX];
};

struct climit {
	pthread_mutex_t lock;
	int max;
	long total; /* held by all addresses together */
	struct entry *buckets[BUCKETS];
};

static unsigned bucket(const char *addr)
{
	unsigned h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h % BUCKETS;
}

struct climit *climit_new(int max)
{
	struct climit *l = xcalloc(1, sizeof *l);
	pthread_mutex_init(&l->lock, NULL);
	l->max = max;
	return l;
}

void climit_free(struct climit *l)
{
	if (!l)
		return;
	for (int i = 0; i < BUCKETS; i++)
		for (struct entry *e = l->buckets[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	pthread_mutex_destroy(&l->lock);
	free(l);
}

/* Where the entry of addr is, or would be linked in (*slot NULL). Called under the lock. */
static struct entry **slot(struct climit *l, const char *addr)
{
	struct entry **p = &l->buckets[bucket(addr)];
	while (*p && strncmp((*p)->addr, addr, ADDR_MAX - 1) != 0)
		p = &(*p)->next;
	return p;
}

int climit_take(struct climit *l, const char *addr)
{
	int ok = 1;
	pthread_mutex_lock(&l->lock);
	struct entry **p = slot(l, addr);
	if (!*p) {
		*p = xcalloc(1, sizeof **p);
		strncpy((*p)->addr, addr, ADDR_MAX - 1);
	}
	if ((*p)->n >= l->max)
		ok = 0;
	else
		(*p)->n++, l->total++;
	pthread_mutex_unlock(&l->lock);
	return ok;
}

void climit_give(struct climit *l, const char *addr)
{
	pthread_mutex_lock(&l->lock);
	struct entry **p = slot(l, addr);
	if (*p)
		l->total--;
	if (*p && --(*p)->n <= 0) { /* an address that holds nothing costs nothing */
		struct entry *e = *p;
		*p = e->next;
		free(e);
	}
	pthread_mutex_unlock(&l->lock);
}

long climit_total(struct climit *l)
{
	pthread_mutex_lock(&l->lock);
	long n = l->total;
	pthread_mutex_unlock(&l->lock);
	return n;
}
