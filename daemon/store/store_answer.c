/* The SQL of answers, helpful marks and featured threads. */
#include "store_answer.h"

#include "store_impl.h"

int store_answers_hidden(struct store *s, int64_t thread_id, int64_t viewer_id)
{
	int rc;
	int64_t hidden = sql_scalar(SQL_BIND(s, ST_ANSWERS_HIDDEN, SQL_INT(thread_id), SQL_INT(viewer_id)), &rc);
	return rc == STORE_OK ? hidden != 0 : -1;
}

int store_board_update(struct store *s, const struct board *b)
{
	return sql_exec(SQL_BIND(s, ST_BOARD_UPDATE, SQL_INT(b->id), SQL_TEXT(b->title), SQL_TEXT(b->description),
				 SQL_TEXT(b->kind), SQL_INT(b->answer_first)));
}

int store_thread_accept(struct store *s, int64_t thread_id, int64_t post_id)
{
	return sql_exec(SQL_BIND(s, ST_THREAD_ACCEPT, SQL_INT(thread_id), SQL_ID(post_id)));
}

int store_helpful_put(struct store *s, int64_t post_id, int64_t user_id, int64_t now)
{
	return sql_exec(SQL_BIND(s, ST_HELPFUL_PUT, SQL_INT(post_id), SQL_INT(user_id), SQL_INT(now)));
}

int store_helpful_delete(struct store *s, int64_t post_id, int64_t user_id)
{
	return sql_exec(SQL_BIND(s, ST_HELPFUL_DELETE, SQL_INT(post_id), SQL_INT(user_id)));
}

int store_helpful_given(struct store *s, int64_t post_id, int64_t user_id)
{
	return sql_found(SQL_BIND(s, ST_HELPFUL_GIVEN, SQL_INT(post_id), SQL_INT(user_id)));
}

int store_helpful_in_thread(struct store *s, struct arena *a, int64_t thread_id, int64_t user_id, int64_t **ids,
			    size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_HELPFUL_IN_THREAD, SQL_INT(thread_id), SQL_INT(user_id)), a, &sql_id_row,
			   (void **)ids, n);
}

int store_helpful_received(struct store *s, int64_t author_id, int64_t viewer_id, int64_t *count)
{
	int rc;
	*count = sql_scalar(SQL_BIND(s, ST_HELPFUL_RECEIVED, SQL_INT(author_id), SQL_INT(viewer_id)), &rc);
	return rc;
}

int store_featured_threads(struct store *s, struct arena *a, int64_t viewer_id, int64_t limit, struct thread **out,
			   size_t *n)
{
	return sql_collect(SQL_BIND(s, ST_FEATURED_THREADS, SQL_INT(viewer_id), SQL_INT(limit)), a, &sql_thread_row,
			   (void **)out, n);
}
