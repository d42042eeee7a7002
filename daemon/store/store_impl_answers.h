/* store_impl_answers: the statements of peer learning in threads (store_answer.c): a board's
 * kind, accepted answers, helpful marks and featured threads, a part of store_impl.h's table
 * kept apart by area. Included by store_impl.h only, after the fragments it builds on. */
#ifndef AGORA_STORE_IMPL_ANSWERS_H
#define AGORA_STORE_IMPL_ANSWERS_H

#define ANSWER_STATEMENTS(X)                                                                        \
	X(ANSWERS_HIDDEN, 1, "SELECT " ANSWERS_HIDDEN("?1", "?2"))                                  \
	X(BOARD_UPDATE, 0, "UPDATE boards SET title=?2, description=?3, kind=?4, answer_first=?5"   \
			   " WHERE id=?1")                                                          \
	X(THREAD_ACCEPT, 0, "UPDATE threads SET accepted_post_id=?2 WHERE id=?1")                   \
	X(HELPFUL_PUT, 0, "INSERT INTO helpful_marks(post_id,user_id,created_at) VALUES(?1,?2,?3)"  \
			  " ON CONFLICT DO NOTHING")                                                \
	X(HELPFUL_DELETE, 0, "DELETE FROM helpful_marks WHERE post_id=?1 AND user_id=?2")           \
	X(HELPFUL_IN_THREAD, 1, "SELECT h.post_id FROM helpful_marks h JOIN posts p ON p.id=h.post_id" \
				" WHERE h.user_id=?2 AND p.thread_id=?1")                           \
	X(HELPFUL_GIVEN, 1, "SELECT 1 FROM helpful_marks WHERE post_id=?1 AND user_id=?2")          \
	/* marks received on the posts of ?1 that viewer ?2 sees: published, on a board they  \
	 * see, and not an answer hidden from them */                                         \
	X(HELPFUL_RECEIVED, 1, "SELECT coalesce(sum(p.helpful_count),0) FROM posts p"               \
			       " JOIN threads t ON t.id=p.thread_id JOIN boards b ON b.id=t.board_id" \
			       " WHERE p.author_id=?1 AND p.helpful_count>0 AND p.state='published'" \
			       " AND " BOARD_VISIBLE("b", "?2") " AND " ANSWER_VISIBLE("p", "p.thread_id", "?2")) \
	/* featured threads, newest featured first, on boards ?1 may see */                    \
	X(FEATURED_THREADS, THREAD_NCOLS, THREAD_SELECT " WHERE t.featured_at IS NOT NULL"          \
					  " AND t.visible AND " BOARD_VISIBLE("b", "?1")           \
					  " ORDER BY t.featured_at DESC, t.id DESC LIMIT ?2")

#endif
