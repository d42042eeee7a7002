/* store_impl_drafts: the statements of drafts, bookmarks and a member's recent posts
 * (store_draft.c, store_bookmark.c), a part of store_impl.h's table kept apart by area.
 * Included by store_impl.h only, after the fragments it builds on. */
#ifndef AGORA_STORE_IMPL_DRAFTS_H
#define AGORA_STORE_IMPL_DRAFTS_H

/* A post with where it is: its thread's title, its board's slug and title (placed_row). */
#define PLACED_COLS POST_COLS ",t.title,b.slug,b.title"
#define PLACED_FROM POST_FROM " JOIN threads t ON t.id=p.thread_id JOIN boards b ON b.id=t.board_id"
/* What a bookmark list shows to its owner V, decided when it is read: a post on a board V may
 * still see, in a thread V may see, published (or V's own while held or refused); a deleted
 * post is no longer listed. */
#define BOOKMARK_SEEN(V)                                                                   \
	BOARD_VISIBLE("b", V) " AND (t.visible OR t.author_id=" V ")"                       \
	" AND (p.state='published' OR (p.state IN ('pending','rejected') AND p.author_id=" V "))" \
	" AND " ANSWER_VISIBLE("p", "p.thread_id", V)

#define DRAFT_STATEMENTS(X)                                                                         \
	X(DRAFT_PUT, 0, "INSERT OR REPLACE INTO drafts(user_id,key,title,body,updated_at)"        \
			" VALUES(?1,?2,?3,?4,?5)")                                                  \
	/* keeps the ?3 saved last and the one just saved (?2) */                                   \
	X(DRAFTS_TRIM, 0, "DELETE FROM drafts WHERE user_id=?1 AND key<>?2 AND rowid NOT IN"        \
			  " (SELECT rowid FROM drafts WHERE user_id=?1 ORDER BY updated_at DESC, rowid DESC" \
			  " LIMIT ?3)")                                                             \
	X(DRAFT_GET, 4, "SELECT key,title,body,updated_at FROM drafts WHERE user_id=?1 AND key=?2") \
	X(DRAFT_DELETE, 0, "DELETE FROM drafts WHERE user_id=?1 AND key=?2")                        \
	X(DRAFT_FORGET_THREAD, 0, "DELETE FROM drafts WHERE user_id=?1 AND key='thread-'||?2")      \
	X(DRAFT_FORGET_BOARD, 0, "DELETE FROM drafts WHERE user_id=?1 AND key='board-'||?2")        \
	X(BOOKMARK_PUT, 0, "INSERT INTO bookmarks(user_id,post_id,created_at) VALUES(?1,?2,?3)"     \
			   " ON CONFLICT(user_id,post_id) DO NOTHING")                              \
	X(BOOKMARK_DELETE, 0, "DELETE FROM bookmarks WHERE user_id=?1 AND post_id=?2")              \
	X(BOOKMARKS_HELD, 1, "SELECT count(*) FROM bookmarks WHERE user_id=?1")                    \
	X(BOOKMARKS, POST_NCOLS + 4, "SELECT " PLACED_COLS ",bm.created_at" PLACED_FROM             \
				     " JOIN bookmarks bm ON bm.post_id=p.id AND bm.user_id=?1"      \
				     " WHERE " BOOKMARK_SEEN("?1")                                  \
				     " ORDER BY bm.created_at DESC, bm.post_id DESC LIMIT ?2 OFFSET ?3") \
	X(BOOKMARKS_COUNT, 1, "SELECT count(*) FROM bookmarks bm JOIN posts p ON p.id=bm.post_id"   \
			      " JOIN threads t ON t.id=p.thread_id JOIN boards b ON b.id=t.board_id" \
			      " WHERE bm.user_id=?1 AND " BOOKMARK_SEEN("?1"))                      \
	X(BOOKMARKS_IN_THREAD, 1, "SELECT bm.post_id FROM bookmarks bm JOIN posts p ON p.id=bm.post_id" \
				  " WHERE bm.user_id=?1 AND p.thread_id=?2")                        \
	/* a member's newest published posts (posts_author_time), on boards the viewer ?2 sees, not \
	 * an answer-first answer hidden from them */  \
	X(USER_RECENT_POSTS, POST_NCOLS + 4, "SELECT " PLACED_COLS ",p.created_at" PLACED_FROM      \
					     " WHERE p.author_id=?1 AND p.state='published' AND t.visible" \
					     " AND " BOARD_VISIBLE("b", "?2")                       \
					     " AND " ANSWER_VISIBLE("p", "p.thread_id", "?2")       \
					     " ORDER BY p.created_at DESC, p.id DESC LIMIT ?3")

#endif
