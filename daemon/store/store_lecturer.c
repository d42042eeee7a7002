/* The SQL of the lecturer pool, of members' bio and expertise and of applications to teach. */
#include "store_lecturer.h"

#include "store_impl.h"

/* POOL_COLS */
static const struct sql_field pool_fields[] = {
	SQL_FIELD(struct pool_entry, user), SQL_FIELD(struct pool_entry, bio),
	SQL_FIELD(struct pool_entry, bio_html),
	SQL_FIELD(struct pool_entry, expertise), SQL_FIELD(struct pool_entry, lessons_taught),
	SQL_FIELD(struct pool_entry, rating_count), SQL_FIELD(struct pool_entry, rating_average),
	SQL_FIELD(struct pool_entry, materials),
};
static const struct sql_row pool_row = SQL_ROW(struct pool_entry, pool_fields);

int store_pool(struct store *s, struct arena *a, const struct pool_filter *f, struct page pg,
	       struct pool_entry **out, size_t *n, int64_t *total)
{
	return sql_page(SQL_BIND(s, ST_POOL_COUNT, SQL_INT(f->viewer_id), SQL_INT(f->industry_id), SQL_TEXT(f->text)),
			total,
			SQL_BIND(s, ST_POOL, SQL_INT(f->viewer_id), SQL_INT(f->industry_id), SQL_TEXT(f->text),
				 SQL_INT(f->now), SQL_PAGE(pg)),
			a, &pool_row, (void **)out, n);
}

struct profile_text {
	const char *bio, *bio_html, *expertise;
};
static const struct sql_field profile_text_fields[] = {
	SQL_FIELD(struct profile_text, bio), SQL_FIELD(struct profile_text, bio_html),
	SQL_FIELD(struct profile_text, expertise),
};
static const struct sql_row profile_text_row = SQL_ROW(struct profile_text, profile_text_fields);

int store_user_profile_text(struct store *s, struct arena *a, int64_t user_id, const char **bio,
			    const char **bio_html, const char **expertise)
{
	struct profile_text t;
	int rc = sql_one_row(SQL_BIND(s, ST_USER_PROFILE_TEXT, SQL_INT(user_id)), a, &profile_text_row, &t);
	*bio = rc == STORE_OK && t.bio ? t.bio : "";
	*bio_html = rc == STORE_OK && t.bio_html ? t.bio_html : "";
	*expertise = rc == STORE_OK && t.expertise ? t.expertise : "";
	return rc;
}

int store_user_set_profile_text(struct store *s, int64_t user_id, const char *bio, const char *bio_html,
				const char *expertise)
{
	return sql_exec(SQL_BIND(s, ST_USER_SET_PROFILE_TEXT, SQL_INT(user_id), SQL_TEXT(bio), SQL_TEXT(bio_html),
				 SQL_TEXT(expertise)));
}

int store_user_expertise_if_empty(struct store *s, int64_t user_id, const char *expertise)
{
	return sql_exec(SQL_BIND(s, ST_USER_EXPERTISE_IF_EMPTY, SQL_INT(user_id), SQL_TEXT(expertise)));
}

/* APP_SELECT */
static const struct sql_field app_fields[] = {
	SQL_FIELD(struct lecturer_app, id), SQL_FIELD(struct lecturer_app, statement),
	SQL_FIELD(struct lecturer_app, expertise), SQL_FIELD(struct lecturer_app, state),
	SQL_FIELD(struct lecturer_app, reason), SQL_FIELD(struct lecturer_app, created_at),
	SQL_FIELD(struct lecturer_app, decided_at), SQL_FIELD(struct lecturer_app, decider),
	SQL_FIELD(struct lecturer_app, user),
};
static const struct sql_row app_row = SQL_ROW(struct lecturer_app, app_fields);

int store_app_insert(struct store *s, int64_t user_id, const char *statement, const char *expertise,
		     int64_t now, int64_t *id)
{
	return sql_insert(s, SQL_BIND(s, ST_APP_INSERT, SQL_INT(user_id), SQL_TEXT(statement), SQL_TEXT(expertise),
				      SQL_INT(now)),
			  id);
}

int store_app_get(struct store *s, struct arena *a, int64_t id, struct lecturer_app *out)
{
	return sql_one_row(SQL_BIND(s, ST_APP_GET, SQL_INT(id)), a, &app_row, out);
}

int store_apps(struct store *s, struct arena *a, const char *state, int64_t user_id, struct page pg,
	       struct lecturer_app **out, size_t *n, int64_t *total)
{
	return sql_page(SQL_BIND(s, ST_APPS_COUNT, SQL_TEXT(state), SQL_INT(user_id)), total,
			SQL_BIND(s, ST_APPS, SQL_TEXT(state), SQL_INT(user_id), SQL_PAGE(pg)), a, &app_row,
			(void **)out, n);
}

int store_app_decide(struct store *s, int64_t id, const char *state, const char *reason, int64_t by, int64_t now)
{
	return sql_change(s, SQL_BIND(s, ST_APP_DECIDE, SQL_INT(id), SQL_TEXT(state), SQL_TEXT(reason), SQL_INT(by),
				      SQL_INT(now)));
}

int store_notify_lecturer(struct store *s, int64_t user_id, int64_t actor_id, const char *detail, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_NOTIFY_LECTURER, SQL_INT(user_id), SQL_INT(actor_id), SQL_TEXT(detail),
				 SQL_INT(now)));
}
