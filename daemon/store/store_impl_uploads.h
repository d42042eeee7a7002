/* store_impl_uploads: the statements of uploads in posts (store_upload.c), a part of
 * store_impl.h's table kept apart by area. Included by store_impl.h only, after the
 * fragments it builds on. */
#ifndef AGORA_STORE_IMPL_UPLOADS_H
#define AGORA_STORE_IMPL_UPLOADS_H

/* Whether viewer V may see upload u through a post: a published post that links it, in a
 * thread whose first post everyone sees (published or deleted), on a board V may see, and not
 * an answer-first answer hidden from V (ANSWER_VISIBLE). A post held for moderation, rejected
 * or deleted lends nothing. */
#define UPLOAD_LENT(V)                                                                     \
	"EXISTS(SELECT 1 FROM post_uploads lu JOIN posts lp ON lp.id=lu.post_id"            \
	" JOIN threads lt ON lt.id=lp.thread_id JOIN posts lr ON lr.id=lt.root_post_id"     \
	" JOIN boards b ON b.id=lt.board_id WHERE lu.upload_id=u.id AND lp.state='published'" \
	" AND lr.state IN ('published','deleted') AND " BOARD_VISIBLE("b", V)               \
	" AND " ANSWER_VISIBLE("lp", "lp.thread_id", V) ")"
#define UPLOAD_SEEN(V) "(u.user_id=" V " OR " UPLOAD_LENT(V) ")"
#define UPLOAD_NCOLS 9 /* upload_row (store_upload.c) */

#define UPLOAD_STATEMENTS(X)                                                                        \
	X(UPLOAD_INSERT, 0, "INSERT INTO uploads(user_id,sha,filename,content_type,size,width,height," \
			    "created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)")                          \
	X(UPLOAD_SINCE, 2, "SELECT count(*),coalesce(sum(size),0) FROM uploads"                     \
			   " WHERE user_id=?1 AND created_at>?2")                                   \
	X(UPLOAD_OLDEST, 1, "SELECT coalesce(min(created_at),0) FROM uploads"                       \
			    " WHERE user_id=?1 AND created_at>?2")                                  \
	X(UPLOAD_GET, UPLOAD_NCOLS, "SELECT u.id,u.user_id,u.sha,u.filename,u.content_type,u.size," \
				    "coalesce(u.width,0),coalesce(u.height,0),u.created_at FROM uploads u" \
				    " WHERE u.id=?1 AND " UPLOAD_SEEN("?2"))                        \
	X(POST_UPLOADS, 1, "SELECT upload_id FROM post_uploads WHERE post_id=?1")                   \
	X(POST_UPLOAD_ADD, 0, "INSERT OR IGNORE INTO post_uploads(post_id,upload_id)"               \
			      " SELECT ?1,u.id FROM uploads u WHERE u.id=?2 AND " UPLOAD_SEEN("?3")) \
	X(POST_UPLOAD_DROP, 0, "DELETE FROM post_uploads WHERE post_id=?1 AND upload_id=?2")

#endif
