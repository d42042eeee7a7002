/* agorad: the command line (API.md, "Command line"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts.h"
#include "auth.h"
#include "clock.h"
#include "handlers.h"
#include "mime.h"
#include "server.h"
#include "store.h"
#include "seed_members.h"
#include "seed_trainings.h"
#include "tools.h"

static const char usage[] =
	"usage: agorad [serve] [--listen HOST:PORT] [--data DIR] [--web DIR] [--plugins DIR] [--workers N] [--demo]\n"
	"                     [--max-upload-mb N] [--base-url URL] [--smtp URL] [--mail-from ADDR]\n"
	"                     [--smtp-user NAME] [--mail-rate N]   # SMTP password: AGORA_SMTP_PASSWORD\n"
	"                     [--trusted-proxy ADDR]... [--registrations-per-hour N]\n"
	"                     [--rate-limits POSTS_PER_MINUTE,POSTS_PER_HOUR,UPLOADS_PER_HOUR]  # 0: none\n"
	"       agorad user add NAME [--role member|lecturer|moderator|admin] [--data DIR]\n"
	"       agorad seed [--data DIR] --threads N --posts M [--members K] [--trainings T]\n"
	"       agorad backup [--data DIR] FILE\n"
	"       agorad check [--data DIR]\n";

enum { TRUSTED_PROXIES_MAX = 16 };

struct options {
	struct server_config srv;
	const char *role;
	long threads, posts, members, trainings;
	const char *args[3]; /* positional arguments after the command */
	int nargs;
};

/* Every failure of the command line is one clear line and exit status 2. */
static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "agorad: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

static int parse_listen(const char *s, struct server_config *c)
{
	static char host[64];
	const char *colon = strrchr(s, ':');
	int64_t port;
	if (!colon || colon == s || (size_t)(colon - s) >= sizeof host ||
	    parse_i64(colon + 1, 0, 65535, &port) != 0)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	c->host = host;
	c->port = (int)port;
	return 0;
}

static int number_flag(const char *a, const char *v, long max, long *out)
{
	int64_t n;
	if (parse_i64(v, 1, max, &n) != 0)
		return fail("%s: expected a positive number", a);
	*out = (long)n;
	return 0;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* --base-url: http(s)://host[:port][/path], kept without a trailing slash. */
static int base_url_flag(const char *v, struct mail_config *m)
{
	static char url[1024];
	size_t n = strlen(v);
	while (n && v[n - 1] == '/')
		n--;
	const char *host = strstr(v, "://");
	if ((!starts_with(v, "http://") && !starts_with(v, "https://")) || n >= sizeof url || !host ||
	    (size_t)(host + 3 - v) >= n || strpbrk(v, " \t\r\n\"'<>"))
		return fail("--base-url %s: expected http://HOST or https://HOST", v);
	memcpy(url, v, n);
	url[n] = '\0';
	m->base_url = url;
	return 1;
}

/* The mail flags; 1 when taken, 2 on error. */
static int mail_flag(const char *a, const char *v, struct mail_config *m)
{
	long n = 0;
	if (!strcmp(a, "--base-url"))
		return base_url_flag(v, m);
	if (!strcmp(a, "--smtp")) {
		if (!starts_with(v, "smtp://") && !starts_with(v, "smtps://"))
			return fail("--smtp %s: expected smtp://HOST:PORT or smtps://HOST:PORT", "(URL)");
		m->smtp_url = v;
	} else if (!strcmp(a, "--mail-from")) {
		if (!mime_address_ok(v))
			return fail("--mail-from %s: expected an address like agora@example.org", v);
		m->from = v;
	} else if (!strcmp(a, "--smtp-user")) {
		m->smtp_user = v;
	} else {
		if (number_flag(a, v, 100000, &n))
			return 2;
		m->rate = (int)n;
	}
	return 1;
}

/* --rate-limits A,B,C: three counts of at most 100000 each (0: no limit). 0, or 2. */
static int rates_flag(const char *v, struct ag_rates *r)
{
	int64_t n[3];
	char part[16];
	const char *p = v;
	for (int i = 0; i < 3; i++) {
		size_t len = strcspn(p, ",");
		if (len == 0 || len >= sizeof part || (i < 2) != (p[len] == ','))
			return fail("--rate-limits %s: expected three counts like 10,60,20", v);
		memcpy(part, p, len);
		part[len] = '\0';
		if (parse_i64(part, 0, 100000, &n[i]) != 0)
			return fail("--rate-limits %s: expected three counts like 10,60,20", v);
		p += len + (i < 2);
	}
	*r = (struct ag_rates){(int)n[0], (int)n[1], (int)n[2]};
	return 0;
}

/* One flag with its value v; 1 when it took the value, 0 when not, 2 on error. */
/* --trusted-proxy ADDR, repeatable: an address as the proxy connects from (compared as
 * text with the TCP peer, so no host names and no ranges). */
static int trusted_proxy_flag(const char *v, struct server_config *c)
{
	static const char *proxies[TRUSTED_PROXIES_MAX];
	size_t n = strlen(v);
	if (n == 0 || n >= FORWARDED_ADDR_MAX || strspn(v, "0123456789abcdefABCDEF.:") != n)
		return fail("--trusted-proxy %s: expected an IPv4 or IPv6 address", v);
	if (c->ntrusted_proxies == TRUSTED_PROXIES_MAX)
		return fail("--trusted-proxy %s: too many proxies (at most 16)", v);
	proxies[c->ntrusted_proxies++] = v;
	c->trusted_proxies = proxies;
	return 1;
}

/* The flags of the abuse guards: who may speak for a client, and the built-in rates. */
static int guard_flag(const char *a, const char *v, struct server_config *c)
{
	if (!strcmp(a, "--trusted-proxy"))
		return trusted_proxy_flag(v, c);
	if (!strcmp(a, "--registrations-per-hour")) {
		if (parse_i64(v, 0, 1000000, &c->registrations_per_hour) != 0)
			return fail("--registrations-per-hour %s: expected a number (0: no limit)", v);
		return 1;
	}
	return rates_flag(v, &c->rates) ? 2 : 1;
}

/* The sizes of `agorad seed`: 1, 2 on a bad number, or an unknown option. */
static int seed_flag(const char *a, const char *v, struct options *o)
{
	const struct { const char *name; long max; long *out; } sizes[] = {
		{"--threads", 100000000, &o->threads}, {"--posts", 100000, &o->posts},
		{"--members", 10000000, &o->members},  {"--trainings", 1000000, &o->trainings},
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (!strcmp(a, sizes[i].name))
			return number_flag(a, v, sizes[i].max, sizes[i].out) ? 2 : 1;
	return fail("unknown option %s", a);
}

static int parse_flag(const char *a, const char *v, struct options *o)
{
	long n = 0;
	if (!strcmp(a, "--demo")) {
		o->srv.demo = 1;
		return 0;
	}
	if (!v)
		return fail("%s needs a value", a);
	if (!strcmp(a, "--listen")) {
		if (parse_listen(v, &o->srv) != 0)
			return fail("--listen %s: expected HOST:PORT", v);
	} else if (!strcmp(a, "--data")) {
		o->srv.data_dir = v;
	} else if (!strcmp(a, "--web")) {
		o->srv.web_dir = v;
	} else if (!strcmp(a, "--plugins")) {
		o->srv.plugins_dir = v;
	} else if (!strcmp(a, "--role")) {
		o->role = v;
	} else if (!strcmp(a, "--workers")) {
		if (number_flag(a, v, 64, &n))
			return 2;
		o->srv.workers = (int)n;
	} else if (!strcmp(a, "--max-upload-mb")) {
		if (number_flag(a, v, 4096, &n))
			return 2;
		o->srv.max_upload_mb = (int)n;
	} else if (!strcmp(a, "--base-url") || !strcmp(a, "--smtp") || !strcmp(a, "--mail-from") ||
		   !strcmp(a, "--smtp-user") || !strcmp(a, "--mail-rate")) {
		return mail_flag(a, v, &o->srv.mail);
	} else if (!strcmp(a, "--trusted-proxy") || !strcmp(a, "--registrations-per-hour") ||
		   !strcmp(a, "--rate-limits")) {
		return guard_flag(a, v, &o->srv);
	} else {
		return seed_flag(a, v, o);
	}
	return 1;
}

/* Parses the flags after the command; positional words go to o->args. 0, or 2 on error. */
static int parse_flags(int argc, char **argv, int i, struct options *o)
{
	for (; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0) {
			if (o->nargs == 3)
				return fail("unexpected argument %s", argv[i]);
			o->args[o->nargs++] = argv[i];
			continue;
		}
		int rc = parse_flag(argv[i], i + 1 < argc ? argv[i + 1] : NULL, o);
		if (rc == 2)
			return 2;
		i += rc;
	}
	return 0;
}

/* Makes the data folder (and files/ inside it) when missing; refuses one we cannot write. */
static int data_dir_ready(const char *dir)
{
	char files[4096];
	struct stat st;
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return fail("cannot create data folder %s", dir);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return fail("data folder %s is not a folder", dir);
	if (access(dir, R_OK | W_OK | X_OK) != 0)
		return fail("data folder %s is not writable", dir);
	snprintf(files, sizeof files, "%s/files", dir);
	if (mkdir(files, 0750) != 0 && errno != EEXIST)
		return fail("cannot create %s", files);
	return 0;
}

static struct store *open_store(const char *dir)
{
	char path[4096], *err = NULL;
	snprintf(path, sizeof path, "%s/agora.db", dir);
	struct store *db = store_open(path, &err);
	if (!db) {
		fprintf(stderr, "agorad: %s: %s\n", path, err ? err : "cannot open");
		free(err);
	}
	return db;
}

/* The installed web folder, or the source tree's when running from a build folder. */
static const char *default_web(void)
{
	struct stat st;
	if (stat(AGORA_SOURCE_WEB "/templates", &st) == 0)
		return AGORA_SOURCE_WEB;
	if (stat(AGORA_INSTALL_WEB "/templates", &st) == 0)
		return AGORA_INSTALL_WEB;
	return "web";
}

/* The mail settings' defaults: the password from the environment (never a flag, which every
 * user of the machine could read), the sender at the base URL's host. */
static int mail_defaults(struct mail_config *m)
{
	static char from[300];
	m->smtp_password = getenv("AGORA_SMTP_PASSWORD");
	if (m->smtp_url && !m->base_url)
		fprintf(stderr, "agorad: --smtp without --base-url: e-mail needs the site's public address; none is sent\n");
	if (!m->from && m->base_url) {
		const char *host = strstr(m->base_url, "://") + 3;
		snprintf(from, sizeof from, "agora@%.*s", (int)strcspn(host, ":/"), host);
		m->from = from;
		if (m->smtp_url && !mime_address_ok(from))
			return fail("%s is no sender address: give --mail-from", from);
	}
	return 0;
}

static int cmd_serve(struct options *o)
{
	struct stat st;
	if (o->nargs)
		return fail("unexpected argument %s", o->args[0]);
	if (mail_defaults(&o->srv.mail))
		return 2;
	if (stat(o->srv.web_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return fail("--web %s: no such folder", o->srv.web_dir);
	if (o->srv.plugins_dir && (stat(o->srv.plugins_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		return fail("--plugins %s: no such folder", o->srv.plugins_dir);
	if (data_dir_ready(o->srv.data_dir))
		return 2;
	struct store *db = open_store(o->srv.data_dir);
	if (!db)
		return 2;
	char files[4096];
	snprintf(files, sizeof files, "%s/files", o->srv.data_dir);
	int rc = o->srv.demo ? tools_demo(db, files) : 0;
	store_close(db);
	if (rc != 0)
		return fail("%s", "could not fill the demo site");
	return server_run(&o->srv, &agora_app);
}

/* The password for `user add`: AGORA_PASSWORD, else the first line of stdin. */
static const char *read_password(char *buf, size_t size)
{
	const char *env = getenv("AGORA_PASSWORD");
	if (env)
		return env;
	if (!fgets(buf, (int)size, stdin))
		return NULL;
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf;
}

static int cmd_user_add(struct options *o)
{
	char pw[1100];
	struct user u = {0};
	if (o->nargs != 2 || strcmp(o->args[0], "add") != 0)
		return fail("%s", "usage: agorad user add NAME [--role ROLE] [--data DIR]");
	if (o->role && role_parse(o->role, &u.role) != 0)
		return fail("--role %s: expected member, lecturer, moderator or admin", o->role);
	const char *password = read_password(pw, sizeof pw);
	if (!password)
		return fail("%s", "no password: set AGORA_PASSWORD or give it on stdin");
	if (data_dir_ready(o->srv.data_dir))
		return 2;
	struct store *db = open_store(o->srv.data_dir);
	if (!db)
		return 2;
	struct arena *a = arena_new();
	struct agora_ctx c = {.db = db, .arena = a, .now = clock_now()};
	u.username = o->args[1];
	enum ag_status st = account_create(&c, &u, password);
	int rc = st == AG_CREATED ? 0 : 1;
	if (st == AG_CREATED)
		printf("created %s (%s)\n", u.username, role_name(u.role));
	else
		fprintf(stderr, "agorad: cannot add %s: %s\n", o->args[1], c.error_code ? c.error_code : "error");
	arena_free(a);
	store_close(db);
	return rc;
}

static int cmd_seed(struct options *o)
{
	if (o->threads < 1 || o->posts < 1)
		return fail("%s", "usage: agorad seed [--data DIR] --threads N --posts M [--members K] [--trainings T]");
	if (data_dir_ready(o->srv.data_dir))
		return 2;
	struct store *db = open_store(o->srv.data_dir);
	if (!db)
		return 2;
	int rc = tools_seed(db, o->threads, o->posts);
	if (rc == 0 && o->members)
		rc = seed_members(db, o->members);
	if (rc == 0 && o->trainings)
		rc = seed_trainings(db, o->trainings);
	store_close(db);
	if (rc != 0)
		fprintf(stderr, "agorad: seeding failed\n");
	else
		printf("seeded %ld threads of %ld posts, %ld members and %ld trainings\n", o->threads, o->posts, o->members,
		       o->trainings);
	return rc ? 1 : 0;
}

static int cmd_backup(struct options *o)
{
	char *err = NULL;
	struct stat st;
	if (o->nargs != 1)
		return fail("%s", "usage: agorad backup [--data DIR] FILE");
	if (stat(o->args[0], &st) == 0)
		return fail("%s already exists; not overwriting it", o->args[0]);
	struct store *db = open_store(o->srv.data_dir);
	if (!db)
		return 2;
	int rc = store_backup(db, o->args[0], &err);
	store_close(db);
	if (rc != STORE_OK) {
		fprintf(stderr, "agorad: backup failed: %s\n", err ? err : "error");
		free(err);
		return 1;
	}
	printf("backup written to %s\n", o->args[0]);
	return 0;
}

static int cmd_check(struct options *o)
{
	struct buf report = BUF_INIT;
	char path[4096];
	struct stat st;
	snprintf(path, sizeof path, "%s/agora.db", o->srv.data_dir);
	if (stat(path, &st) != 0)
		return fail("no database at %s", path);
	struct store *db = open_store(o->srv.data_dir);
	if (!db)
		return 2;
	int rc = store_check(db, &report);
	store_close(db);
	if (rc == STORE_OK)
		printf("ok\n");
	else
		fprintf(stderr, "agorad: check failed: %s\n", report.data ? report.data : "error");
	buf_free(&report);
	return rc == STORE_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct options o = {.srv = {.host = "127.0.0.1", .port = 8080, .data_dir = "./agora-data",
				    .registrations_per_hour = REGISTRATIONS_PER_HOUR,
				    .rates = {AG_RATE_POSTS_MINUTE, AG_RATE_POSTS_HOUR, AG_RATE_UPLOADS_HOUR}}};
	const char *cmd = "serve";
	int i = 1;
	util_json_init();
	if (argc > 1 && strncmp(argv[1], "--", 2) != 0) {
		cmd = argv[1];
		i = 2;
	}
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (auth_init() != 0)
		return fail("%s", "libsodium could not start");
	if (clock_init(getenv("AGORA_NOW")) != 0)
		return fail("AGORA_NOW=%s: expected Unix seconds (a whole number from 0)", getenv("AGORA_NOW"));
	if (parse_flags(argc, argv, i, &o) != 0)
		return 2;
	if (!o.srv.web_dir)
		o.srv.web_dir = default_web();
	if (!strcmp(cmd, "serve"))
		return cmd_serve(&o);
	if (!strcmp(cmd, "user"))
		return cmd_user_add(&o);
	if (!strcmp(cmd, "seed"))
		return cmd_seed(&o);
	if (!strcmp(cmd, "backup"))
		return cmd_backup(&o);
	if (!strcmp(cmd, "check"))
		return cmd_check(&o);
	fputs(usage, stderr);
	return fail("unknown command %s", cmd);
}
