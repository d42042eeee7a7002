/* store_impl_modlog: the names the public moderation log reads beside each entry (MOD_LOG in
 * store_impl.h's MOD_STATEMENTS), a part of store_impl.h kept apart by area. Included by
 * store_impl.h only. */
#ifndef AGORA_STORE_IMPL_MODLOG_H
#define AGORA_STORE_IMPL_MODLOG_H

/* What an entry names, for the log's readers: the target's title or name (a thread's only
 * while it is listed), the key its page is found by (username, slug), and the board or the
 * member the reason names (appoint_moderator, *_member). The reader clears them when unseen. */
#define MOD_LOG_NAMES                                                                      \
	"coalesce(u.display_name,u.username), CASE l.target_type"                            \
	" WHEN 'post' THEN (SELECT nt.title FROM posts np JOIN threads nt ON nt.id=np.thread_id" \
	"  WHERE np.id=l.target_id AND nt.visible=1)"                                        \
	" WHEN 'thread' THEN (SELECT title FROM threads WHERE id=l.target_id AND visible=1)" \
	" WHEN 'user' THEN (SELECT coalesce(display_name,username) FROM users WHERE id=l.target_id)" \
	" WHEN 'association' THEN (SELECT name FROM associations WHERE id=l.target_id)"     \
	" WHEN 'board' THEN (SELECT title FROM boards WHERE id=l.target_id) END,"           \
	" CASE l.target_type WHEN 'user' THEN (SELECT username FROM users WHERE id=l.target_id)" \
	" WHEN 'association' THEN (SELECT slug FROM associations WHERE id=l.target_id)"     \
	" WHEN 'board' THEN (SELECT slug FROM boards WHERE id=l.target_id) END,"            \
	" CASE WHEN l.action='appoint_moderator' THEN (SELECT title FROM boards WHERE slug=l.reason)" \
	" WHEN l.action LIKE '%\\_member' ESCAPE '\\' THEN"                                    \
	"  (SELECT coalesce(display_name,username) FROM users WHERE username=l.reason) END"

#endif
