/* store_impl: what the files of the store layer share and nothing above the store sees: the
 * SQL fragments, the table of every prepared statement (one section per area of the store),
 * the connection record and the helpers that bind, step and read rows. */
#ifndef AGORA_STORE_IMPL_H
#define AGORA_STORE_IMPL_H

#include <sqlite3.h>
#include <stddef.h>

#include "store.h"

#define USER_COLS                                                                          \
	"u.id,u.username,u.display_name,u.role,u.created_at,u.post_count,u.banned_until,"  \
	"u.ban_reason,tr.id,tr.slug,tr.name,tp.id,tp.slug,tp.name,ti.id,ti.slug,ti.name"
#define USER_NCOLS 17 /* sql_user_row */
#define TERM_NCOLS 3  /* sql_term_row: id,slug,name */
#define USER_JOINS                                                                         \
	" LEFT JOIN terms tr ON tr.id=u.region_id LEFT JOIN terms tp ON tp.id=u.position_id" \
	" LEFT JOIN terms ti ON ti.id=u.industry_id"
#define USER_FROM " FROM users u" USER_JOINS
#define THREAD_COLS                                                                        \
	"t.id,t.board_id,b.slug,b.title,t.title,t.created_at,t.last_post_at,"               \
	"t.reply_count,t.pinned,t.locked,t.root_post_id," USER_COLS                          \
	",coalesce(t.accepted_post_id,0),coalesce(t.featured_at,0),t.helpful_count"
#define THREAD_NCOLS (14 + USER_NCOLS) /* sql_thread_row */
#define THREAD_SELECT                                                                      \
	"SELECT " THREAD_COLS                                                              \
	" FROM threads t JOIN boards b ON b.id=t.board_id JOIN users u ON u.id=t.author_id" \
	USER_JOINS
#define POST_NCOLS (12 + USER_NCOLS) /* sql_post_row */
#define POST_COLS                                                                          \
	"p.id,p.thread_id,p.parent_id,p.depth,p.body,p.body_html,p.created_at,"             \
	"p.edited_at,p.state,pu.display_name," USER_COLS ",p.pending_html,p.helpful_count"
#define POST_FROM                                                                          \
	" FROM posts p JOIN users u ON u.id=p.author_id" USER_JOINS                         \
	" LEFT JOIN posts pp ON pp.id=p.parent_id LEFT JOIN users pu ON pu.id=pp.author_id"
#define POST_SELECT "SELECT " POST_COLS POST_FROM
#define BOARD_NCOLS 19 /* board_row (store_board.c) */
#define BOARD_SELECT                                                                       \
	"SELECT b.id,b.slug,b.title,b.description,b.thread_count,b.post_count,"             \
	"b.last_post_at,ti.id,ti.slug,ti.name,tp.id,tp.slug,tp.name,ba.slug,b.association_id," \
	"bt.slug,b.training_id,b.kind,b.answer_first FROM boards b"                                              \
	" LEFT JOIN terms ti ON ti.id=b.industry_id LEFT JOIN terms tp ON tp.id=b.position_id" \
	" LEFT JOIN associations ba ON ba.id=b.association_id"                              \
	" LEFT JOIN trainings bt ON bt.id=b.training_id"
/* The one definition of who may see a board (?V is the viewer's user id, 0 for visitors):
 * boards outside associations and boards of public associations are open to all; boards of a
 * members-only association only to its members and officers; a training's board only to its
 * organisers, its enrolled or completed trainees (not those pending) and the lecturers of
 * its lessons. */
#define ASSOC_VISIBLE(assoc_id, V)                                                         \
	"EXISTS(SELECT 1 FROM associations va WHERE va.id=" assoc_id                        \
	" AND (va.visibility='public' OR EXISTS(SELECT 1 FROM association_members vm"       \
	" WHERE vm.association_id=va.id AND vm.user_id=" V                                  \
	" AND vm.status IN ('member','officer'))))"
#define TRAINING_VISIBLE(training_id, V)                                                   \
	"(EXISTS(SELECT 1 FROM training_participants vt WHERE vt.training_id=" training_id  \
	" AND vt.user_id=" V " AND (vt.role='organiser' OR vt.state IN ('enrolled','completed')))" \
	" OR EXISTS(SELECT 1 FROM lessons vl WHERE vl.training_id=" training_id             \
	" AND vl.lecturer_id=" V "))"
#define BOARD_VISIBLE(board, V)                                                            \
	"((" board ".association_id IS NULL OR " ASSOC_VISIBLE(board ".association_id", V) ")" \
	" AND (" board ".training_id IS NULL OR " TRAINING_VISIBLE(board ".training_id", V) "))"
/* A material or questionnaire: on a board the viewer may see, or of an association whose
 * content the viewer may see. */
#define ATTACHED_VISIBLE(x, V)                                                             \
	"(CASE WHEN " x ".board_id IS NOT NULL THEN EXISTS(SELECT 1 FROM boards vb"        \
	" WHERE vb.id=" x ".board_id AND " BOARD_VISIBLE("vb", V) ") ELSE "                 \
	ASSOC_VISIBLE(x ".association_id", V) " END)"
#define Q_NCOLS 14 /* q_row (store_questionnaire.c) */
#define Q_SELECT                                                                           \
	"SELECT q.id,q.title,q.board_id,q.association_id,qb.slug,qa.slug,q.anonymous,q.closes_at," \
	"q.questions,q.created_by,u.username,q.created_at,"                                  \
	"(SELECT count(*) FROM responses r WHERE r.questionnaire_id=q.id),"                  \
	"coalesce(u.display_name,u.username) FROM questionnaires q"                          \
	" JOIN users u ON u.id=q.created_by LEFT JOIN boards qb ON qb.id=q.board_id"          \
	" LEFT JOIN associations qa ON qa.id=q.association_id"
#define MATERIAL_NCOLS (19 + USER_NCOLS) /* material_row (store_material.c) */
#define MATERIAL_SELECT                                                                    \
	"SELECT m.id,m.title,m.description,m.description_html,m.board_id,m.association_id,"  \
	"mb.slug,ma.slug,m.created_at,m.downloads,v.version,v.sha256,v.filename,v.content_type," \
	"v.note,v.size,v.created_at,v.downloads," USER_COLS ",coalesce(mb.title,ma.name)"   \
	" FROM materials m JOIN material_versions v ON v.material_id=m.id"                  \
	" JOIN users u ON u.id=m.uploader_id" USER_JOINS                                    \
	" LEFT JOIN boards mb ON mb.id=m.board_id LEFT JOIN associations ma ON ma.id=m.association_id"
#define MATERIAL_MATCH                                                                     \
	"(?1=0 OR m.board_id=?1) AND (?2=0 OR m.association_id=?2)"                         \
	" AND (?3 IS NULL OR instr(lower(m.title),lower(?3))>0"                            \
	"  OR instr(lower(m.description),lower(?3))>0) AND " ATTACHED_VISIBLE("m", "?4")
#define LATEST_VERSION "v.version=(SELECT max(version) FROM material_versions WHERE material_id=m.id)"
#define ASSOC_NCOLS 14 /* assoc_row (store_assoc.c) */
#define ASSOC_SELECT                                                                       \
	"SELECT x.id,x.slug,x.name,x.description,x.join_policy,x.visibility,x.created_at,"  \
	"ti.id,ti.slug,ti.name,tp.id,tp.slug,tp.name,"                                     \
	"(SELECT count(*) FROM association_members m WHERE m.association_id=x.id"          \
	" AND m.status IN ('member','officer')) FROM associations x"                        \
	" LEFT JOIN terms ti ON ti.id=x.industry_id LEFT JOIN terms tp ON tp.id=x.position_id"
/* Whom a post is visible to: everyone once published or deleted (as a placeholder), its
 * author while pending or rejected, and moderators always (?3). */
#define POST_VISIBLE "(p.state IN ('published','deleted') OR p.author_id=?2 OR ?3)"
/* MODERATES, ANSWERS_HIDDEN and ANSWER_VISIBLE, POSTS_SHOWN and the accepted answer's order
 * are in store_impl_answers.h (macros: the order of definition does not matter). */

/* Whether the viewer (?3) may see what a log entry is about: a post's or thread's board, an
 * association; everything else (users) is public. */
#define MOD_LOG_SEEN                                                                       \
	"CASE l.target_type WHEN 'post' THEN EXISTS(SELECT 1 FROM posts lp"                 \
	" JOIN threads lt ON lt.id=lp.thread_id JOIN boards b ON b.id=lt.board_id"          \
	" WHERE lp.id=l.target_id AND " BOARD_VISIBLE("b", "?3") ")"                         \
	" WHEN 'thread' THEN EXISTS(SELECT 1 FROM threads lt JOIN boards b ON b.id=lt.board_id" \
	" WHERE lt.id=l.target_id AND " BOARD_VISIBLE("b", "?3") ")"                         \
	" WHEN 'association' THEN " ASSOC_VISIBLE("l.target_id", "?3")                       \
	" WHEN 'board' THEN EXISTS(SELECT 1 FROM boards b WHERE b.id=l.target_id"           \
	" AND " BOARD_VISIBLE("b", "?3") ")"                                                 \
	" WHEN 'user' THEN l.action<>'appoint_moderator' OR EXISTS(SELECT 1 FROM boards b"  \
	" WHERE b.slug=l.reason AND " BOARD_VISIBLE("b", "?3") ") ELSE 1 END"

/* The table of every statement, X(name, ncols, sql), one section per area. ncols is how many
 * columns the statement's reader reads (0: it returns no rows). store_open prepares them all
 * and refuses to open when one returns another number of columns, so a SELECT edited without
 * its reader fails at start, in every test (and sql_one_row and sql_collect refuse a layout of
 * another width). */

/* Transactions and the health check (store.c). */
#define CORE_STATEMENTS(X)                                                                          \
	X(BEGIN, 0, "BEGIN IMMEDIATE")                                                              \
	X(COMMIT, 0, "COMMIT")                                                                      \
	X(ROLLBACK, 0, "ROLLBACK")                                                                  \
	X(PING, 1, "SELECT 1")

/* Settings and the taxonomy (store_site.c). */
#define SITE_STATEMENTS(X)                                                                          \
	X(SETTING_GET, 1, "SELECT value FROM settings WHERE key=?1")                                \
	X(SETTING_SET, 0, "INSERT INTO settings(key,value) VALUES(?1,?2)"                           \
			  " ON CONFLICT(key) DO UPDATE SET value=excluded.value")                   \
	X(SETTING_ADD, 0, "INSERT INTO settings(key,value) VALUES(?1,?2) ON CONFLICT(key) DO NOTHING") \
	X(TERMS, TERM_NCOLS, "SELECT id,slug,name FROM terms WHERE kind=?1 ORDER BY id")            \
	X(TERM_FIND, TERM_NCOLS, "SELECT id,slug,name FROM terms WHERE kind=?1 AND slug=?2")        \
	X(TERM_PUT, 0, "INSERT INTO terms(kind,slug,name) VALUES(?1,?2,?3)"                         \
		       " ON CONFLICT(kind,slug) DO UPDATE SET name=excluded.name")                  \
	X(TERM_DELETE, 0, "DELETE FROM terms WHERE kind=?1 AND slug=?2")

/* Users, sessions, failed logins and invites (store_user.c). */
#define USER_STATEMENTS(X)                                                                          \
	X(USER_INSERT, 0, "INSERT INTO users(username,display_name,pw_hash,role,region_id,"         \
			  "position_id,industry_id,created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)")    \
	X(USER_BY_NAME, USER_NCOLS, "SELECT " USER_COLS USER_FROM " WHERE u.username=?1")           \
	X(USER_CREDENTIALS, USER_NCOLS + 1, "SELECT " USER_COLS ",u.pw_hash" USER_FROM " WHERE u.username=?1") \
	X(USER_UPDATE, 0, "UPDATE users SET display_name=?2,region_id=?3,position_id=?4,"           \
			  "industry_id=?5 WHERE id=?1")                                             \
	X(USER_SET_ROLE, 0, "UPDATE users SET role=?2 WHERE id=?1")                                 \
	X(USER_SET_PASSWORD, 0, "UPDATE users SET pw_hash=?2 WHERE id=?1")                          \
	X(USER_COUNT, 1, "SELECT count(*) FROM users")                                              \
	X(SESSION_CREATE, 0, "INSERT INTO sessions(digest,user_id,created_at,expires_at)"           \
			     " VALUES(?1,?2,?3,?4)")                                                \
	X(SESSION_USER, USER_NCOLS, "SELECT " USER_COLS " FROM sessions s JOIN users u ON u.id=s.user_id" \
				    USER_JOINS " WHERE s.digest=?1 AND s.expires_at>?2")            \
	X(SESSION_DELETE, 0, "DELETE FROM sessions WHERE digest=?1")                                \
	X(SESSIONS_END_OTHERS, 0, "DELETE FROM sessions WHERE user_id=?1 AND digest IS NOT ?2")     \
	X(LOGIN_STATS, 5, "SELECT count(*),coalesce(min(at),0),coalesce(max(at),0),"                \
			  "coalesce(sum(name=?1),0),coalesce(max(CASE WHEN name=?1 THEN at END),0)"   \
			  " FROM login_failures WHERE addr=?2 AND at>?3")                             \
	X(LOGIN_FAILURE_ADD, 0, "INSERT INTO login_failures(name,addr,at) VALUES(?1,?2,?3)")        \
	X(LOGIN_FAILURES_CLEAR, 0, "DELETE FROM login_failures WHERE (name=?1 AND addr=?2) OR id=?3") \
	X(REGISTRATION_RESERVE, 0, "INSERT INTO registration_attempts(addr,at) SELECT ?1,?2"        \
				   " WHERE (SELECT count(*) FROM registration_attempts"             \
				   " WHERE addr=?1 AND at>?3)<?4")                                  \
	X(REGISTRATION_OLDEST, 1, "SELECT coalesce(min(at),0) FROM registration_attempts"           \
				  " WHERE addr=?1 AND at>?2")                                       \
	X(REGISTRATIONS_EXPIRE, 0, "DELETE FROM registration_attempts WHERE at<=?1")                \
	X(INVITE_USABLE, 1, "SELECT 1 FROM invites WHERE code=?1 AND used_by IS NULL")              \
	X(LOGIN_FAILURES_EXPIRE, 0, "DELETE FROM login_failures WHERE at<=?1")                      \
	X(SESSIONS_EXPIRE, 0, "DELETE FROM sessions WHERE expires_at<=?1")                          \
	X(INVITE_CREATE, 0, "INSERT INTO invites(code,created_by,created_at) VALUES(?1,?2,?3)")     \
	X(INVITE_USE, 0, "UPDATE invites SET used_by=?2 WHERE code=?1 AND used_by IS NULL")

/* Boards and their moderators (store_board.c). */
#define BOARD_STATEMENTS(X)                                                                         \
	X(BOARDS, BOARD_NCOLS, BOARD_SELECT " WHERE (?1 IS NULL OR ti.slug=?1) AND (?2 IS NULL OR tp.slug=?2)" \
			       " AND (?4 IS NULL OR ba.slug=?4) AND " BOARD_VISIBLE("b", "?3")      \
			       " ORDER BY b.title")                                                 \
	X(BOARD_VISIBLE, 1, "SELECT 1 FROM boards b WHERE b.id=?1 AND " BOARD_VISIBLE("b", "?2"))   \
	X(BOARD_BY_SLUG, BOARD_NCOLS, BOARD_SELECT " WHERE b.slug=?1")                              \
	X(BOARD_INSERT, 0, "INSERT INTO boards(slug,title,description,industry_id,position_id,"     \
			   "created_at,association_id,training_id,kind,answer_first)"                \
			   " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,coalesce(?9,'discussion'),?10)")          \
	X(BOARD_MOD_ADD, 0, "INSERT OR IGNORE INTO board_moderators(board_id,user_id) VALUES(?1,?2)") \
	X(BOARD_MODERATES, 1, "SELECT 1 FROM boards b WHERE b.id=?1 AND " MODERATES("b", "?2"))     \
	X(MODERATES_ANY, 1, "SELECT 1 FROM board_moderators WHERE user_id=?1 LIMIT 1")

/* Threads and posts, with the counters they keep (store_thread.c). */
#define THREAD_STATEMENTS(X)                                                                        \
	X(BOARD_COUNTERS, 0, "UPDATE boards SET thread_count=thread_count+?2,"                      \
			     "post_count=post_count+?3,last_post_at=max(coalesce(last_post_at,0),?4)" \
			     " WHERE id=?1")                                                        \
	X(BOARD_THREADS, THREAD_NCOLS, THREAD_SELECT " WHERE t.board_id=?1 AND t.visible"           \
				       " AND (?2=0 OR u.region_id=?2)"                              \
				       " ORDER BY t.pinned DESC, t.last_post_at DESC, t.id DESC LIMIT ?3 OFFSET ?4") \
	X(BOARD_THREAD_COUNT, 1, "SELECT count(*) FROM threads t JOIN users u ON u.id=t.author_id"  \
				 " WHERE t.board_id=?1 AND t.visible AND (?2=0 OR u.region_id=?2)") \
	X(RECENT_THREADS, THREAD_NCOLS, THREAD_SELECT " WHERE t.visible AND " BOARD_VISIBLE("b", "?2") \
					" ORDER BY t.last_post_at DESC LIMIT ?1")                   \
	X(THREAD_GET, THREAD_NCOLS, THREAD_SELECT " WHERE t.id=?1")                                 \
	X(THREAD_INSERT, 0, "INSERT INTO threads(board_id,title,author_id,created_at,last_post_at)" \
			    " VALUES(?1,?2,?3,?4,?4)")                                              \
	X(THREAD_SET_ROOT, 0, "UPDATE threads SET root_post_id=?2, visible=?3 WHERE id=?1")         \
	X(THREAD_COUNTERS, 0, "UPDATE threads SET reply_count=reply_count+?2,"                      \
			      "last_post_at=max(last_post_at,?3) WHERE id=?1")                      \
	X(USER_POSTS_ADD, 0, "UPDATE users SET post_count=post_count+?2 WHERE id=?1")               \
	X(POST_INSERT, 0, "INSERT INTO posts(thread_id,parent_id,depth,author_id,body,body_html,"   \
			  "created_at,state) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)")                      \
	X(POST_SET_PATH, 0, "UPDATE posts SET path=coalesce((SELECT path||'.' FROM posts"           \
			    " WHERE id=?2),'')||printf('%010d',?1) WHERE id=?1")                    \
	X(POST_PARENT, 1, "SELECT depth FROM posts WHERE id=?1 AND thread_id=?2")                   \
	/* a path holds one 10-digit id per level joined by '.': depth d's prefix is 11(d+1)-1 */ \
	X(POST_ANCESTOR, 1, "SELECT id FROM posts WHERE thread_id=?1 AND path=substr((SELECT path"   \
			    " FROM posts WHERE id=?2 AND thread_id=?1),1,11*?3-1)")                \
	X(POSTS_NTH_SINCE, 1, "SELECT created_at FROM posts WHERE author_id=?1 AND created_at>?2"     \
			      " ORDER BY created_at DESC LIMIT 1 OFFSET ?3-1")                      \
	X(POST_GET, POST_NCOLS, POST_SELECT " WHERE p.id=?1")                                       \
	X(POSTS_TREE, POST_NCOLS, POST_SELECT " WHERE p.thread_id=?1 AND " POSTS_SHOWN              \
				  " ORDER BY " ACCEPTED_FIRST "p.path LIMIT ?4 OFFSET ?5")          \
	X(POSTS_TIME, POST_NCOLS, POST_SELECT " WHERE p.thread_id=?1 AND " POSTS_SHOWN              \
				  " ORDER BY " ACCEPTED_FIRST "p.created_at, p.id LIMIT ?4 OFFSET ?5") \
	X(POSTS_COUNT, 1, "SELECT count(*) FROM posts p WHERE p.thread_id=?1 AND " POSTS_SHOWN)     \
	X(THREAD_NEWEST_POST, 1, "SELECT coalesce(max(id),0) FROM posts WHERE thread_id=?1"         \
				 " AND state='published'")                                          \
	X(POSTS_BEFORE, 1, "SELECT count(*) FROM posts p WHERE p.thread_id=?1 AND " POSTS_SHOWN     \
			   " AND (" ACCEPTED_KEY("p") ",p.path)<(SELECT " ACCEPTED_KEY("p") ",p.path" \
			   " FROM posts p WHERE p.id=?4)")                                          \
	X(POST_EDIT, 0, "UPDATE posts SET body=?2, body_html=?3, edited_at=?4 WHERE id=?1")         \
	X(REVISION_ADD, 0, "INSERT INTO revisions(post_id,rev,editor_id,created_at,body)"           \
			   " SELECT ?1, coalesce((SELECT max(rev) FROM revisions WHERE post_id=?1),0)+1," \
			   " ?2, ?3, body FROM posts WHERE id=?1")                                  \
	X(REVISIONS, 5, "SELECT r.rev,u.username,r.created_at,r.body,coalesce(u.display_name,u.username)" \
			" FROM revisions r"                                                         \
			" JOIN users u ON u.id=r.editor_id WHERE r.post_id=?1 ORDER BY r.rev")      \
	X(POST_SET_STATE, 0, "UPDATE posts SET state=?2 WHERE id=?1")                               \
	X(THREAD_SET_VISIBLE, 0, "UPDATE threads SET visible=?2 WHERE id=?1")                       \
	X(POST_SET_PENDING, 0, "UPDATE posts SET pending_body=?2, pending_html=?3 WHERE id=?1")     \
	X(POST_PENDING_BODY, 2, "SELECT pending_body, pending_html FROM posts WHERE id=?1"          \
				" AND pending_body IS NOT NULL")

/* Moderation (store_mod.c). */
#define MOD_STATEMENTS(X)                                                                           \
	X(FLAG_ADD, 0, "INSERT INTO flags(post_id,kind,reporter_id,reason,created_at)"              \
		       " VALUES(?1,?2,?3,?4,?5)")                                                   \
	X(FLAG_REPORTS, 1, "SELECT count(DISTINCT reporter_id) FROM flags WHERE post_id=?1"         \
			   " AND kind='report' AND resolved_at IS NULL")                            \
	X(REPORT_ADD, 0, "INSERT INTO flags(post_id,kind,reporter_id,reason,created_at,weight)"       \
			 " VALUES(?1,'report',?2,?3,?4,?5)")                                       \
	X(REPORT_WEIGHT, 1, "SELECT coalesce(sum(weight),0) FROM flags WHERE post_id=?1"           \
			    " AND kind='report' AND resolved_at IS NULL")                           \
	X(FLAGS_RESOLVE, 0, "UPDATE flags SET resolved_at=?2 WHERE post_id=?1 AND resolved_at IS NULL") \
	X(FLAG_REASONS, 4, "SELECT f.kind, f.reason, u.username, coalesce(u.display_name,u.username)" \
			   " FROM flags f LEFT JOIN users u ON u.id=f.reporter_id"                  \
			   " WHERE f.post_id=?1 AND f.resolved_at IS NULL ORDER BY f.id")           \
	X(MOD_QUEUE, 4, "SELECT p.id, b.slug, b.title, t.title FROM posts p JOIN threads t ON t.id=p.thread_id"       \
			" JOIN boards b ON b.id=t.board_id"                                         \
			" WHERE (p.state='pending' OR p.pending_body IS NOT NULL"                   \
			"  OR EXISTS(SELECT 1 FROM flags f WHERE f.post_id=p.id AND f.resolved_at IS NULL))" \
			" AND (?2 OR EXISTS(SELECT 1 FROM board_moderators m"                       \
			"  WHERE m.board_id=t.board_id AND m.user_id=?1)"                           \
			"  OR EXISTS(SELECT 1 FROM association_members o WHERE o.association_id=b.association_id" \
			"  AND o.user_id=?1 AND o.status='officer'))"                               \
			" AND " BOARD_VISIBLE("b", "?1")                                            \
			" ORDER BY p.id LIMIT ?3 OFFSET ?4")                                        \
	X(THREAD_SET, 0, "UPDATE threads SET pinned=?2, locked=?3, featured_at=?4 WHERE id=?1")     \
	X(THREAD_MOVE, 0, "UPDATE threads SET board_id=?2 WHERE id=?1")                             \
	X(BOARD_MOVE_COUNTS, 0, "UPDATE boards SET thread_count=thread_count+?2*?3,"                \
				" post_count=post_count+?2*(SELECT count(*) FROM posts"             \
				"  WHERE thread_id=?4 AND state='published') WHERE id=?1")          \
	X(USER_BAN, 0, "UPDATE users SET banned_until=?2, ban_reason=?3 WHERE id=?1")               \
	X(MOD_LOG_ADD, 0, "INSERT INTO mod_log(actor_id,action,target_type,target_id,reason,created_at)" \
			  " VALUES(?1,?2,?3,?4,?5,?6)")                                             \
	X(MOD_LOG, 12, "SELECT l.id,u.username,l.action,l.target_type,l.target_id,l.reason,l.created_at," \
		      MOD_LOG_SEEN ", " MOD_LOG_NAMES " FROM mod_log l JOIN users u ON u.id=l.actor_id"               \
		      " ORDER BY l.id DESC LIMIT ?1 OFFSET ?2")                                     \
	X(MOD_LOG_COUNT, 1, "SELECT count(*) FROM mod_log")

/* Associations and their members (store_assoc.c). */
#define ASSOC_STATEMENTS(X)                                                                         \
	X(ASSOCS, ASSOC_NCOLS, ASSOC_SELECT " WHERE (?1 IS NULL OR ti.slug=?1) AND (?2 IS NULL OR tp.slug=?2)" \
			       " ORDER BY x.name")                                                  \
	X(ASSOC_BY_SLUG, ASSOC_NCOLS, ASSOC_SELECT " WHERE x.slug=?1")                              \
	X(ASSOC_INSERT, 0, "INSERT INTO associations(slug,name,description,industry_id,position_id," \
			   "join_policy,visibility,created_by,created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)") \
	X(MEMBERSHIP, 1, "SELECT status FROM association_members WHERE association_id=?1 AND user_id=?2") \
	X(MEMBERSHIP_SET, 0, "INSERT INTO association_members(association_id,user_id,status,joined_at)" \
			     " VALUES(?1,?2,?3,?4) ON CONFLICT(association_id,user_id)"             \
			     " DO UPDATE SET status=excluded.status")                               \
	X(OFFICER_ANY, 1, "SELECT 1 FROM association_members m JOIN boards b"                       \
			  " ON b.association_id=m.association_id WHERE m.user_id=?1"                 \
			  " AND m.status='officer' LIMIT 1")                                         \
	X(MEMBERSHIP_REMOVE, 0, "DELETE FROM association_members WHERE association_id=?1 AND user_id=?2") \
	X(ASSOC_PEOPLE, USER_NCOLS, "SELECT " USER_COLS " FROM association_members am JOIN users u ON u.id=am.user_id" \
				    USER_JOINS " WHERE am.association_id=?1 AND am.status=?2 ORDER BY am.joined_at, u.id")

/* A response's id is random (63 bits), never the next number: an anonymous answer's id must
 * not tell when it was given, nor may the id of a later named one. */
#define RESPONSE_ID "(random() & 9223372036854775807)"

/* Questionnaires and responses (store_questionnaire.c). */
#define Q_STATEMENTS(X)                                                                             \
	X(Q_INSERT, 0, "INSERT INTO questionnaires(title,board_id,association_id,anonymous,closes_at," \
		       "questions,created_by,created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)")          \
	X(Q_GET, Q_NCOLS, Q_SELECT " WHERE q.id=?1")                                                \
	X(Q_LIST, Q_NCOLS, Q_SELECT " WHERE (?1=0 OR q.board_id=?1) AND (?2=0 OR q.association_id=?2)" \
			   " ORDER BY q.id DESC LIMIT 200")                                         \
	X(Q_RECEIPT, 0, "INSERT INTO response_receipts(questionnaire_id,user_id) VALUES(?1,?2)")    \
	X(Q_HAS_RECEIPT, 1, "SELECT 1 FROM response_receipts WHERE questionnaire_id=?1 AND user_id=?2") \
	X(Q_RESPONSE, 0, "INSERT INTO responses(id,questionnaire_id,respondent_id,answers,created_at)" \
			 " VALUES(" RESPONSE_ID ",?1,?2,?3,?4)")                                    \
	X(Q_RESPONSES, 3, "SELECT u.username, r.answers, coalesce(r.about_id,0) FROM responses r LEFT JOIN users u"         \
			  " ON u.id=r.respondent_id WHERE r.questionnaire_id=?1"                    \
			  " ORDER BY CASE WHEN ?2 THEN 0 ELSE r.created_at END, r.id")

/* Materials, their versions and the lecturers who share them (store_material.c). */
#define MATERIAL_STATEMENTS(X)                                                                      \
	X(MATERIAL_INSERT, 0, "INSERT INTO materials(title,description,description_html,board_id,"  \
			      "association_id,uploader_id,created_at) VALUES(?1,?2,?3,?4,?5,?6,?7)") \
	X(UPLOADS_NTH_SINCE, 1, "SELECT created_at FROM material_versions WHERE uploader_id=?1"     \
				" AND created_at>?2 ORDER BY created_at DESC LIMIT 1 OFFSET ?3-1")  \
	X(MATERIAL_VERSION_ADD, 0, "INSERT INTO material_versions(material_id,version,sha256,filename," \
				   "content_type,size,note,uploader_id,created_at) SELECT ?1,"      \
				   "coalesce(max(version),0)+1,?2,?3,?4,?5,?6,?7,?8"                \
				   " FROM material_versions WHERE material_id=?1")                  \
	X(MATERIAL_LAST_VERSION, 1, "SELECT max(version) FROM material_versions WHERE material_id=?1") \
	X(MATERIAL_GET, MATERIAL_NCOLS, MATERIAL_SELECT " WHERE m.id=?1 AND (CASE WHEN ?2>0 THEN v.version=?2" \
					" ELSE " LATEST_VERSION " END)")                            \
	X(MATERIALS, MATERIAL_NCOLS, MATERIAL_SELECT " WHERE " LATEST_VERSION " AND " MATERIAL_MATCH \
				     " ORDER BY m.id DESC LIMIT ?5 OFFSET ?6")                      \
	X(MATERIAL_COUNT, 1, "SELECT count(*) FROM materials m WHERE " MATERIAL_MATCH)              \
	X(SHA_USED, 1, "SELECT 1 FROM material_versions WHERE sha256=?1"                            \
		       " UNION ALL SELECT 1 FROM uploads WHERE sha=?1 LIMIT 1")                   \
	X(MATERIAL_VERSIONS, MATERIAL_NCOLS, MATERIAL_SELECT " WHERE m.id=?1 ORDER BY v.version DESC") \
	X(MATERIAL_DOWNLOADED, 0, "UPDATE material_versions SET downloads=downloads+1"              \
				  " WHERE material_id=?1 AND version=?2")                           \
	X(MATERIAL_DOWNLOADS, 0, "UPDATE materials SET downloads=downloads+1 WHERE id=?1")

/* Following and notifications (store_follow.c). */
/* A notification for the post ?2 by actor ?3 at ?4, to each recipient r (uid) that is not the
 * actor and may see the board. Audiences are notified in order of priority, and the first
 * kind a member gets for a post stands (the notifications_once index). */
#define NOTIFY_WHERE(uid) " np.id=?2 AND " uid "<>?3 AND " BOARD_VISIBLE("b", uid)       \
	" AND " ANSWER_VISIBLE("np", "np.thread_id", uid)                                   \
	" ON CONFLICT(user_id,post_id) WHERE kind<>'moderation' DO NOTHING"
#define NOTIFY_COLS(uid)                                                                    \
	"INSERT INTO notifications(user_id,kind,post_id,thread_id,actor_id,created_at)"    \
	" SELECT DISTINCT " uid ", ?1, np.id, t.id, ?3, ?4 FROM posts np JOIN threads t ON t.id=np.thread_id" \
	" JOIN boards b ON b.id=t.board_id "
/* What a reader still may see of a notification ?1 received: the board, the thread, and a
 * post that is shown (published or a deleted placeholder) or their own. */
#define NOTE_FROM                                                                          \
	" FROM notifications n LEFT JOIN threads t ON t.id=n.thread_id LEFT JOIN boards b ON b.id=t.board_id" \
	" LEFT JOIN posts p ON p.id=n.post_id LEFT JOIN users u ON u.id=n.actor_id"        \
	" LEFT JOIN trainings nt ON nt.id=n.training_id"                                   \
	" LEFT JOIN announcements na ON n.kind='announcement' AND na.id=CAST(n.detail AS INTEGER)" \
	" WHERE n.user_id=?1 AND (CASE WHEN n.kind='announcement' THEN na.id IS NOT NULL"   \
	" WHEN n.thread_id IS NULL THEN n.training_id IS NOT NULL OR n.kind='moderation'" \
	" ELSE " BOARD_VISIBLE("b", "?1")                                                  \
	" AND (t.visible OR t.author_id=?1)"                                               \
	" AND (p.id IS NULL OR p.state IN ('published','deleted') OR p.author_id=?1) END)"
#define NOTE_NCOLS 13 /* note_row (store_follow.c) */
#define NOTE_COLS                                                                          \
	"n.id,n.kind,n.post_id,n.thread_id,u.username,u.display_name,n.detail,"             \
	"n.created_at,n.read_at,coalesce(t.title,na.title),p.state,nt.slug,nt.title"
/* The personal feed ranks the most recently active threads (a bounded window, so the home
 * page costs the same however large the forum grows): those matching the reader first, and
 * in each half those whose posts were marked helpful more often. */
#define FEED_WHY                                                                           \
	"CASE WHEN b.association_id IS NOT NULL AND EXISTS(SELECT 1 FROM association_members fm" \
	" WHERE fm.association_id=b.association_id AND fm.user_id=?1 AND fm.status IN ('member','officer'))" \
	" THEN 'association' WHEN b.position_id=?2 THEN 'position' WHEN b.industry_id=?3 THEN 'industry'" \
	" WHEN u.region_id=?4 THEN 'region' ELSE '' END"
#define FEED_FROM                                                                          \
	" FROM (SELECT id FROM threads WHERE visible ORDER BY last_post_at DESC LIMIT ?7) w" \
	" JOIN threads t ON t.id=w.id JOIN boards b ON b.id=t.board_id JOIN users u ON u.id=t.author_id" \
	USER_JOINS " WHERE " BOARD_VISIBLE("b", "?1")
#define FOLLOW_STATEMENTS(X)                                                                        \
	X(THREAD_SUB_PUT, 0, "INSERT OR IGNORE INTO thread_subscriptions(user_id,thread_id,created_at)" \
			     " VALUES(?1,?2,?3)")                                                   \
	X(THREAD_SUB_DELETE, 0, "DELETE FROM thread_subscriptions WHERE user_id=?1 AND thread_id=?2") \
	X(THREAD_SUB_GET, 1, "SELECT 1 FROM thread_subscriptions WHERE user_id=?1 AND thread_id=?2") \
	X(BOARD_SUB_PUT, 0, "INSERT OR IGNORE INTO board_subscriptions(user_id,board_id,created_at)" \
			    " VALUES(?1,?2,?3)")                                                    \
	X(BOARD_SUB_DELETE, 0, "DELETE FROM board_subscriptions WHERE user_id=?1 AND board_id=?2")  \
	X(BOARD_SUB_GET, 1, "SELECT 1 FROM board_subscriptions WHERE user_id=?1 AND board_id=?2")   \
	X(NOTIFY_MENTION, 0, NOTIFY_COLS("r.id") "JOIN users r ON r.username=?5 WHERE"              \
			     NOTIFY_WHERE("r.id"))                                                  \
	X(NOTIFY_REPLY, 0, NOTIFY_COLS("r.author_id") "JOIN posts r ON r.id=np.parent_id WHERE"     \
			   NOTIFY_WHERE("r.author_id"))                                             \
	X(NOTIFY_AUTHOR, 0, NOTIFY_COLS("np.author_id") "WHERE" NOTIFY_WHERE("np.author_id"))       \
	X(NOTIFY_THREAD_SUBS, 0, NOTIFY_COLS("r.user_id") "JOIN thread_subscriptions r"             \
				 " ON r.thread_id=t.id WHERE" NOTIFY_WHERE("r.user_id"))            \
	X(NOTIFY_BOARD_SUBS, 0, NOTIFY_COLS("r.user_id") "JOIN board_subscriptions r"               \
				" ON r.board_id=t.board_id WHERE" NOTIFY_WHERE("r.user_id"))        \
	X(NOTIFY_MODERATION, 0, "INSERT INTO notifications(user_id,kind,post_id,thread_id,actor_id," \
				"detail,created_at) SELECT p.author_id,'moderation',p.id,p.thread_id,?2,?3,?4" \
				" FROM posts p WHERE p.id=?1 AND p.author_id<>?2")                  \
	X(NOTES, NOTE_NCOLS, "SELECT " NOTE_COLS NOTE_FROM " ORDER BY n.id DESC LIMIT ?2 OFFSET ?3") \
	X(NOTE_GET, NOTE_NCOLS, "SELECT " NOTE_COLS NOTE_FROM " AND n.id=?2")                       \
	X(NOTES_UNREAD_SINCE, NOTE_NCOLS, "SELECT " NOTE_COLS NOTE_FROM " AND n.read_at IS NULL"    \
					  " AND n.created_at>?2 ORDER BY n.id DESC LIMIT ?3")       \
	X(NOTES_UNREAD_SINCE_COUNT, 1, "SELECT count(*)" NOTE_FROM " AND n.read_at IS NULL"         \
				       " AND n.created_at>?2")                                      \
	X(NOTES_COUNT, 2, "SELECT count(*),coalesce(sum(n.read_at IS NULL),0)" NOTE_FROM)           \
	X(NOTES_UNREAD, 1, "SELECT count(*) FROM (SELECT 1" NOTE_FROM " AND n.read_at IS NULL LIMIT ?2)") \
	X(NOTES_READ_ALL, 0, "UPDATE notifications SET read_at=?2 WHERE user_id=?1 AND read_at IS NULL") \
	X(NOTES_READ_ONE, 0, "UPDATE notifications SET read_at=?2 WHERE user_id=?1 AND id=?3"       \
			     " AND read_at IS NULL")                                                \
	X(NOTES_READ_THREAD, 0, "UPDATE notifications SET read_at=?2 WHERE user_id=?1"              \
				" AND thread_id=?3 AND read_at IS NULL")                            \
	X(NOTES_UNREAD_IN_THREAD, 1, "SELECT 1 FROM notifications WHERE user_id=?1 AND thread_id=?2" \
				     " AND read_at IS NULL LIMIT 1")                                \
	X(READ_GET, 1, "SELECT last_post_id FROM thread_reads WHERE user_id=?1 AND thread_id=?2")   \
	X(READ_MARK, 0, "INSERT INTO thread_reads(user_id,thread_id,last_post_id,read_at)"          \
			" VALUES(?1,?2,?3,?4) ON CONFLICT(user_id,thread_id) DO UPDATE SET"         \
			" last_post_id=max(last_post_id,excluded.last_post_id),"                    \
			" read_at=excluded.read_at")                                                \
	X(UNREAD_THREADS, 2, "SELECT t.id,(SELECT count(*) FROM (SELECT 1 FROM posts p WHERE p.thread_id=t.id" \
			     " AND p.id>coalesce(r.last_post_id,0) AND p.state='published'"         \
			     " AND p.author_id<>?1 AND " ANSWER_VISIBLE("p", "t.id", "?1")         \
			     " LIMIT ?4)) FROM threads t LEFT JOIN thread_reads r"                 \
			     " ON r.user_id=?1 AND r.thread_id=t.id"                                \
			     " WHERE t.id IN (SELECT value FROM json_each(?2))"                     \
			     " AND (r.last_post_id IS NOT NULL OR t.last_post_at>=?3)")             \
	X(FEED, THREAD_NCOLS + 1, "SELECT " THREAD_COLS "," FEED_WHY FEED_FROM                      \
				  " ORDER BY " FEED_WHY "='', t.helpful_count DESC, t.last_post_at DESC, t.id DESC LIMIT ?5 OFFSET ?6") \
	X(FEED_COUNT, 1, "SELECT count(*)" FEED_FROM)                                               \
	X(FOLLOWED_THREADS, THREAD_NCOLS, THREAD_SELECT " JOIN thread_subscriptions s ON s.thread_id=t.id" \
					  " AND s.user_id=?1 WHERE t.visible AND " BOARD_VISIBLE("b", "?1") \
					  " ORDER BY t.last_post_at DESC LIMIT ?2")

/* Full-text search (store_search.c). The newest ?5 visible matches (FTS5 walks its doclists
 * by rowid, newest first, and stops there), ranked by agora_rank (fts_cjk.c) with titles
 * weighing ten times a body; ?1 MATCH, ?2 viewer, ?3 board slug, ?4 author username
 * (NULL: any). */
#define SEARCH_VISIBLE                                                                     \
	" AND p.state='published' AND t.visible AND " BOARD_VISIBLE("b", "?2")             \
	" AND " ANSWER_VISIBLE("p", "p.thread_id", "?2") " AND (?3 IS NULL OR b.slug=?3)"
#define SEARCH_NEWEST                                                                      \
	"WITH m AS MATERIALIZED (SELECT post_fts.rowid AS id, agora_rank(post_fts, 10.0, 1.0) AS score" \
	" FROM post_fts JOIN posts p ON p.id=post_fts.rowid JOIN threads t ON t.id=p.thread_id" \
	" JOIN boards b ON b.id=t.board_id WHERE post_fts MATCH ?1" SEARCH_VISIBLE           \
	" AND (?4 IS NULL OR p.author_id=(SELECT id FROM users WHERE username=?4))"        \
	" ORDER BY post_fts.rowid DESC LIMIT ?5)"
/* The same window read the other way round, for an author with few posts: their posts newest
 * first (posts_author), each put to FTS5 by rowid, instead of a common word's whole doclist
 * walked until enough of theirs turn up. */
#define SEARCH_AUTHOR_NEWEST                                                               \
	"WITH m AS MATERIALIZED (SELECT p.id AS id, agora_rank(post_fts, 10.0, 1.0) AS score" \
	" FROM users a JOIN posts p ON p.author_id=a.id CROSS JOIN post_fts"                 \
	" JOIN threads t ON t.id=p.thread_id JOIN boards b ON b.id=t.board_id"              \
	" WHERE a.username=?4 AND post_fts.rowid=p.id AND post_fts MATCH ?1" SEARCH_VISIBLE \
	" ORDER BY p.id DESC LIMIT ?5)"
#define SEARCH_HIT_NCOLS (10 + USER_NCOLS) /* hit_row (store_search.c) */
#define SEARCH_PAGE                                                                        \
	" SELECT p.id,p.thread_id,t.title,b.slug,b.title,p.body_html,"                      \
	"p.created_at,p.parent_id IS NULL,(SELECT count(*) FROM m)," USER_COLS               \
	",coalesce(t.accepted_post_id,0)"                                                   \
	" FROM m JOIN posts p ON p.id=m.id JOIN threads t ON t.id=p.thread_id"              \
	" JOIN boards b ON b.id=t.board_id JOIN users u ON u.id=p.author_id" USER_JOINS     \
	" ORDER BY m.score, m.id DESC LIMIT ?6 OFFSET ?7"
#define SEARCH_STATEMENTS(X)                                                                        \
	X(SEARCH, SEARCH_HIT_NCOLS, SEARCH_NEWEST SEARCH_PAGE)                                      \
	X(SEARCH_COUNT, 1, SEARCH_NEWEST " SELECT count(*) FROM m")                                 \
	X(SEARCH_BY_AUTHOR, SEARCH_HIT_NCOLS, SEARCH_AUTHOR_NEWEST SEARCH_PAGE)                     \
	X(SEARCH_BY_AUTHOR_COUNT, 1, SEARCH_AUTHOR_NEWEST " SELECT count(*) FROM m")                \
	X(SEARCH_AUTHOR_POSTS, 1, "SELECT post_count FROM users WHERE username=?1")

/* Feeds and metrics (store_feed.c). Feeds list threads newest first by id, which is their
 * order of creation, so the newest are read straight off the primary key. */
#define FEED_STATEMENTS(X)                                                                          \
	X(FEED_THREAD_POSTS, POST_NCOLS, POST_SELECT " WHERE p.thread_id=?1 AND p.state='published'" \
					 " AND " ANSWER_VISIBLE("p", "?1", "?3") " ORDER BY p.id DESC LIMIT ?2") \
	X(FEED_BOARD_THREADS, THREAD_NCOLS, THREAD_SELECT " WHERE t.board_id=?1 AND t.visible AND " \
					    BOARD_VISIBLE("b", "?2") " ORDER BY t.id DESC LIMIT ?3") \
	X(FEED_SITE_THREADS, THREAD_NCOLS, THREAD_SELECT " WHERE t.visible AND " BOARD_VISIBLE("b", "?1") \
					   " ORDER BY t.id DESC LIMIT ?2")                          \
	X(FEED_COUNT_POSTS, 2, "SELECT coalesce(sum(post_count),0), coalesce(sum(thread_count),0)"  \
			       " FROM boards")                                                      \
	X(FEED_COUNT_SESSIONS, 1, "SELECT count(*) FROM sessions WHERE expires_at>?1")         \
	X(DB_PAGES, 2, "SELECT page_count, page_size FROM pragma_page_count(), pragma_page_size()")

/* Trainings, their audience, participants, lessons, attendance and ratings
 * (store_training.c). A training's audience matches a member when, for each of industries,
 * positions and regions, the list is empty or holds the member's term. */
#define AUDIENCE_KIND(x, k, col)                                                           \
	"(NOT EXISTS(SELECT 1 FROM training_audience a WHERE a.training_id=" x " AND a.kind=" k ")" \
	" OR EXISTS(SELECT 1 FROM training_audience a WHERE a.training_id=" x " AND a.kind=" k \
	" AND a.term_id=" col "))"
#define AUDIENCE_MATCH(x, u)                                                               \
	"(" AUDIENCE_KIND(x, "0", u ".industry_id") " AND " AUDIENCE_KIND(x, "1", u ".position_id") \
	" AND " AUDIENCE_KIND(x, "2", u ".region_id") ")"
/* Takes part in a training: any participant row (pending trainees too), or teaches a lesson. */
#define TAKES_PART(x, V)                                                                   \
	"(EXISTS(SELECT 1 FROM training_participants pp WHERE pp.training_id=" x " AND pp.user_id=" V ")" \
	" OR EXISTS(SELECT 1 FROM lessons pl WHERE pl.training_id=" x " AND pl.lecturer_id=" V "))"
#define TRAINING_NCOLS 17 /* training_row (store_training.c) */
#define TRAINING_SELECT                                                                    \
	"SELECT x.id,x.slug,x.title,x.description,x.description_html,x.starts_on,x.ends_on,"  \
	"x.hours,x.enrolment,coalesce(x.capacity,0),x.completion_attendance,coalesce(x.board_id,0)," \
	"bb.slug,coalesce(x.created_by,0),x.created_at,"                                  \
	"(SELECT count(*) FROM training_participants c WHERE c.training_id=x.id AND c.role='trainee'" \
	" AND c.state IN ('enrolled','completed')),"                                       \
	"(SELECT count(*) FROM lessons c WHERE c.training_id=x.id)"                        \
	" FROM trainings x LEFT JOIN boards bb ON bb.id=x.board_id"
/* ?1 for-me viewer (0: everyone's), ?2 ?3 ?4 upcoming, current, past wanted, ?5 today. */
#define TRAINING_MATCH                                                                     \
	" WHERE (?1=0 OR " TAKES_PART("x.id", "?1") " OR EXISTS(SELECT 1 FROM users mu WHERE mu.id=?1" \
	" AND " AUDIENCE_MATCH("x.id", "mu") "))"                                          \
	" AND ((?2 AND x.starts_on>?5) OR (?3 AND x.starts_on<=?5 AND x.ends_on>=?5) OR (?4 AND x.ends_on<?5))"
#define LESSON_NCOLS (14 + USER_NCOLS) /* lesson_row (store_training.c) */
#define LESSON_SELECT                                                                      \
	"SELECT l.id,l.training_id,x.slug,l.title,l.description,l.description_html,l.starts_at,l.minutes," \
	USER_COLS ",l.checkin_code,l.created_at,"                                          \
	"(SELECT count(*) FROM lesson_ratings r WHERE r.lesson_id=l.id),"                  \
	"coalesce((SELECT avg(score) FROM lesson_ratings r WHERE r.lesson_id=l.id),0),"    \
	"l.sequence,l.updated_at"                                                          \
	" FROM lessons l JOIN trainings x ON x.id=l.training_id JOIN users u ON u.id=l.lecturer_id" USER_JOINS
#define TRAINEE_NCOLS (USER_NCOLS + 5) /* trainee_row (store_training.c) */
#define TRAINEE_WHERE                                                                      \
	" FROM training_participants tp JOIN users u ON u.id=tp.user_id" USER_JOINS         \
	" LEFT JOIN users cu ON cu.id=tp.completed_by"                                     \
	" WHERE tp.training_id=?1 AND tp.role='trainee' AND (?2 IS NULL OR u.username=?2)"
/* Trainees due for automatic completion (?1 today): enrolled, never completed automatically
 * (auto_done: an organiser who reopens them has the last word), in a training that ended
 * before today, who attended at least completion_attendance percent of its lessons (a
 * training without lessons completes nobody by itself). */
#define DUE_TRAINEE                                                                        \
	"role='trainee' AND state='enrolled' AND auto_done=0 AND training_id IN (SELECT id FROM trainings" \
	" WHERE ends_on<?1)"                                                               \
	" AND (SELECT count(*) FROM lessons l WHERE l.training_id=training_participants.training_id)>0" \
	" AND 100*(SELECT count(*) FROM attendance a JOIN lessons l ON l.id=a.lesson_id"   \
	"  WHERE l.training_id=training_participants.training_id AND a.user_id=training_participants.user_id)" \
	" >= (SELECT completion_attendance FROM trainings WHERE id=training_participants.training_id)" \
	"  *(SELECT count(*) FROM lessons l WHERE l.training_id=training_participants.training_id)"
#define TRAINING_STATEMENTS(X)                                                                      \
	X(TRAINING_INSERT, 0, "INSERT INTO trainings(slug,title,description,description_html,starts_on," \
			      "ends_on,hours,enrolment,capacity,completion_attendance,created_by,created_at)" \
			      " VALUES(?1,?2,?3,?4,?5,?6,CAST(?7 AS REAL),?8,?9,?10,?11,?12)")      \
	X(TRAINING_SET_BOARD, 0, "UPDATE trainings SET board_id=?2 WHERE id=?1")                    \
	X(TRAINING_UPDATE, 0, "UPDATE trainings SET title=?2,description=?3,description_html=?4,"   \
			      "starts_on=?5,ends_on=?6,hours=CAST(?7 AS REAL),enrolment=?8,capacity=?9," \
			      "completion_attendance=?10 WHERE id=?1")                              \
	X(TRAINING_BY_SLUG, TRAINING_NCOLS, TRAINING_SELECT " WHERE x.slug=?1")                     \
	X(TRAINING_BY_ID, TRAINING_NCOLS, TRAINING_SELECT " WHERE x.id=?1")                         \
	X(TRAININGS, TRAINING_NCOLS, TRAINING_SELECT TRAINING_MATCH                                 \
				     " ORDER BY x.starts_on, x.id LIMIT ?6 OFFSET ?7")              \
	X(TRAININGS_COUNT, 1, "SELECT count(*) FROM trainings x" TRAINING_MATCH)                    \
	X(AUDIENCE_CLEAR, 0, "DELETE FROM training_audience WHERE training_id=?1")                  \
	X(AUDIENCE_ADD, 0, "INSERT OR IGNORE INTO training_audience(training_id,kind,term_id) VALUES(?1,?2,?3)") \
	X(AUDIENCE, 3, "SELECT a.kind,t.id,t.slug FROM training_audience a JOIN terms t ON t.id=a.term_id" \
		       " WHERE a.training_id=?1 ORDER BY a.kind,t.id")                              \
	X(AUDIENCE_MATCHES, 1, "SELECT 1 FROM users mu WHERE mu.id=?2 AND " AUDIENCE_MATCH("?1", "mu")) \
	X(AUDIENCE_MEMBERS, 1, "SELECT u.id FROM users u WHERE " AUDIENCE_MATCH("?1", "u")          \
			       " AND NOT EXISTS(SELECT 1 FROM training_participants p WHERE p.training_id=?1" \
			       " AND p.user_id=u.id AND p.role='trainee')"                          \
			       " AND (?2=0 OR " ROTATION_DUE("u", "?3", "?4") "<=?5) ORDER BY u.id") \
	X(PART_ROLE, 3, "SELECT EXISTS(SELECT 1 FROM training_participants WHERE training_id=?1"    \
			" AND user_id=?2 AND role='organiser'),(SELECT state FROM training_participants" \
			" WHERE training_id=?1 AND user_id=?2 AND role='trainee'),"                 \
			"EXISTS(SELECT 1 FROM lessons WHERE training_id=?1 AND lecturer_id=?2)")     \
	X(PART_ADD, 0, "INSERT INTO training_participants(training_id,user_id,role,state,joined_at)" \
		       " VALUES(?1,?2,?3,?4,?5)")                                                   \
	X(TRAINEE_SET_STATE, 0, "UPDATE training_participants SET state=?3,completed_at=?4,completed_by=?5" \
				" WHERE training_id=?1 AND user_id=?2 AND role='trainee'")          \
	X(TRAINEE_REMOVE, 0, "DELETE FROM training_participants WHERE training_id=?1 AND user_id=?2" \
			     " AND role='trainee'")                                                 \
	X(TRAINEE_COUNT, 1, "SELECT count(*) FROM training_participants WHERE training_id=?1"       \
			    " AND role='trainee' AND state IN ('enrolled','completed')")            \
	X(ORGANISERS, USER_NCOLS, "SELECT " USER_COLS " FROM training_participants tp JOIN users u ON u.id=tp.user_id" \
				  USER_JOINS " WHERE tp.training_id=?1 AND tp.role='organiser'"      \
				  " ORDER BY tp.joined_at, u.id")                                   \
	X(TRAINEES, TRAINEE_NCOLS, "SELECT " USER_COLS ",tp.state,(SELECT count(*) FROM attendance a" \
				   " JOIN lessons l ON l.id=a.lesson_id WHERE l.training_id=tp.training_id" \
				   " AND a.user_id=tp.user_id),(SELECT count(*) FROM lessons l"     \
				   " WHERE l.training_id=tp.training_id),coalesce(tp.completed_at,0),cu.username" \
				   TRAINEE_WHERE " ORDER BY u.username LIMIT ?3 OFFSET ?4")         \
	X(TRAINEES_COUNT, 1, "SELECT count(*)" TRAINEE_WHERE)                                       \
	X(LESSON_INSERT, 0, "INSERT INTO lessons(training_id,title,description,description_html,"   \
			    "starts_at,minutes,lecturer_id,checkin_code,created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)") \
	X(LESSON_UPDATE, 0, "UPDATE lessons SET title=?2,description=?3,description_html=?4,"       \
			    "starts_at=?5,minutes=?6,lecturer_id=?7,sequence=?8,updated_at=?9 WHERE id=?1")                   \
	X(LESSON_DELETE, 0, "DELETE FROM lessons WHERE id=?1")                                      \
	X(LESSON_GET, LESSON_NCOLS, LESSON_SELECT " WHERE l.id=?1")                                 \
	X(LESSONS, LESSON_NCOLS, LESSON_SELECT " WHERE l.training_id=?1 ORDER BY l.starts_at, l.id") \
	X(LESSON_MATERIALS_CLEAR, 0, "DELETE FROM lesson_materials WHERE lesson_id=?1")             \
	X(LESSON_MATERIAL_ADD, 0, "INSERT OR IGNORE INTO lesson_materials(lesson_id,material_id) VALUES(?1,?2)") \
	X(LESSON_MATERIAL_IDS, 1, "SELECT material_id FROM lesson_materials WHERE lesson_id=?1 ORDER BY 1") \
	X(TRAINING_MATERIAL_IDS, 1, "SELECT DISTINCT lm.material_id FROM lesson_materials lm"       \
				    " JOIN lessons l ON l.id=lm.lesson_id WHERE l.training_id=?1 ORDER BY 1") \
	X(ATTEND, 0, "INSERT OR IGNORE INTO attendance(lesson_id,user_id,how,at) VALUES(?1,?2,?3,?4)") \
	X(ATTENDED, 1, "SELECT 1 FROM attendance WHERE lesson_id=?1 AND user_id=?2")                \
	X(RATED, 1, "SELECT 1 FROM lesson_ratings WHERE lesson_id=?1 AND user_id=?2")               \
	X(RATE, 0, "INSERT INTO lesson_ratings(lesson_id,user_id,score,comment,at) VALUES(?1,?2,?3,?4,?5)") \
	X(DUE_EXISTS, 1, "SELECT 1 FROM training_participants WHERE " DUE_TRAINEE " LIMIT 1")       \
	X(COMPLETE_DUE, 0, "UPDATE training_participants SET state='completed',completed_at=?2,"    \
			   "completed_by=NULL,auto_done=1 WHERE " DUE_TRAINEE)                      \
	X(NOTIFY_TRAINING, 0, "INSERT INTO notifications(user_id,kind,training_id,actor_id,detail,created_at)" \
			      " SELECT user_id,'training',?1,?3,?4,?5 FROM training_participants"   \
			      " WHERE training_id=?1 AND role='trainee' AND state IN ('enrolled','completed')" \
			      " AND (?2=0 OR user_id=?2) AND user_id IS NOT ?3")
/* Follow-ups (waves), raters and invitations (store_followup.c). */
#define FU_NCOLS 11 /* followup_row (store_followup.c) */
#define FU_SELECT                                                                          \
	"SELECT f.id,f.training_id,f.template_id,coalesce(f.questionnaire_id,0),f.opens_after_days," \
	"f.respondents,f.remind_after_days,coalesce(f.created_by,0),f.created_at,"           \
	"(SELECT count(*) FROM followup_invitations i WHERE i.followup_id=f.id),"            \
	"(SELECT count(*) FROM followup_invitations i WHERE i.followup_id=f.id AND i.answered)" \
	" FROM followups f"
#define FU_TRAINEE " p.role='trainee' AND p.state IN ('enrolled','completed')"
#define FOLLOWUP_STATEMENTS(X)                                                                      \
	X(FU_INSERT, 0, "INSERT INTO followups(training_id,template_id,opens_after_days,respondents," \
			"remind_after_days,created_by,created_at) VALUES(?1,?2,?3,?4,?5,?6,?7)")      \
	X(FU_GET, FU_NCOLS, FU_SELECT " WHERE f.id=?1")                                             \
	X(FU_LIST, FU_NCOLS, FU_SELECT " WHERE f.training_id=?1 ORDER BY f.id")                     \
	X(FU_BY_Q, FU_NCOLS, FU_SELECT " WHERE f.questionnaire_id=?1")                              \
	X(FU_SET_Q, 0, "UPDATE followups SET questionnaire_id=?2 WHERE id=?1")                      \
	X(FU_INVITE_TRAINEES, 0, "INSERT OR IGNORE INTO followup_invitations(followup_id,user_id)"  \
				 " SELECT ?1,p.user_id FROM training_participants p WHERE p.training_id=?2 AND" FU_TRAINEE) \
	X(FU_INVITE_RATERS, 0, "INSERT OR IGNORE INTO followup_invitations(followup_id,user_id,about_id)" \
			       " SELECT ?1,r.rater_id,r.trainee_id FROM training_raters r JOIN training_participants p" \
			       " ON p.training_id=r.training_id AND p.user_id=r.trainee_id AND" FU_TRAINEE  \
			       " WHERE r.training_id=?2")                                            \
	X(FU_NOTIFY, 0, "INSERT INTO notifications(user_id,kind,training_id,detail,created_at)"     \
			" SELECT DISTINCT user_id,'followup',?2,?3,?4 FROM followup_invitations"      \
			" WHERE followup_id=?1 AND (?5=0 OR answered=0)")                            \
	X(FU_RATERS_CLEAR, 0, "DELETE FROM training_raters WHERE training_id=?1 AND trainee_id=?2") \
	X(FU_RATER_ADD, 0, "INSERT OR IGNORE INTO training_raters(training_id,trainee_id,rater_id)" \
			   " VALUES(?1,?2,?3)")                                                     \
	X(FU_INVITATION, 1, "SELECT i.answered FROM followup_invitations i JOIN followups f"        \
			    " ON f.id=i.followup_id WHERE f.questionnaire_id=?1 AND i.user_id=?2 AND i.about_id=?3") \
	X(FU_INVITED, 1, "SELECT 1 FROM followup_invitations i JOIN followups f ON f.id=i.followup_id" \
			 " WHERE f.questionnaire_id=?1 AND i.user_id=?2 AND (?3=0 OR i.answered=0) LIMIT 1") \
	X(FU_ANSWER, 0, "UPDATE followup_invitations SET answered=1 WHERE followup_id=?1 AND user_id=?2" \
			" AND about_id=?3 AND answered=0")                                            \
	X(FU_RESPONSE, 0, "INSERT INTO responses(id,questionnaire_id,respondent_id,answers,created_at,about_id)" \
			  " VALUES(" RESPONSE_ID ",?1,?2,?3,?4,?5)")                                 \
	X(FU_ABOUT, 2, "SELECT u.username, i.answered FROM followup_invitations i JOIN followups f" \
		       " ON f.id=i.followup_id JOIN users u ON u.id=i.about_id"                     \
		       " WHERE f.questionnaire_id=?1 AND i.user_id=?2 ORDER BY u.username")

/* Scheduled work (store_job.c). A job is claimable when it is due, or running under a lease
 * that has passed (its runner died): the oldest first. ?1 is now everywhere. */
#define JOB_NCOLS 5 /* job_row (store_job.c) */
#define JOB_CLAIMABLE                                                                      \
	"SELECT id, due_at AS at FROM jobs WHERE state='due' AND due_at<=?1"                 \
	" UNION ALL SELECT id, claimed_until FROM jobs WHERE state='running' AND claimed_until<=?1"
#define JOB_MINE " WHERE id=?2 AND state='running' AND claimed_by=?3"
#define JOB_STATEMENTS(X)                                                                           \
	X(JOB_SCHEDULE, 0, "INSERT INTO jobs(kind,key,due_at,created_at) VALUES(?2,?3,?4,?1)"       \
			   " ON CONFLICT(kind,key) DO NOTHING")                                     \
	X(JOB_MOVE, 0, "INSERT INTO jobs(kind,key,due_at,created_at) VALUES(?2,?3,?4,?1)"           \
		       " ON CONFLICT(kind,key) DO UPDATE SET due_at=excluded.due_at WHERE jobs.state='due'") \
	X(JOB_ENSURE, 0, "INSERT INTO jobs(kind,key,due_at,created_at) VALUES(?2,?3,?4,?1)"         \
			 " ON CONFLICT(kind,key) DO UPDATE SET state='due', due_at=excluded.due_at,"  \
			 " attempts=0, last_error=NULL WHERE jobs.state='failed'")                       \
	X(JOB_CANCEL, 0, "DELETE FROM jobs WHERE kind=?1 AND key=?2 AND state='due'")               \
	X(JOB_CLAIM, JOB_NCOLS, "UPDATE jobs SET state='running', attempts=attempts+1, claimed_by=?2," \
				" claimed_until=?1+?3 WHERE id=(SELECT id FROM (" JOB_CLAIMABLE ")"  \
				" ORDER BY at, id LIMIT 1) RETURNING id,kind,key,due_at,attempts")  \
	X(JOB_FINISH, 0, "UPDATE jobs SET state=CASE WHEN ?4 IS NULL THEN 'done' ELSE 'due' END,"    \
			 " due_at=coalesce(?4,due_at), attempts=CASE WHEN ?4 IS NULL THEN attempts ELSE 0 END," \
			 " runs=runs+1, done_at=?1, claimed_until=NULL, last_error=NULL" JOB_MINE)  \
	X(JOB_FAIL, 0, "UPDATE jobs SET state=CASE WHEN ?4 IS NULL THEN 'failed' ELSE 'due' END,"      \
		       " due_at=coalesce(?4,due_at), done_at=CASE WHEN ?4 IS NULL THEN ?1 END,"      \
		       " claimed_until=NULL, last_error=?5" JOB_MINE)                               \
	X(JOB_COUNT_DUE, 1, "SELECT count(*) FROM (" JOB_CLAIMABLE ")")

#include "store_impl_mail.h"
#include "store_impl_records.h"
#include "store_impl_reports.h"
#include "store_impl_lecturer.h"
#include "store_impl_answers.h"
#include "store_impl_drafts.h"
#include "store_impl_uploads.h"
#include "store_impl_modlog.h"
#include "store_impl_composer.h"
#include "store_impl_things.h"

#define STATEMENTS(X)                                                                      \
	CORE_STATEMENTS(X) SITE_STATEMENTS(X) USER_STATEMENTS(X) BOARD_STATEMENTS(X) THREAD_STATEMENTS(X) \
	MOD_STATEMENTS(X) ASSOC_STATEMENTS(X) Q_STATEMENTS(X) MATERIAL_STATEMENTS(X) FOLLOW_STATEMENTS(X) \
	SEARCH_STATEMENTS(X) FEED_STATEMENTS(X) TRAINING_STATEMENTS(X) JOB_STATEMENTS(X) FOLLOWUP_STATEMENTS(X) \
	MAIL_STATEMENTS(X) DIGEST_STATEMENTS(X) ANN_STATEMENTS(X) RECORD_STATEMENTS(X) \
	REPORT_STATEMENTS(X) LECTURER_STATEMENTS(X) ANSWER_STATEMENTS(X) DRAFT_STATEMENTS(X) UPLOAD_STATEMENTS(X) \
	COMPOSER_STATEMENTS(X) THING_STATEMENTS(X)

enum stmt_id {
#define X(name, ncols, sql) ST_##name,
	STATEMENTS(X)
#undef X
	ST_COUNT
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmts[ST_COUNT];
	int writing; /* holds write_lock: inside store_begin .. commit/rollback */
};

int sql_status(int rc);
/* sql_status of what stepping st returned, with a failed write told apart by the system's
 * error: full (ENOSPC, EDQUOT, EFBIG), read-only (EROFS, EACCES, EPERM) or another I/O error. */
int sql_step_status(sqlite3_stmt *st, int rc);
/* The cached statement (store_open prepared them all), reset and ready to bind. */
sqlite3_stmt *sql_stmt(struct store *s, enum stmt_id id);

/* One parameter of a statement: an integer, a text (NULL binds NULL) or an id (0 binds NULL,
 * the store's "none"). Written SQL_INT(v), SQL_TEXT(v), SQL_ID(v) in a SQL_BIND list. */
struct sql_arg {
	enum { SQL_ARG_INT, SQL_ARG_TEXT, SQL_ARG_ID } kind;
	int64_t i;
	const char *t;
};
#define SQL_INT(v)   {SQL_ARG_INT, (v), NULL}
#define SQL_TEXT(v)  {SQL_ARG_TEXT, 0, (v)}
#define SQL_ID(v)    {SQL_ARG_ID, (v), NULL}
/* A page of a list: its limit and offset, as two parameters. */
#define SQL_PAGE(pg) SQL_INT((pg).limit), SQL_INT((pg).offset)
/* The cached statement id with its parameters ?1, ?2, ... bound to the arguments in order. */
#define SQL_BIND(s, id, ...)                                                                 \
	sql_bind((s), (id), (const struct sql_arg[]){__VA_ARGS__},                           \
		 sizeof((const struct sql_arg[]){__VA_ARGS__}) / sizeof(struct sql_arg))
sqlite3_stmt *sql_bind(struct store *s, enum stmt_id id, const struct sql_arg *args, size_t n);

const char *sql_col_text(sqlite3_stmt *st, int i, struct arena *a);
/* Runs a statement that returns no rows. */
int sql_exec(sqlite3_stmt *st);
/* Runs an INSERT; on success *id is the new row's. */
int sql_insert(struct store *s, sqlite3_stmt *st, int64_t *id);
/* Runs an UPDATE or DELETE meant for one row: STORE_NOTFOUND when it touched none. */
int sql_change(struct store *s, sqlite3_stmt *st);
/* Steps to the first row: STORE_OK with a row ready, STORE_NOTFOUND, or an error. */
int sql_first_row(sqlite3_stmt *st);
/* Whether the statement finds a row: STORE_OK or STORE_NOTFOUND (or an error). */
int sql_found(sqlite3_stmt *st);
/* The integer in the first column of the first row. */
int64_t sql_scalar(sqlite3_stmt *st, int *status);
/* The two integers of a one-row statement. */
int sql_pair(sqlite3_stmt *st, int64_t *first, int64_t *second);

/* How a record is read from a row: its fields in the order of their columns. SQL_FIELD takes a
 * field's kind from its C type, so a column cannot be read into a field of another type; the
 * kinds that read several columns read a nested record (a term, a user, a thread). */
enum sql_kind {
	SQL_COL_I64, SQL_COL_INT, SQL_COL_TEXT, SQL_COL_DBL,
	SQL_COL_ROLE,  /* enum role from its name */
	SQL_COL_STATE, /* enum post_state from its name */
	SQL_COL_TERM, SQL_COL_USER, SQL_COL_THREAD,
	SQL_COL_POST, /* a nested post (POST_COLS), only through SQL_FIELD_AS */
};
struct sql_field {
	unsigned char kind;
	unsigned short offset;
};
struct sql_row {
	const struct sql_field *fields;
	size_t nfields;
	size_t size; /* of the record */
};
#define SQL_FIELD(T, f)                                                                      \
	{_Generic(((T *)0)->f, int64_t: SQL_COL_I64, int: SQL_COL_INT, const char *: SQL_COL_TEXT, \
		  double: SQL_COL_DBL,                                                       \
		  struct term: SQL_COL_TERM, struct user: SQL_COL_USER, struct thread: SQL_COL_THREAD), \
	 offsetof(T, f)}
#define SQL_FIELD_AS(kind, T, f) {(kind), offsetof(T, f)}
#define SQL_ROW(T, fields) {(fields), sizeof(fields) / sizeof((fields)[0]), sizeof(T)}

/* The records several areas read: a term, a user (USER_COLS), a thread (THREAD_COLS), a post
 * (POST_SELECT), and rows of one column read into a const char * or an int64_t. */
extern const struct sql_row sql_term_row, sql_user_row, sql_thread_row, sql_post_row, sql_text_row, sql_id_row;
/* How many columns a layout reads. */
int sql_row_width(const struct sql_row *row);
/* Reads the first row into out (zeroed first). */
int sql_one_row(sqlite3_stmt *st, struct arena *a, const struct sql_row *row, void *out);
/* Reads every row into a growing arena array: *out holds *n records. */
int sql_collect(sqlite3_stmt *st, struct arena *a, const struct sql_row *row, void **out, size_t *n);
/* A page of a list and the size of the whole: *total from count (one integer), then the rows. */
int sql_page(sqlite3_stmt *count, int64_t *total, sqlite3_stmt *rows, struct arena *a, const struct sql_row *row,
	     void **out, size_t *n);

/* Whether everyone sees a post in this state (a deleted one as a placeholder). */
int sql_post_shown(enum post_state st);

#endif
