/* store_impl_things: the statements of site search over materials, questionnaires and
 * trainings (store_search.c), a part of store_impl.h's table kept apart by area. Included by
 * store_impl.h only, after the fragments it builds on (ATTACHED_VISIBLE). */
#ifndef AGORA_STORE_IMPL_THINGS_H
#define AGORA_STORE_IMPL_THINGS_H

/* thing_fts (migration 24): rowid = id*4 + kind, 1 material, 2 questionnaire, 3 training. Each
 * row passes the rule of its own page: a material or questionnaire is attached to a board or
 * association the viewer ?2 may see (ATTACHED_VISIBLE, as access_content_visible), a
 * questionnaire also when a follow-up invited ?2 to answer it (q_visible); a training's page
 * is open to all. ?1 MATCH, ?3 board slug, ?4 author username (NULL: any), ?5 the window. */
#define THING_VISIBLE                                                                      \
	"(CASE thing_fts.rowid%4 WHEN 1 THEN " ATTACHED_VISIBLE("tm", "?2")                 \
	" WHEN 2 THEN (" ATTACHED_VISIBLE("tq", "?2") " OR EXISTS(SELECT 1 FROM"            \
	" followup_invitations vi JOIN followups vf ON vf.id=vi.followup_id"                \
	" WHERE vf.questionnaire_id=tq.id AND vi.user_id=?2))"                              \
	" WHEN 3 THEN tx.id IS NOT NULL ELSE 0 END)"
#define THING_NEWEST                                                                       \
	"WITH m AS MATERIALIZED (SELECT thing_fts.rowid AS id, agora_rank(thing_fts, 10.0, 1.0) AS score," \
	" thing_fts.title AS title, thing_fts.body AS body, tx.slug AS slug FROM thing_fts"  \
	" LEFT JOIN materials tm ON thing_fts.rowid%4=1 AND tm.id=thing_fts.rowid/4"        \
	" LEFT JOIN questionnaires tq ON thing_fts.rowid%4=2 AND tq.id=thing_fts.rowid/4"   \
	" LEFT JOIN trainings tx ON thing_fts.rowid%4=3 AND tx.id=thing_fts.rowid/4"        \
	" WHERE thing_fts MATCH ?1 AND " THING_VISIBLE                                      \
	" AND (?3 IS NULL OR coalesce(tm.board_id,tq.board_id,tx.board_id)=(SELECT id FROM boards WHERE slug=?3))" \
	" AND (?4 IS NULL OR coalesce(tm.uploader_id,tq.created_by,tx.created_by)"          \
	"=(SELECT id FROM users WHERE username=?4))"                                        \
	" ORDER BY thing_fts.rowid DESC LIMIT ?5)"

#define THING_STATEMENTS(X)                                                                         \
	X(SEARCH_THINGS, 6, THING_NEWEST " SELECT id%4,id/4,coalesce(slug,''),title,body,"          \
			    "(SELECT count(*) FROM m) FROM m ORDER BY score, id DESC LIMIT ?6 OFFSET ?7") \
	X(SEARCH_THINGS_COUNT, 1, THING_NEWEST " SELECT count(*) FROM m")

#endif
