/* store_impl_mail: the statements of what reaches members outside the pages: e-mail
 * (store_mail.c), the digest (store_digest.c) and announcements (store_announcement.c), a part of store_impl.h's table kept apart by area. Included by
 * store_impl.h only, after the fragments it builds on. */
#ifndef AGORA_STORE_IMPL_MAIL_H
#define AGORA_STORE_IMPL_MAIL_H

/* E-mail (store_mail.c): addresses and preferences, one-time tokens, the outbox. A message is
 * claimable when it is queued and due, or being sent under a lease that has passed. */
#define MAIL_PREFS_COLS "email,email_pending,email_notifications,digest,language,browser_language"
#define OUTBOX_NCOLS 8 /* outbox_row (store_mail.c) */
#define OUTBOX_CLAIMABLE                                                                   \
	"SELECT id, next_at AS at FROM outbox WHERE state='queued' AND next_at<=?1"          \
	" UNION ALL SELECT id, claimed_until FROM outbox WHERE state='sending' AND claimed_until<=?1"
#define OUTBOX_MINE " WHERE id=?2 AND state='sending' AND claimed_by=?3"
#define MAIL_DUE(pref_col, period_col, at_col)                                             \
	"SELECT " USER_COLS ",u.email,u." at_col USER_FROM " WHERE u.email IS NOT NULL"     \
	" AND u." pref_col "=?1 AND u." period_col "<>?2 ORDER BY u.id LIMIT ?3"
#define MAIL_STATEMENTS(X)                                                                          \
	X(MAIL_PREFS, 6, "SELECT " MAIL_PREFS_COLS " FROM users WHERE id=?1")                     \
	X(MAIL_SET_PREFS, 0, "UPDATE users SET email_notifications=?2, digest=?3, language=?4 WHERE id=?1") \
	X(MAIL_SET_PENDING, 0, "UPDATE users SET email_pending=?2 WHERE id=?1")                     \
	X(MAIL_CLEAR, 0, "UPDATE users SET email=NULL, email_pending=NULL WHERE id=?1")             \
	X(MAIL_CONFIRM, 0, "UPDATE users SET email=?2, email_pending=CASE WHEN email_pending=?2"    \
			   " COLLATE NOCASE THEN NULL ELSE email_pending END WHERE id=?1")          \
	X(MAIL_BROWSER_LANG, 0, "UPDATE users SET browser_language=?2 WHERE id=?1"                  \
				" AND browser_language IS NOT ?2")                                  \
	X(MAIL_UNSUB_NOTES, 0, "UPDATE users SET email_notifications='off' WHERE id=?1")            \
	X(MAIL_UNSUB_DIGEST, 0, "UPDATE users SET digest='off' WHERE id=?1")                        \
	X(USER_BY_ID, USER_NCOLS, "SELECT " USER_COLS USER_FROM " WHERE u.id=?1")                  \
	X(USER_BY_EMAIL, USER_NCOLS, "SELECT " USER_COLS USER_FROM " WHERE u.email=?1 COLLATE NOCASE") \
	X(TOKEN_ADD, 0, "INSERT INTO tokens(digest,kind,user_id,email,created_at,expires_at)"      \
			" VALUES(?1,?2,?3,?4,?5,?6)")                                               \
	X(TOKEN_USE, 2, "UPDATE tokens SET used_at=?3 WHERE digest=?1 AND kind=?2 AND used_at IS NULL" \
			" AND expires_at>?3 RETURNING user_id,email")                               \
	X(TOKEN_PEEK, 2, "SELECT user_id,email FROM tokens WHERE digest=?1 AND kind=?2 AND used_at IS NULL" \
			 " AND expires_at>?3")                                                      \
	X(TOKENS_SINCE, 1, "SELECT count(*) FROM tokens WHERE user_id=?1 AND kind=?2 AND created_at>=?3") \
	X(TOKENS_VOID, 0, "UPDATE tokens SET used_at=?3 WHERE user_id=?1 AND kind=?2 AND used_at IS NULL") \
	X(TOKENS_EXPIRE, 0, "DELETE FROM tokens WHERE expires_at<?1")                               \
	X(OUTBOX_ADD, 0, "INSERT INTO outbox(user_id,kind,ref_id,to_addr,data,next_at,created_at)" \
			 " VALUES(?1,?2,?3,?4,coalesce(?5,''),?6,?6)")                             \
	X(NOTE_LAST_ID, 1, "SELECT coalesce(max(id),0) FROM notifications")                         \
	X(OUTBOX_NOTES, 0, "INSERT INTO outbox(user_id,kind,ref_id,to_addr,next_at,created_at)"    \
			   " SELECT n.user_id,'notification',n.id,u.email,?2,?2 FROM notifications n" \
			   " JOIN users u ON u.id=n.user_id WHERE n.id>?1 AND u.email IS NOT NULL"  \
			   " AND u.email_notifications='immediate'")                                \
	X(OUTBOX_CLAIM, OUTBOX_NCOLS, "UPDATE outbox SET state='sending', attempts=attempts+1,"    \
				      " claimed_by=?2, claimed_until=?1+?3 WHERE id=(SELECT id FROM (" \
				      OUTBOX_CLAIMABLE ") ORDER BY at, id LIMIT 1)"                 \
				      " RETURNING id,user_id,kind,coalesce(ref_id,0),to_addr,data,attempts,created_at") \
	X(OUTBOX_SENT, 0, "UPDATE outbox SET state='sent', sent_at=?1, data='', claimed_until=NULL," \
			  " last_error=NULL" OUTBOX_MINE)                                           \
	X(OUTBOX_RETRY, 0, "UPDATE outbox SET state='queued', next_at=?4, claimed_until=NULL,"       \
			   " last_error=?5" OUTBOX_MINE)                                            \
	X(OUTBOX_END, 0, "UPDATE outbox SET state=?4, data='', claimed_until=NULL, last_error=?5"   \
			 OUTBOX_MINE)                                                               \
	X(OUTBOX_PURGE, 0, "DELETE FROM outbox WHERE state IN ('sent','dropped','failed') AND created_at<?1") \
	X(OUTBOX_COUNTS, 2, "SELECT (SELECT count(*) FROM outbox WHERE state IN ('queued','sending')),"  \
			    " (SELECT count(*) FROM outbox WHERE state='failed')")                   \
	X(MAIL_DIGEST_DUE, USER_NCOLS + 2, MAIL_DUE("digest", "digest_period", "digest_at"))        \
	X(MAIL_SUMMARY_DUE, USER_NCOLS + 2, MAIL_DUE("email_notifications", "summary_period", "summary_at")) \
	X(MAIL_DIGEST_DONE, 0, "UPDATE users SET digest_period=?2, digest_at=?3 WHERE id=?1")       \
	X(MAIL_SUMMARY_DONE, 0, "UPDATE users SET summary_period=?2, summary_at=?3 WHERE id=?1")
/* The digest (store_digest.c): what is new for one reader in (?2 since, ?3 now]. Candidates
 * are read off indexes of the reader's own ties (threads featured in the period, subscriptions,
 * memberships, participations, the boards of their position and industry), each thread once for its strongest tie (the
 * numbers are enum digest_tie, store_digest.h, smallest first); only region, which no index
 * of users serves, looks at the ?10 most recently active threads of the whole site, as the
 * personal feed does. Of what the reader may see, each tie keeps its ?7 most recently active
 * threads before their posts are counted, so one reader costs a handful of bounded reads
 * however large the forum grows. */
/* The threads of a board (by its id) active in the period. The board comes first: CROSS JOIN
 * keeps that order, where SQLite left to itself walks every thread of the site active in the
 * period to find those of a position's boards. Then threads_board (board_id, pinned,
 * last_post_at): pinned is only ever 0 or 1, and naming both makes the index two ranges on
 * last_post_at instead of a walk over every thread the board ever had. */
#define DIGEST_BOARD_THREADS(board_id)                                                     \
	" CROSS JOIN threads t ON t.board_id=" board_id " AND t.pinned IN (0,1) AND t.last_post_at>?2"
/* A followed board brings only the threads started in the period. */
#define DIGEST_CANDIDATES                                                                  \
	"SELECT t.id, 0 FROM threads t WHERE t.featured_at>?2 AND t.featured_at<=?3"          \
	" UNION ALL SELECT t.id, 1 FROM thread_subscriptions s JOIN threads t ON t.id=s.thread_id" \
	" WHERE s.user_id=?1 AND t.last_post_at>?2"                                          \
	" UNION ALL SELECT t.id, 2 FROM association_members m JOIN boards b ON b.association_id=m.association_id" \
	DIGEST_BOARD_THREADS("b.id") " WHERE m.user_id=?1 AND m.status IN ('member','officer')" \
	" UNION ALL SELECT t.id, 3 FROM training_participants p JOIN boards b ON b.training_id=p.training_id" \
	DIGEST_BOARD_THREADS("b.id")                                                         \
	" WHERE p.user_id=?1 AND (p.role='organiser' OR p.state IN ('enrolled','completed'))" \
	" UNION ALL SELECT t.id, 4 FROM board_subscriptions s" DIGEST_BOARD_THREADS("s.board_id") \
	" AND t.created_at>?2 AND t.created_at<=?3 WHERE s.user_id=?1"                       \
	" UNION ALL SELECT t.id, 5 FROM boards b" DIGEST_BOARD_THREADS("b.id") " WHERE b.position_id=?4" \
	" UNION ALL SELECT t.id, 6 FROM boards b" DIGEST_BOARD_THREADS("b.id") " WHERE b.industry_id=?5" \
	" UNION ALL SELECT t.id, 7 FROM (SELECT id FROM threads WHERE last_post_at>?2"        \
	" ORDER BY last_post_at DESC LIMIT ?10) w JOIN threads t ON t.id=w.id"              \
	" JOIN users u ON u.id=t.author_id WHERE u.region_id=?6"
/* The posts of thread t that count: published, by someone else, in the window, and not an
 * answer-first answer hidden from the reader. */
#define DIGEST_POSTS_COUNTED                                                               \
	" FROM posts p WHERE p.thread_id=t.id AND p.created_at>?2 AND p.created_at<=?3"      \
	" AND p.state='published' AND p.author_id<>?1 AND " ANSWER_VISIBLE("p", "t.id", "?1")
/* Only the ?5 newest materials or trainings are looked at: a period that makes more loses
 * its oldest, and no reader walks the whole library. */
#define DIGEST_NEWEST(table) " FROM (SELECT id FROM " table " ORDER BY id DESC LIMIT ?5) w"
#define DIGEST_STATEMENTS(X)                                                                        \
	X(DIGEST_THREADS, 6, "WITH c(id, r) AS (" DIGEST_CANDIDATES "),"                                \
			     " best AS (SELECT id, min(r) AS r FROM c GROUP BY id),"                \
			     " seen AS (SELECT best.id, best.r, row_number() OVER"                  \
			     "  (PARTITION BY best.r ORDER BY t.last_post_at DESC, t.id DESC) AS k" \
			     "  FROM best JOIN threads t ON t.id=best.id JOIN boards b ON b.id=t.board_id" \
			     "  WHERE t.visible AND " BOARD_VISIBLE("b", "?1") "),"                 \
			     " counted AS MATERIALIZED (SELECT t.id, t.title, seen.r,"              \
			     "  coalesce(a.name, b.title) AS place,"                                \
			     "  (SELECT p.created_at" DIGEST_POSTS_COUNTED                          \
			     "   ORDER BY p.created_at DESC LIMIT 1) AS at,"                        \
			     "  (SELECT count(*) FROM (SELECT 1" DIGEST_POSTS_COUNTED " LIMIT ?9)) AS n," \
			     "  t.helpful_count AS helpful"                                        \
			     "  FROM seen JOIN threads t ON t.id=seen.id JOIN boards b ON b.id=t.board_id" \
			     "  LEFT JOIN associations a ON a.id=b.association_id WHERE seen.k<=?7)" \
			     " SELECT id, title, r, place, coalesce(at,0), n FROM counted WHERE n>0 OR r=0" \
			     " ORDER BY r, helpful DESC, n DESC, at DESC, id DESC LIMIT ?8")        \
	X(DIGEST_TRAININGS, 1, "SELECT x.id" DIGEST_NEWEST("trainings") " JOIN trainings x ON x.id=w.id" \
			       " JOIN users mu ON mu.id=?1 WHERE x.created_at>?2 AND x.created_at<=?3" \
			       " AND x.enrolment IN ('open','approval') AND x.ends_on>=?4"          \
			       " AND " AUDIENCE_MATCH("x.id", "mu") " AND NOT " TAKES_PART("x.id", "?1") \
			       " ORDER BY x.created_at DESC, x.id DESC LIMIT ?6")                   \
	X(DIGEST_MATERIALS, 4, "SELECT m.id, m.title, coalesce(mb.title, ma.name), m.created_at"   \
			       DIGEST_NEWEST("materials") " JOIN materials m ON m.id=w.id"          \
			       " LEFT JOIN boards mb ON mb.id=m.board_id"                          \
			       " LEFT JOIN associations ma ON ma.id=m.association_id"              \
			       " WHERE m.created_at>?2 AND m.created_at<=?3 AND m.uploader_id<>?1"  \
			       " AND " ATTACHED_VISIBLE("m", "?1")                                  \
			       " ORDER BY m.created_at DESC, m.id DESC LIMIT ?4")

/* Announcements (store_announcement.c). Who an announcement reaches, for the users row u, with
 * the announcement's own values bound (?2 author, ?3 audience JSON, ?4 training, ?5
 * association): so every subquery but the membership checks is evaluated once, not per
 * member. A training's trainees, an association's members, or the members whose industry,
 * position and region are among the slugs listed (an empty list: any). */
#define ANN_TERMS(key, col, kind)                                                          \
	"(coalesce(json_array_length(?3,'$." key "'),0)=0 OR u." col " IN (SELECT t.id"      \
	" FROM terms t, json_each(?3,'$." key "') j WHERE t.kind=" kind " AND t.slug=j.value))"
#define ANN_AUDIENCE                                                                       \
	"u.id<>?2 AND CASE WHEN ?4 IS NOT NULL THEN EXISTS(SELECT 1 FROM training_participants p" \
	" WHERE p.training_id=?4 AND p.user_id=u.id AND p.role='trainee' AND p.state IN ('enrolled','completed'))" \
	" WHEN ?5 IS NOT NULL THEN EXISTS(SELECT 1 FROM association_members m"              \
	" WHERE m.association_id=?5 AND m.user_id=u.id AND m.status IN ('member','officer'))" \
	" ELSE " ANN_TERMS("industries", "industry_id", "0") " AND " ANN_TERMS("positions", "position_id", "1") \
	" AND " ANN_TERMS("regions", "region_id", "2") " END"
#define ANN_NCOLS (9 + USER_NCOLS + 7) /* ann_row (store_announcement.c) */
#define ANN_SELECT                                                                         \
	"SELECT a.id," USER_COLS ",a.title,a.body,a.body_html,a.audience,at.slug,at.title,"  \
	"aa.slug,aa.name,a.recipients,a.reached,a.created_at,a.done_at,"                     \
	"coalesce(a.training_id,0),coalesce(a.association_id,0),a.cursor FROM announcements a" \
	" JOIN users u ON u.id=a.author_id" USER_JOINS                                       \
	" LEFT JOIN trainings at ON at.id=a.training_id LEFT JOIN associations aa ON aa.id=a.association_id"
#define ANN_STATEMENTS(X)                                                                           \
	X(ANN_INSERT, 0, "INSERT INTO announcements(author_id,title,body,body_html,audience,"     \
			 "training_id,association_id,created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)")   \
	X(ANN_COUNT, 0, "UPDATE announcements SET recipients=(SELECT count(*) FROM users u"       \
			" WHERE " ANN_AUDIENCE ") WHERE id=?1")                                    \
	X(ANN_GET, ANN_NCOLS, ANN_SELECT " WHERE a.id=?1")                                          \
	X(ANN_RECEIVED, 1, "SELECT 1 FROM announcement_recipients WHERE announcement_id=?1 AND user_id=?2") \
	X(ANN_LIST, ANN_NCOLS, ANN_SELECT " JOIN announcement_recipients r ON r.announcement_id=a.id" \
			       " WHERE r.user_id=?1 ORDER BY a.id DESC LIMIT ?2 OFFSET ?3")         \
	X(ANN_AUDIENCES, 3, "SELECT 'training', x.slug, x.title FROM training_participants p"     \
			    " JOIN trainings x ON x.id=p.training_id WHERE p.user_id=?1 AND p.role='organiser'" \
			    " UNION ALL SELECT 'association', a.slug, a.name FROM association_members m" \
			    " JOIN associations a ON a.id=m.association_id WHERE m.user_id=?1"      \
			    " AND m.status='officer' ORDER BY 1 DESC, 3 LIMIT 100")                  \
	X(ANN_LIST_COUNT, 1, "SELECT count(*) FROM announcement_recipients WHERE user_id=?1")       \
	X(ANN_FANOUT, 0, "INSERT INTO announcement_recipients(announcement_id,user_id)"            \
			 " SELECT ?1,u.id FROM users u WHERE u.id>?6 AND " ANN_AUDIENCE            \
			 " ORDER BY u.id LIMIT ?7")                                                 \
	X(ANN_NOTIFY, 0, "INSERT INTO notifications(user_id,kind,actor_id,detail,created_at)"      \
			 " SELECT r.user_id,'announcement',a.author_id,a.id,?2 FROM announcement_recipients r" \
			 " JOIN announcements a ON a.id=r.announcement_id WHERE r.announcement_id=?1" \
			 " AND r.user_id>a.cursor")                                                 \
	X(ANN_ADVANCE, 0, "UPDATE announcements SET cursor=coalesce((SELECT max(user_id)"          \
			  " FROM announcement_recipients WHERE announcement_id=?1),cursor),"        \
			  " reached=(SELECT count(*) FROM announcement_recipients WHERE announcement_id=?1)," \
			  " done_at=CASE WHEN ?3 THEN ?2 END WHERE id=?1")

#endif
