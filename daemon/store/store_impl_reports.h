/* store_impl_reports: the statements of the training report (store_report.c), a part of
 * store_impl.h's table kept apart by area. Included by store_impl.h only. */
#ifndef AGORA_STORE_IMPL_REPORTS_H
#define AGORA_STORE_IMPL_REPORTS_H

/* A training of the period ?1..?2: one that overlaps it. */
#define REPORT_OVERLAP " x.starts_on<=?2 AND x.ends_on>=?1"
#define REPORT_TRAINEE "p.role='trainee' AND p.state IN ('enrolled','completed')"
#define REPORT_LESSONS(extra) "(SELECT count(*) FROM lessons l WHERE l.training_id=x.id" extra ")"
#define REPORT_SELECT                                                                      \
	"SELECT x.slug,x.title,x.starts_on,x.ends_on,x.hours,"                              \
	"(SELECT count(*) FROM training_participants p WHERE p.training_id=x.id AND " REPORT_TRAINEE ")," \
	"(SELECT count(*) FROM training_participants p WHERE p.training_id=x.id AND p.state='completed')," \
	REPORT_LESSONS("") "," REPORT_LESSONS(" AND l.starts_at<=?3") ","                   \
	"(SELECT count(*) FROM lessons l JOIN attendance a ON a.lesson_id=l.id"             \
	" JOIN training_participants p ON p.training_id=l.training_id AND p.user_id=a.user_id AND " REPORT_TRAINEE \
	" WHERE l.training_id=x.id AND l.starts_at<=?3),"                                   \
	"(SELECT coalesce(sum(r.score),0) FROM lessons l JOIN lesson_ratings r ON r.lesson_id=l.id" \
	" WHERE l.training_id=x.id),"                                                        \
	"(SELECT count(*) FROM lessons l JOIN lesson_ratings r ON r.lesson_id=l.id WHERE l.training_id=x.id)," \
	"(SELECT count(*) FROM followups f JOIN followup_invitations i ON i.followup_id=f.id" \
	" WHERE f.training_id=x.id),"                                                        \
	"(SELECT count(*) FROM followups f JOIN followup_invitations i ON i.followup_id=f.id" \
	" WHERE f.training_id=x.id AND i.answered)"                                          \
	" FROM trainings x WHERE" REPORT_OVERLAP
/* Every trainee row of the period's trainings with the member's terms (0: none), for the
 * breakdowns, which the domain adds up: one pass, trainings first (CROSS JOIN fixes the order:
 * from the period's trainings to their participants to the members, not every participant),
 * the members' terms read from the narrow index of migration 20. */
#define REPORT_TRAINEE_ROWS                                                                \
	"SELECT coalesce(u.region_id,0),coalesce(u.position_id,0),coalesce(u.industry_id,0)," \
	"p.state='completed',x.hours FROM trainings x CROSS JOIN training_participants p"   \
	" ON p.training_id=x.id AND " REPORT_TRAINEE " CROSS JOIN users u INDEXED BY users_terms ON u.id=p.user_id WHERE" REPORT_OVERLAP
#define REPORT_STATEMENTS(X)                                                                        \
	X(REPORT_TRAININGS, 14, REPORT_SELECT " ORDER BY x.starts_on, x.id LIMIT ?4 OFFSET ?5")     \
	X(REPORT_TRAININGS_COUNT, 1, "SELECT count(*) FROM trainings x WHERE" REPORT_OVERLAP)       \
	X(REPORT_TRAINEES, 5, REPORT_TRAINEE_ROWS)

#endif
