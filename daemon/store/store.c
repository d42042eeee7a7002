/* The SQLite store: connection set-up, migrations, the statement cache, and every query. */
#include "store_impl.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fts_cjk.h"
#include "store_schema.h"

static const char *const stmt_sql[] = {
#define X(name, sql) sql,
	STATEMENTS(X)
#undef X
};

/* Workers are threads of one process, each with its own connection. Their write
 * transactions queue on this mutex rather than on SQLite's lock: SQLite's busy handler
 * sleeps in steps of up to 100 ms on the waiting worker's event loop, while a write here
 * takes well under a millisecond. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- plumbing ---------------------------------------------------------------------- */

int sql_status(int rc)
{
	switch (rc) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return STORE_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return STORE_BUSY;
	case SQLITE_CONSTRAINT:
		return STORE_CONFLICT;
	case SQLITE_INTERRUPT:
		return STORE_TIMEOUT;
	default:
		return STORE_ERROR;
	}
}

/* The cached statement, reset and ready to bind. NULL only if the SQL itself is broken,
 * which is reported once on stderr (a programming error, caught by every test). */
sqlite3_stmt *sql_stmt(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->stmts[id];
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	if (sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "agorad: store: cannot prepare statement %d: %s\n", (int)id,
			sqlite3_errmsg(s->db));
		return NULL;
	}
	s->stmts[id] = st;
	return st;
}

void sql_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* An id of 0 means "none" and is stored as NULL. */
void sql_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

const char *sql_col_text(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

/* Runs a statement that returns no rows. */
int sql_exec(sqlite3_stmt *st)
{
	if (!st)
		return STORE_ERROR;
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : sql_status(rc);
}

/* Steps to the first row: STORE_OK with a row ready, STORE_NOTFOUND, or an error. */
int sql_first_row(sqlite3_stmt *st)
{
	if (!st)
		return STORE_ERROR;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : sql_status(rc);
}

/* Reads the first row with read() into out (zeroed first). */
int sql_one_row(sqlite3_stmt *st, struct arena *a, void *out, size_t size,
		   void (*read)(sqlite3_stmt *, struct arena *, void *))
{
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	memset(out, 0, size);
	read(st, a, out);
	sqlite3_reset(st);
	return STORE_OK;
}

int64_t sql_scalar(sqlite3_stmt *st, int *status)
{
	*status = sql_first_row(st);
	if (*status != STORE_OK)
		return 0;
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

/* Calls read(st, item) for each row into a growing arena array. */
int sql_collect(sqlite3_stmt *st, struct arena *a, size_t size, void **out, size_t *n,
		   void (*read)(sqlite3_stmt *, struct arena *, void *))
{
	size_t cap = 16, count = 0;
	char *items = arena_alloc(a, cap * size);
	int rc;
	if (!st)
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			char *bigger = arena_alloc(a, cap * 2 * size);
			memcpy(bigger, items, cap * size);
			items = bigger;
			cap *= 2;
		}
		memset(items + count * size, 0, size);
		read(st, a, items + count * size);
		count++;
	}
	sqlite3_reset(st);
	*out = items;
	*n = count;
	return rc == SQLITE_DONE ? STORE_OK : sql_status(rc);
}

void sql_read_term(sqlite3_stmt *st, int col, struct arena *a, struct term *t)
{
	t->id = sqlite3_column_int64(st, col);
	t->slug = sql_col_text(st, col + 1, a);
	t->name = sql_col_text(st, col + 2, a);
}

void sql_read_user(sqlite3_stmt *st, int c, struct arena *a, struct user *u)
{
	u->id = sqlite3_column_int64(st, c);
	u->username = sql_col_text(st, c + 1, a);
	u->display_name = sql_col_text(st, c + 2, a);
	const char *role = (const char *)sqlite3_column_text(st, c + 3);
	if (!role || role_parse(role, &u->role) != 0)
		u->role = ROLE_MEMBER;
	u->created_at = sqlite3_column_int64(st, c + 4);
	u->post_count = sqlite3_column_int64(st, c + 5);
	u->banned_until = sqlite3_column_int64(st, c + 6);
	u->ban_reason = sql_col_text(st, c + 7, a);
	sql_read_term(st, c + 8, a, &u->region);
	sql_read_term(st, c + 11, a, &u->position);
	sql_read_term(st, c + 14, a, &u->industry);
}

static void read_user_row(sqlite3_stmt *st, struct arena *a, void *out)
{
	sql_read_user(st, 0, a, out);
}

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

/* ---- opening and migrating ---------------------------------------------------------- */

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

/* Applies each migration newer than user_version in its own transaction, so a failure
 * leaves the database at the last good version. */
static int migrate(sqlite3 *db, char **err)
{
	const int latest = (int)(sizeof(store_migrations) / sizeof(store_migrations[0]));
	int v = user_version(db);
	if (v < 0) {
		*err = xstrdup(sqlite3_errmsg(db));
		return -1;
	}
	if (v > latest) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "database schema version %d is newer than this agorad (%d)", v, latest);
		*err = buf_detach(&b);
		return -1;
	}
	for (; v < latest; v++) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
		if (exec_sql(db, "BEGIN IMMEDIATE", err) != 0)
			return -1;
		if (exec_sql(db, store_migrations[v], err) != 0 || exec_sql(db, pragma, err) != 0) {
			exec_sql(db, "ROLLBACK", NULL);
			return -1;
		}
		if (exec_sql(db, "COMMIT", err) != 0)
			return -1;
	}
	return 0;
}

struct store *store_open(const char *path, char **err)
{
	sqlite3 *db = NULL;
	*err = NULL;
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
			 " PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;", err) != 0 ||
	    migrate(db, err) != 0) {
		if (!*err)
			*err = xstrdup(sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	struct store *s = xcalloc(1, sizeof *s);
	s->db = db;
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


int store_ping(struct store *s)
{
	int rc;
	sql_scalar(sql_stmt(s, ST_PING), &rc);
	return rc;
}

static int check_pragma(struct store *s, const char *sql, const char *clean, struct buf *report)
{
	sqlite3_stmt *st;
	int rc = STORE_OK;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		buf_printf(report, "%s", sqlite3_errmsg(s->db));
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
		buf_printf(report, "%s", sqlite3_errmsg(s->db));
		rc = sql_status(step);
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
	int rc = check_pragma(s, "PRAGMA integrity_check", "ok", report);
	if (rc == STORE_OK)
		rc = check_pragma(s, "PRAGMA foreign_key_check", NULL, report);
	if (rc == STORE_OK)
		rc = check_pragma(s, "INSERT INTO post_fts(post_fts, rank) VALUES('integrity-check', 1)", NULL, report);
	if (rc == STORE_OK)
		rc = check_pragma(s, search_index_check, NULL, report);
	return rc;
}

int store_backup(struct store *s, const char *path, char **err)
{
	sqlite3 *dst = NULL;
	*err = NULL;
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_backup *bk = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!bk)
		goto fail;
	int rc;
	/* Copy in steps so writers in other processes are never held off for long. */
	while ((rc = sqlite3_backup_step(bk, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(5);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_close(dst);
	return STORE_OK;
fail:
	*err = xstrdup(dst ? sqlite3_errmsg(dst) : "cannot open the backup file");
	sqlite3_close(dst);
	return STORE_ERROR;
}

/* ---- settings and taxonomy ---------------------------------------------------------- */

const char *store_setting_get(struct store *s, struct arena *a, const char *key)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SETTING_GET);
	sql_bind_text(st, 1, key);
	if (sql_first_row(st) != STORE_OK)
		return NULL;
	const char *v = sql_col_text(st, 0, a);
	sqlite3_reset(st);
	return v;
}

int store_setting_set(struct store *s, const char *key, const char *value)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SETTING_SET);
	sql_bind_text(st, 1, key);
	sql_bind_text(st, 2, value);
	return sql_exec(st);
}

static void read_term_row(sqlite3_stmt *st, struct arena *a, void *out)
{
	sql_read_term(st, 0, a, out);
}

int store_terms(struct store *s, struct arena *a, enum term_kind kind, struct term **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_TERMS);
	sqlite3_bind_int(st, 1, (int)kind);
	return sql_collect(st, a, sizeof(struct term), (void **)out, n, read_term_row);
}

int store_term_find(struct store *s, struct arena *a, enum term_kind kind, const char *slug, struct term *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_TERM_FIND);
	sqlite3_bind_int(st, 1, (int)kind);
	sql_bind_text(st, 2, slug);
	return sql_one_row(st, a, out, sizeof *out, read_term_row);
}

int store_term_put(struct store *s, enum term_kind kind, const char *slug, const char *name)
{
	sqlite3_stmt *st = sql_stmt(s, ST_TERM_PUT);
	sqlite3_bind_int(st, 1, (int)kind);
	sql_bind_text(st, 2, slug);
	sql_bind_text(st, 3, name);
	return sql_exec(st);
}

int store_term_delete(struct store *s, enum term_kind kind, const char *slug)
{
	sqlite3_stmt *st = sql_stmt(s, ST_TERM_DELETE);
	sqlite3_bind_int(st, 1, (int)kind);
	sql_bind_text(st, 2, slug);
	int rc = sql_exec(st);
	if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
		return STORE_NOTFOUND;
	return rc;
}

/* ---- users and sessions --------------------------------------------------------------- */

int store_user_insert(struct store *s, struct user *u, const char *pw_hash)
{
	sqlite3_stmt *st = sql_stmt(s, ST_USER_INSERT);
	sql_bind_text(st, 1, u->username);
	sql_bind_text(st, 2, u->display_name);
	sql_bind_text(st, 3, pw_hash);
	sql_bind_text(st, 4, role_name(u->role));
	sql_bind_id(st, 5, u->region.id);
	sql_bind_id(st, 6, u->position.id);
	sql_bind_id(st, 7, u->industry.id);
	sqlite3_bind_int64(st, 8, u->created_at);
	int rc = sql_exec(st);
	if (rc == STORE_OK)
		u->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static int user_lookup(struct store *s, enum stmt_id id, struct arena *a, const char *name, struct user *out)
{
	sqlite3_stmt *st = sql_stmt(s, id);
	sql_bind_text(st, 1, name);
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	memset(out, 0, sizeof *out);
	sql_read_user(st, 0, a, out);
	if (id == ST_USER_CREDENTIALS)
		out->pw_hash = sql_col_text(st, USER_NCOLS, a);
	sqlite3_reset(st);
	return STORE_OK;
}

int store_user_by_name(struct store *s, struct arena *a, const char *name, struct user *out)
{
	return user_lookup(s, ST_USER_BY_NAME, a, name, out);
}

int store_user_credentials(struct store *s, struct arena *a, const char *name, struct user *out)
{
	return user_lookup(s, ST_USER_CREDENTIALS, a, name, out);
}

int store_user_update_profile(struct store *s, const struct user *u)
{
	sqlite3_stmt *st = sql_stmt(s, ST_USER_UPDATE);
	sqlite3_bind_int64(st, 1, u->id);
	sql_bind_text(st, 2, u->display_name);
	sql_bind_id(st, 3, u->region.id);
	sql_bind_id(st, 4, u->position.id);
	sql_bind_id(st, 5, u->industry.id);
	return sql_exec(st);
}

int store_user_set_role(struct store *s, int64_t user_id, enum role role)
{
	sqlite3_stmt *st = sql_stmt(s, ST_USER_SET_ROLE);
	sqlite3_bind_int64(st, 1, user_id);
	sql_bind_text(st, 2, role_name(role));
	return sql_exec(st);
}

int store_user_set_password(struct store *s, int64_t user_id, const char *pw_hash)
{
	sqlite3_stmt *st = sql_stmt(s, ST_USER_SET_PASSWORD);
	sqlite3_bind_int64(st, 1, user_id);
	sql_bind_text(st, 2, pw_hash);
	return sql_exec(st);
}

int store_user_count(struct store *s, int64_t *n)
{
	int rc;
	*n = sql_scalar(sql_stmt(s, ST_USER_COUNT), &rc);
	return rc;
}

int store_session_create(struct store *s, int64_t user_id, const char *digest, int64_t now, int64_t expires)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SESSION_CREATE);
	sql_bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, expires);
	return sql_exec(st);
}

int store_session_user(struct store *s, struct arena *a, const char *digest, int64_t now, struct user *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SESSION_USER);
	sql_bind_text(st, 1, digest);
	sqlite3_bind_int64(st, 2, now);
	return sql_one_row(st, a, out, sizeof *out, read_user_row);
}

int store_session_delete(struct store *s, const char *digest)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SESSION_DELETE);
	sql_bind_text(st, 1, digest);
	return sql_exec(st);
}

int store_sessions_end_others(struct store *s, int64_t user_id, const char *keep_digest)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SESSIONS_END_OTHERS);
	sqlite3_bind_int64(st, 1, user_id);
	sql_bind_text(st, 2, keep_digest);
	return sql_exec(st);
}

int store_login_failures(struct store *s, const char *name, const char *addr, int64_t since,
			 int64_t *count, int64_t *oldest)
{
	sqlite3_stmt *st = sql_stmt(s, ST_LOGIN_FAILURES);
	sql_bind_text(st, 1, name);
	sql_bind_text(st, 2, addr);
	sqlite3_bind_int64(st, 3, since);
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	*count = sqlite3_column_int64(st, 0);
	*oldest = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return STORE_OK;
}

int store_login_failure_add(struct store *s, const char *name, const char *addr, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_LOGIN_FAILURES_EXPIRE);
	/* Old rows are only history: drop those older than a day while we are here. */
	sqlite3_bind_int64(st, 1, now - 86400);
	sql_exec(st);
	st = sql_stmt(s, ST_LOGIN_FAILURE_ADD);
	sql_bind_text(st, 1, name);
	sql_bind_text(st, 2, addr);
	sqlite3_bind_int64(st, 3, now);
	return sql_exec(st);
}

int store_login_failures_clear(struct store *s, const char *name)
{
	sqlite3_stmt *st = sql_stmt(s, ST_LOGIN_FAILURES_CLEAR);
	sql_bind_text(st, 1, name);
	return sql_exec(st);
}

int store_invite_create(struct store *s, const char *code, int64_t by, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_INVITE_CREATE);
	sql_bind_text(st, 1, code);
	sql_bind_id(st, 2, by);
	sqlite3_bind_int64(st, 3, now);
	return sql_exec(st);
}

int store_invite_use(struct store *s, const char *code, int64_t user_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_INVITE_USE);
	sql_bind_text(st, 1, code);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sql_exec(st);
	if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
		return STORE_NOTFOUND;
	return rc;
}

/* ---- boards -------------------------------------------------------------------------- */

static void read_board(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct board *b = out;
	b->id = sqlite3_column_int64(st, 0);
	b->slug = sql_col_text(st, 1, a);
	b->title = sql_col_text(st, 2, a);
	b->description = sql_col_text(st, 3, a);
	b->thread_count = sqlite3_column_int64(st, 4);
	b->post_count = sqlite3_column_int64(st, 5);
	b->last_post_at = sqlite3_column_int64(st, 6);
	sql_read_term(st, 7, a, &b->industry);
	sql_read_term(st, 10, a, &b->position);
	b->association = sql_col_text(st, 13, a);
	b->association_id = sqlite3_column_int64(st, 14);
}

int store_boards(struct store *s, struct arena *a, const struct board_filter *f, struct board **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARDS);
	sql_bind_text(st, 1, f->industry);
	sql_bind_text(st, 2, f->position);
	sqlite3_bind_int64(st, 3, f->viewer_id);
	sql_bind_text(st, 4, f->association);
	return sql_collect(st, a, sizeof(struct board), (void **)out, n, read_board);
}

int store_board_by_slug(struct store *s, struct arena *a, const char *slug, struct board *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_BY_SLUG);
	sql_bind_text(st, 1, slug);
	return sql_one_row(st, a, out, sizeof *out, read_board);
}

int store_board_insert(struct store *s, struct board *b, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_INSERT);
	sql_bind_text(st, 1, b->slug);
	sql_bind_text(st, 2, b->title);
	sql_bind_text(st, 3, b->description ? b->description : "");
	sql_bind_id(st, 4, b->industry.id);
	sql_bind_id(st, 5, b->position.id);
	sqlite3_bind_int64(st, 6, now);
	sql_bind_id(st, 7, b->association_id);
	int rc = sql_exec(st);
	if (rc == STORE_OK)
		b->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int store_board_visible(struct store *s, int64_t board_id, int64_t viewer_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_VISIBLE);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}

int store_board_moderator_add(struct store *s, int64_t board_id, int64_t user_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_MOD_ADD);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, user_id);
	return sql_exec(st);
}

int store_board_is_moderator(struct store *s, int64_t board_id, int64_t user_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_IS_MOD);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}

int store_moderates_any(struct store *s, int64_t user_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MODERATES_ANY);
	sqlite3_bind_int64(st, 1, user_id);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}

/* ---- threads and posts ----------------------------------------------------------------- */

void sql_read_thread(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct thread *t = out;
	t->id = sqlite3_column_int64(st, 0);
	t->board_id = sqlite3_column_int64(st, 1);
	t->board_slug = sql_col_text(st, 2, a);
	t->board_title = sql_col_text(st, 3, a);
	t->title = sql_col_text(st, 4, a);
	t->created_at = sqlite3_column_int64(st, 5);
	t->last_post_at = sqlite3_column_int64(st, 6);
	t->reply_count = sqlite3_column_int64(st, 7);
	t->pinned = sqlite3_column_int(st, 8);
	t->locked = sqlite3_column_int(st, 9);
	t->root_post_id = sqlite3_column_int64(st, 10);
	sql_read_user(st, 11, a, &t->author);
}

static enum post_state state_parse(const char *s)
{
	static const enum post_state all[] = {POST_PUBLISHED, POST_PENDING, POST_REJECTED, POST_DELETED};
	for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
		if (strcmp(s, post_state_name(all[i])) == 0)
			return all[i];
	return POST_PENDING;
}

void sql_read_post(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct post *p = out;
	p->id = sqlite3_column_int64(st, 0);
	p->thread_id = sqlite3_column_int64(st, 1);
	p->parent_id = sqlite3_column_int64(st, 2);
	p->depth = sqlite3_column_int(st, 3);
	p->body = sql_col_text(st, 4, a);
	p->body_html = sql_col_text(st, 5, a);
	p->created_at = sqlite3_column_int64(st, 6);
	p->edited_at = sqlite3_column_int64(st, 7);
	p->state = state_parse((const char *)sqlite3_column_text(st, 8));
	p->parent_author = sql_col_text(st, 9, a);
	sql_read_user(st, 10, a, &p->author);
	p->pending_html = sql_col_text(st, 10 + USER_NCOLS, a);
}

int store_board_threads(struct store *s, struct arena *a, int64_t board_id, int64_t region_id,
			struct page pg, struct thread **out, size_t *n, int64_t *total)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_THREAD_COUNT);
	int rc;
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, region_id);
	*total = sql_scalar(st, &rc);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_BOARD_THREADS);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, region_id);
	sqlite3_bind_int64(st, 3, pg.limit);
	sqlite3_bind_int64(st, 4, pg.offset);
	return sql_collect(st, a, sizeof(struct thread), (void **)out, n, sql_read_thread);
}

int store_recent_threads(struct store *s, struct arena *a, int64_t viewer_id, int64_t limit, struct thread **out,
			 size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_RECENT_THREADS);
	sqlite3_bind_int64(st, 1, limit);
	sqlite3_bind_int64(st, 2, viewer_id);
	return sql_collect(st, a, sizeof(struct thread), (void **)out, n, sql_read_thread);
}

int store_thread_get(struct store *s, struct arena *a, int64_t id, struct thread *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_THREAD_GET);
	sqlite3_bind_int64(st, 1, id);
	return sql_one_row(st, a, out, sizeof *out, sql_read_thread);
}

/* Moves the board, thread and author counters by threads and sign (±1 post). */
static int counters(struct store *s, const struct post *p, int64_t board_id, int threads, int sign)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_COUNTERS);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int(st, 2, threads);
	sqlite3_bind_int(st, 3, sign);
	sqlite3_bind_int64(st, 4, sign > 0 ? p->created_at : 0);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_THREAD_COUNTERS);
	sqlite3_bind_int64(st, 1, p->thread_id);
	sqlite3_bind_int(st, 2, p->parent_id ? sign : 0);
	sqlite3_bind_int64(st, 3, sign > 0 ? p->created_at : 0);
	if ((rc = sql_exec(st)) != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_USER_POSTS_ADD);
	sqlite3_bind_int64(st, 1, p->author.id);
	sqlite3_bind_int(st, 2, sign);
	return sql_exec(st);
}

static int post_row_insert(struct store *s, struct post *p)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POST_INSERT);
	sqlite3_bind_int64(st, 1, p->thread_id);
	sql_bind_id(st, 2, p->parent_id);
	sqlite3_bind_int(st, 3, p->depth);
	sqlite3_bind_int64(st, 4, p->author.id);
	sql_bind_text(st, 5, p->body);
	sql_bind_text(st, 6, p->body_html);
	sqlite3_bind_int64(st, 7, p->created_at);
	sql_bind_text(st, 8, post_state_name(p->state));
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	p->id = sqlite3_last_insert_rowid(s->db);
	st = sql_stmt(s, ST_POST_SET_PATH);
	sqlite3_bind_int64(st, 1, p->id);
	sql_bind_id(st, 2, p->parent_id);
	return sql_exec(st);
}

int store_thread_insert(struct store *s, struct thread *t, struct post *p)
{
	sqlite3_stmt *st = sql_stmt(s, ST_THREAD_INSERT);
	sqlite3_bind_int64(st, 1, t->board_id);
	sql_bind_text(st, 2, t->title);
	sqlite3_bind_int64(st, 3, t->author.id);
	sqlite3_bind_int64(st, 4, t->created_at);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	t->id = p->thread_id = sqlite3_last_insert_rowid(s->db);
	p->parent_id = 0;
	p->depth = 0;
	if ((rc = post_row_insert(s, p)) != STORE_OK)
		return rc;
	t->root_post_id = p->id;
	st = sql_stmt(s, ST_THREAD_SET_ROOT);
	sqlite3_bind_int64(st, 1, t->id);
	sqlite3_bind_int64(st, 2, p->id);
	sqlite3_bind_int(st, 3, p->state == POST_PUBLISHED);
	if ((rc = sql_exec(st)) != STORE_OK)
		return rc;
	return p->state == POST_PUBLISHED ? counters(s, p, t->board_id, 1, 1) : STORE_OK;
}

int store_post_insert(struct store *s, struct post *p)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POST_PARENT);
	int rc;
	sqlite3_bind_int64(st, 1, p->parent_id);
	sqlite3_bind_int64(st, 2, p->thread_id);
	int64_t parent_depth = sql_scalar(st, &rc);
	if (rc != STORE_OK)
		return rc;
	p->depth = (int)parent_depth + 1;
	if ((rc = post_row_insert(s, p)) != STORE_OK)
		return rc;
	if (p->state != POST_PUBLISHED)
		return STORE_OK;
	struct thread t;
	struct arena *a = arena_new();
	rc = store_thread_get(s, a, p->thread_id, &t);
	if (rc == STORE_OK)
		rc = counters(s, p, t.board_id, 0, 1);
	arena_free(a);
	return rc;
}

int store_thread_posts(struct store *s, struct arena *a, int64_t thread_id, int by_time,
		       int64_t viewer_id, int all_states, struct page pg,
		       struct post **out, size_t *n, int64_t *total)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POSTS_COUNT);
	int rc;
	sqlite3_bind_int64(st, 1, thread_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	sqlite3_bind_int(st, 3, all_states);
	*total = sql_scalar(st, &rc);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, by_time ? ST_POSTS_TIME : ST_POSTS_TREE);
	sqlite3_bind_int64(st, 1, thread_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	sqlite3_bind_int(st, 3, all_states);
	sqlite3_bind_int64(st, 4, pg.limit);
	sqlite3_bind_int64(st, 5, pg.offset);
	return sql_collect(st, a, sizeof(struct post), (void **)out, n, sql_read_post);
}

int store_thread_newest_post(struct store *s, int64_t thread_id, int64_t *post_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_THREAD_NEWEST_POST);
	int rc;
	sqlite3_bind_int64(st, 1, thread_id);
	*post_id = sql_scalar(st, &rc);
	return rc;
}

int store_posts_before(struct store *s, int64_t thread_id, int64_t post_id, int64_t viewer_id, int all_states,
		       int64_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POSTS_BEFORE);
	int rc;
	sqlite3_bind_int64(st, 1, thread_id);
	sqlite3_bind_int64(st, 2, viewer_id);
	sqlite3_bind_int(st, 3, all_states);
	sqlite3_bind_int64(st, 4, post_id);
	*n = sql_scalar(st, &rc);
	return rc;
}

int store_post_get(struct store *s, struct arena *a, int64_t id, struct post *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POST_GET);
	sqlite3_bind_int64(st, 1, id);
	return sql_one_row(st, a, out, sizeof *out, sql_read_post);
}

int store_post_edit(struct store *s, int64_t post_id, int64_t editor_id, const char *body,
		    const char *body_html, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_REVISION_ADD);
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, editor_id);
	sqlite3_bind_int64(st, 3, now);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_POST_EDIT);
	sqlite3_bind_int64(st, 1, post_id);
	sql_bind_text(st, 2, body);
	sql_bind_text(st, 3, body_html);
	sqlite3_bind_int64(st, 4, now);
	return sql_exec(st);
}

static int shown(enum post_state st)
{
	return st == POST_PUBLISHED || st == POST_DELETED;
}

int store_post_set_state(struct store *s, int64_t post_id, enum post_state to)
{
	struct arena *a = arena_new();
	struct post p;
	struct thread t;
	int rc = store_post_get(s, a, post_id, &p);
	if (rc == STORE_OK)
		rc = store_thread_get(s, a, p.thread_id, &t);
	if (rc != STORE_OK || p.state == to)
		goto done;
	sqlite3_stmt *st = sql_stmt(s, ST_POST_SET_STATE);
	sqlite3_bind_int64(st, 1, post_id);
	sql_bind_text(st, 2, post_state_name(to));
	if ((rc = sql_exec(st)) != STORE_OK)
		goto done;
	/* A thread is listed while its first post is shown, even as a placeholder. */
	int root = p.parent_id == 0, dthreads = root ? shown(to) - shown(p.state) : 0;
	int dposts = (to == POST_PUBLISHED) - (p.state == POST_PUBLISHED);
	if (dthreads) {
		st = sql_stmt(s, ST_THREAD_SET_VISIBLE);
		sqlite3_bind_int64(st, 1, t.id);
		sqlite3_bind_int(st, 2, shown(to));
		if ((rc = sql_exec(st)) != STORE_OK)
			goto done;
	}
	if (dthreads || dposts)
		rc = counters(s, &p, t.board_id, dthreads, dposts);
done:
	arena_free(a);
	return rc;
}

int store_post_set_pending(struct store *s, int64_t post_id, const char *body, const char *html)
{
	sqlite3_stmt *st = sql_stmt(s, ST_POST_SET_PENDING);
	sqlite3_bind_int64(st, 1, post_id);
	sql_bind_text(st, 2, body);
	sql_bind_text(st, 3, html);
	return sql_exec(st);
}

int store_post_apply_pending(struct store *s, int64_t post_id, int64_t editor_id, int64_t now)
{
	struct arena *a = arena_new();
	sqlite3_stmt *st = sql_stmt(s, ST_POST_PENDING_BODY);
	sqlite3_bind_int64(st, 1, post_id);
	int rc = sql_first_row(st);
	if (rc == STORE_OK) {
		const char *body = sql_col_text(st, 0, a), *html = sql_col_text(st, 1, a);
		sqlite3_reset(st);
		rc = store_post_edit(s, post_id, editor_id, body, html ? html : "", now);
	}
	if (rc == STORE_OK)
		rc = store_post_set_pending(s, post_id, NULL, NULL);
	arena_free(a);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

static void read_revision(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct revision *r = out;
	r->rev = sqlite3_column_int(st, 0);
	r->editor = sql_col_text(st, 1, a);
	r->created_at = sqlite3_column_int64(st, 2);
	r->body = sql_col_text(st, 3, a);
}

int store_post_revisions(struct store *s, struct arena *a, int64_t post_id, struct revision **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_REVISIONS);
	sqlite3_bind_int64(st, 1, post_id);
	return sql_collect(st, a, sizeof(struct revision), (void **)out, n, read_revision);
}

/* ---- moderation ---------------------------------------------------------------------------- */

int store_flag_add(struct store *s, int64_t post_id, const char *kind, int64_t reporter_id, const char *reason,
		   int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_FLAG_ADD);
	sqlite3_bind_int64(st, 1, post_id);
	sql_bind_text(st, 2, kind);
	sql_bind_id(st, 3, reporter_id);
	sql_bind_text(st, 4, reason);
	sqlite3_bind_int64(st, 5, now);
	return sql_exec(st);
}

int store_flag_reports(struct store *s, int64_t post_id, int64_t *n)
{
	int rc;
	sqlite3_stmt *st = sql_stmt(s, ST_FLAG_REPORTS);
	sqlite3_bind_int64(st, 1, post_id);
	*n = sql_scalar(st, &rc);
	return rc;
}

int store_flags_resolve(struct store *s, int64_t post_id, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_FLAGS_RESOLVE);
	sqlite3_bind_int64(st, 1, post_id);
	sqlite3_bind_int64(st, 2, now);
	return sql_exec(st);
}

static void read_reason(sqlite3_stmt *st, struct arena *a, void *out)
{
	*(const char **)out = sql_col_text(st, 0, a);
}

int store_flag_reasons(struct store *s, struct arena *a, int64_t post_id, const char ***out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_FLAG_REASONS);
	sqlite3_bind_int64(st, 1, post_id);
	return sql_collect(st, a, sizeof(const char *), (void **)out, n, read_reason);
}

static void read_queue_item(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct queue_item *q = out;
	q->post_id = sqlite3_column_int64(st, 0);
	q->board = sql_col_text(st, 1, a);
}

int store_mod_queue(struct store *s, struct arena *a, int64_t moderator_id, int all_boards, struct page pg,
		    struct queue_item **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MOD_QUEUE);
	sqlite3_bind_int64(st, 1, moderator_id);
	sqlite3_bind_int(st, 2, all_boards);
	sqlite3_bind_int64(st, 3, pg.limit);
	sqlite3_bind_int64(st, 4, pg.offset);
	return sql_collect(st, a, sizeof(struct queue_item), (void **)out, n, read_queue_item);
}

int store_thread_set(struct store *s, int64_t thread_id, int pinned, int locked)
{
	sqlite3_stmt *st = sql_stmt(s, ST_THREAD_SET);
	sqlite3_bind_int64(st, 1, thread_id);
	sqlite3_bind_int(st, 2, pinned);
	sqlite3_bind_int(st, 3, locked);
	return sql_exec(st);
}

static int board_move_counts(struct store *s, int64_t board_id, int sign, int visible, int64_t thread_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_BOARD_MOVE_COUNTS);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int(st, 2, sign);
	sqlite3_bind_int(st, 3, visible);
	sqlite3_bind_int64(st, 4, thread_id);
	return sql_exec(st);
}

int store_thread_move(struct store *s, int64_t thread_id, int64_t to_board)
{
	struct arena *a = arena_new();
	struct thread t;
	struct post root;
	int rc = store_thread_get(s, a, thread_id, &t);
	if (rc == STORE_OK)
		rc = store_post_get(s, a, t.root_post_id, &root);
	int visible = rc == STORE_OK && shown(root.state);
	if (rc == STORE_OK)
		rc = board_move_counts(s, t.board_id, -1, visible, thread_id);
	if (rc == STORE_OK)
		rc = board_move_counts(s, to_board, 1, visible, thread_id);
	if (rc == STORE_OK) {
		sqlite3_stmt *st = sql_stmt(s, ST_THREAD_MOVE);
		sqlite3_bind_int64(st, 1, thread_id);
		sqlite3_bind_int64(st, 2, to_board);
		rc = sql_exec(st);
	}
	arena_free(a);
	return rc;
}

int store_user_ban(struct store *s, int64_t user_id, int64_t until, const char *reason)
{
	sqlite3_stmt *st = sql_stmt(s, ST_USER_BAN);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, until);
	sql_bind_text(st, 3, reason);
	return sql_exec(st);
}

int store_mod_log_add(struct store *s, int64_t actor_id, const char *action, const char *target_type,
		      int64_t target_id, const char *reason, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MOD_LOG_ADD);
	sqlite3_bind_int64(st, 1, actor_id);
	sql_bind_text(st, 2, action);
	sql_bind_text(st, 3, target_type);
	sqlite3_bind_int64(st, 4, target_id);
	sql_bind_text(st, 5, reason ? reason : "");
	sqlite3_bind_int64(st, 6, now);
	return sql_exec(st);
}

static void read_mod_entry(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct mod_entry *e = out;
	e->id = sqlite3_column_int64(st, 0);
	e->actor = sql_col_text(st, 1, a);
	e->action = sql_col_text(st, 2, a);
	e->target_type = sql_col_text(st, 3, a);
	e->target_id = sqlite3_column_int64(st, 4);
	e->reason = sql_col_text(st, 5, a);
	e->created_at = sqlite3_column_int64(st, 6);
}

int store_mod_log(struct store *s, struct arena *a, struct page pg, struct mod_entry **out, size_t *n,
		  int64_t *total)
{
	int rc;
	*total = sql_scalar(sql_stmt(s, ST_MOD_LOG_COUNT), &rc);
	if (rc != STORE_OK)
		return rc;
	sqlite3_stmt *st = sql_stmt(s, ST_MOD_LOG);
	sqlite3_bind_int64(st, 1, pg.limit);
	sqlite3_bind_int64(st, 2, pg.offset);
	return sql_collect(st, a, sizeof(struct mod_entry), (void **)out, n, read_mod_entry);
}

/* ---- associations ------------------------------------------------------------------------- */

static void read_assoc(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct association *x = out;
	x->id = sqlite3_column_int64(st, 0);
	x->slug = sql_col_text(st, 1, a);
	x->name = sql_col_text(st, 2, a);
	x->description = sql_col_text(st, 3, a);
	x->join_policy = sql_col_text(st, 4, a);
	x->visibility = sql_col_text(st, 5, a);
	x->created_at = sqlite3_column_int64(st, 6);
	sql_read_term(st, 7, a, &x->industry);
	sql_read_term(st, 10, a, &x->position);
	x->member_count = sqlite3_column_int64(st, 13);
}

int store_assocs(struct store *s, struct arena *a, const char *industry, const char *position,
		 struct association **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_ASSOCS);
	sql_bind_text(st, 1, industry);
	sql_bind_text(st, 2, position);
	return sql_collect(st, a, sizeof(struct association), (void **)out, n, read_assoc);
}

int store_assoc_by_slug(struct store *s, struct arena *a, const char *slug, struct association *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_ASSOC_BY_SLUG);
	sql_bind_text(st, 1, slug);
	return sql_one_row(st, a, out, sizeof *out, read_assoc);
}

int store_assoc_insert(struct store *s, struct association *x, int64_t creator_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_ASSOC_INSERT);
	sql_bind_text(st, 1, x->slug);
	sql_bind_text(st, 2, x->name);
	sql_bind_text(st, 3, x->description ? x->description : "");
	sql_bind_id(st, 4, x->industry.id);
	sql_bind_id(st, 5, x->position.id);
	sql_bind_text(st, 6, x->join_policy);
	sql_bind_text(st, 7, x->visibility);
	sql_bind_id(st, 8, creator_id);
	sqlite3_bind_int64(st, 9, x->created_at);
	int rc = sql_exec(st);
	if (rc == STORE_OK)
		x->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

static const char *const membership_names[] = {"", "pending", "member", "officer"};

int store_membership(struct store *s, int64_t assoc_id, int64_t user_id, enum membership *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MEMBERSHIP);
	sqlite3_bind_int64(st, 1, assoc_id);
	sqlite3_bind_int64(st, 2, user_id);
	*out = MEMBERSHIP_NONE;
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	const char *v = (const char *)sqlite3_column_text(st, 0);
	for (int i = 1; v && i < 4; i++)
		if (!strcmp(v, membership_names[i]))
			*out = (enum membership)i;
	sqlite3_reset(st);
	return STORE_OK;
}

int store_membership_set(struct store *s, int64_t assoc_id, int64_t user_id, enum membership m, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, m == MEMBERSHIP_NONE ? ST_MEMBERSHIP_REMOVE : ST_MEMBERSHIP_SET);
	sqlite3_bind_int64(st, 1, assoc_id);
	sqlite3_bind_int64(st, 2, user_id);
	if (m != MEMBERSHIP_NONE) {
		sql_bind_text(st, 3, membership_names[m]);
		sqlite3_bind_int64(st, 4, now);
	}
	return sql_exec(st);
}

int store_assoc_people(struct store *s, struct arena *a, int64_t assoc_id, enum membership m, struct user **out,
		       size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_ASSOC_PEOPLE);
	sqlite3_bind_int64(st, 1, assoc_id);
	sql_bind_text(st, 2, membership_names[m]);
	return sql_collect(st, a, sizeof(struct user), (void **)out, n, read_user_row);
}

/* ---- questionnaires ------------------------------------------------------------------------ */

static void read_q(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct questionnaire *q = out;
	q->id = sqlite3_column_int64(st, 0);
	q->title = sql_col_text(st, 1, a);
	q->board_id = sqlite3_column_int64(st, 2);
	q->association_id = sqlite3_column_int64(st, 3);
	q->board = sql_col_text(st, 4, a);
	q->association = sql_col_text(st, 5, a);
	q->anonymous = sqlite3_column_int(st, 6);
	q->closes_at = sqlite3_column_int64(st, 7);
	q->questions = sql_col_text(st, 8, a);
	q->creator_id = sqlite3_column_int64(st, 9);
	q->creator = sql_col_text(st, 10, a);
	q->created_at = sqlite3_column_int64(st, 11);
	q->response_count = sqlite3_column_int64(st, 12);
}

int store_q_insert(struct store *s, struct questionnaire *q)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_INSERT);
	sql_bind_text(st, 1, q->title);
	sql_bind_id(st, 2, q->board_id);
	sql_bind_id(st, 3, q->association_id);
	sqlite3_bind_int(st, 4, q->anonymous);
	sqlite3_bind_int64(st, 5, q->closes_at);
	sql_bind_text(st, 6, q->questions);
	sqlite3_bind_int64(st, 7, q->creator_id);
	sqlite3_bind_int64(st, 8, q->created_at);
	int rc = sql_exec(st);
	if (rc == STORE_OK)
		q->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int store_q_get(struct store *s, struct arena *a, int64_t id, struct questionnaire *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_GET);
	sqlite3_bind_int64(st, 1, id);
	return sql_one_row(st, a, out, sizeof *out, read_q);
}

int store_q_list(struct store *s, struct arena *a, int64_t board_id, int64_t assoc_id, struct questionnaire **out,
		 size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_LIST);
	sqlite3_bind_int64(st, 1, board_id);
	sqlite3_bind_int64(st, 2, assoc_id);
	return sql_collect(st, a, sizeof(struct questionnaire), (void **)out, n, read_q);
}

int store_q_respond(struct store *s, const struct questionnaire *q, int64_t user_id, const char *answers,
		    int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_RECEIPT);
	sqlite3_bind_int64(st, 1, q->id);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_Q_RESPONSE);
	sqlite3_bind_int64(st, 1, q->id);
	sql_bind_id(st, 2, q->anonymous ? 0 : user_id);
	sql_bind_text(st, 3, answers);
	sqlite3_bind_int64(st, 4, q->anonymous ? 0 : now);
	return sql_exec(st);
}

int store_q_has_responded(struct store *s, int64_t q_id, int64_t user_id)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_HAS_RECEIPT);
	sqlite3_bind_int64(st, 1, q_id);
	sqlite3_bind_int64(st, 2, user_id);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}

static void read_response(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct response *r = out;
	r->respondent = sql_col_text(st, 0, a);
	r->answers = sql_col_text(st, 1, a);
}

int store_q_responses(struct store *s, struct arena *a, const struct questionnaire *q, struct response **out,
		      size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_Q_RESPONSES);
	sqlite3_bind_int64(st, 1, q->id);
	sqlite3_bind_int(st, 2, q->anonymous);
	return sql_collect(st, a, sizeof(struct response), (void **)out, n, read_response);
}

/* ---- materials -------------------------------------------------------------------------------- */

static void read_material(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct material *m = out;
	m->id = sqlite3_column_int64(st, 0);
	m->title = sql_col_text(st, 1, a);
	m->description = sql_col_text(st, 2, a);
	m->description_html = sql_col_text(st, 3, a);
	m->board_id = sqlite3_column_int64(st, 4);
	m->association_id = sqlite3_column_int64(st, 5);
	m->board = sql_col_text(st, 6, a);
	m->association = sql_col_text(st, 7, a);
	m->created_at = sqlite3_column_int64(st, 8);
	m->downloads = sqlite3_column_int64(st, 9);
	m->version = sqlite3_column_int(st, 10);
	m->sha256 = sql_col_text(st, 11, a);
	m->filename = sql_col_text(st, 12, a);
	m->content_type = sql_col_text(st, 13, a);
	m->note = sql_col_text(st, 14, a);
	m->size = sqlite3_column_int64(st, 15);
	m->version_created_at = sqlite3_column_int64(st, 16);
	m->version_downloads = sqlite3_column_int64(st, 17);
	sql_read_user(st, 18, a, &m->uploader);
}

int store_material_insert(struct store *s, struct material *m)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_INSERT);
	sql_bind_text(st, 1, m->title);
	sql_bind_text(st, 2, m->description);
	sql_bind_text(st, 3, m->description_html);
	sql_bind_id(st, 4, m->board_id);
	sql_bind_id(st, 5, m->association_id);
	sqlite3_bind_int64(st, 6, m->uploader.id);
	sqlite3_bind_int64(st, 7, m->created_at);
	int rc = sql_exec(st);
	if (rc == STORE_OK)
		m->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int store_material_version_add(struct store *s, struct material *m, int64_t uploader_id, int64_t now)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_VERSION_ADD);
	sqlite3_bind_int64(st, 1, m->id);
	sql_bind_text(st, 2, m->sha256);
	sql_bind_text(st, 3, m->filename);
	sql_bind_text(st, 4, m->content_type);
	sqlite3_bind_int64(st, 5, m->size);
	sql_bind_text(st, 6, m->note ? m->note : "");
	sqlite3_bind_int64(st, 7, uploader_id);
	sqlite3_bind_int64(st, 8, now);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_MATERIAL_LAST_VERSION);
	sqlite3_bind_int64(st, 1, m->id);
	m->version = (int)sql_scalar(st, &rc);
	return rc;
}

int store_material_get(struct store *s, struct arena *a, int64_t id, int version, struct material *out)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_GET);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	return sql_one_row(st, a, out, sizeof *out, read_material);
}

static void bind_material_filter(sqlite3_stmt *st, const struct material_filter *f)
{
	sqlite3_bind_int64(st, 1, f->board_id);
	sqlite3_bind_int64(st, 2, f->association_id);
	sql_bind_text(st, 3, f->text);
	sqlite3_bind_int64(st, 4, f->viewer_id);
}

int store_materials(struct store *s, struct arena *a, const struct material_filter *f, struct page pg,
		    struct material **out, size_t *n, int64_t *total)
{
	int rc;
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_COUNT);
	bind_material_filter(st, f);
	*total = sql_scalar(st, &rc);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_MATERIALS);
	bind_material_filter(st, f);
	sqlite3_bind_int64(st, 5, pg.limit);
	sqlite3_bind_int64(st, 6, pg.offset);
	return sql_collect(st, a, sizeof(struct material), (void **)out, n, read_material);
}

int store_sha_used(struct store *s, const char *sha)
{
	sqlite3_stmt *st = sql_stmt(s, ST_SHA_USED);
	sql_bind_text(st, 1, sha);
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
}

int store_material_versions(struct store *s, struct arena *a, int64_t id, struct material **out, size_t *n)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_VERSIONS);
	sqlite3_bind_int64(st, 1, id);
	return sql_collect(st, a, sizeof(struct material), (void **)out, n, read_material);
}

int store_material_downloaded(struct store *s, int64_t id, int version)
{
	sqlite3_stmt *st = sql_stmt(s, ST_MATERIAL_DOWNLOADED);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, version);
	int rc = sql_exec(st);
	if (rc != STORE_OK)
		return rc;
	st = sql_stmt(s, ST_MATERIAL_DOWNLOADS);
	sqlite3_bind_int64(st, 1, id);
	return sql_exec(st);
}

struct lecturer_row {
	struct user u;
	int64_t count;
};

static void read_lecturer(sqlite3_stmt *st, struct arena *a, void *out)
{
	struct lecturer_row *l = out;
	sql_read_user(st, 0, a, &l->u);
	l->count = sqlite3_column_int64(st, USER_NCOLS);
}

int store_lecturers(struct store *s, struct arena *a, int64_t viewer_id, struct user **out, int64_t **counts,
		    size_t *n)
{
	struct lecturer_row *rows;
	sqlite3_stmt *st = sql_stmt(s, ST_LECTURERS);
	sqlite3_bind_int64(st, 1, viewer_id);
	int rc = sql_collect(st, a, sizeof *rows, (void **)&rows, n, read_lecturer);
	if (rc != STORE_OK)
		return rc;
	*out = arena_alloc(a, (*n ? *n : 1) * sizeof **out);
	*counts = arena_alloc(a, (*n ? *n : 1) * sizeof **counts);
	for (size_t i = 0; i < *n; i++) {
		(*out)[i] = rows[i].u;
		(*counts)[i] = rows[i].count;
	}
	return STORE_OK;
}
