/* The SQLite store: connection set-up, migrations, the statement cache, transactions and the
 * whole-database tools (check, backup). Each area of queries has its own store_<area>.c. */
#include "store_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fts_cjk.h"
#include "store_schema.h"

/* Workers are threads of one process, each with its own connection. Their write
 * transactions queue on this mutex rather than on SQLite's lock: SQLite's busy handler
 * sleeps in steps of up to 100 ms on the waiting worker's event loop, while a write here
 * takes well under a millisecond. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- opening and migrating ---------------------------------------------------------- */

/* Waits for a lock held by another connection (a single statement outside a transaction,
 * or another process such as `agorad backup`): 50 us steps first, since writes are short,
 * then 1 ms ones, about 10 s in all. */
static int busy_wait(void *arg, int tries)
{
	struct timespec step = {0, tries < 200 ? 50000 : 1000000};
	(void)arg;
	if (tries >= 10200)
		return 0;
	nanosleep(&step, NULL);
	return 1;
}

static int exec_sql(sqlite3 *db, const char *sql, char **err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	if (err) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s", msg ? msg : sqlite3_errmsg(db));
		*err = buf_detach(&b);
	}
	sqlite3_free(msg);
	return -1;
}

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int schema_latest(void)
{
	return (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
}

static int newer_schema(int v, char **err)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "the database is at schema version %d, newer than this agorad knows (%d): run the agorad "
		   "that wrote it, or restore a backup made before the upgrade (agorad restore)", v, schema_latest());
	*err = buf_detach(&b);
	return -1;
}

/* Applies every migration newer than user_version in one transaction: an upgrade that fails
 * leaves the database as it was, never half-migrated. */
static int migrate(sqlite3 *db, char **err)
{
	const int latest = schema_latest();
	int v = user_version(db);
	if (v < 0) {
		*err = xstrdup(sqlite3_errmsg(db));
		return -1;
	}
	if (v > latest)
		return newer_schema(v, err);
	if (v == latest)
		return 0;
	if (exec_sql(db, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	for (; v < latest; v++) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
		if (exec_sql(db, store_migrations[v], err) != 0 || exec_sql(db, pragma, err) != 0) {
			exec_sql(db, "ROLLBACK", NULL);
			return -1;
		}
	}
	return exec_sql(db, "COMMIT", err);
}

/* The digest's statement, with the answer-first rule in both of its counts, is longer than the
 * 4095 characters ISO C promises every compiler takes; GCC and Clang take any length. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
static const struct {
	const char *name, *sql;
	int ncols;
} statements[] = {
#define X(name, ncols, sql) {#name, sql, ncols},
	STATEMENTS(X)
#undef X
};
#pragma GCC diagnostic pop

/* Prepares sql for the statement cache and checks that it returns the ncols columns its reader
 * reads: STORE_OK with *out, or STORE_ERROR with *err (malloc'd) naming the statement. */
static int prepare_checked(sqlite3 *db, const char *name, const char *sql, int ncols, sqlite3_stmt **out,
			   char **err)
{
	sqlite3_stmt *st = NULL;
	struct buf b = BUF_INIT;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		buf_printf(&b, "store: statement %s does not prepare: %s", name, sqlite3_errmsg(db));
	} else if (sqlite3_column_count(st) != ncols) {
		buf_printf(&b, "store: statement %s returns %d columns, but its reader reads %d", name,
			   sqlite3_column_count(st), ncols);
	} else {
		*out = st;
		return STORE_OK;
	}
	sqlite3_finalize(st);
	*err = buf_detach(&b);
	return STORE_ERROR;
}

int store_check_statement(struct store *s, const char *name, const char *sql, int ncols, char **err)
{
	sqlite3_stmt *st;
	*err = NULL;
	int rc = prepare_checked(s->db, name, sql, ncols, &st, err);
	if (rc == STORE_OK)
		sqlite3_finalize(st);
	return rc;
}

/* Every statement of the table, prepared once for the life of the connection. */
static int prepare_all(struct store *s, char **err)
{
	for (int i = 0; i < ST_COUNT; i++) {
		int rc = prepare_checked(s->db, statements[i].name, statements[i].sql, statements[i].ncols,
					 &s->stmts[i], err);
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/* A connection as agorad uses one, before migrations: NULL with *err on failure. */
static sqlite3 *open_db(const char *path, char **err)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		*err = buf_detach(&b);
		sqlite3_close(db);
		return NULL;
	}
	/* Writers wait for each other instead of failing; about 10 s is far beyond any one write. */
	sqlite3_busy_handler(db, busy_wait, NULL);
	/* The search index's tokenizer and function must exist before a migration or trigger
	 * touches post_fts. */
	if (fts_cjk_register(db) != SQLITE_OK ||
	    exec_sql(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			 " PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;", err) != 0) {
		if (!*err)
			*err = xstrdup(sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

struct store *store_open(const char *path, char **err)
{
	sqlite3 *db = NULL;
	*err = NULL;
	if (!(db = open_db(path, err)) || migrate(db, err) != 0) {
		if (db && !*err)
			*err = xstrdup(sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	struct store *s = xcalloc(1, sizeof *s);
	s->db = db;
	if (prepare_all(s, err) != STORE_OK) {
		store_close(s);
		return NULL;
	}
	return s;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	sqlite3_close(s->db);
	free(s);
}

static void write_unlock(struct store *s)
{
	if (s->writing) {
		s->writing = 0;
		pthread_mutex_unlock(&write_lock);
	}
}

int store_begin(struct store *s)
{
	pthread_mutex_lock(&write_lock);
	s->writing = 1;
	int rc = sql_exec(sql_stmt(s, ST_BEGIN));
	if (rc != STORE_OK)
		write_unlock(s);
	return rc;
}

int store_commit(struct store *s)
{
	int rc = sql_exec(sql_stmt(s, ST_COMMIT));
	if (rc != STORE_OK)
		store_rollback(s);
	write_unlock(s);
	return rc;
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sql_exec(sql_stmt(s, ST_ROLLBACK));
	write_unlock(s);
}


const char *store_error(struct store *s)
{
	return sqlite3_errmsg(s->db);
}

int store_ping(struct store *s)
{
	int rc;
	sql_scalar(sql_stmt(s, ST_PING), &rc);
	return rc;
}

static int check_pragma(sqlite3 *db, const char *sql, const char *clean, struct buf *report)
{
	sqlite3_stmt *st;
	int rc = STORE_OK;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		buf_printf(report, "%s", sqlite3_errmsg(db));
		return STORE_ERROR;
	}
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);
		if (clean && v && strcmp(v, clean) == 0)
			continue;
		buf_printf(report, "%s: %s", sql, v ? v : "(problem)");
		rc = STORE_ERROR;
		break;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		buf_printf(report, "%s", sqlite3_errmsg(db));
		rc = sql_step_status(st, step);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The search index is checked against its own text by FTS5, and against the posts it should
 * hold (exactly the published ones) by counting: triggers keep them in step, so a difference
 * means the database was changed behind agorad's back. */
static const char search_index_check[] =
	"SELECT 'the search index holds ' || f.n || ' posts, but ' || p.n || ' are published'"
	" FROM (SELECT count(*) n FROM post_fts) f, (SELECT count(*) n FROM posts WHERE state='published') p"
	" WHERE f.n<>p.n";

int store_check(struct store *s, struct buf *report)
{
	int rc = check_pragma(s->db, "PRAGMA integrity_check", "ok", report);
	if (rc == STORE_OK)
		rc = check_pragma(s->db, "PRAGMA foreign_key_check", NULL, report);
	if (rc == STORE_OK)
		rc = check_pragma(s->db, "INSERT INTO post_fts(post_fts, rank) VALUES('integrity-check', 1)", NULL, report);
	if (rc == STORE_OK)
		rc = check_pragma(s->db, "INSERT INTO thing_fts(thing_fts, rank) VALUES('integrity-check', 1)", NULL, report);
	if (rc == STORE_OK)
		rc = check_pragma(s->db, search_index_check, NULL, report);
	return rc;
}

/* Makes sure what was written to the file at path (or a folder's entries) is on disk. */
static int sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* The folder part of path ("." when it has none), into dir. */
static void folder_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, size, ".");
	else
		snprintf(dir, size, "%.*s", (int)(slash == path ? 1 : slash - path), path);
}

/* Opens the copy on its own and runs SQLite's integrity check on it (with the search index's
 * tokenizer, as agorad opens it): a copy that does not open whole is no backup. */
static int backup_sound(const char *path, char **err)
{
	sqlite3 *db = NULL;
	struct buf report = BUF_INIT;
	int rc = STORE_ERROR;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK && fts_cjk_register(db) == SQLITE_OK)
		rc = check_pragma(db, "PRAGMA integrity_check", "ok", &report);
	else
		buf_printf(&report, "the copy does not open: %s", db ? sqlite3_errmsg(db) : "out of memory");
	sqlite3_close(db);
	if (rc != STORE_OK)
		*err = buf_detach(&report);
	buf_free(&report);
	return rc;
}

/* VACUUM INTO reads the whole database in one read transaction: in WAL mode writers go on
 * meanwhile, and the copy is the database as it was when the copy began, however busy the site
 * (the backup API would restart at every write of another connection, and never finish). The
 * copy is written beside path under a temporary name, synced, checked, and only then renamed
 * to path, so path is either absent or a whole, sound database. */
static int copy_database(sqlite3 *db, const char *path, char **err)
{
	struct buf tmp = BUF_INIT;
	char dir[4096];
	*err = NULL;
	buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	unlink(tmp.data);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "VACUUM INTO ?1", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, tmp.data, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE)
		*err = xstrdup(sqlite3_errmsg(db));
	sqlite3_finalize(st);
	folder_of(path, dir, sizeof dir);
	if (!*err && sync_path(tmp.data) != 0)
		*err = xstrdup(strerror(errno));
	if (!*err)
		backup_sound(tmp.data, err);
	if (!*err && (rename(tmp.data, path) != 0 || sync_path(dir) != 0))
		*err = xstrdup(strerror(errno));
	if (*err)
		unlink(tmp.data);
	buf_free(&tmp);
	return *err ? STORE_ERROR : STORE_OK;
}

int store_backup(struct store *s, const char *path, char **err)
{
	return copy_database(s->db, path, err);
}

/* ---- upgrades and restores ------------------------------------------------------------------ */

/* The time stamp of an upgrade's copy of base (BASE.vNN-YYYYmmdd-HHMMSS.bak), or NULL for
 * any other name. */
static const char *backup_stamp(const char *name, const char *base)
{
	size_t blen = strlen(base), len = strlen(name);
	if (len < blen + 6 || strncmp(name, base, blen) || strncmp(name + blen, ".v", 2) || strcmp(name + len - 4, ".bak"))
		return NULL;
	const char *dash = strchr(name + blen + 2, '-');
	return dash ? dash + 1 : NULL;
}

/* Newest first by their time stamps (the version before it would sort a restored older
 * database's fresh copy behind older copies of newer versions). */
static const char *sort_base;
static int newer_first(const struct dirent **a, const struct dirent **b)
{
	return strcmp(backup_stamp((*b)->d_name, sort_base), backup_stamp((*a)->d_name, sort_base));
}

static int is_backup(const struct dirent *d)
{
	return backup_stamp(d->d_name, sort_base) != NULL;
}

/* Keeps the keep newest copies of path made before upgrades, and always the one just made
 * (named just). */
static void prune_backups(const char *path, int keep, const char *just)
{
	char dir[4096];
	struct dirent **list = NULL;
	sort_base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path; /* the one upgrade at a time: start-up */
	folder_of(path, dir, sizeof dir);
	const char *just_name = strrchr(just, '/') ? strrchr(just, '/') + 1 : just;
	int n = scandir(dir, &list, is_backup, newer_first), kept = 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(list[i]->d_name, just_name) && ++kept >= keep) {
			char victim[8300];
			snprintf(victim, sizeof victim, "%s/%s", dir, list[i]->d_name);
			unlink(victim);
		}
		free(list[i]);
	}
	free(list);
}

/* PATH.vN-YYYYmmdd-HHMMSS.bak (UTC), into out. */
static void backup_name(const char *path, int version, char *out, size_t size)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(out, size, "%s.v%02d-%s.bak", path, version, stamp);
}

int store_upgrade(const char *path, int keep, struct store_upgrade *u, char **err)
{
	*err = NULL;
	memset(u, 0, sizeof *u);
	sqlite3 *db = open_db(path, err);
	if (!db)
		return STORE_ERROR;
	u->from = user_version(db);
	u->to = schema_latest();
	int rc = 0;
	if (u->from > u->to)
		rc = newer_schema(u->from, err);
	else if (u->from > 0 && u->from < u->to) { /* a new database has nothing to keep */
		backup_name(path, u->from, u->backup, sizeof u->backup);
		rc = copy_database(db, u->backup, err) == STORE_OK ? 0 : -1;
		if (rc == 0)
			prune_backups(path, keep, u->backup);
	}
	if (rc == 0)
		rc = migrate(db, err);
	sqlite3_close(db);
	return rc == 0 ? STORE_OK : STORE_ERROR;
}

/* The schema version of a database file that opens whole, or -1 with *err. */
static int sound_version(const char *file, char **err)
{
	sqlite3 *db = NULL;
	int v = -1;
	if (backup_sound(file, err) != STORE_OK)
		return -1;
	if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
		v = user_version(db);
	sqlite3_close(db);
	if (v < 1)
		*err = xstrdup("this file is no Agora database");
	else if (v > schema_latest())
		newer_schema(v, err);
	return *err ? -1 : v;
}

int store_restore(const char *path, const char *file, char *kept, size_t size, char **err)
{
	*err = NULL;
	kept[0] = '\0';
	if (sound_version(file, err) < 0)
		return STORE_ERROR;
	sqlite3 *src = NULL;
	if (sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK || fts_cjk_register(src) != SQLITE_OK) {
		*err = xstrdup(src ? sqlite3_errmsg(src) : "out of memory");
		sqlite3_close(src);
		return STORE_ERROR;
	}
	struct buf fresh = BUF_INIT;
	buf_printf(&fresh, "%s.restoring", path);
	int rc = copy_database(src, fresh.data, err);
	sqlite3_close(src);
	/* the database it replaces is kept, its log folded in first, so nothing of it is lost */
	sqlite3 *old = NULL;
	if (rc == STORE_OK && access(path, F_OK) == 0) {
		backup_name(path, 0, kept, size);
		memcpy(strstr(kept + strlen(path), ".v00-"), ".was-", 5);
		if ((old = open_db(path, err)) == NULL || exec_sql(old, "PRAGMA wal_checkpoint(TRUNCATE)", err) != 0)
			rc = STORE_ERROR;
		sqlite3_close(old);
		if (rc == STORE_OK && rename(path, kept) != 0)
			rc = STORE_ERROR, *err = xstrdup(strerror(errno));
	}
	if (rc == STORE_OK && rename(fresh.data, path) != 0) {
		rc = STORE_ERROR, *err = xstrdup(strerror(errno));
		if (*kept && rename(kept, path) == 0) /* the database as it was, back in its place */
			kept[0] = '\0';
	}
	if (rc != STORE_OK)
		unlink(fresh.data);
	buf_free(&fresh);
	return rc;
}
