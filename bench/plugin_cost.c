/* The plugins alone: CPU time of check_post per post, for bench/plugins.sh.
 *
 *   cc -O2 -Iplugins/include -o /tmp/agora-bench/plugin_cost bench/plugin_cost.c -ldl
 *   plugin_cost PLUGIN_DIR BODY_FILE [CALLS] [AUTHORS]
 *
 * Loads every *.so of PLUGIN_DIR in name order, as agorad does (dlopen RTLD_NOW|RTLD_LOCAL,
 * init with PLUGIN_DIR/NAME.conf), then calls each plugin's check_post CALLS times (default
 * 200000) on a reply whose body is BODY_FILE, from AUTHORS members (default 16, round robin,
 * "poster00".., account age one hour, thread 1 of board "bench", 1 link) — the submission
 * agorad builds for a bench post. One thread, no contention. The host clock is fake: it moves
 * one second every 100 calls (a forum taking 100 posts/s), so floodguard's per-author windows
 * fill and age out as they would on a busy site without ever reaching its limit.
 *
 * Prints one line per plugin and a total:
 *   plugin wordfilter ns_per_call=1234.5 not_allowed=0
 *   plugins total ns_per_call=2345.6 calls=200000 not_allowed=0
 * ns_per_call is thread CPU time (CLOCK_THREAD_CPUTIME_ID) divided by the calls.
 * not_allowed counts calls whose verdict was not allow (should be 0 for the bench body).
 * Exit status 1 on any load or init error. */
#define _GNU_SOURCE
#include <agora/plugin.h>

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXP 16

static int64_t fake_now;

static int64_t host_now(const struct agora_host *h)
{
	(void)h;
	return fake_now;
}

static void host_log(const struct agora_host *h, enum agora_log_level level, const char *message)
{
	(void)h;
	fprintf(stderr, "plugin log (%d): %s\n", (int)level, message);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static double thread_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s PLUGIN_DIR BODY_FILE [CALLS] [AUTHORS]\n", argv[0]);
		return 2;
	}
	const char *dir = argv[1];
	long calls = argc > 3 ? atol(argv[3]) : 200000;
	int nauthors = argc > 4 ? atoi(argv[4]) : 16;
	if (calls < 1 || nauthors < 1 || nauthors > 1000) {
		fprintf(stderr, "bad CALLS or AUTHORS\n");
		return 2;
	}

	FILE *f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	static char body[1 << 20];
	size_t blen = fread(body, 1, sizeof body - 1, f);
	fclose(f);
	body[blen] = '\0';

	char *names[MAXP];
	int n = 0;
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return 1;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < MAXP) {
		size_t len = strlen(e->d_name);
		if (len >= 4 && !strcmp(e->d_name + len - 3, ".so") && e->d_name[0] != '.')
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	if (n == 0) {
		fprintf(stderr, "no *.so in %s\n", dir);
		return 1;
	}

	fake_now = 1800000000;
	const struct agora_plugin *p[MAXP];
	void *state[MAXP];
	struct agora_host host = {AGORA_PLUGIN_ABI, host_log, host_now, NULL};
	for (int i = 0; i < n; i++) {
		char path[4096], conf[4096], err[512] = "";
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			fprintf(stderr, "%s\n", dlerror());
			return 1;
		}
		const struct agora_plugin *(*entry)(void);
		*(void **)&entry = dlsym(h, "agora_plugin");
		if (!entry || !(p[i] = entry()) || p[i]->abi_version != AGORA_PLUGIN_ABI) {
			fprintf(stderr, "%s: no agora_plugin() or wrong ABI\n", path);
			return 1;
		}
		snprintf(conf, sizeof conf, "%s/%s.conf", dir, p[i]->name);
		state[i] = NULL;
		if (p[i]->init && p[i]->init(conf, &host, &state[i], err, sizeof err) != 0) {
			fprintf(stderr, "%s: init failed: %s\n", path, err);
			return 1;
		}
	}

	char (*authors)[16] = calloc(nauthors, sizeof *authors);
	for (int a = 0; a < nauthors; a++)
		snprintf(authors[a], sizeof authors[a], "poster%02d", a);
	struct agora_submission s = {
		.author_role = "member", .account_age = 3600, .author_posts = 5, .author_region = NULL,
		.board = "bench", .thread_id = 1, .title = "Seeded thread 0: 春耕经验交流 spring farming",
		.body = body, .body_len = blen, .links = 1, .client_addr = "127.0.0.1", .is_edit = 0,
	};

	double total = 0;
	long total_bad = 0;
	for (int i = 0; i < n; i++) {
		long bad = 0;
		if (!p[i]->check_post) {
			printf("plugin %s ns_per_call=0 not_allowed=0\n", p[i]->name);
			continue;
		}
		fake_now = 1800000000;
		double t0 = thread_ns();
		for (long c = 0; c < calls; c++) {
			struct agora_result r = {AGORA_ALLOW, "", 0};
			if (c % 100 == 0)
				fake_now++;
			s.author = authors[c % nauthors];
			p[i]->check_post(state[i], &s, &r);
			bad += r.verdict != AGORA_ALLOW;
		}
		double ns = (thread_ns() - t0) / calls;
		printf("plugin %s ns_per_call=%.1f not_allowed=%ld\n", p[i]->name, ns, bad);
		total += ns;
		total_bad += bad;
	}
	printf("plugins total ns_per_call=%.1f calls=%ld not_allowed=%ld\n", total, calls, total_bad);
	for (int i = 0; i < n; i++)
		if (p[i]->fini)
			p[i]->fini(state[i]);
	free(authors);
	return 0;
}
