/* The plumbing every file of the store shares: statuses, the statement cache, binding,
 * stepping, and the readers of the records that several areas return. */
#include "store_impl.h"

#include <stdio.h>
#include <string.h>

static const char *const stmt_sql[] = {
#define X(name, sql) sql,
	STATEMENTS(X)
#undef X
};

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

void sql_read_user_row(sqlite3_stmt *st, struct arena *a, void *out)
{
	sql_read_user(st, 0, a, out);
}

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

/* Whether everyone sees a post in this state (a deleted one as a placeholder). */
int sql_post_shown(enum post_state st)
{
	return st == POST_PUBLISHED || st == POST_DELETED;
}
