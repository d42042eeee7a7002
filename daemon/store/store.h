/* store: all SQL of Agora. One `struct store` is one SQLite connection with its cache of
 * prepared statements; each worker thread owns one and never shares it. Strings in returned
 * records are copied into the arena the caller passes. */
#ifndef AGORA_STORE_H
#define AGORA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "util.h"

struct store;

enum store_status {
	STORE_OK = 0,
	STORE_NOTFOUND = -1,
	STORE_CONFLICT = -2, /* a uniqueness rule was broken */
	STORE_BUSY = -3,     /* the database stayed locked past the busy timeout */
	STORE_ERROR = -4,
	STORE_TIMEOUT = -5,  /* a query ran past the time it was given (store_search) */
	STORE_FULL = -6,     /* the disk (or the file size limit, or a quota) is full: nothing written */
	STORE_READONLY = -7, /* the database or its file system can only be read */
	STORE_IOERR = -8,    /* another I/O error of the disk */
};

/* A page of a list: which rows to return. */
struct page {
	int64_t offset;
	int64_t limit;
};

/* Opens (creating when missing) the database at path, sets WAL, foreign keys and the busy
 * timeout, migrates the schema and prepares every statement, checking that each returns as many
 * columns as its reader reads. On failure returns NULL and *err (malloc'd) says why. */
struct store *store_open(const char *path, char **err);
void store_close(struct store *db);
/* Checks one statement as store_open checks each of its own (for the tests of that check): that
 * sql prepares on db and returns ncols columns. STORE_OK, or STORE_ERROR with *err (malloc'd)
 * saying why, naming the statement `name`. */
int store_check_statement(struct store *db, const char *name, const char *sql, int ncols, char **err);

/* Write transactions start IMMEDIATE so writers queue on the busy handler instead of failing
 * on a lock upgrade. Every function below that writes several rows expects to run inside one. */
int store_begin(struct store *db);
int store_commit(struct store *db);
void store_rollback(struct store *db);

int store_ping(struct store *db);
/* What SQLite said of the last call on this connection that failed (for logs: it never holds
 * a bound value). Valid until the next call. */
const char *store_error(struct store *db);
/* Runs PRAGMA integrity_check and foreign_key_check; STORE_OK when both are clean. The first
 * problem found is appended to report. */
int store_check(struct store *db, struct buf *report);
/* An online, consistent copy of the whole database into a new file at path (an existing one
 * is replaced): the database as it was when the copy began, checked, and put in place whole
 * (a temporary file beside path, renamed). STORE_OK, or STORE_ERROR with *err (malloc'd). */
int store_backup(struct store *db, const char *path, char **err);

/* What store_upgrade did: the schema version found and the one now, and where the database was
 * copied before it was migrated ("" when nothing was migrated, or the database was new). */
struct store_upgrade {
	int from, to;
	char backup[4200];
};
/* Brings the database at path to this agorad's schema: refuses one that is newer (a clear
 * *err), copies an older one beside it first (PATH.vN-YYYYmmdd-HHMMSS.bak, the keep newest of
 * those kept) and then applies every pending migration in one transaction. A new database is
 * created. STORE_OK, or STORE_ERROR with *err (malloc'd). */
int store_upgrade(const char *path, int keep, struct store_upgrade *u, char **err);
/* Replaces the database at path (agorad stopped) by the copy in file, which must open whole
 * and be of this agorad's schema or an older one (the next start migrates it). The database it
 * replaces is kept as PATH.was-YYYYmmdd-HHMMSS.bak, named in kept (size bytes; "" when there
 * was none). STORE_OK, or STORE_ERROR with *err (malloc'd), and then path is as it was. */
int store_restore(const char *path, const char *file, char *kept, size_t size, char **err);

#endif
