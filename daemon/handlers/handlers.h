/* handlers: one per resource. Each builds a view model for the transport to render as JSON
 * or as a page, and calls the domain for every rule. Listed with their routes in routes.c. */
#ifndef AGORA_HANDLERS_H
#define AGORA_HANDLERS_H

#include "http.h"

/* The route table and page-wide values, for server_run (routes.c). */
extern const struct http_app agora_app;

/* The page-wide values of struct http_app: who is signed in ("me"), as every page's header
 * shows them. */
void handlers_page_globals(struct req *r, json_t *model);
/* The page's breadcrumbs ("crumbs": {items: [{label, href | current}]}) for template tmpl,
 * built from its model; nothing for a page without a trail (the home page). crumbs.c */
void handlers_crumbs(struct req *r, json_t *model, const char *tmpl);
/* The terms of a kind; as form choices when selected is not NULL (each says whether its slug
 * is the selected one). */
json_t *term_choices(struct req *r, enum term_kind kind, const char *selected);
/* A switch: PUT turns it on and DELETE off; a page's form says which in its field "action"
 * (yes or no). 0 when a form names neither. */
int in_toggle(struct req *r, const char *yes, const char *no, int *on);
/* An array of strings under key (obj NULL: the body); a present value of another shape sets
 * bad_input. *present says whether the key was there. */
const char *const *in_strings(struct req *r, json_t *obj, const char *key, size_t *n, int *present);
/* The boards the caller may see, as form choices (selected may be NULL). */
json_t *board_choices(struct req *r, const char *selected);
/* The site's address for absolute links: --base-url when given, else the site as the reader
 * reached it, "http[s]://host[:port]" in the request's arena. The host is the Host header when it is a plain host[:port]
 * (atom_host_valid), else the address the connection came in on; https only when a proxy in
 * front says so. host, when not NULL, gets the lower-cased host[:port]. */
const char *handlers_site_base(struct req *r, const char **host);

/* A post a page's composer sent, refused (compose_again.c). */
enum compose_kind { COMPOSE_THREAD, COMPOSE_REPLY, COMPOSE_EDIT };
struct composed {
	enum compose_kind kind;
	const char *title, *body; /* as typed; either may be NULL */
	int64_t parent;           /* a reply's parent post, 0 for none */
};
/* Answers the refusal st: the API its error object; a page the composer's page again (the
 * board, the thread or the edit form) with the text typed, the translated reason beside the
 * field it concerns, and the error's status (422 for what failed validation, a too-long field
 * included). The error page,
 * with the text, when that page cannot be shown. */
void compose_again(struct req *r, enum ag_status st, const struct composed *in);

/* site */
void h_healthz(struct req *r);
void h_home(struct req *r);
void h_taxonomy(struct req *r);
void h_term_put(struct req *r);
void h_term_delete(struct req *r);
void h_settings_get(struct req *r);
void h_settings_patch(struct req *r);
void h_invite_create(struct req *r);
void h_admin_page(struct req *r);
void h_admin_post(struct req *r);

/* accounts */
void h_user_create(struct req *r);
void h_session_create(struct req *r);
void h_session_delete(struct req *r);
void h_me(struct req *r);
void h_user_get(struct req *r);
void h_user_patch(struct req *r);
void h_login_page(struct req *r);

/* learning records and the rotation report */
void h_record(struct req *r);
void h_record_csv(struct req *r);
void h_rotation(struct req *r);
void h_rotation_csv(struct req *r);
void h_report_trainings(struct req *r);
void h_report_trainings_csv(struct req *r);
void h_register_page(struct req *r);

/* forum */
void h_boards(struct req *r);
void h_board_create(struct req *r);
void h_board_get(struct req *r);
void h_board_moderator_add(struct req *r);
void h_admin_moderator(struct req *r);
void h_thread_create(struct req *r);
void h_thread_get(struct req *r);
void h_reply(struct req *r);
void h_post_get(struct req *r);
void h_post_edit(struct req *r);
void h_post_edit_page(struct req *r);
void h_post_delete(struct req *r);
void h_post_revisions(struct req *r);
void h_post_link(struct req *r);

/* answers */
void h_board_update(struct req *r);
void h_thread_accepted(struct req *r);
void h_post_helpful(struct req *r);
/* The thread page's (and API's) answers: accepted, helpful marks, answers hidden. */
void answers_thread_view(struct req *r, json_t *m, const struct thread *t, struct post *p, size_t n, json_t *posts);
/* The composer: a preview and @mention completion (composer.c). */
void h_preview(struct req *r);
void h_users_prefix(struct req *r);
void h_post_quote(struct req *r);
/* The composer pages' Preview button without JS: on a POST, puts the form's text back in the
 * page's model with its rendering above it (a reply box, a new-thread form, an edit box). */
enum composer_form { COMPOSER_REPLY, COMPOSER_THREAD, COMPOSER_EDIT };
void composer_page_preview(struct req *r, json_t *m, enum composer_form form);
/* Drafts, bookmarks, quote-reply, a profile's recent posts (drafts.c). The page helpers add
 * to a thread page's model the reply box's text (the draft, and ?quote=ID's quote), to a
 * board page's the new-thread form's draft, to a thread's posts whether the reader bookmarked
 * each, to a profile the member's recent posts as the reader may see them. */
void h_draft_put(struct req *r);
void h_draft_get(struct req *r);
void h_draft_delete(struct req *r);
void h_bookmark(struct req *r);
void h_bookmarks(struct req *r);
void drafts_reply_box(struct req *r, json_t *m, const struct thread *t);
void drafts_thread_form(struct req *r, json_t *m, const struct board *b);
void bookmarks_mark(struct req *r, json_t *posts, int64_t thread_id);
void profile_recent_view(struct req *r, json_t *m, const struct user *u);
/* Posts on one page of a thread, unless the caller asks otherwise. */
#define THREAD_PAGE_POSTS 50
/* Rendered post bodies in one answer (a thread's page, a feed), at most: past it a post is
 * shown without its body, so that no answer grows to what a slow reader could hold. */
#define PAGE_HTML_MAX (2u * 1024u * 1024u)
/* 1 and len taken from *budget when it fits, else 0. */
int page_budget_take(size_t *budget, size_t len);
/* The address of a post for links: /p/ID finds its page of the thread. */
const char *post_url(struct req *r, int64_t post_id);

struct note;
struct letter;
/* A notification as the list and the e-mails show it (page: with flags for templates). */
json_t *view_note(const struct note *n, int page);
/* The model of an e-mail's templates (struct http_app.letter_model). */
json_t *letter_model(struct agora_ctx *c, const struct letter *l);
/* Adds email and email_pending to a user object for those who may see them (the member
 * and admins). */
void view_add_email(struct req *r, json_t *user, const struct user *u);

void h_announcement_create(struct req *r);
void h_announcements(struct req *r);
void h_announcement_get(struct req *r);
void h_prefs_get(struct req *r);
void h_prefs_patch(struct req *r);
void h_settings_page(struct req *r);
void h_settings_save(struct req *r);
void h_email_confirm_page(struct req *r);
void h_email_confirm(struct req *r);
void h_unsubscribe(struct req *r);
void h_reset_page(struct req *r);
void h_reset_request(struct req *r);
void h_reset_confirm_page(struct req *r);
void h_reset_confirm(struct req *r);
void h_reset_link(struct req *r);

/* associations */
json_t *view_association(const struct association *x);
void h_associations(struct req *r);
void h_association_create(struct req *r);
void h_association_get(struct req *r);
void h_association_join(struct req *r);
void h_association_leave(struct req *r);
void h_association_member(struct req *r);

/* questionnaires */
json_t *view_questionnaire(struct req *r, const struct questionnaire *q);
json_t *questionnaires_array(struct req *r, const struct questionnaire *q, size_t n);
void h_q_create(struct req *r);
void h_q_list(struct req *r);
void h_q_get(struct req *r);
void h_q_respond(struct req *r);
void h_q_results(struct req *r);
void h_q_csv(struct req *r);
/* The builder page (q_builder.c): GET /q/new?board=|association=, and POST /q from its form. */
void h_q_new(struct req *r);
void q_builder_post(struct req *r);
/* The site's zone as pages label local times ("UTC+08:00"), in the request's arena. */
const char *q_zone_label(struct req *r);
/* A question's counts as the results table of chart.h (labels: the options, or NULL for the
 * ratings 1-5; total: its respondents), in the request's arena. */
const char *q_chart_html(struct req *r, const json_t *labels, const json_t *counts, long long total,
			 const char *caption, int caption_hidden);

/* materials */
json_t *view_material(const struct material *m);
void h_material_create(struct req *r);
void h_material_version(struct req *r);
void h_materials(struct req *r);
void h_material_get(struct req *r);
void h_material_download(struct req *r);
/* uploads in posts (uploads.c) */
void h_upload_create(struct req *r);
void h_upload_form(struct req *r);
void h_upload_get(struct req *r);
/* The lecturer pool and applications to teach (lecturers.c). in_expertise reads the field
 * "expertise": a JSON array of strings, or a form's box of lines; bad_input otherwise.
 * view_add_profile_text adds bio_html and expertise to a user object (and the Markdown bio
 * for the member themself). */
void h_lecturers(struct req *r);
void h_lecapp_create(struct req *r);
void h_lecapp_list(struct req *r);
void h_lecapp_mine_page(struct req *r);
void h_lecapp_admin_page(struct req *r);
void h_lecapp_decide(struct req *r);
const char *const *in_expertise(struct req *r, size_t *n, int *present);
void view_add_profile_text(struct req *r, json_t *user, int64_t user_id);

/* trainings and lessons */
json_t *view_training(struct req *r, const struct training *x);
/* Pages of trainings (training_pages.c). Forms send strings; training_form_input turns a
 * page's form of this kind into the JSON the API handler reads (nothing for the API). */
enum training_form { FORM_TRAINING, FORM_LESSON, FORM_ENROL, FORM_ATTENDANCE };
void training_form_input(struct req *r, enum training_form kind);
void trainings_page_extras(struct req *r, json_t *model, int for_me);
void training_page_extras(struct req *r, json_t *model, const struct training *x);
void lesson_page_extras(struct req *r, json_t *o, const struct training *x, const struct lesson *l);
void training_home(struct req *r, json_t *model);
/* The page of a training; lesson > 0: at that lesson, -1: at the trainees. */
const char *training_url(struct req *r, const char *slug, int64_t lesson);
/* The page of a lesson's training at the lesson (the lesson read again for its slug). */
const char *lesson_url(struct req *r, int64_t lesson_id);
void h_trainings(struct req *r);
void h_training_create(struct req *r);
void h_training_get(struct req *r);
void h_training_patch(struct req *r);
void h_training_organiser_add(struct req *r);
void h_training_enrol(struct req *r);
void h_training_leave(struct req *r);
void h_training_trainee(struct req *r);
void h_training_trainees(struct req *r);
void h_training_trainees_csv(struct req *r);
void h_lesson_create(struct req *r);
void h_lesson_get(struct req *r);
void h_lesson_patch(struct req *r);
void h_lesson_delete(struct req *r);
void h_lesson_attendance(struct req *r);
void h_lesson_rate(struct req *r);

/* follow-ups of trainings (followups.c) */
json_t *view_followup(struct req *r, const struct training *x, const struct followup *f);
json_t *followups_array(struct req *r, const struct training *x, const struct followup *f, size_t n);
/* The waves of x for its organisers; an empty list for anyone else. */
json_t *training_followups_view(struct req *r, const struct training *x);
void h_followup_create(struct req *r);
void h_followups(struct req *r);
void h_raters_set(struct req *r);
void h_effect(struct req *r);

/* moderation */
void h_mod_queue(struct req *r);
void h_mod_post(struct req *r);
void h_mod_thread(struct req *r);
void h_mod_log(struct req *r);
void h_report(struct req *r);
void h_ban(struct req *r);
void h_unban(struct req *r);

/* search */
void h_search(struct req *r);

/* following, notifications, unread tracking, the personal feed */
void h_notifications(struct req *r);
void h_notifications_read(struct req *r);
void h_thread_subscription(struct req *r);
void h_board_subscription(struct req *r);
void h_feed(struct req *r);
/* Hooks for the forum's pages and answers: a thread's unread marks (each post's "unread",
 * "first_unread_post_id") and whether the reader follows it; a board's threads marked
 * "unread" with "new_posts", and whether the reader follows it; threads of any list marked
 * the same way; the home page's feed and followed threads; the header's unread count. */
void follow_thread_view(struct req *r, json_t *m, const struct thread *t, const struct post *p, size_t n);
void follow_board_view(struct req *r, json_t *m, const struct board *b, const struct thread *t, size_t n);
void follow_thread_marks(struct req *r, json_t *threads, const struct thread *t, size_t n);
void follow_home(struct req *r, json_t *m);
json_t *follow_unread_count(struct req *r);

/* Atom feeds, live updates, metrics */
void h_feed_site(struct req *r);
void h_feed_board(struct req *r);
void h_feed_thread(struct req *r);
void h_metrics(struct req *r);
void h_live_thread(struct req *r);

/* a training's calendar and course pack (training_files.c) */
void h_training_calendar(struct req *r);
void h_training_pack(struct req *r);
/* A post became published (a reply, or a held post approved): its thread's live streams get
 * it. The domain's post_published listener (struct ag_events). */
void live_post_published(const struct post *p);

#endif
