/* store_impl_answers: the statements of peer learning in threads (store_answer.c): a board's
 * kind, accepted answers, helpful marks and featured threads, a part of store_impl.h's table
 * kept apart by area, and the fragments of answer-first visibility and of the accepted
 * answer's place that the thread, search, feed and notification statements use. Included by
 * store_impl.h only. */
#ifndef AGORA_STORE_IMPL_ANSWERS_H
#define AGORA_STORE_IMPL_ANSWERS_H

/* Who moderates a board (alias board, with its id and association_id): admins and site
 * moderators, the board's moderators, the officers of its association (access_moderates). */
#define MODERATES(board, V)                                                                \
	"(EXISTS(SELECT 1 FROM users mu WHERE mu.id=" V " AND mu.role IN ('moderator','admin'))" \
	" OR EXISTS(SELECT 1 FROM board_moderators mm WHERE mm.board_id=" board ".id AND mm.user_id=" V ")" \
	" OR EXISTS(SELECT 1 FROM association_members mo WHERE mo.association_id=" board ".association_id" \
	" AND mo.user_id=" V " AND mo.status='officer'))"
/* The one rule of answer-first questions (API.md "Peer learning in threads"): on such a
 * board the answers of thread T are hidden from V until V has an answer of their own
 * published there, unless V asked, moderates the board, or organises or teaches the
 * training whose board it is. Visitors never see them. Written against T alone, so that
 * where T is a parameter SQLite computes it once per statement, not once per post. */
#define ANSWERS_HIDDEN(T, V)                                                               \
	"EXISTS(SELECT 1 FROM threads qt JOIN boards qb ON qb.id=qt.board_id WHERE qt.id=" T \
	" AND qb.answer_first AND qt.author_id IS NOT " V                                   \
	" AND NOT EXISTS(SELECT 1 FROM posts qa WHERE qa.thread_id=qt.id AND qa.author_id=" V \
	" AND qa.parent_id IS NOT NULL AND qa.state='published')"                          \
	" AND NOT " MODERATES("qb", V)                                                      \
	" AND NOT EXISTS(SELECT 1 FROM training_participants qo WHERE qo.training_id=qb.training_id" \
	" AND qo.user_id=" V " AND qo.role='organiser')"                                   \
	" AND NOT EXISTS(SELECT 1 FROM lessons ql WHERE ql.training_id=qb.training_id AND ql.lecturer_id=" V "))"
/* Post p (an alias) is shown to V as far as answer-first goes: the question, V's own posts,
 * and the answers once they are not hidden. */
#define ANSWER_VISIBLE(p, T, V)                                                            \
	"(" p ".parent_id IS NULL OR " p ".author_id=" V " OR NOT " ANSWERS_HIDDEN(T, V) ")"
/* The posts of thread ?1 that viewer ?2 sees (?3: moderates its board). */
#define POSTS_SHOWN POST_VISIBLE " AND " ANSWER_VISIBLE("p", "?1", "?2")
/* A question's accepted answer, with the replies under it, comes first after the question
 * (threads.accepted_post_id of thread ?1; every other post keeps its order after them). */
#define ACCEPTED_PATH                                                                      \
	"(SELECT ap.path FROM threads acc JOIN posts ap ON ap.id=acc.accepted_post_id WHERE acc.id=?1)"
#define ACCEPTED_KEY(p)                                                                    \
	"(CASE WHEN " p ".parent_id IS NULL THEN 0 WHEN " p ".path>=" ACCEPTED_PATH          \
	" AND " p ".path<" ACCEPTED_PATH "||'/' THEN 1 ELSE 2 END)"
#define ACCEPTED_FIRST ACCEPTED_KEY("p") ","

#define ANSWER_STATEMENTS(X)                                                                        \
	X(ANSWERS_HIDDEN, 1, "SELECT " ANSWERS_HIDDEN("?1", "?2"))                                  \
	X(BOARD_UPDATE, 0, "UPDATE boards SET title=?2, description=?3, kind=?4, answer_first=?5"   \
			   " WHERE id=?1")                                                          \
	X(THREAD_ACCEPT, 0, "UPDATE threads SET accepted_post_id=?2 WHERE id=?1")                   \
	X(THREAD_ACCEPT_DROP, 0, "UPDATE threads SET accepted_post_id=NULL WHERE accepted_post_id=?1") \
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
