/* Every entry point of agorad in one table: method, path, handler, and what it needs.
 * R_WRITE routes check the CSRF token when the caller is authenticated by cookie;
 * R_AUTH routes answer 401 to visitors. Finer rights are checked in the domain layer. */
#include "handlers.h"

#define API R_API
#define PAGE R_PAGE
#define W R_WRITE
#define AUTH R_AUTH

static const struct route agora_routes[] = {
	{M_GET, "/healthz", h_healthz, API, NULL},

	/* accounts */
	{M_POST, "/api/v1/users", h_user_create, API | W, NULL},
	{M_POST, "/api/v1/session", h_session_create, API | W | R_SIGNIN, NULL},
	{M_DELETE, "/api/v1/session", h_session_delete, API | W | AUTH, NULL},
	{M_GET, "/api/v1/me", h_me, API | AUTH, NULL},
	{M_GET, "/api/v1/users/:name", h_user_get, API, NULL},
	{M_PATCH, "/api/v1/users/:name", h_user_patch, API | W | AUTH, NULL},
	/* learning records and the rotation report (records.c) */
	{M_GET, "/api/v1/users/:name/record", h_record, API | AUTH, NULL},
	{M_GET, "/api/v1/users/:name/record.csv", h_record_csv, API | AUTH, NULL},
	{M_GET, "/api/v1/reports/rotation", h_rotation, API | AUTH, NULL},
	{M_GET, "/api/v1/reports/rotation.csv", h_rotation_csv, API | AUTH, NULL},
	{M_GET, "/api/v1/reports/trainings", h_report_trainings, API | AUTH, NULL},
	{M_GET, "/api/v1/reports/trainings.csv", h_report_trainings_csv, API | AUTH, NULL},

	/* site */
	{M_GET, "/api/v1/taxonomy", h_taxonomy, API, NULL},
	{M_PUT, "/api/v1/taxonomy/:kind/:slug", h_term_put, API | W | AUTH, NULL},
	{M_DELETE, "/api/v1/taxonomy/:kind/:slug", h_term_delete, API | W | AUTH, NULL},
	/* announcements (announcements.c) */
	{M_POST, "/api/v1/announcements", h_announcement_create, API | W | AUTH, NULL},
	{M_GET, "/api/v1/announcements", h_announcements, API | AUTH, NULL},
	{M_GET, "/api/v1/announcements/:id", h_announcement_get, API | AUTH, NULL},
	/* e-mail: preferences, addresses, resets (mail.c) */
	{M_GET, "/api/v1/me/preferences", h_prefs_get, API | AUTH, NULL},
	{M_PATCH, "/api/v1/me/preferences", h_prefs_patch, API | W | AUTH, NULL},
	{M_POST, "/api/v1/email/confirm", h_email_confirm, API | W, NULL},
	{M_POST, "/api/v1/password-reset", h_reset_request, API | W, NULL},
	{M_POST, "/api/v1/password-reset/confirm", h_reset_confirm, API | W, NULL},
	{M_POST, "/api/v1/users/:name/reset-link", h_reset_link, API | W | AUTH, NULL},
	{M_GET, "/api/v1/settings", h_settings_get, API | AUTH, NULL},
	{M_PATCH, "/api/v1/settings", h_settings_patch, API | W | AUTH, NULL},
	{M_POST, "/api/v1/invites", h_invite_create, API | W | AUTH, NULL},

	/* boards, threads, posts */
	{M_GET, "/api/v1/boards", h_boards, API, NULL},
	{M_POST, "/api/v1/boards", h_board_create, API | W | AUTH, NULL},
	{M_GET, "/api/v1/boards/:slug", h_board_get, API, NULL},
	{M_PATCH, "/api/v1/boards/:slug", h_board_update, API | W | AUTH, NULL},
	{M_POST, "/api/v1/boards/:slug/moderators", h_board_moderator_add, API | W | AUTH, NULL},
	{M_POST, "/api/v1/boards/:slug/threads", h_thread_create, API | W | AUTH, NULL},
	{M_GET, "/api/v1/threads/:id", h_thread_get, API, NULL},
	{M_POST, "/api/v1/threads/:id/posts", h_reply, API | W | AUTH, NULL},
	{M_GET, "/api/v1/posts/:id", h_post_get, API, NULL},
	{M_PATCH, "/api/v1/posts/:id", h_post_edit, API | W | AUTH, NULL},
	{M_DELETE, "/api/v1/posts/:id", h_post_delete, API | W | AUTH, NULL},
	{M_GET, "/api/v1/posts/:id/revisions", h_post_revisions, API, NULL},
	{M_POST, "/api/v1/threads/:id/accepted", h_thread_accepted, API | W | AUTH, NULL},
	{M_PUT, "/api/v1/posts/:id/helpful", h_post_helpful, API | W | AUTH, NULL},
	{M_DELETE, "/api/v1/posts/:id/helpful", h_post_helpful, API | W | AUTH, NULL},
	/* the composer: preview and @mention completion (composer.c) */
	{M_POST, "/api/v1/preview", h_preview, API | W | AUTH, NULL},
	{M_GET, "/api/v1/users", h_users_prefix, API | AUTH, NULL},
	{M_GET, "/api/v1/posts/:id/quote", h_post_quote, API | AUTH, NULL},
	/* drafts and bookmarks (drafts.c) */
	{M_PUT, "/api/v1/drafts/:key", h_draft_put, API | W | AUTH, NULL},
	{M_GET, "/api/v1/drafts/:key", h_draft_get, API | AUTH, NULL},
	{M_DELETE, "/api/v1/drafts/:key", h_draft_delete, API | W | AUTH, NULL},
	{M_PUT, "/api/v1/posts/:id/bookmark", h_bookmark, API | W | AUTH, NULL},
	{M_DELETE, "/api/v1/posts/:id/bookmark", h_bookmark, API | W | AUTH, NULL},
	{M_GET, "/api/v1/bookmarks", h_bookmarks, API | AUTH, NULL},

	/* associations */
	{M_GET, "/api/v1/associations", h_associations, API, NULL},
	{M_POST, "/api/v1/associations", h_association_create, API | W | AUTH, NULL},
	{M_GET, "/api/v1/associations/:slug", h_association_get, API, NULL},
	{M_POST, "/api/v1/associations/:slug/members", h_association_join, API | W | AUTH, NULL},
	{M_DELETE, "/api/v1/associations/:slug/members", h_association_leave, API | W | AUTH, NULL},
	{M_POST, "/api/v1/associations/:slug/members/:name", h_association_member, API | W | AUTH, NULL},

	/* questionnaires */
	{M_GET, "/api/v1/questionnaires", h_q_list, API, NULL},
	{M_POST, "/api/v1/questionnaires", h_q_create, API | W | AUTH, NULL},
	{M_GET, "/api/v1/questionnaires/:id", h_q_get, API, NULL},
	{M_POST, "/api/v1/questionnaires/:id/responses", h_q_respond, API | W | AUTH, NULL},
	{M_GET, "/api/v1/questionnaires/:id/results", h_q_results, API | AUTH, NULL},
	{M_GET, "/api/v1/questionnaires/:id/results.csv", h_q_csv, API | AUTH, NULL},

	/* materials */
	{M_GET, "/api/v1/materials", h_materials, API, NULL},
	{M_POST, "/api/v1/materials", h_material_create, API | W | AUTH | R_UPLOAD, NULL},
	{M_GET, "/api/v1/materials/:id", h_material_get, API, NULL},
	{M_POST, "/api/v1/materials/:id/versions", h_material_version, API | W | AUTH | R_UPLOAD, NULL},
	{M_GET, "/api/v1/lecturers", h_lecturers, API, NULL},
	{M_POST, "/api/v1/lecturer-applications", h_lecapp_create, API | W | AUTH, NULL},
	{M_GET, "/api/v1/lecturer-applications", h_lecapp_list, API | AUTH, NULL},
	{M_POST, "/api/v1/lecturer-applications/:id", h_lecapp_decide, API | W | AUTH, NULL},
	{M_GET, "/materials/:id/download", h_material_download, PAGE, "material"},
	/* uploads in posts (uploads.c) */
	{M_POST, "/api/v1/uploads", h_upload_create, API | W | AUTH | R_UPLOAD, NULL},
	{M_GET, "/uploads/:id/:name", h_upload_get, PAGE, "upload"},

	/* trainings and lessons (trainings.c) */
	{M_GET, "/api/v1/trainings", h_trainings, API, NULL},
	{M_POST, "/api/v1/trainings", h_training_create, API | W | AUTH, NULL},
	{M_GET, "/api/v1/trainings/:slug", h_training_get, API, NULL},
	{M_PATCH, "/api/v1/trainings/:slug", h_training_patch, API | W | AUTH, NULL},
	{M_POST, "/api/v1/trainings/:slug/organisers", h_training_organiser_add, API | W | AUTH, NULL},
	{M_POST, "/api/v1/trainings/:slug/trainees", h_training_enrol, API | W | AUTH, NULL},
	{M_DELETE, "/api/v1/trainings/:slug/trainees", h_training_leave, API | W | AUTH, NULL},
	{M_GET, "/api/v1/trainings/:slug/trainees", h_training_trainees, API | AUTH, NULL},
	{M_GET, "/api/v1/trainings/:slug/trainees.csv", h_training_trainees_csv, API | AUTH, NULL},
	{M_POST, "/api/v1/trainings/:slug/trainees/:name", h_training_trainee, API | W | AUTH, NULL},
	{M_POST, "/api/v1/trainings/:slug/lessons", h_lesson_create, API | W | AUTH, NULL},
	{M_GET, "/api/v1/lessons/:id", h_lesson_get, API, NULL},
	{M_PATCH, "/api/v1/lessons/:id", h_lesson_patch, API | W | AUTH, NULL},
	{M_DELETE, "/api/v1/lessons/:id", h_lesson_delete, API | W | AUTH, NULL},
	{M_POST, "/api/v1/lessons/:id/attendance", h_lesson_attendance, API | W | AUTH, NULL},
	{M_POST, "/api/v1/lessons/:id/rating", h_lesson_rate, API | W | AUTH, NULL},
	{M_GET, "/trainings/:slug/calendar.ics", h_training_calendar, PAGE, NULL},
	{M_GET, "/trainings/:slug/pack.zip", h_training_pack, PAGE, NULL},

	/* follow-ups of trainings: waves, raters, the effect (followups.c) */
	{M_POST, "/api/v1/trainings/:slug/followups", h_followup_create, API | W | AUTH, NULL},
	{M_GET, "/api/v1/trainings/:slug/followups", h_followups, API | AUTH, NULL},
	{M_POST, "/api/v1/trainings/:slug/raters", h_raters_set, API | W | AUTH, NULL},
	{M_GET, "/api/v1/trainings/:slug/effect", h_effect, API | AUTH, NULL},
	{M_GET, "/trainings/:slug/effect", h_effect, PAGE | AUTH, "effect"},

	/* moderation */
	{M_GET, "/api/v1/mod/queue", h_mod_queue, API | AUTH, NULL},
	{M_POST, "/api/v1/mod/posts/:id", h_mod_post, API | W | AUTH, NULL},
	{M_POST, "/api/v1/mod/threads/:id", h_mod_thread, API | W | AUTH, NULL},
	{M_GET, "/api/v1/mod/log", h_mod_log, API, NULL},
	{M_POST, "/api/v1/posts/:id/reports", h_report, API | W | AUTH, NULL},
	{M_POST, "/api/v1/users/:name/ban", h_ban, API | W | AUTH, NULL},
	{M_DELETE, "/api/v1/users/:name/ban", h_unban, API | W | AUTH, NULL},

	/* search (handlers_search.c) */
	{M_GET, "/api/v1/search", h_search, API, NULL},
	{M_GET, "/search", h_search, PAGE, "search"},

	/* following, notifications, unread tracking, the personal feed (handlers_follow.c) */
	{M_GET, "/api/v1/notifications", h_notifications, API | AUTH, NULL},
	{M_POST, "/api/v1/notifications/read", h_notifications_read, API | W | AUTH, NULL},
	{M_PUT, "/api/v1/threads/:id/subscription", h_thread_subscription, API | W | AUTH, NULL},
	{M_DELETE, "/api/v1/threads/:id/subscription", h_thread_subscription, API | W | AUTH, NULL},
	{M_PUT, "/api/v1/boards/:slug/subscription", h_board_subscription, API | W | AUTH, NULL},
	{M_DELETE, "/api/v1/boards/:slug/subscription", h_board_subscription, API | W | AUTH, NULL},
	{M_GET, "/api/v1/feed", h_feed, API | AUTH, NULL},
	{M_GET, "/notifications", h_notifications, PAGE | AUTH, "notifications"},
	{M_POST, "/notifications/read", h_notifications_read, PAGE | W | AUTH, "notifications"},
	{M_POST, "/t/:id/follow", h_thread_subscription, PAGE | W | AUTH, "thread"},
	{M_POST, "/b/:slug/follow", h_board_subscription, PAGE | W | AUTH, "board"},

	/* Atom feeds, live updates, metrics (handlers_feed.c) */
	{M_GET, "/feed.atom", h_feed_site, PAGE, NULL},
	{M_GET, "/boards/:slug/feed.atom", h_feed_board, PAGE, NULL},
	{M_GET, "/threads/:id/feed.atom", h_feed_thread, PAGE, NULL},
	{M_GET, "/metrics", h_metrics, PAGE, NULL},
	{M_GET, "/live/threads/:id", h_live_thread, API, NULL},

	/* pages */
	{M_GET, "/", h_home, PAGE, "home"},
	{M_GET, "/login", h_login_page, PAGE | R_FORM, "login"},
	{M_POST, "/login", h_session_create, PAGE | W | R_FORM | R_SIGNIN, "login"},
	{M_POST, "/logout", h_session_delete, PAGE | W | AUTH, "home"},
	{M_GET, "/register", h_register_page, PAGE | R_FORM, "register"},
	{M_POST, "/register", h_user_create, PAGE | W | R_FORM, "register"},
	{M_GET, "/announcements", h_announcements, PAGE | AUTH, "announcements"},
	{M_POST, "/announcements", h_announcement_create, PAGE | W | AUTH, "announcements"},
	{M_GET, "/announcements/:id", h_announcement_get, PAGE | AUTH, "announcement"},
	{M_GET, "/settings", h_settings_page, PAGE | AUTH, "settings"},
	{M_POST, "/settings", h_settings_save, PAGE | W | AUTH, "settings"},
	{M_GET, "/reset", h_reset_page, PAGE | R_FORM, "reset"},
	{M_POST, "/reset", h_reset_request, PAGE | W | R_FORM, "reset"},
	{M_GET, "/reset/confirm", h_reset_confirm_page, PAGE | R_FORM, "reset_confirm"},
	{M_POST, "/reset/confirm", h_reset_confirm, PAGE | W | R_FORM, "reset_confirm"},
	{M_GET, "/email/confirm", h_email_confirm_page, PAGE | R_FORM, "email_confirm"},
	{M_POST, "/email/confirm", h_email_confirm, PAGE | W | R_FORM, "email_confirm"},
	/* The signed token is the right: a mail client's one-click POST (RFC 8058) carries no
	 * cookie and no CSRF token, and needs none. */
	{M_GET, "/unsubscribe", h_unsubscribe, PAGE, "unsubscribe"},
	{M_POST, "/unsubscribe", h_unsubscribe, PAGE, "unsubscribe"},
	{M_POST, "/u/:name/reset-link", h_reset_link, PAGE | W | AUTH, "reset_link"},
	{M_GET, "/u/:name", h_user_get, PAGE, "user"},
	{M_GET, "/u/:name/record", h_record, PAGE | AUTH, "record"},
	{M_GET, "/u/:name/record.csv", h_record_csv, PAGE | AUTH, "record"},
	{M_GET, "/reports/rotation", h_rotation, PAGE | AUTH, "rotation"},
	{M_GET, "/reports/rotation.csv", h_rotation_csv, PAGE | AUTH, "rotation"},
	{M_GET, "/reports", h_report_trainings, PAGE | AUTH, "reports"},
	{M_GET, "/reports/trainings.csv", h_report_trainings_csv, PAGE | AUTH, "reports"},
	{M_POST, "/u/:name", h_user_patch, PAGE | W | AUTH, "user"},
	{M_GET, "/b/:slug", h_board_get, PAGE, "board"},
	{M_POST, "/b/:slug", h_thread_create, PAGE | W | AUTH, "board"},
	{M_GET, "/t/:id", h_thread_get, PAGE, "thread"},
	{M_POST, "/t/:id", h_reply, PAGE | W | AUTH, "thread"},
	/* the composers' Preview button without JS: the same page, the text kept, rendered above */
	{M_POST, "/t/:id/preview", h_thread_get, PAGE | W | AUTH, "thread"},
	{M_POST, "/b/:slug/preview", h_board_get, PAGE | W | AUTH, "board"},
	{M_POST, "/posts/:id/preview", h_post_edit_page, PAGE | W | AUTH, "post_edit"},
	{M_GET, "/posts/:id/edit", h_post_edit_page, PAGE | AUTH, "post_edit"},
	{M_POST, "/posts/:id/edit", h_post_edit, PAGE | W | AUTH, "post_edit"},
	{M_GET, "/posts/:id/delete", h_post_edit_page, PAGE | AUTH, "post_delete"},
	{M_POST, "/posts/:id/delete", h_post_delete, PAGE | W | AUTH, "thread"},
	{M_GET, "/posts/:id/revisions", h_post_revisions, PAGE, "revisions"},
	{M_POST, "/t/:id/accepted", h_thread_accepted, PAGE | W | AUTH, "thread"},
	{M_POST, "/b/:slug/settings", h_board_update, PAGE | W | AUTH, "board"},
	{M_POST, "/posts/:id/helpful", h_post_helpful, PAGE | W | AUTH, "thread"},
	{M_GET, "/p/:id", h_post_link, PAGE, "thread"},
	{M_GET, "/bookmarks", h_bookmarks, PAGE | AUTH, "bookmarks"},
	{M_POST, "/posts/:id/bookmark", h_bookmark, PAGE | W | AUTH, "thread"},
	{M_GET, "/admin", h_admin_page, PAGE | AUTH, "admin"},
	{M_POST, "/admin/settings", h_settings_patch, PAGE | W | AUTH, "admin"},
	{M_POST, "/admin/boards", h_board_create, PAGE | W | AUTH, "admin"},
	{M_POST, "/admin/terms", h_admin_post, PAGE | W | AUTH, "admin"},
	{M_POST, "/admin/invites", h_invite_create, PAGE | W | AUTH, "admin"},
	{M_POST, "/admin/moderators", h_admin_moderator, PAGE | W | AUTH, "admin"},
	{M_GET, "/associations", h_associations, PAGE, "associations"},
	{M_POST, "/associations", h_association_create, PAGE | W | AUTH, "associations"},
	{M_GET, "/a/:slug", h_association_get, PAGE, "association"},
	{M_POST, "/a/:slug/join", h_association_join, PAGE | W | AUTH, "association"},
	{M_POST, "/a/:slug/leave", h_association_leave, PAGE | W | AUTH, "association"},
	{M_POST, "/a/:slug/members/:name", h_association_member, PAGE | W | AUTH, "association"},
	{M_POST, "/q", h_q_create, PAGE | W | AUTH, "questionnaire"},
	{M_GET, "/q/new", h_q_new, PAGE | AUTH, "q_new"},
	{M_GET, "/q/:id", h_q_get, PAGE, "questionnaire"},
	{M_POST, "/q/:id", h_q_respond, PAGE | W | AUTH, "questionnaire"},
	{M_GET, "/q/:id/results", h_q_results, PAGE | AUTH, "results"},
	{M_GET, "/q/:id/results.csv", h_q_csv, PAGE | AUTH, "results"},
	{M_GET, "/materials", h_materials, PAGE, "materials"},
	{M_POST, "/materials", h_material_create, PAGE | W | AUTH | R_UPLOAD, "materials"},
	{M_GET, "/materials/:id", h_material_get, PAGE, "material"},
	{M_POST, "/materials/:id/versions", h_material_version, PAGE | W | AUTH | R_UPLOAD, "material"},
	{M_GET, "/uploads", h_upload_form, PAGE | AUTH, "upload"},
	{M_POST, "/uploads", h_upload_create, PAGE | W | AUTH | R_UPLOAD, "upload"},
	{M_GET, "/lecturers", h_lecturers, PAGE, "lecturers"},
	{M_GET, "/lecturers/apply", h_lecapp_mine_page, PAGE | AUTH, "lecturer_apply"},
	{M_POST, "/lecturers/apply", h_lecapp_create, PAGE | W | AUTH, "lecturer_apply"},
	{M_GET, "/admin/lecturer-applications", h_lecapp_admin_page, PAGE | AUTH, "lecturer_apps"},
	{M_POST, "/admin/lecturer-applications/:id", h_lecapp_decide, PAGE | W | AUTH, "lecturer_apps"},
	{M_GET, "/trainings", h_trainings, PAGE, "trainings"},
	{M_POST, "/trainings", h_training_create, PAGE | W | AUTH, "trainings"},
	{M_GET, "/trainings/:slug", h_training_get, PAGE, "training"},
	{M_POST, "/trainings/:slug", h_training_patch, PAGE | W | AUTH, "training"},
	{M_POST, "/trainings/:slug/enrol", h_training_enrol, PAGE | W | AUTH, "training"},
	{M_POST, "/trainings/:slug/leave", h_training_leave, PAGE | W | AUTH, "training"},
	{M_POST, "/trainings/:slug/organisers", h_training_organiser_add, PAGE | W | AUTH, "training"},
	{M_POST, "/trainings/:slug/trainees", h_training_enrol, PAGE | W | AUTH, "training"},
	{M_POST, "/trainings/:slug/trainees/:name", h_training_trainee, PAGE | W | AUTH, "training"},
	{M_POST, "/trainings/:slug/lessons", h_lesson_create, PAGE | W | AUTH, "training"},
	{M_POST, "/lessons/:id/attendance", h_lesson_attendance, PAGE | W | AUTH, "training"},
	{M_POST, "/lessons/:id/rating", h_lesson_rate, PAGE | W | AUTH, "training"},
	{M_GET, "/mod", h_mod_queue, PAGE | AUTH, "mod"},
	{M_POST, "/mod/posts/:id", h_mod_post, PAGE | W | AUTH, "mod"},
	{M_POST, "/mod/threads/:id", h_mod_thread, PAGE | W | AUTH, "thread"},
	{M_GET, "/mod/log", h_mod_log, PAGE, "mod_log"},
	{M_POST, "/posts/:id/report", h_report, PAGE | W | AUTH, "thread"},
	{M_POST, "/u/:name/ban", h_ban, PAGE | W | AUTH, "user"},
	{M_POST, "/u/:name/unban", h_unban, PAGE | W | AUTH, "user"},
};



static const struct ag_events events = {
	.post_published = live_post_published,
	.rights_changed = live_revoke,
};

const struct http_app agora_app = {
	.routes = agora_routes,
	.nroutes = sizeof agora_routes / sizeof agora_routes[0],
	.page_globals = handlers_page_globals,
	.events = &events,
	.letter_model = letter_model,
};
