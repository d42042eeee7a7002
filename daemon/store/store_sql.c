/* The plumbing every file of the store shares: statuses, the statement cache, binding,
 * stepping, and reading rows into records by their layouts. */
#include "store_impl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

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
	case SQLITE_FULL:
		return STORE_FULL;
	case SQLITE_READONLY:
		return STORE_READONLY;
	case SQLITE_IOERR:
		return STORE_IOERR;
	default:
		return STORE_ERROR;
	}
}

/* SQLite says SQLITE_FULL only for a short write or ENOSPC; a write() refused outright by a
 * quota or a file size limit, and any write on a file system remounted read-only, come back as
 * SQLITE_IOERR, and only errno says which. sqlite3_system_errno often holds 0 by then, so the
 * thread's errno, untouched since the failed call returned, is the fallback: call this at once. */
int sql_step_status(sqlite3_stmt *st, int rc)
{
	int err = errno;
	int status = sql_status(rc & 0xff);
	if (status != STORE_IOERR)
		return status;
	if (sqlite3_system_errno(sqlite3_db_handle(st)))
		err = sqlite3_system_errno(sqlite3_db_handle(st));
	switch (err) {
	case ENOSPC:
	case EDQUOT:
	case EFBIG:
		return STORE_FULL;
	case EROFS:
	case EACCES:
	case EPERM:
		return STORE_READONLY;
	default:
		return STORE_IOERR;
	}
}

sqlite3_stmt *sql_stmt(struct store *s, enum stmt_id id)
{
	sqlite3_stmt *st = s->stmts[id];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static void bind_one(sqlite3_stmt *st, int at, const struct sql_arg *v)
{
	if (v->kind == SQL_ARG_TEXT && v->t)
		sqlite3_bind_text(st, at, v->t, -1, SQLITE_TRANSIENT);
	else if (v->kind == SQL_ARG_INT || (v->kind == SQL_ARG_ID && v->i))
		sqlite3_bind_int64(st, at, v->i);
	else /* a NULL text, or the id 0: none */
		sqlite3_bind_null(st, at);
}

sqlite3_stmt *sql_bind(struct store *s, enum stmt_id id, const struct sql_arg *args, size_t n)
{
	sqlite3_stmt *st = sql_stmt(s, id);
	for (size_t i = 0; i < n; i++)
		bind_one(st, (int)i + 1, &args[i]);
	return st;
}

const char *sql_col_text(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i));
}

int sql_exec(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	int status = rc == SQLITE_DONE ? STORE_OK : sql_step_status(st, rc);
	sqlite3_reset(st);
	return status;
}

int sql_insert(struct store *s, sqlite3_stmt *st, int64_t *id)
{
	int rc = sql_exec(st);
	if (rc == STORE_OK)
		*id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int sql_change(struct store *s, sqlite3_stmt *st)
{
	int rc = sql_exec(st);
	if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
		return STORE_NOTFOUND;
	return rc;
}

int sql_first_row(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	int status = rc == SQLITE_DONE ? STORE_NOTFOUND : sql_step_status(st, rc);
	sqlite3_reset(st);
	return status;
}

int sql_found(sqlite3_stmt *st)
{
	int rc = sql_first_row(st);
	if (rc == STORE_OK)
		sqlite3_reset(st);
	return rc;
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

int sql_pair(sqlite3_stmt *st, int64_t *first, int64_t *second)
{
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	*first = sqlite3_column_int64(st, 0);
	*second = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return STORE_OK;
}

/* ---- reading records by their layouts ----------------------------------------------------- */

static const struct sql_field term_fields[] = {
	SQL_FIELD(struct term, id), SQL_FIELD(struct term, slug), SQL_FIELD(struct term, name),
};
const struct sql_row sql_term_row = SQL_ROW(struct term, term_fields);

/* USER_COLS */
static const struct sql_field user_fields[] = {
	SQL_FIELD(struct user, id), SQL_FIELD(struct user, username), SQL_FIELD(struct user, display_name),
	SQL_FIELD_AS(SQL_COL_ROLE, struct user, role), SQL_FIELD(struct user, created_at),
	SQL_FIELD(struct user, post_count), SQL_FIELD(struct user, banned_until),
	SQL_FIELD(struct user, ban_reason), SQL_FIELD(struct user, region), SQL_FIELD(struct user, position),
	SQL_FIELD(struct user, industry),
};
const struct sql_row sql_user_row = SQL_ROW(struct user, user_fields);

/* THREAD_COLS */
static const struct sql_field thread_fields[] = {
	SQL_FIELD(struct thread, id), SQL_FIELD(struct thread, board_id), SQL_FIELD(struct thread, board_slug),
	SQL_FIELD(struct thread, board_title), SQL_FIELD(struct thread, title),
	SQL_FIELD(struct thread, created_at), SQL_FIELD(struct thread, last_post_at),
	SQL_FIELD(struct thread, reply_count), SQL_FIELD(struct thread, pinned), SQL_FIELD(struct thread, locked),
	SQL_FIELD(struct thread, root_post_id), SQL_FIELD(struct thread, author),
	SQL_FIELD(struct thread, accepted_post_id), SQL_FIELD(struct thread, featured_at),
	SQL_FIELD(struct thread, helpful_count),
};
const struct sql_row sql_thread_row = SQL_ROW(struct thread, thread_fields);

/* POST_SELECT */
static const struct sql_field post_fields[] = {
	SQL_FIELD(struct post, id), SQL_FIELD(struct post, thread_id), SQL_FIELD(struct post, parent_id),
	SQL_FIELD(struct post, depth), SQL_FIELD(struct post, body), SQL_FIELD(struct post, body_html),
	SQL_FIELD(struct post, created_at), SQL_FIELD(struct post, edited_at),
	SQL_FIELD_AS(SQL_COL_STATE, struct post, state), SQL_FIELD(struct post, parent_author),
	SQL_FIELD(struct post, author), SQL_FIELD(struct post, pending_html),
	SQL_FIELD(struct post, helpful_count),
};
const struct sql_row sql_post_row = SQL_ROW(struct post, post_fields);

static const struct sql_field id_fields[] = {{SQL_COL_I64, 0}};
const struct sql_row sql_id_row = {id_fields, 1, sizeof(int64_t)};

static const struct sql_field text_fields[] = {{SQL_COL_TEXT, 0}};
const struct sql_row sql_text_row = {text_fields, 1, sizeof(const char *)};

static const struct sql_row *nested_row(enum sql_kind kind)
{
	switch (kind) {
	case SQL_COL_TERM: return &sql_term_row;
	case SQL_COL_USER: return &sql_user_row;
	case SQL_COL_THREAD: return &sql_thread_row;
	case SQL_COL_POST: return &sql_post_row;
	default: return NULL;
	}
}

int sql_row_width(const struct sql_row *row)
{
	int n = 0;
	for (size_t i = 0; i < row->nfields; i++) {
		const struct sql_row *in = nested_row(row->fields[i].kind);
		n += in ? sql_row_width(in) : 1;
	}
	return n;
}

static enum role role_read(const char *name)
{
	enum role r;
	return name && role_parse(name, &r) == 0 ? r : ROLE_MEMBER;
}

static enum post_state state_read(const char *name)
{
	static const enum post_state all[] = {POST_PUBLISHED, POST_PENDING, POST_REJECTED, POST_DELETED};
	for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
		if (strcmp(name, post_state_name(all[i])) == 0)
			return all[i];
	return POST_PENDING;
}

static int read_fields(sqlite3_stmt *st, int col, struct arena *a, const struct sql_row *row, char *out);

/* Reads one field from column col on; returns the column after it. */
static int read_field(sqlite3_stmt *st, int col, struct arena *a, enum sql_kind kind, void *at)
{
	const struct sql_row *in = nested_row(kind);
	if (in)
		return read_fields(st, col, a, in, at);
	switch (kind) {
	case SQL_COL_I64: *(int64_t *)at = sqlite3_column_int64(st, col); break;
	case SQL_COL_INT: *(int *)at = sqlite3_column_int(st, col); break;
	case SQL_COL_DBL: *(double *)at = sqlite3_column_double(st, col); break;
	case SQL_COL_TEXT: *(const char **)at = sql_col_text(st, col, a); break;
	case SQL_COL_ROLE: *(enum role *)at = role_read((const char *)sqlite3_column_text(st, col)); break;
	case SQL_COL_STATE: *(enum post_state *)at = state_read((const char *)sqlite3_column_text(st, col)); break;
	default: break;
	}
	return col + 1;
}

static int read_fields(sqlite3_stmt *st, int col, struct arena *a, const struct sql_row *row, char *out)
{
	for (size_t i = 0; i < row->nfields; i++)
		col = read_field(st, col, a, row->fields[i].kind, out + row->fields[i].offset);
	return col;
}

/* A reader that does not read every column of its statement (or reads past them) is a
 * programming error: said on stderr and refused, so the first test that runs it fails. */
static int row_fits(sqlite3_stmt *st, const struct sql_row *row)
{
	int have = sqlite3_column_count(st), want = sql_row_width(row);
	if (have == want)
		return 1;
	fprintf(stderr, "agorad: store: a reader of %d columns for a statement of %d: %s\n", want, have,
		sqlite3_sql(st));
	sqlite3_reset(st);
	return 0;
}

int sql_one_row(sqlite3_stmt *st, struct arena *a, const struct sql_row *row, void *out)
{
	if (!row_fits(st, row))
		return STORE_ERROR;
	int rc = sql_first_row(st);
	if (rc != STORE_OK)
		return rc;
	memset(out, 0, row->size);
	read_fields(st, 0, a, row, out);
	sqlite3_reset(st);
	return STORE_OK;
}

int sql_collect(sqlite3_stmt *st, struct arena *a, const struct sql_row *row, void **out, size_t *n)
{
	size_t cap = 16, count = 0, size = row->size;
	char *items = arena_alloc(a, cap * size);
	int rc;
	if (!row_fits(st, row))
		return STORE_ERROR;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			char *bigger = arena_alloc(a, cap * 2 * size);
			memcpy(bigger, items, cap * size);
			items = bigger;
			cap *= 2;
		}
		memset(items + count * size, 0, size);
		read_fields(st, 0, a, row, items + count * size);
		count++;
	}
	int status = rc == SQLITE_DONE ? STORE_OK : sql_step_status(st, rc);
	sqlite3_reset(st);
	*out = items;
	*n = count;
	return status;
}

int sql_page(sqlite3_stmt *count, int64_t *total, sqlite3_stmt *rows, struct arena *a, const struct sql_row *row,
	     void **out, size_t *n)
{
	int rc;
	*total = sql_scalar(count, &rc);
	if (rc != STORE_OK)
		return rc;
	return sql_collect(rows, a, row, out, n);
}
