/* The SQL of associations and their members. */
#include "store_assoc.h"

#include <string.h>

#include "store_impl.h"

/* ASSOC_SELECT */
static const struct sql_field assoc_fields[] = {
	SQL_FIELD(struct association, id), SQL_FIELD(struct association, slug),
	SQL_FIELD(struct association, name), SQL_FIELD(struct association, description),
	SQL_FIELD(struct association, join_policy), SQL_FIELD(struct association, visibility),
	SQL_FIELD(struct association, created_at), SQL_FIELD(struct association, industry),
	SQL_FIELD(struct association, position), SQL_FIELD(struct association, member_count),
};
static const struct sql_row assoc_row = SQL_ROW(struct association, assoc_fields);

int store_assocs(struct store *s, struct arena *a, const char *industry, const char *position,
		 struct association **out, size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_ASSOCS, SQL_TEXT(industry), SQL_TEXT(position));
	return sql_collect(st, a, &assoc_row, (void **)out, n);
}

int store_assoc_by_slug(struct store *s, struct arena *a, const char *slug, struct association *out)
{
	return sql_one_row(SQL_BIND(s, ST_ASSOC_BY_SLUG, SQL_TEXT(slug)), a, &assoc_row, out);
}

int store_assoc_insert(struct store *s, struct association *x, int64_t creator_id)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_ASSOC_INSERT, SQL_TEXT(x->slug), SQL_TEXT(x->name),
				    SQL_TEXT(x->description ? x->description : ""), SQL_ID(x->industry.id),
				    SQL_ID(x->position.id), SQL_TEXT(x->join_policy), SQL_TEXT(x->visibility),
				    SQL_ID(creator_id), SQL_INT(x->created_at));
	return sql_insert(s, st, &x->id);
}

static const char *const membership_names[] = {"", "pending", "member", "officer"};

int store_membership(struct store *s, int64_t assoc_id, int64_t user_id, enum membership *out)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_MEMBERSHIP, SQL_INT(assoc_id), SQL_INT(user_id));
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
	if (m == MEMBERSHIP_NONE)
		return sql_exec(SQL_BIND(s, ST_MEMBERSHIP_REMOVE, SQL_INT(assoc_id), SQL_INT(user_id)));
	return sql_exec(SQL_BIND(s, ST_MEMBERSHIP_SET, SQL_INT(assoc_id), SQL_INT(user_id),
				 SQL_TEXT(membership_names[m]), SQL_INT(now)));
}

int store_assoc_people(struct store *s, struct arena *a, int64_t assoc_id, enum membership m, struct user **out,
		       size_t *n)
{
	sqlite3_stmt *st = SQL_BIND(s, ST_ASSOC_PEOPLE, SQL_INT(assoc_id), SQL_TEXT(membership_names[m]));
	return sql_collect(st, a, &sql_user_row, (void **)out, n);
}

int store_officer_any(struct store *s, int64_t user_id)
{
	return sql_found(SQL_BIND(s, ST_OFFICER_ANY, SQL_INT(user_id)));
}
