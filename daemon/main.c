/* agorad: the command line (API.md, "Command line"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts.h"
#include "auth.h"
#include "clock.h"
#include "handlers.h"
#include "mime.h"
#include "options.h"
#include "server.h"
#include "store.h"
#include "seed_members.h"
#include "seed_trainings.h"
#include "tools.h"

static const char usage[] =
	"usage: agorad [serve] [--listen HOST:PORT] [--data DIR] [--web DIR] [--plugins DIR] [--workers N] [--demo]\n"
	"                     [--max-upload-mb N] [--base-url URL] [--smtp URL] [--mail-from ADDR]\n"
	"                     [--smtp-user NAME] [--mail-rate N]   # SMTP password: AGORA_SMTP_PASSWORD\n"
	"                     [--trusted-proxy ADDR]... [--registrations-per-hour N] [--access-log FILE|-]\n"
	"                     [--rate-limits POSTS_PER_MINUTE,POSTS_PER_HOUR,UPLOADS_PER_HOUR]  # 0: none\n"
	"       agorad user add NAME [--role member|lecturer|moderator|admin] [--data DIR]\n"
	"       agorad seed [--data DIR] --threads N --posts M [--members K] [--trainings T]\n"
	"       agorad backup [--data DIR] FILE\n"
	"       agorad check [--data DIR]\n"
	"       agorad migrate [--data DIR] [--keep-backups N]   # also done at every start\n"
	"       agorad restore [--data DIR] FILE                 # agorad stopped\n"
	"every command takes --config FILE (default /etc/agora/agora.conf when it exists): key = value lines,\n"
	"one for each long flag of serve (listen = 127.0.0.1:8080), and smtp_password; flags win over the file\n";

/* Makes the data folder (and files/ inside it) when missing; refuses one we cannot write. */
static int data_dir_ready(const char *dir)
{
	char files[4096];
	struct stat st;
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return options_fail("cannot create data folder %s", dir);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return options_fail("data folder %s is not a folder", dir);
	if (access(dir, R_OK | W_OK | X_OK) != 0)
		return options_fail("data folder %s is not writable", dir);
	snprintf(files, sizeof files, "%s/files", dir);
	if (mkdir(files, 0750) != 0 && errno != EEXIST)
		return options_fail("cannot create %s", files);
	return 0;
}

/* Brings the database to this agorad's schema (a copy of an older one is kept beside it
 * first), saying what it did. 0, or 2. */
static int upgrade(const char *dir, int keep, int quiet)
{
	char path[4096], *err = NULL;
	struct store_upgrade u;
	snprintf(path, sizeof path, "%s/agora.db", dir);
	if (store_upgrade(path, keep, &u, &err) != STORE_OK) {
		fprintf(stderr, "agorad: %s: %s\n", path, err ? err : "cannot upgrade it");
		free(err);
		return 2;
	}
	if (u.from && u.from < u.to)
		fprintf(stderr, "agorad: %s migrated from schema version %d to %d; the database as it was is in %s\n", path,
			u.from, u.to, u.backup);
	else if (!quiet)
		fprintf(stderr, "agorad: %s is at schema version %d\n", path, u.to);
	return 0;
}

static struct store *open_store(const struct options *o)
{
	char path[4096], *err = NULL;
	if (upgrade(o->srv.data_dir, o->keep_backups, 1) != 0)
		return NULL;
	snprintf(path, sizeof path, "%s/agora.db", o->srv.data_dir);
	struct store *db = store_open(path, &err);
	if (!db) {
		fprintf(stderr, "agorad: %s: %s\n", path, err ? err : "cannot open");
		free(err);
	}
	return db;
}

/* The data folder's lock: every serving agorad holds it shared (several may serve one
 * database), `agorad restore` alone (LOCK_EX), so that no database is swapped under a server.
 * The descriptor stays open for the life of the process. 0, or -1 when it is taken. */
static int lock_data(const char *dir, int how)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/agorad.lock", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	return fd >= 0 && flock(fd, how | LOCK_NB) == 0 ? 0 : -1;
}

/* PREFIX/rel for an agorad installed as PREFIX/bin/agorad (wherever PREFIX is: a .deb's /usr,
 * /usr/local, a folder of one's own), into out; 0, or -1 when it is no folder there. */
static int installed(const char *rel, char *out, size_t size)
{
	char exe[4096];
	struct stat st;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	snprintf(out, size, "%s/../%s", exe, rel);
	return stat(out, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* The web folder beside an installed agorad, else the source tree's (a build folder's agorad),
 * else where it was to be installed. */
static const char *default_web(void)
{
	static char web[4200];
	struct stat st;
	if (installed("share/agora/web/templates", web, sizeof web) == 0 && installed("share/agora/web", web, sizeof web) == 0)
		return web;
	if (stat(AGORA_SOURCE_WEB "/templates", &st) == 0)
		return AGORA_SOURCE_WEB;
	if (stat(AGORA_INSTALL_WEB "/templates", &st) == 0)
		return AGORA_INSTALL_WEB;
	return "web";
}

/* The shipped plugins beside an installed agorad (none for a build folder's: tests and
 * benchmarks name theirs). */
static const char *default_plugins(void)
{
	static char dir[4200];
	return installed(AGORA_INSTALL_LIBDIR "/agora/plugins", dir, sizeof dir) == 0 ? dir : NULL;
}

/* The mail settings' defaults: the password from the environment or the configuration file
 * (never a flag, which every user of the machine could read), the sender at the base URL's
 * host. */
static int mail_defaults(struct mail_config *m, char from[static 300])
{
	if (getenv("AGORA_SMTP_PASSWORD")) /* the environment wins over the file, as a flag would */
		m->smtp_password = getenv("AGORA_SMTP_PASSWORD");
	if (m->smtp_url && !m->base_url)
		fprintf(stderr, "agorad: --smtp without --base-url: e-mail needs the site's public address; none is sent\n");
	if (!m->from && m->base_url) {
		const char *host = strstr(m->base_url, "://") + 3;
		snprintf(from, 300, "agora@%.*s", (int)strcspn(host, ":/"), host);
		m->from = from;
		if (m->smtp_url && !mime_address_ok(from))
			return options_fail("%s is no sender address: give --mail-from", from);
	}
	return 0;
}

static struct options options_default(void)
{
	return (struct options){.keep_backups = 3,
				.srv = {.host = "127.0.0.1", .port = 8080, .data_dir = "./agora-data",
					.registrations_per_hour = REGISTRATIONS_PER_HOUR,
					.rates = {AG_RATE_POSTS_MINUTE, AG_RATE_POSTS_HOUR, AG_RATE_UPLOADS_HOUR}}};
}

/* A command's options: its flags from argv[first] on, then the configuration file's lines (text
 * holds the file), then the defaults of what neither gave. 0, or 2. */
static int read_options(int argc, char **argv, int first, struct options *o, struct buf *text)
{
	*o = options_default();
	if (options_parse(argc, argv, first, o) != 0 || options_read_config(o, text) != 0)
		return 2;
	if (!o->srv.web_dir)
		o->srv.web_dir = default_web();
	if (!o->srv.plugins_dir)
		o->srv.plugins_dir = default_plugins();
	return 0;
}

/* The command line serve was started with, for SIGHUP to read again. */
static struct {
	int argc, first;
	char **argv;
} serve_args;

/* SIGHUP: the flags and the file read again as at start. The fresh options and the file's text
 * are kept until the next reload; the server copies what it keeps. */
static int serve_reread(void *arg, struct server_config *fresh)
{
	static struct buf text = BUF_INIT;
	static struct options o;
	static char from[300];
	(void)arg;
	buf_free(&text);
	if (read_options(serve_args.argc, serve_args.argv, serve_args.first, &o, &text) != 0 ||
	    mail_defaults(&o.srv.mail, from) != 0)
		return -1;
	*fresh = o.srv;
	return 0;
}

static int cmd_serve(struct options *o)
{
	static char from[300];
	struct stat st;
	/* SIGHUP reloads once serving; before (migrations, the demo) and while draining it must
	 * not stop the site (libevent gives back this disposition when it stops listening) */
	signal(SIGHUP, SIG_IGN);
	if (o->nargs)
		return options_fail("unexpected argument %s", o->args[0]);
	if (mail_defaults(&o->srv.mail, from))
		return 2;
	if (stat(o->srv.web_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return options_fail("--web %s: no such folder", o->srv.web_dir);
	if (o->srv.plugins_dir && (stat(o->srv.plugins_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		return options_fail("--plugins %s: no such folder", o->srv.plugins_dir);
	if (data_dir_ready(o->srv.data_dir))
		return 2;
	if (lock_data(o->srv.data_dir, LOCK_SH) != 0)
		return options_fail("%s is being restored: wait for agorad restore to finish", o->srv.data_dir);
	struct store *db = open_store(o);
	if (!db)
		return 2;
	char files[4096];
	snprintf(files, sizeof files, "%s/files", o->srv.data_dir);
	int rc = o->srv.demo ? tools_demo(db, files) : 0;
	store_close(db);
	if (rc != 0)
		return options_fail("%s", "could not fill the demo site");
	o->srv.reread = serve_reread;
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
		return options_fail("%s", "usage: agorad user add NAME [--role ROLE] [--data DIR]");
	if (o->role && role_parse(o->role, &u.role) != 0)
		return options_fail("--role %s: expected member, lecturer, moderator or admin", o->role);
	const char *password = read_password(pw, sizeof pw);
	if (!password)
		return options_fail("%s", "no password: set AGORA_PASSWORD or give it on stdin");
	if (data_dir_ready(o->srv.data_dir))
		return 2;
	struct store *db = open_store(o);
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
		return options_fail("%s", "usage: agorad seed [--data DIR] --threads N --posts M [--members K] [--trainings T]");
	if (data_dir_ready(o->srv.data_dir))
		return 2;
	struct store *db = open_store(o);
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
		return options_fail("%s", "usage: agorad backup [--data DIR] FILE");
	if (stat(o->args[0], &st) == 0)
		return options_fail("%s already exists; not overwriting it", o->args[0]);
	struct store *db = open_store(o);
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
		return options_fail("no database at %s", path);
	struct store *db = open_store(o);
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

static int cmd_migrate(struct options *o)
{
	if (o->nargs)
		return options_fail("unexpected argument %s", o->args[0]);
	if (data_dir_ready(o->srv.data_dir))
		return 2;
	return upgrade(o->srv.data_dir, o->keep_backups, 0);
}

static int cmd_restore(struct options *o)
{
	char path[4096], kept[4200], *err = NULL;
	if (o->nargs != 1)
		return options_fail("%s", "usage: agorad restore [--data DIR] FILE");
	if (data_dir_ready(o->srv.data_dir))
		return 2;
	if (lock_data(o->srv.data_dir, LOCK_EX) != 0)
		return options_fail("an agorad serves %s: stop it before restoring", o->srv.data_dir);
	snprintf(path, sizeof path, "%s/agora.db", o->srv.data_dir);
	if (store_restore(path, o->args[0], kept, sizeof kept, &err) != STORE_OK) {
		fprintf(stderr, "agorad: cannot restore %s: %s\n", o->args[0], err ? err : "error");
		free(err);
		return 1;
	}
	printf("restored %s from %s%s%s\n", path, o->args[0], *kept ? "; the database it replaced is in " : "", kept);
	return 0;
}

int main(int argc, char **argv)
{
	static struct buf text = BUF_INIT; /* the configuration file, which the options point into */
	struct options o;
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
		return options_fail("%s", "libsodium could not start");
	if (clock_init(getenv("AGORA_NOW")) != 0)
		return options_fail("AGORA_NOW=%s: expected Unix seconds (a whole number from 0)", getenv("AGORA_NOW"));
	if (read_options(argc, argv, i, &o, &text) != 0)
		return 2;
	serve_args.argc = argc;
	serve_args.argv = argv;
	serve_args.first = i;
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
	if (!strcmp(cmd, "migrate"))
		return cmd_migrate(&o);
	if (!strcmp(cmd, "restore"))
		return cmd_restore(&o);
	fputs(usage, stderr);
	return options_fail("unknown command %s", cmd);
}
