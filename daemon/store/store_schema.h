/* The schema migrations, in order: entry i brings the database from user_version i to i+1.
 * Only ever append; never edit a migration that has shipped. Kept apart from store.c
 * because it is data, not code. */
#ifndef AGORA_STORE_SCHEMA_H
#define AGORA_STORE_SCHEMA_H

/* A migration is one string literal however long: every compiler we build with takes strings
 * far beyond the 4095 bytes C99 promises. */
/* A member's last completion, as migration 18 wrote it into its triggers (so, like the
 * migration, never to be changed). */
#define LAST_COMPLETED(user)                                                               \
	"(SELECT max(t.ends_on) FROM training_participants p JOIN trainings t ON t.id=p.training_id" \
	" WHERE p.user_id=" user " AND p.state='completed')"

/* The searchable row of one material, questionnaire or training in thing_fts, as migration 24
 * wrote it into its triggers (so never to be changed). rowid = id*4 + kind (1 material, 2
 * questionnaire, 3 training), so a trigger replaces a row by its rowid. A material's body is
 * the text of its description and the file names of its versions; a questionnaire's, its
 * prompts (json_valid: a malformed definition is indexed by its title alone, never fails). */
#define THING_FTS_MATERIAL(id)                                                             \
	"INSERT INTO thing_fts(rowid,title,body) SELECT tm.id*4+1,tm.title,"                \
	"agora_text(tm.description_html)||char(10)||coalesce((SELECT group_concat(tv.filename,char(10))" \
	" FROM material_versions tv WHERE tv.material_id=tm.id),'') FROM materials tm WHERE tm.id=" id ";"
#define THING_FTS_QUESTIONNAIRE(id)                                                        \
	"INSERT INTO thing_fts(rowid,title,body) SELECT tq.id*4+2,tq.title,"                \
	"CASE WHEN json_valid(tq.questions) THEN coalesce((SELECT group_concat(json_extract(j.value,'$.prompt'),char(10))" \
	" FROM json_each(tq.questions) j),'') ELSE '' END FROM questionnaires tq WHERE tq.id=" id ";"
#define THING_FTS_TRAINING(id)                                                             \
	"INSERT INTO thing_fts(rowid,title,body) SELECT tx.id*4+3,tx.title,agora_text(tx.description_html)" \
	" FROM trainings tx WHERE tx.id=" id ";"
#define THING_FTS_DROP(rowid) "DELETE FROM thing_fts WHERE rowid=" rowid ";"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
static const char *const store_migrations[] = {
	/* 1: accounts, taxonomy, boards, threads, posts */
	"CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE terms(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, slug TEXT NOT NULL,"
	"  name TEXT NOT NULL, UNIQUE(kind, slug));"
	"CREATE TABLE users(id INTEGER PRIMARY KEY,"
	"  username TEXT NOT NULL COLLATE NOCASE UNIQUE, display_name TEXT NOT NULL,"
	"  pw_hash TEXT NOT NULL,"
	"  role TEXT NOT NULL CHECK(role IN ('member','lecturer','moderator','admin')),"
	"  region_id INTEGER REFERENCES terms(id) ON DELETE SET NULL,"
	"  position_id INTEGER REFERENCES terms(id) ON DELETE SET NULL,"
	"  industry_id INTEGER REFERENCES terms(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL, post_count INTEGER NOT NULL DEFAULT 0,"
	"  banned_until INTEGER NOT NULL DEFAULT 0, ban_reason TEXT);"
	"CREATE TABLE sessions(digest TEXT PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE login_failures(id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE,"
	"  addr TEXT, at INTEGER NOT NULL);"
	"CREATE INDEX login_failures_name ON login_failures(name, at);"
	"CREATE INDEX login_failures_addr ON login_failures(addr, at);"
	"CREATE TABLE invites(code TEXT PRIMARY KEY, created_by INTEGER REFERENCES users(id),"
	"  created_at INTEGER NOT NULL, used_by INTEGER REFERENCES users(id));"
	"CREATE TABLE boards(id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',"
	"  industry_id INTEGER REFERENCES terms(id) ON DELETE SET NULL,"
	"  position_id INTEGER REFERENCES terms(id) ON DELETE SET NULL,"
	"  association_id INTEGER,"
	"  thread_count INTEGER NOT NULL DEFAULT 0, post_count INTEGER NOT NULL DEFAULT 0,"
	"  last_post_at INTEGER, created_at INTEGER NOT NULL);"
	"CREATE TABLE board_moderators(board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  PRIMARY KEY(board_id, user_id));"
	"CREATE TABLE threads(id INTEGER PRIMARY KEY,"
	"  board_id INTEGER NOT NULL REFERENCES boards(id),"
	"  title TEXT NOT NULL, author_id INTEGER NOT NULL REFERENCES users(id),"
	"  created_at INTEGER NOT NULL, last_post_at INTEGER NOT NULL,"
	"  reply_count INTEGER NOT NULL DEFAULT 0, pinned INTEGER NOT NULL DEFAULT 0,"
	"  locked INTEGER NOT NULL DEFAULT 0, root_post_id INTEGER,"
	"  visible INTEGER NOT NULL DEFAULT 1);"
	"CREATE INDEX threads_board ON threads(board_id, pinned DESC, last_post_at DESC);"
	"CREATE INDEX threads_recent ON threads(last_post_at DESC);"
	"CREATE TABLE posts(id INTEGER PRIMARY KEY,"
	"  thread_id INTEGER NOT NULL REFERENCES threads(id),"
	"  parent_id INTEGER REFERENCES posts(id), depth INTEGER NOT NULL,"
	"  path TEXT NOT NULL DEFAULT '',"
	"  author_id INTEGER NOT NULL REFERENCES users(id),"
	"  body TEXT NOT NULL, body_html TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, edited_at INTEGER NOT NULL DEFAULT 0,"
	"  state TEXT NOT NULL CHECK(state IN ('published','pending','rejected','deleted')));"
	"CREATE INDEX posts_tree ON posts(thread_id, path);"
	"CREATE INDEX posts_time ON posts(thread_id, created_at, id);"
	"CREATE INDEX posts_author ON posts(author_id);"
	"CREATE TABLE revisions(post_id INTEGER NOT NULL REFERENCES posts(id),"
	"  rev INTEGER NOT NULL, editor_id INTEGER NOT NULL REFERENCES users(id),"
	"  created_at INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY(post_id, rev));",
	/* 2: the default taxonomy: industries, positions, and the 34 provincial-level regions */
	"INSERT INTO terms(kind,slug,name) VALUES (0,'agriculture','农业农村'),(0,'education','教育'),(0,'health','卫生健康'),(0,'industry-it','工业和信息化'),(0,'emergency','应急管理'),(0,'ecology','生态环境'),(0,'transport','交通运输'),(0,'water','水利'),(0,'commerce','商务'),(0,'culture-tourism','文化和旅游'),(0,'civil-affairs','民政'),(0,'natural-resources','自然资源');"
	"INSERT INTO terms(kind,slug,name) VALUES (1,'township-secretary','乡镇党委书记'),(1,'township-head','乡镇长'),(1,'village-secretary','村党组织书记'),(1,'first-secretary','驻村第一书记'),(1,'county-head','县长'),(1,'bureau-director','县直部门局长'),(1,'section-chief','科长'),(1,'grid-worker','网格员'),(1,'community-worker','社区工作者'),(1,'school-principal','中小学校长'),(1,'village-doctor','乡村医生'),(1,'party-school-lecturer','党校教师');"
	"INSERT INTO terms(kind,slug,name) VALUES (2,'beijing','北京市'),(2,'tianjin','天津市'),(2,'hebei','河北省'),(2,'shanxi','山西省'),(2,'neimenggu','内蒙古自治区'),(2,'liaoning','辽宁省'),(2,'jilin','吉林省'),(2,'heilongjiang','黑龙江省'),(2,'shanghai','上海市'),(2,'jiangsu','江苏省'),(2,'zhejiang','浙江省'),(2,'anhui','安徽省'),(2,'fujian','福建省'),(2,'jiangxi','江西省'),(2,'shandong','山东省'),(2,'henan','河南省'),(2,'hubei','湖北省'),(2,'hunan','湖南省'),(2,'guangdong','广东省'),(2,'guangxi','广西壮族自治区'),(2,'hainan','海南省'),(2,'chongqing','重庆市'),(2,'sichuan','四川省'),(2,'guizhou','贵州省'),(2,'yunnan','云南省'),(2,'xizang','西藏自治区'),(2,'shaanxi','陕西省'),(2,'gansu','甘肃省'),(2,'qinghai','青海省'),(2,'ningxia','宁夏回族自治区'),(2,'xinjiang','新疆维吾尔自治区'),(2,'taiwan','台湾省'),(2,'xianggang','香港特别行政区'),(2,'aomen','澳门特别行政区');",
	/* 3: moderation: held edits, flags (held by a plugin, reported), the public log */
	"ALTER TABLE posts ADD COLUMN pending_body TEXT;"
	"ALTER TABLE posts ADD COLUMN pending_html TEXT;"
	"CREATE TABLE flags(id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL REFERENCES posts(id),"
	"  kind TEXT NOT NULL CHECK(kind IN ('held','report')), reporter_id INTEGER REFERENCES users(id),"
	"  reason TEXT NOT NULL, created_at INTEGER NOT NULL, resolved_at INTEGER);"
	"CREATE UNIQUE INDEX flags_one_report ON flags(post_id, reporter_id)"
	"  WHERE kind='report' AND resolved_at IS NULL;"
	"CREATE INDEX flags_open ON flags(post_id) WHERE resolved_at IS NULL;"
	"CREATE TABLE mod_log(id INTEGER PRIMARY KEY, actor_id INTEGER NOT NULL REFERENCES users(id),"
	"  action TEXT NOT NULL, target_type TEXT NOT NULL, target_id INTEGER NOT NULL,"
	"  reason TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL);",
	/* 4: associations and their members */
	"CREATE TABLE associations(id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  industry_id INTEGER REFERENCES terms(id) ON DELETE SET NULL,"
	"  position_id INTEGER REFERENCES terms(id) ON DELETE SET NULL,"
	"  join_policy TEXT NOT NULL CHECK(join_policy IN ('open','approval')),"
	"  visibility TEXT NOT NULL CHECK(visibility IN ('public','members')),"
	"  created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL);"
	"CREATE TABLE association_members("
	"  association_id INTEGER NOT NULL REFERENCES associations(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  status TEXT NOT NULL CHECK(status IN ('pending','member','officer')),"
	"  joined_at INTEGER NOT NULL, PRIMARY KEY(association_id, user_id));"
	"CREATE INDEX association_members_user ON association_members(user_id, status);"
	"CREATE INDEX boards_association ON boards(association_id);",
	/* 5: questionnaires. A receipt says that a member answered, apart from the answers, so an
	 * anonymous response keeps no link to its author (receipts have no time and no order). */
	"CREATE TABLE questionnaires(id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
	"  board_id INTEGER REFERENCES boards(id), association_id INTEGER REFERENCES associations(id),"
	"  anonymous INTEGER NOT NULL, closes_at INTEGER NOT NULL DEFAULT 0, questions TEXT NOT NULL,"
	"  created_by INTEGER NOT NULL REFERENCES users(id), created_at INTEGER NOT NULL);"
	"CREATE TABLE responses(id INTEGER PRIMARY KEY,"
	"  questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),"
	"  respondent_id INTEGER REFERENCES users(id), answers TEXT NOT NULL, created_at INTEGER NOT NULL);"
	"CREATE INDEX responses_q ON responses(questionnaire_id);"
	"CREATE TABLE response_receipts(questionnaire_id INTEGER NOT NULL REFERENCES questionnaires(id),"
	"  user_id INTEGER NOT NULL REFERENCES users(id), PRIMARY KEY(questionnaire_id, user_id)) WITHOUT ROWID;",
	/* 6: the materials library; files are stored once per content (files/SHA-256) */
	"CREATE TABLE materials(id INTEGER PRIMARY KEY, title TEXT NOT NULL, description TEXT NOT NULL,"
	"  description_html TEXT NOT NULL, board_id INTEGER REFERENCES boards(id),"
	"  association_id INTEGER REFERENCES associations(id),"
	"  uploader_id INTEGER NOT NULL REFERENCES users(id), created_at INTEGER NOT NULL,"
	"  downloads INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE material_versions(material_id INTEGER NOT NULL REFERENCES materials(id),"
	"  version INTEGER NOT NULL, sha256 TEXT NOT NULL, filename TEXT NOT NULL,"
	"  content_type TEXT NOT NULL, size INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '',"
	"  uploader_id INTEGER NOT NULL REFERENCES users(id), created_at INTEGER NOT NULL,"
	"  downloads INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(material_id, version));",
	/* 7: following: subscriptions to threads and boards, notifications, what each member has
	 * read of each thread (the highest post id seen when they last opened it) */
	"CREATE TABLE thread_subscriptions(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL, PRIMARY KEY(user_id, thread_id)) WITHOUT ROWID;"
	"CREATE INDEX thread_subscriptions_thread ON thread_subscriptions(thread_id);"
	"CREATE TABLE board_subscriptions(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  board_id INTEGER NOT NULL REFERENCES boards(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL, PRIMARY KEY(user_id, board_id)) WITHOUT ROWID;"
	"CREATE INDEX board_subscriptions_board ON board_subscriptions(board_id);"
	"CREATE TABLE notifications(id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK(kind IN ('reply','mention','moderation','subscription')),"
	"  post_id INTEGER REFERENCES posts(id), thread_id INTEGER REFERENCES threads(id),"
	"  actor_id INTEGER REFERENCES users(id), detail TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL, read_at INTEGER);"
	"CREATE INDEX notifications_user ON notifications(user_id, id);"
	"CREATE INDEX notifications_unread ON notifications(user_id, thread_id) WHERE read_at IS NULL;"
	/* one notification per member and post, whatever the kind; moderation outcomes excepted */
	"CREATE UNIQUE INDEX notifications_once ON notifications(user_id, post_id)"
	"  WHERE kind<>'moderation';"
	"CREATE TABLE thread_reads(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,"
	"  last_post_id INTEGER NOT NULL, read_at INTEGER NOT NULL,"
	"  PRIMARY KEY(user_id, thread_id)) WITHOUT ROWID;"
	"CREATE INDEX posts_thread_id ON posts(thread_id, id);"
	/* a board's newest threads, for its Atom feed */
	"CREATE INDEX threads_board_new ON threads(board_id, id);",
	/* 8: full-text search. post_fts holds exactly the published posts (rowid = posts.id):
	 * the thread title for a thread's first post, '' for replies, and the plain text of the
	 * rendered body, so Markdown syntax, tags and link URLs are not indexed. The triggers
	 * keep it right on every path that publishes, holds, rejects, deletes, restores or edits
	 * a post. agora_cjk and agora_text() are registered on each connection (fts_cjk.c). */
	"CREATE VIRTUAL TABLE post_fts USING fts5(title, body, tokenize='agora_cjk');"
	"CREATE TRIGGER post_fts_insert AFTER INSERT ON posts WHEN new.state='published' BEGIN"
	"  INSERT INTO post_fts(rowid, title, body) SELECT new.id,"
	"   CASE WHEN new.parent_id IS NULL THEN coalesce((SELECT title FROM threads WHERE id=new.thread_id), '')"
	"   ELSE '' END, agora_text(new.body_html);"
	"END;"
	"CREATE TRIGGER post_fts_update AFTER UPDATE OF state, body_html ON posts"
	"  WHEN old.state IS NOT new.state OR old.body_html IS NOT new.body_html BEGIN"
	"  DELETE FROM post_fts WHERE rowid=old.id;"
	"  INSERT INTO post_fts(rowid, title, body) SELECT new.id,"
	"   CASE WHEN new.parent_id IS NULL THEN coalesce((SELECT title FROM threads WHERE id=new.thread_id), '')"
	"   ELSE '' END, agora_text(new.body_html) WHERE new.state='published';"
	"END;"
	"CREATE TRIGGER post_fts_delete AFTER DELETE ON posts BEGIN"
	"  DELETE FROM post_fts WHERE rowid=old.id;"
	"END;"
	"INSERT INTO post_fts(rowid, title, body) SELECT p.id,"
	"  CASE WHEN p.parent_id IS NULL THEN t.title ELSE '' END, agora_text(p.body_html)"
	"  FROM posts p JOIN threads t ON t.id=p.thread_id WHERE p.state='published';",
	/* 9: trainings (培训班): their audience, participants (organisers and trainees), lessons with
	 * their materials, attendance and ratings; a training's own board (boards.training_id);
	 * notifications rebuilt so that their kinds may grow (training, followup, announcement,
	 * accepted) and a notification may name a training instead of a post. */
	"CREATE TABLE trainings(id INTEGER PRIMARY KEY, slug TEXT NOT NULL UNIQUE, title TEXT NOT NULL,"
	"  description TEXT NOT NULL DEFAULT '', description_html TEXT NOT NULL DEFAULT '',"
	"  starts_on TEXT NOT NULL, ends_on TEXT NOT NULL CHECK(ends_on>=starts_on),"
	"  hours REAL NOT NULL CHECK(hours>0),"
	"  enrolment TEXT NOT NULL CHECK(enrolment IN ('open','approval','assigned')),"
	"  capacity INTEGER CHECK(capacity IS NULL OR capacity>0),"
	"  completion_attendance INTEGER NOT NULL DEFAULT 80 CHECK(completion_attendance BETWEEN 0 AND 100),"
	"  board_id INTEGER REFERENCES boards(id), created_by INTEGER REFERENCES users(id),"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX trainings_starts ON trainings(starts_on, id);"
	"CREATE TABLE training_audience(training_id INTEGER NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,"
	"  kind INTEGER NOT NULL CHECK(kind IN (0,1,2)),"
	"  term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,"
	"  PRIMARY KEY(training_id, kind, term_id)) WITHOUT ROWID;"
	"CREATE TABLE training_participants(training_id INTEGER NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL CHECK(role IN ('organiser','trainee')), state TEXT,"
	"  joined_at INTEGER NOT NULL, completed_at INTEGER, completed_by INTEGER REFERENCES users(id),"
	"  auto_done INTEGER NOT NULL DEFAULT 0,"
	"  CHECK((role='organiser' AND state IS NULL) OR"
	"        (role='trainee' AND state IN ('pending','enrolled','completed'))),"
	"  PRIMARY KEY(training_id, user_id, role)) WITHOUT ROWID;"
	"CREATE INDEX training_participants_user ON training_participants(user_id, role);"
	"CREATE INDEX training_participants_due ON training_participants(training_id)"
	"  WHERE role='trainee' AND state='enrolled' AND auto_done=0;"
	"CREATE TABLE lessons(id INTEGER PRIMARY KEY,"
	"  training_id INTEGER NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,"
	"  title TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', description_html TEXT NOT NULL DEFAULT '',"
	"  starts_at INTEGER NOT NULL, minutes INTEGER NOT NULL CHECK(minutes>0),"
	"  lecturer_id INTEGER NOT NULL REFERENCES users(id), checkin_code TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX lessons_training ON lessons(training_id, starts_at);"
	"CREATE INDEX lessons_lecturer ON lessons(lecturer_id);"
	"CREATE TABLE lesson_materials(lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,"
	"  material_id INTEGER NOT NULL REFERENCES materials(id), PRIMARY KEY(lesson_id, material_id)) WITHOUT ROWID;"
	"CREATE TABLE attendance(lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  how TEXT NOT NULL CHECK(how IN ('organiser','code')), at INTEGER NOT NULL,"
	"  PRIMARY KEY(lesson_id, user_id)) WITHOUT ROWID;"
	"CREATE INDEX attendance_user ON attendance(user_id);"
	"CREATE TABLE lesson_ratings(lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  score INTEGER NOT NULL CHECK(score BETWEEN 1 AND 5), comment TEXT NOT NULL DEFAULT '',"
	"  at INTEGER NOT NULL, PRIMARY KEY(lesson_id, user_id)) WITHOUT ROWID;"
	"ALTER TABLE boards ADD COLUMN training_id INTEGER REFERENCES trainings(id);"
	"CREATE INDEX boards_training ON boards(training_id);"
	"CREATE TABLE notifications_new(id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK(kind IN ('reply','mention','moderation','subscription',"
	"   'training','followup','announcement','accepted')),"
	"  post_id INTEGER REFERENCES posts(id), thread_id INTEGER REFERENCES threads(id),"
	"  actor_id INTEGER REFERENCES users(id), detail TEXT NOT NULL DEFAULT '',"
	"  created_at INTEGER NOT NULL, read_at INTEGER,"
	"  training_id INTEGER REFERENCES trainings(id) ON DELETE CASCADE);"
	"INSERT INTO notifications_new(id,user_id,kind,post_id,thread_id,actor_id,detail,created_at,read_at)"
	"  SELECT id,user_id,kind,post_id,thread_id,actor_id,detail,created_at,read_at FROM notifications;"
	"DROP TABLE notifications;"
	"ALTER TABLE notifications_new RENAME TO notifications;"
	"CREATE INDEX notifications_user ON notifications(user_id, id);"
	"CREATE INDEX notifications_unread ON notifications(user_id, thread_id) WHERE read_at IS NULL;"
	"CREATE UNIQUE INDEX notifications_once ON notifications(user_id, post_id)"
	"  WHERE kind<>'moderation';",
	/* 10: scheduled work (domain/jobs.c). One row per thing to do once: (kind, key) is unique,
	 * so scheduling the same thing twice is one job. A runner claims a due job by setting it
	 * running with a lease (claimed_until); a job whose runner died is claimed again once its
	 * lease has passed. runs counts completions (a recurring job re-arms itself as due).
	 * Self-contained: it names no other table, so it may follow 9 (trainings) in any merge.
	 * IF NOT EXISTS, so a database made while it was numbered otherwise takes it again. */
	"CREATE TABLE IF NOT EXISTS jobs(id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
	"  key TEXT NOT NULL DEFAULT '', due_at INTEGER NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'due' CHECK(state IN ('due','running','done','failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0, runs INTEGER NOT NULL DEFAULT 0,"
	"  claimed_by TEXT, claimed_until INTEGER, last_error TEXT, done_at INTEGER,"
	"  created_at INTEGER NOT NULL, UNIQUE(kind, key));"
	"CREATE INDEX IF NOT EXISTS jobs_due ON jobs(state, due_at);",
	/* 11: a lesson's revision for calendars: sequence grows when its time changes (iCalendar
	 * SEQUENCE), updated_at is its last change (LAST-MODIFIED; 0: never changed) */
	"ALTER TABLE lessons ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE lessons ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;",
	/* 12: follow-ups (waves) of trainings (domain/followups.c). A wave's own questionnaire is
	 * made when it opens (questionnaire_id NULL until then). training_raters: whom each trainee
	 * named to answer about them. An invitation is one respondent asked once, about nobody
	 * (about_id 0: a trainee answers for themself) or about one trainee (a rater); answered is
	 * the receipt, kept apart from the answers. responses.about_id: whom a rater's answer is
	 * about. Self-contained but for tables of migrations 5 and 9, so it may be renumbered. */
	"CREATE TABLE followups(id INTEGER PRIMARY KEY,"
	"  training_id INTEGER NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,"
	"  template_id INTEGER NOT NULL REFERENCES questionnaires(id),"
	"  questionnaire_id INTEGER REFERENCES questionnaires(id),"
	"  opens_after_days INTEGER NOT NULL,"
	"  respondents TEXT NOT NULL CHECK(respondents IN ('trainees','raters')),"
	"  remind_after_days INTEGER NOT NULL CHECK(remind_after_days>0),"
	"  created_by INTEGER REFERENCES users(id), created_at INTEGER NOT NULL);"
	"CREATE INDEX followups_training ON followups(training_id, id);"
	"CREATE UNIQUE INDEX followups_questionnaire ON followups(questionnaire_id);"
	"CREATE TABLE training_raters(training_id INTEGER NOT NULL REFERENCES trainings(id) ON DELETE CASCADE,"
	"  trainee_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  rater_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  PRIMARY KEY(training_id, trainee_id, rater_id)) WITHOUT ROWID;"
	"CREATE TABLE followup_invitations(followup_id INTEGER NOT NULL REFERENCES followups(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  about_id INTEGER NOT NULL DEFAULT 0, answered INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY(followup_id, user_id, about_id)) WITHOUT ROWID;"
	"CREATE INDEX followup_invitations_user ON followup_invitations(user_id);"
	"ALTER TABLE responses ADD COLUMN about_id INTEGER REFERENCES users(id);",
	/* 13: e-mail: members' addresses and preferences, one-time tokens, the outbox */
	"ALTER TABLE users ADD COLUMN email TEXT;"
	"ALTER TABLE users ADD COLUMN email_pending TEXT;"
	"ALTER TABLE users ADD COLUMN email_notifications TEXT NOT NULL DEFAULT 'daily'"
	"  CHECK(email_notifications IN ('immediate','daily','off'));"
	"ALTER TABLE users ADD COLUMN digest TEXT NOT NULL DEFAULT 'weekly'"
	"  CHECK(digest IN ('weekly','daily','off'));"
	"ALTER TABLE users ADD COLUMN language TEXT CHECK(language IN ('en','zh-CN'));"
	"ALTER TABLE users ADD COLUMN browser_language TEXT;"
	"ALTER TABLE users ADD COLUMN digest_period TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN digest_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE users ADD COLUMN summary_period TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN summary_at INTEGER NOT NULL DEFAULT 0;"
	"CREATE UNIQUE INDEX users_email ON users(email COLLATE NOCASE);"
	"CREATE TABLE tokens(digest TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK(kind IN ('confirm','reset')),"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  email TEXT, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER);"
	"CREATE INDEX tokens_user ON tokens(user_id, kind, created_at);"
	"CREATE TABLE outbox(id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK(kind IN ('notification','summary','digest','confirm','reset')),"
	"  ref_id INTEGER, to_addr TEXT, data TEXT NOT NULL DEFAULT '',"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK(state IN ('queued','sending','sent','failed','dropped')),"
	"  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,"
	"  claimed_by TEXT, claimed_until INTEGER, last_error TEXT,"
	"  created_at INTEGER NOT NULL, sent_at INTEGER);"
	"CREATE INDEX outbox_due ON outbox(state, next_at);",
	/* 14: announcements and who received them */
	"CREATE TABLE announcements(id INTEGER PRIMARY KEY,"
	"  author_id INTEGER NOT NULL REFERENCES users(id),"
	"  title TEXT NOT NULL, body TEXT NOT NULL, body_html TEXT NOT NULL,"
	"  audience TEXT NOT NULL DEFAULT '{}',"
	"  training_id INTEGER REFERENCES trainings(id) ON DELETE CASCADE,"
	"  association_id INTEGER REFERENCES associations(id) ON DELETE CASCADE,"
	"  recipients INTEGER NOT NULL DEFAULT 0, reached INTEGER NOT NULL DEFAULT 0,"
	"  cursor INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, done_at INTEGER);"
	"CREATE INDEX announcements_author ON announcements(author_id, id);"
	"CREATE TABLE announcement_recipients("
	"  announcement_id INTEGER NOT NULL REFERENCES announcements(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  PRIMARY KEY(announcement_id, user_id)) WITHOUT ROWID;"
	"CREATE INDEX announcement_recipients_user ON announcement_recipients(user_id, announcement_id);",
	/* 15: a report's weight (the reporter's standing when they reported; older reports count
	 * 1, as they did), and random ids for the anonymous responses given before ids were
	 * random, so that none tells the order of answering. Self-contained (tables of 3 and 5). */
	"ALTER TABLE flags ADD COLUMN weight INTEGER NOT NULL DEFAULT 1;"
	"UPDATE responses SET id=(random() & 9223372036854775807) WHERE respondent_id IS NULL;",
	/* 16: registrations counted per client address, for their limit. */
	"CREATE TABLE registration_attempts(id INTEGER PRIMARY KEY, addr TEXT NOT NULL, at INTEGER NOT NULL);"
	"CREATE INDEX registration_attempts_addr ON registration_attempts(addr, at);",
	/* 17: the built-in rates count a member's recent posts and uploads (domain/forum.c,
	 * domain/materials.c) through these */
	"CREATE INDEX posts_author_time ON posts(author_id, created_at);"
	"CREATE INDEX material_versions_uploader ON material_versions(uploader_id, created_at);",
	/* 18: learning records (domain/records.c). Each member's last completion (the latest ends_on
	 * of a training they completed) is kept on their row by triggers, whatever path completes,
	 * reopens or removes a trainee or moves a training's end, so that the rotation report reads
	 * 100,000 members without grouping every participant; and which materials each member
	 * downloaded, once per material. */
	"ALTER TABLE users ADD COLUMN last_completed_on TEXT;"
	"CREATE INDEX users_last_completed ON users(last_completed_on);"
	"CREATE TRIGGER rotation_completed AFTER INSERT ON training_participants WHEN new.state='completed'"
	"  BEGIN UPDATE users SET last_completed_on=" LAST_COMPLETED("new.user_id") " WHERE id=new.user_id; END;"
	"CREATE TRIGGER rotation_changed AFTER UPDATE OF state ON training_participants"
	"  WHEN old.state IS NOT new.state AND 'completed' IN (old.state, new.state)"
	"  BEGIN UPDATE users SET last_completed_on=" LAST_COMPLETED("new.user_id") " WHERE id=new.user_id; END;"
	"CREATE TRIGGER rotation_removed AFTER DELETE ON training_participants WHEN old.state='completed'"
	"  BEGIN UPDATE users SET last_completed_on=" LAST_COMPLETED("old.user_id") " WHERE id=old.user_id; END;"
	"CREATE TRIGGER rotation_moved AFTER UPDATE OF ends_on ON trainings WHEN old.ends_on IS NOT new.ends_on"
	"  BEGIN UPDATE users SET last_completed_on=" LAST_COMPLETED("users.id")
	"  WHERE id IN (SELECT user_id FROM training_participants WHERE training_id=new.id AND state='completed'); END;"
	"UPDATE users SET last_completed_on=" LAST_COMPLETED("users.id") ";"
	"CREATE TABLE material_downloads(material_id INTEGER NOT NULL REFERENCES materials(id) ON DELETE CASCADE,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, at INTEGER NOT NULL,"
	"  PRIMARY KEY(user_id, material_id)) WITHOUT ROWID;",
	/* 19: lecturers: a member's bio (Markdown and its HTML) and expertise (short texts, one per
	 * line: they hold no control characters), and the applications to teach, at most one
	 * pending per member (domain/lecturers.c). */
	"ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN bio_html TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE users ADD COLUMN expertise TEXT NOT NULL DEFAULT '';"
	"CREATE TABLE lecturer_applications(id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  statement TEXT NOT NULL, expertise TEXT NOT NULL DEFAULT '',"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN ('pending','approved','declined')),"
	"  reason TEXT NOT NULL DEFAULT '', decided_by INTEGER REFERENCES users(id),"
	"  created_at INTEGER NOT NULL, decided_at INTEGER);"
	"CREATE UNIQUE INDEX lecturer_applications_pending ON lecturer_applications(user_id)"
	"  WHERE state='pending';"
	"CREATE INDEX lecturer_applications_state ON lecturer_applications(state, id);",
	/* 20: the training report's breakdowns look up every trainee's region, position and
	 * industry: in this narrow index rather than in the users table, a six-year period of
	 * 45,000 trainees takes half the time (store_impl_reports.h). */
	"CREATE INDEX users_terms ON users(id, region_id, position_id, industry_id);",
	/* 21: peer learning in threads (domain/answers.c): a board's kind and its answer-first
	 * rule, a question's accepted answer, featured threads, and helpful marks, one per member
	 * per post, counted on the post and on its thread by triggers (the feed and the digest
	 * rank threads by them without grouping the marks). */
	"ALTER TABLE boards ADD COLUMN kind TEXT NOT NULL DEFAULT 'discussion'"
	"  CHECK(kind IN ('discussion','qa'));"
	"ALTER TABLE boards ADD COLUMN answer_first INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE threads ADD COLUMN accepted_post_id INTEGER REFERENCES posts(id);"
	"ALTER TABLE threads ADD COLUMN featured_at INTEGER;"
	"ALTER TABLE threads ADD COLUMN helpful_count INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX threads_featured ON threads(featured_at) WHERE featured_at IS NOT NULL;"
	"ALTER TABLE posts ADD COLUMN helpful_count INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE helpful_marks(post_id INTEGER NOT NULL REFERENCES posts(id),"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, created_at INTEGER NOT NULL,"
	"  PRIMARY KEY(post_id, user_id)) WITHOUT ROWID;"
	"CREATE INDEX helpful_marks_user ON helpful_marks(user_id);"
	"CREATE TRIGGER helpful_marked AFTER INSERT ON helpful_marks BEGIN"
	"  UPDATE posts SET helpful_count=helpful_count+1 WHERE id=new.post_id;"
	"  UPDATE threads SET helpful_count=helpful_count+1"
	"  WHERE id=(SELECT thread_id FROM posts WHERE id=new.post_id); END;"
	"CREATE TRIGGER helpful_unmarked AFTER DELETE ON helpful_marks BEGIN"
	"  UPDATE posts SET helpful_count=helpful_count-1 WHERE id=old.post_id;"
	"  UPDATE threads SET helpful_count=helpful_count-1"
	"  WHERE id=(SELECT thread_id FROM posts WHERE id=old.post_id); END;",
	/* 22: drafts and bookmarks (domain/drafts.c, domain/bookmarks.c): a member's unsent text per
	 * thread ("thread-ID") or new-thread form ("board-SLUG"), and the posts they keep. A draft
	 * is replaced, not updated, when saved, so that its rowid orders saves within a second. */
	"CREATE TABLE drafts(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  key TEXT NOT NULL, title TEXT, body TEXT NOT NULL, updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY(user_id, key));"
	"CREATE TABLE bookmarks(user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL, PRIMARY KEY(user_id, post_id)) WITHOUT ROWID;"
	"CREATE INDEX bookmarks_newest ON bookmarks(user_id, created_at);",
	/* 23: uploads in posts (domain/uploads.c): the files members attach, stored once per
	 * content like materials (files/SHA-256), and which posts link them: a published post a
	 * reader may see is what lets that reader fetch the file. */
	"CREATE TABLE uploads(id INTEGER PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
	"  sha TEXT NOT NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL,"
	"  size INTEGER NOT NULL, width INTEGER, height INTEGER, created_at INTEGER NOT NULL);"
	"CREATE INDEX uploads_user ON uploads(user_id, created_at);"
	"CREATE INDEX uploads_sha ON uploads(sha);"
	"CREATE TABLE post_uploads(post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	"  upload_id INTEGER NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,"
	"  PRIMARY KEY(post_id, upload_id)) WITHOUT ROWID;"
	"CREATE INDEX post_uploads_upload ON post_uploads(upload_id, post_id);",
	/* 24: site search beyond posts (docs/SEARCH.md): thing_fts indexes materials (title;
	 * description and file names), questionnaires (title; prompts) and trainings (title;
	 * description) with the tokenizer of post_fts. Triggers keep it in step with every write;
	 * the rows that exist are indexed here. Who may see a row is decided when it is read. */
	"CREATE VIRTUAL TABLE thing_fts USING fts5(title, body, tokenize='agora_cjk');"
	"CREATE TRIGGER thing_fts_material_insert AFTER INSERT ON materials BEGIN "
	THING_FTS_MATERIAL("new.id") " END;"
	"CREATE TRIGGER thing_fts_material_update AFTER UPDATE OF title, description_html ON materials BEGIN "
	THING_FTS_DROP("old.id*4+1") THING_FTS_MATERIAL("new.id") " END;"
	"CREATE TRIGGER thing_fts_material_delete AFTER DELETE ON materials BEGIN "
	THING_FTS_DROP("old.id*4+1") " END;"
	"CREATE TRIGGER thing_fts_version_insert AFTER INSERT ON material_versions BEGIN "
	THING_FTS_DROP("new.material_id*4+1") THING_FTS_MATERIAL("new.material_id") " END;"
	"CREATE TRIGGER thing_fts_version_delete AFTER DELETE ON material_versions BEGIN "
	THING_FTS_DROP("old.material_id*4+1") THING_FTS_MATERIAL("old.material_id") " END;"
	"CREATE TRIGGER thing_fts_q_insert AFTER INSERT ON questionnaires BEGIN "
	THING_FTS_QUESTIONNAIRE("new.id") " END;"
	"CREATE TRIGGER thing_fts_q_update AFTER UPDATE OF title, questions ON questionnaires BEGIN "
	THING_FTS_DROP("old.id*4+2") THING_FTS_QUESTIONNAIRE("new.id") " END;"
	"CREATE TRIGGER thing_fts_q_delete AFTER DELETE ON questionnaires BEGIN "
	THING_FTS_DROP("old.id*4+2") " END;"
	"CREATE TRIGGER thing_fts_training_insert AFTER INSERT ON trainings BEGIN "
	THING_FTS_TRAINING("new.id") " END;"
	"CREATE TRIGGER thing_fts_training_update AFTER UPDATE OF title, description_html ON trainings BEGIN "
	THING_FTS_DROP("old.id*4+3") THING_FTS_TRAINING("new.id") " END;"
	"CREATE TRIGGER thing_fts_training_delete AFTER DELETE ON trainings BEGIN "
	THING_FTS_DROP("old.id*4+3") " END;"
	THING_FTS_MATERIAL("tm.id") THING_FTS_QUESTIONNAIRE("tq.id") THING_FTS_TRAINING("tx.id"),
};
#pragma GCC diagnostic pop

#endif
