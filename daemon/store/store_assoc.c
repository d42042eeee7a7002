/* The SQL of associations. */
#include "store_assoc.h"

#include <string.h>

#include "store_impl.h"

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
	return sql_collect(st, a, sizeof(struct user), (void **)out, n, sql_read_user_row);
}
