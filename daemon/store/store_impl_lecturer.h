/* store_impl_lecturer: the statements of the lecturer pool and of applications to teach
 * (store_lecturer.c), a part of store_impl.h's table kept apart by area. Included by
 * store_impl.h only, after the fragments it builds on. */
#ifndef AGORA_STORE_IMPL_LECTURER_H
#define AGORA_STORE_IMPL_LECTURER_H

/* Who is in the pool: the lecturer role, anyone an organiser gave a lesson to, and (as before
 * the pool had lessons) moderators and admins who share materials. ?2 an industry id (0: any),
 * ?3 a text to find (NULL: any) as a literal substring: instr, unlike LIKE, has no wildcards. */
#define POOL_WHERE                                                                         \
	" WHERE (u.role='lecturer' OR EXISTS(SELECT 1 FROM lessons pl WHERE pl.lecturer_id=u.id)" \
	" OR (u.role IN ('moderator','admin')"                                             \
	"  AND EXISTS(SELECT 1 FROM materials pm WHERE pm.uploader_id=u.id)))"              \
	" AND (?2=0 OR u.industry_id=?2) AND (?3 IS NULL OR instr(lower(u.display_name),lower(?3))>0" \
	"  OR instr(lower(u.username),lower(?3))>0 OR instr(lower(u.expertise),lower(?3))>0" \
	"  OR instr(lower(u.bio),lower(?3))>0)"
/* Lessons taught are those whose start (?4, now) has passed; ratings are every trainee's
 * rating of any of their lessons; materials those the viewer ?1 may see, as before. */
#define POOL_COLS                                                                          \
	USER_COLS ",u.bio,u.bio_html,u.expertise,"                                               \
	"(SELECT count(*) FROM lessons l WHERE l.lecturer_id=u.id AND l.starts_at<=?4),"    \
	"(SELECT count(*) FROM lesson_ratings r JOIN lessons l ON l.id=r.lesson_id WHERE l.lecturer_id=u.id)," \
	"(SELECT coalesce(avg(r.score),0.0) FROM lesson_ratings r JOIN lessons l ON l.id=r.lesson_id" \
	" WHERE l.lecturer_id=u.id),"                                                      \
	"(SELECT count(*) FROM materials m WHERE m.uploader_id=u.id AND " ATTACHED_VISIBLE("m", "?1") ")"
#define POOL_NCOLS (USER_NCOLS + 7) /* pool_row (store_lecturer.c); column 21 is lessons taught */
#define APP_NCOLS (8 + USER_NCOLS)  /* app_row (store_lecturer.c) */
#define APP_SELECT                                                                         \
	"SELECT a.id,a.statement,a.expertise,a.state,a.reason,a.created_at,"               \
	"coalesce(a.decided_at,0),d.username," USER_COLS " FROM lecturer_applications a"     \
	" JOIN users u ON u.id=a.user_id" USER_JOINS " LEFT JOIN users d ON d.id=a.decided_by"
#define APP_MATCH " WHERE (?1 IS NULL OR a.state=?1) AND (?2=0 OR a.user_id=?2)"

#define LECTURER_STATEMENTS(X)                                                                      \
	X(POOL, POOL_NCOLS, "SELECT " POOL_COLS USER_FROM POOL_WHERE                                \
			    " ORDER BY 21 DESC, u.display_name, u.id LIMIT ?5 OFFSET ?6") \
	X(POOL_COUNT, 1, "SELECT count(*)" USER_FROM POOL_WHERE) \
	X(USER_PROFILE_TEXT, 3, "SELECT bio,bio_html,expertise FROM users WHERE id=?1")             \
	X(USER_SET_PROFILE_TEXT, 0, "UPDATE users SET bio=coalesce(?2,bio),bio_html=coalesce(?3,bio_html)," \
				    "expertise=coalesce(?4,expertise) WHERE id=?1")                   \
	X(USER_EXPERTISE_IF_EMPTY, 0, "UPDATE users SET expertise=?2 WHERE id=?1 AND expertise=''") \
	X(APP_INSERT, 0, "INSERT INTO lecturer_applications(user_id,statement,expertise,created_at)" \
			 " VALUES(?1,?2,?3,?4)")                                                    \
	X(APP_GET, APP_NCOLS, APP_SELECT " WHERE a.id=?1")                                          \
	X(APPS, APP_NCOLS, APP_SELECT APP_MATCH " ORDER BY a.state='pending' DESC, a.id DESC LIMIT ?3 OFFSET ?4") \
	X(APPS_COUNT, 1, "SELECT count(*) FROM lecturer_applications a" APP_MATCH)                  \
	X(APP_DECIDE, 0, "UPDATE lecturer_applications SET state=?2,reason=?3,decided_by=?4,decided_at=?5" \
			 " WHERE id=?1 AND state='pending'")                                        \
	X(NOTIFY_LECTURER, 0, "INSERT INTO notifications(user_id,kind,actor_id,detail,created_at)"  \
			      " VALUES(?1,'moderation',?2,?3,?4)")

#endif
