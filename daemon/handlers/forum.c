/* Boards, threads and posts. */
#include <string.h>

#include "answers.h"
#include "drafts.h"
#include "forum.h"
#include "moderation.h"
#include "questionnaires.h"
#include "handlers.h"
#include "views.h"

void h_boards(struct req *r)
{
	struct board *b;
	size_t n;
	enum ag_status st = forum_boards(&r->ctx, req_query(r, "industry"), req_query(r, "position"), req_query(r, "association"), &b, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 200, json_pack("{s:o}", "boards", view_boards(b, n)));
}

void h_board_create(struct req *r)
{
	struct board_input in = {in_str(r, "slug"),     in_str(r, "title"),    in_str(r, "description"),
				 in_str(r, "industry"), in_str(r, "position"), in_str(r, "association"),
				 in_str(r, "kind"),     in_bool(r, "answer_first")};
	struct board b;
	if (r->bad_input)
		return;
	enum ag_status st = forum_board_create(&r->ctx, &in, &b);
	if (st != AG_CREATED) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.board_created");
	req_done(r, 201, json_pack("{s:o}", "board", view_board(&b)), arena_printf(r->arena, "/b/%s", b.slug));
}

void h_board_get(struct req *r)
{
	struct board b;
	struct thread *t;
	size_t n;
	const char *region = req_query(r, "region");
	struct listing l = {.page = req_page(r, 50)};
	enum ag_status st = access_board(&r->ctx, r->params[0], &b);
	if (st == AG_OK)
		st = forum_board_threads(&r->ctx, &b, region && *region ? region : NULL, &l, &t, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_pack("{s:o, s:o}", "board", view_board(&b), "threads", view_threads(t, n));
	model_paging(m, l.page, l.total);
	follow_board_view(r, m, &b, t, n);
	if (is_page(r)) {
		struct questionnaire *q;
		size_t nq;
		if (q_list(&r->ctx, b.slug, NULL, &q, &nq) == AG_OK)
			json_object_set_new(m, "questionnaires", questionnaires_array(r, q, nq));
		json_object_set_new(m, "can_survey", json_boolean(ag_allowed(q_may_create(&r->ctx, 0))));
		json_object_set_new(m, "regions", term_choices(r, TERM_REGION, region));
		json_object_set_new(m, "qa", json_boolean(!strcmp(b.kind, "qa")));
		json_object_set_new(m, "can_edit_board", json_boolean(ag_allowed(forum_may_edit_board(&r->ctx, &b))));
		json_object_set_new(m, "region", json_string(region ? region : ""));
		drafts_thread_form(r, m, &b);
		composer_page_preview(r, m, COMPOSER_THREAD);
	}
	req_reply(r, 200, m);
}

void h_board_moderator_add(struct req *r)
{
	const char *name = in_str(r, "username");
	if (r->bad_input)
		return;
	enum ag_status st = forum_board_add_moderator(&r->ctx, r->params[0], name);
	if (st != AG_CREATED) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.moderator_added");
	req_done(r, 201, json_pack("{s:s, s:s}", "board", r->params[0], "username", name), "/admin");
}

void h_thread_create(struct req *r)
{
	const char *title = in_str(r, "title"), *body = in_str(r, "body");
	struct thread t;
	struct post p;
	if (r->bad_input)
		return;
	enum ag_status st = forum_thread_create(&r->ctx, r->params[0], title, body, &t, &p);
	if (st == AG_PENDING) {
		req_flash(r, "flash.held_for_review");
		req_done(r, 202, json_pack("{s:o}", "post", view_post(&p)), arena_printf(r->arena, "/b/%s", r->params[0]));
		return;
	}
	if (st != AG_CREATED) {
		compose_again(r, st, &(struct composed){COMPOSE_THREAD, title, body, 0});
		if (is_page(r) && draft_keep(&r->ctx, draft_key_board(&r->ctx, r->params[0]), title, body))
			json_object_set_new(r->model, "draft_kept", json_true()); /* it waits in the form */
		return;
	}
	req_flash(r, "flash.thread_posted");
	req_done(r, 201, json_pack("{s:o, s:o}", "thread", view_thread(&t), "post", view_post(&p)),
		 arena_printf(r->arena, "/t/%lld", (long long)t.id));
}

/* What a page adds to each post: whether the viewer may edit or report it. (Only authors and
 * moderators may change a post: the others are spared the question.) */
static void post_page_extras(struct req *r, json_t *o, const struct post *p, const struct thread *t, int mod)
{
	int mine = r->ctx.actor && r->actor.id == p->author.id;
	if ((mine || mod) && ag_allowed(forum_may_change(&r->ctx, p, t)))
		json_object_set_new(o, "can_edit", json_true());
	if (p->state == POST_PUBLISHED && ag_allowed(mod_may_report(&r->ctx, p)))
		json_object_set_new(o, "can_report", json_true());
}

/* The moderator's tools on a thread page: the boards a thread may move to, its own board
 * first and chosen, so that the form never defaults to a board nobody picked. */
static void thread_mod_tools(struct req *r, json_t *m, const struct thread *t)
{
	struct board *b;
	size_t n;
	json_t *boards = json_array();
	json_array_append_new(boards, json_pack("{s:s, s:s, s:b}", "slug", t->board_slug, "title", t->board_title,
						"selected", 1));
	if (forum_boards(&r->ctx, NULL, NULL, NULL, &b, &n) == AG_OK)
		for (size_t i = 0; i < n; i++)
			if (b[i].id != t->board_id)
				json_array_append_new(boards, json_pack("{s:s, s:s}", "slug", b[i].slug, "title", b[i].title));
	json_object_set_new(m, "can_moderate", json_true());
	json_object_set_new(m, "move_boards", boards);
}

/* The last page of a thread listens for new posts from the newest one published when the
 * page was made: in tree order that one may sit on an earlier page than the last. */
static void live_from(struct req *r, json_t *m, const struct thread *t)
{
	int64_t newest;
	if (!json_object_get(m, "next_page") && forum_thread_newest_post(&r->ctx, t, &newest) == AG_OK)
		json_object_set_new(m, "live_after", json_integer(newest));
}

/* A page of long posts would make one answer of tens of megabytes that a slow reader holds:
 * past the page's budget of rendered HTML a post comes without its body, marked collapsed,
 * and is read on its own (GET /api/v1/posts/ID, its history page). Paging stays by count. */
static void collapse_past_budget(json_t *post, size_t *budget)
{
	if (page_budget_take(budget, strlen(json_string_value(json_object_get(post, "body_html")))))
		return;
	json_object_set_new(post, "body_html", json_string(""));
	json_object_set_new(post, "collapsed", json_true());
}

void h_thread_get(struct req *r)
{
	struct thread t;
	struct post *p;
	size_t n;
	int by_time = req_query(r, "view") && !strcmp(req_query(r, "view"), "flat");
	struct listing l = {.page = req_page(r, THREAD_PAGE_POSTS)};
	enum ag_status st = access_thread(&r->ctx, param_id(r, 0), &t);
	if (st == AG_OK)
		st = forum_thread_posts(&r->ctx, &t, by_time, &l, &p, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	int mod = is_page(r) && access_may_moderate(&r->ctx, t.board_id);
	json_t *posts = json_array();
	size_t budget = PAGE_HTML_MAX;
	for (size_t i = 0; i < n; i++) {
		json_t *o = view_post(&p[i]);
		collapse_past_budget(o, &budget);
		if (is_page(r))
			post_page_extras(r, o, &p[i], &t, mod);
		json_array_append_new(posts, o);
	}
	bookmarks_mark(r, posts, t.id);
	json_t *m = json_pack("{s:o, s:o}", "thread", view_thread(&t), "posts", posts);
	answers_thread_view(r, m, &t, p, n, posts);
	model_paging(m, l.page, l.total);
	follow_thread_view(r, m, &t, p, n);
	if (is_page(r)) {
		json_object_set_new(m, "flat", json_boolean(by_time));
		live_from(r, m, &t);
		json_object_set_new(m, "can_reply", json_boolean(ag_allowed(forum_may_reply(&r->ctx, &t))));
		if (mod)
			thread_mod_tools(r, m, &t);
		int64_t reply_to = 0;
		const char *q = req_query(r, "reply");
		struct post parent;
		if (q && (reply_to = strtoll(q, NULL, 10)) > 0 && access_post(&r->ctx, reply_to, &parent) == AG_OK &&
		    parent.thread_id == t.id)
			json_object_set_new(m, "reply_to", view_post(&parent));
		drafts_reply_box(r, m, &t);
		composer_page_preview(r, m, COMPOSER_REPLY);
	}
	req_reply(r, 200, m);
}

/* A post's own address: it leads to the page of its thread that shows it, whichever page
 * that is for the caller, so links from search, notifications and feeds stay right as the
 * thread grows. */
void h_post_link(struct req *r)
{
	int64_t id = param_id(r, 0), thread_id, page;
	enum ag_status st = forum_post_place(&r->ctx, id, THREAD_PAGE_POSTS, &thread_id, &page);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_redirect(r, page > 1 ? arena_printf(r->arena, "/t/%lld?page=%lld#p%lld", (long long)thread_id,
						(long long)page, (long long)id)
				 : arena_printf(r->arena, "/t/%lld#p%lld", (long long)thread_id, (long long)id));
}

/* A post was written: the API answers it, a page goes to it in its thread. */
static void post_written(struct req *r, int status, const struct post *p, const char *flash)
{
	req_flash(r, status == 202 ? "flash.held_for_review" : flash);
	req_done(r, status, json_pack("{s:o}", "post", view_post(p)), post_url(r, p->id));
}

void h_reply(struct req *r)
{
	const char *body = in_str(r, "body");
	int has_parent;
	int64_t parent = in_int(r, "parent_id", &has_parent);
	struct post p;
	if (r->bad_input)
		return;
	if (has_parent && parent <= 0) {
		compose_again(r, ag_fail(&r->ctx, AG_EINVAL, "invalid_parent"), &(struct composed){COMPOSE_REPLY, NULL, body, 0});
		return;
	}
	enum ag_status st = forum_reply(&r->ctx, param_id(r, 0), parent, body, &p);
	if (st != AG_CREATED && st != AG_PENDING) {
		compose_again(r, st, &(struct composed){COMPOSE_REPLY, NULL, body, parent});
		if (is_page(r) && draft_keep(&r->ctx, draft_key_thread(&r->ctx, param_id(r, 0)), NULL, body))
			json_object_set_new(r->model, "draft_kept", json_true()); /* it waits in the reply box */
		return;
	}
	post_written(r, st == AG_PENDING ? 202 : 201, &p, "flash.reply_posted");
}

void h_post_get(struct req *r)
{
	struct post p;
	enum ag_status st = access_post(&r->ctx, param_id(r, 0), &p);
	if (st == AG_OK)
		st = answers_mark_helpful(&r->ctx, p.thread_id, &p, 1);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *one = json_pack("[o]", view_post(&p));
	bookmarks_mark(r, one, p.thread_id);
	req_reply(r, 200, json_pack("{s:O}", "post", json_array_get(one, 0)));
	json_decref(one);
}

void h_post_edit(struct req *r)
{
	const char *body = in_str(r, "body");
	struct post p;
	if (r->bad_input)
		return;
	enum ag_status st = forum_post_edit(&r->ctx, param_id(r, 0), body, &p);
	if (st != AG_OK && st != AG_PENDING) {
		compose_again(r, st, &(struct composed){COMPOSE_EDIT, NULL, body, 0});
		return;
	}
	post_written(r, st == AG_PENDING ? 202 : 200, &p, "flash.post_saved");
}

/* The edit and delete forms show the Markdown source, which the API's post object leaves out. */
void h_post_edit_page(struct req *r)
{
	struct post p;
	enum ag_status st = forum_post_editable(&r->ctx, param_id(r, 0), &p);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *o = view_post(&p);
	json_object_set_new(o, "body", json_string(p.body));
	json_t *m = json_pack("{s:o}", "post", o);
	composer_page_preview(r, m, COMPOSER_EDIT);
	req_reply(r, 200, m);
}

void h_post_delete(struct req *r)
{
	struct post p;
	int64_t id = param_id(r, 0);
	enum ag_status st = access_post(&r->ctx, id, &p);
	if (st == AG_OK)
		st = forum_post_delete(&r->ctx, id);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.post_deleted");
	req_done(r, 204, NULL, post_url(r, id));
}

void h_post_revisions(struct req *r)
{
	struct revision *rv;
	struct post p;
	size_t n;
	int64_t id = param_id(r, 0);
	enum ag_status st = access_post(&r->ctx, id, &p);
	if (st == AG_OK)
		st = forum_post_revisions(&r->ctx, id, &rv, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 200, json_pack("{s:o, s:o}", "revisions", view_revisions(rv, n), "post", view_post(&p)));
}

/* The admin page's form names the board in a field rather than in the path. */
void h_admin_moderator(struct req *r)
{
	const char *board = in_str(r, "board");
	if (r->bad_input)
		return;
	r->params[0] = board ? board : "";
	h_board_moderator_add(r);
}
