/* The SQL of bookmarks and of a member's recent posts. */
#include "store_bookmark.h"

#include "store_impl.h"

/* PLACED_COLS and one time */
static const struct sql_field placed_fields[] = {
	SQL_FIELD_AS(SQL_COL_POST, struct placed_post, post), SQL_FIELD(struct placed_post, thread_title),
	SQL_FIELD(struct placed_post, board_slug), SQL_FIELD(struct placed_post, board_title),
	SQL_FIELD(struct placed_post, at),
};
static const struct sql_row placed_row = SQL_ROW(struct placed_post, placed_fields);

static const struct sql_field id_fields[] = {{SQL_COL_I64, 0}};
static const struct sql_row id_row = {id_fields, 1, sizeof(int64_t)};

int store_bookmark_put(struct store *s, int64_t user_id, int64_t post_id, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_BOOKMARK_PUT, SQL_INT(user_id), SQL_INT(post_id), SQL_INT(now)));
}

int store_bookmark_delete(struct store *s, int64_t user_id, int64_t post_id)
{
	return sql_exec(SQL_BIND(s, ST_BOOKMARK_DELETE, SQL_INT(user_id), SQL_INT(post_id)));
}

int store_bookmarks_held(struct store *s, int64_t user_id, int64_t *n)
{
	int rc;
	*n = sql_scalar(SQL_BIND(s, ST_BOOKMARKS_HELD, SQL_INT(user_id)), &rc);
	return rc;
}

int store_bookmarks(struct store *s, struct arena *a, int64_t user_id, struct page pg, struct placed_post **out,
		    size_t *n, int64_t *total)
{
	return sql_page(SQL_BIND(s, ST_BOOKMARKS_COUNT, SQL_INT(user_id)), total,
			SQL_BIND(s, ST_BOOKMARKS, SQL_INT(user_id), SQL_PAGE(pg)), a, &placed_row, (void **)out, n);
}

int store_bookmarked_in_thread(struct store *s, struct arena *a, int64_t user_id, int64_t thread_id,
			       int64_t **ids, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_BOOKMARKS_IN_THREAD, SQL_INT(user_id), SQL_INT(thread_id)), a, &id_row,
			   (void **)ids, n);
}

int store_user_recent_posts(struct store *s, struct arena *a, int64_t author_id, int64_t viewer_id, int64_t limit,
			    struct placed_post **out, size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_USER_RECENT_POSTS, SQL_INT(author_id), SQL_INT(viewer_id), SQL_INT(limit)),
			   a, &placed_row, (void **)out, n);
}
