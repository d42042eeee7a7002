/* store_impl_records: the statements of learning records and the rotation report
 * (store_record.c), a part of store_impl.h's table kept apart by area. Included by
 * store_impl.h only, after the fragments it builds on. */
#ifndef AGORA_STORE_IMPL_RECORDS_H
#define AGORA_STORE_IMPL_RECORDS_H

/* The one statement of the rotation rule (struct rotation_rule in store_record.h): the day a
 * member u is due, from the parameters years and offset (the site zone's seconds east of UTC).
 * SQLite's date() carries 29 February into 1 March of a common year. */
#define ROTATION_DUE(u, years, offset)                                                     \
	"(CASE WHEN " u ".last_completed_on IS NULL THEN date(" u ".created_at+" offset ",'unixepoch')" \
	" ELSE date(" u ".last_completed_on,'+'||" years "||' years') END)"
/* A member's trainings as trainee; ?2 not 0: only those ?2 organises. */
#define RECORD_PART                                                                        \
	" FROM training_participants p JOIN trainings t ON t.id=p.training_id"              \
	" WHERE p.user_id=?1 AND p.role='trainee' AND (?2=0 OR EXISTS(SELECT 1 FROM training_participants o" \
	" WHERE o.training_id=t.id AND o.user_id=?2 AND o.role='organiser'))"
/* Overdue: due by today (?3). One who never completed a training is due from the day they
 * joined, so always; one who did, when the last completion lies N years back, which the index
 * of last_completed_on finds (the exact date() check only settles the day at the range's end). */
#define ROTATION_LATE                                                                      \
	"(u.last_completed_on IS NULL OR (u.last_completed_on<date(?3,'-'||?1||' years','+1 day')" \
	" AND date(u.last_completed_on,'+'||?1||' years')<=?3))"
#define ROTATION_WHERE(late)                                                               \
	" WHERE (?4=0 OR u.region_id=?4) AND (?5=0 OR u.position_id=?5) AND (?6=0 OR u.industry_id=?6)" late
/* A page of members, those who never completed a training first (oldest account first), then
 * by last completion, which is by due day: the order of the index of last_completed_on (NULL
 * first, then the rowid), so that a page reads only its own rows of 100,000. */
#define ROTATION_PAGE(late)                                                                \
	"SELECT " USER_COLS ",u.last_completed_on," ROTATION_DUE("u", "?1", "?2") ","       \
	ROTATION_DUE("u", "?1", "?2") "<=?3" USER_FROM ROTATION_WHERE(late)               \
	" ORDER BY u.last_completed_on, u.id LIMIT ?7 OFFSET ?8"
/* what of the published posts of member ?1 that viewer ?2 sees (?3: all of them), answer-first
 * answers hidden from the viewer left out as everywhere */
#define RECORD_POSTS(what)                                                                 \
	"(SELECT " what " FROM posts p JOIN threads t ON t.id=p.thread_id JOIN boards b ON b.id=t.board_id" \
	" WHERE p.author_id=?1 AND p.state='published' AND (?3 OR (" BOARD_VISIBLE("b", "?2")    \
	" AND " ANSWER_VISIBLE("p", "p.thread_id", "?2") ")))"
#define RECORD_STATEMENTS(X)                                                                        \
	X(RECORD_TRAININGS, 7, "SELECT t.slug,t.title,t.ends_on,p.state,t.hours,"                  \
			       "(SELECT count(*) FROM attendance a JOIN lessons l ON l.id=a.lesson_id"     \
			       " WHERE l.training_id=t.id AND a.user_id=p.user_id),"                        \
			       "(SELECT count(*) FROM lessons l WHERE l.training_id=t.id)"                 \
			       RECORD_PART " ORDER BY t.ends_on DESC, t.id DESC LIMIT ?3 OFFSET ?4")       \
	X(RECORD_TRAININGS_COUNT, 1, "SELECT count(*)" RECORD_PART)                                  \
	X(RECORD_TOTALS, 2, "SELECT coalesce(sum(t.hours),0),max(t.ends_on)" RECORD_PART             \
			    " AND p.state='completed'")                                                 \
	X(RECORD_DUE, 1, "SELECT " ROTATION_DUE("u", "?2", "?3") " FROM users u WHERE u.id=?1")    \
	/* posts and the helpful marks they received count where the viewer sees them (all: \
	 * ?3); a follow-up wave's answers are told by its invitations, not by receipts */     \
	X(RECORD_ACTIVITY, 4, "SELECT " RECORD_POSTS("count(*)") "," RECORD_POSTS("coalesce(sum(p.helpful_count),0)") "," \
			      "(SELECT count(*) FROM material_downloads WHERE user_id=?1),"             \
			      "(SELECT count(*) FROM response_receipts WHERE user_id=?1)+(SELECT"       \
			      " count(DISTINCT followup_id) FROM followup_invitations WHERE user_id=?1 AND answered)") \
	X(MATERIAL_DOWNLOAD_RECORD, 0, "INSERT OR IGNORE INTO material_downloads(material_id,user_id,at)" \
				       " VALUES(?1,?2,?3)")                                          \
	X(ROTATION, 3 + USER_NCOLS, ROTATION_PAGE(""))                                              \
	X(ROTATION_LATE, 3 + USER_NCOLS, ROTATION_PAGE(" AND " ROTATION_LATE))                       \
	X(ROTATION_COUNT, 1, "SELECT count(*) FROM users u" ROTATION_WHERE(""))                       \
	X(ROTATION_LATE_COUNT, 1, "SELECT count(*) FROM users u" ROTATION_WHERE(" AND " ROTATION_LATE))

#endif
