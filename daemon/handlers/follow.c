/* Following, notifications, unread marks and the personal feed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "follow.h"
#include "handlers.h"
#include "notify.h"
#include "views.h"

/* A count as a page shows it: counts stop one past what is shown in full ("99+"). */
static json_t *shown_count(int64_t n, int shown)
{
	return n > shown ? json_sprintf("%d+", shown) : json_integer(n);
}

/* ---- notifications ------------------------------------------------------------------------ */

/* A flag a page template can test, such as kind_reply or action_approve. */
static void set_flag(json_t *o, const char *prefix, const char *value)
{
	char key[48];
	snprintf(key, sizeof key, "%s_%s", prefix, value);
	json_object_set_new(o, key, json_true());
}

/* A moderation notification's detail is "action\treason"; pages also get a flag per action. */
static void note_moderation(json_t *o, const char *detail, int page)
{
	const char *tab = detail ? strchr(detail, '\t') : NULL;
	if (!tab)
		return;
	char action[24];
	snprintf(action, sizeof action, "%.*s", (int)(tab - detail), detail);
	json_object_set_new(o, "action", json_string(action));
	json_object_set_new(o, "reason", json_string(tab + 1));
	if (page)
		set_flag(o, "action", action);
}

/* A follow-up's detail: what ("opened", "reminder") and the wave's questionnaire. */
static void note_followup(json_t *o, const char *detail)
{
	const char *tab = strchr(detail, '\t');
	if (!tab)
		return;
	json_object_set_new(o, "what", json_stringn(detail, (size_t)(tab - detail)));
	json_object_set_new(o, "questionnaire_id", json_integer(strtoll(tab + 1, NULL, 10)));
}

json_t *view_note(const struct note *n, int page)
{
	json_t *o = json_pack("{s:I, s:s, s:o, s:I, s:s?, s:s?, s:s?, s:b}", "id", (json_int_t)n->id, "kind", n->kind,
			      "post_id", n->post_id ? json_integer(n->post_id) : json_null(), "thread_id",
			      (json_int_t)n->thread_id, "actor", n->actor, "actor_name", n->actor_name,
			      "thread_title", n->thread_title, "read", n->read_at != 0);
	view_set_time(o, "created_at", n->created_at);
	json_object_set_new(o, "post_deleted", json_boolean(n->post_state && !strcmp(n->post_state, "deleted")));
	if (!strcmp(n->kind, "moderation"))
		note_moderation(o, n->detail, page);
	if (n->training) { /* kind training: which training, and what happened ("what") */
		json_object_set_new(o, "thread_id", json_null());
		json_object_set_new(o, "training", json_string(n->training));
		json_object_set_new(o, "training_title", json_string(n->training_title));
		json_object_set_new(o, "what", json_string(n->detail));
	}
	if (n->training && !strcmp(n->kind, "followup")) /* "what\tquestionnaire id" */
		note_followup(o, n->detail);
	if (!strcmp(n->kind, "announcement")) { /* detail: the announcement's id */
		json_object_set_new(o, "thread_id", json_null());
		json_object_set_new(o, "announcement_id", json_integer(strtoll(n->detail, NULL, 10)));
	}
	if (page)
		set_flag(o, "kind", n->kind);
	return o;
}

void h_notifications(struct req *r)
{
	struct note *notes;
	size_t n;
	int64_t total, unread;
	struct page pg = req_page(r, 50);
	enum ag_status st = notify_list(&r->ctx, pg, &notes, &n, &total, &unread);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, view_note(&notes[i], is_page(r)));
	json_t *m = json_pack("{s:o, s:I}", "notifications", a, "unread", (json_int_t)unread);
	model_paging(m, pg, total);
	req_reply(r, 200, m);
}

/* ids: an array of integers (the API), or one "id" field (a page's form); neither means all. */
static int read_ids(struct req *r, int64_t **ids, size_t *n)
{
	json_t *v = json_object_get(r->input, "ids"), *x;
	size_t i;
	*ids = NULL;
	*n = 0;
	if (r->from_form) {
		int present;
		int64_t id = in_int(r, "id", &present);
		if (present) {
			*ids = arena_alloc(r->arena, sizeof **ids);
			(*ids)[(*n)++] = id;
		}
		return !r->bad_input;
	}
	if (!v || json_is_null(v))
		return 1;
	if (!json_is_array(v))
		return 0;
	*ids = arena_alloc(r->arena, (json_array_size(v) + 1) * sizeof **ids);
	json_array_foreach(v, i, x)
	{
		if (!json_is_integer(x))
			return 0;
		(*ids)[(*n)++] = json_integer_value(x);
	}
	return 1;
}

void h_notifications_read(struct req *r)
{
	int64_t *ids;
	size_t n;
	if (!read_ids(r, &ids, &n)) {
		r->bad_input = 0;
		req_error(r, 400, "wrong_type");
		return;
	}
	enum ag_status st = notify_mark_read(&r->ctx, ids, n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.notifications_read");
	req_done(r, 204, NULL, "/notifications");
}

/* ---- subscriptions -------------------------------------------------------------------------- */

void h_thread_subscription(struct req *r)
{
	int on;
	if (!in_toggle(r, "follow", "unfollow", &on)) {
		if (!r->bad_input)
			req_error(r, 400, "invalid_action");
		return;
	}
	int64_t id = param_id(r, 0);
	enum ag_status st = follow_thread(&r->ctx, id, on);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, on ? "flash.following_thread" : "flash.unfollowed_thread");
	req_done(r, 204, NULL, arena_printf(r->arena, "/t/%lld", (long long)id));
}

void h_board_subscription(struct req *r)
{
	int on;
	if (!in_toggle(r, "follow", "unfollow", &on)) {
		if (!r->bad_input)
			req_error(r, 400, "invalid_action");
		return;
	}
	enum ag_status st = follow_board(&r->ctx, r->params[0], on);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, on ? "flash.following_board" : "flash.unfollowed_board");
	req_done(r, 204, NULL, arena_printf(r->arena, "/b/%s", r->params[0]));
}

/* ---- unread marks ------------------------------------------------------------------------------ */

void follow_thread_view(struct req *r, json_t *m, const struct thread *t, const struct post *p, size_t n)
{
	int64_t prev = 0, first = 0;
	json_t *posts = json_object_get(m, "posts");
	/* a failure to remember the visit must not cost the reader the page */
	if (follow_thread_seen(&r->ctx, t, p, n, &prev) != AG_OK)
		prev = 0;
	for (size_t i = 0; i < n; i++) {
		int unread = follow_post_unread(&r->ctx, &p[i], prev);
		json_object_set_new(json_array_get(posts, i), "unread", json_boolean(unread));
		if (unread && (!first || p[i].id < first))
			first = p[i].id;
	}
	json_object_set_new(m, "first_unread_post_id", first ? json_integer(first) : json_null());
	if (is_page(r) && r->ctx.actor)
		json_object_set_new(m, "following", json_boolean(follow_thread_followed(&r->ctx, t->id)));
}

void follow_thread_marks(struct req *r, json_t *threads, const struct thread *t, size_t n)
{
	struct unread_mark *marks;
	size_t nmarks;
	if (follow_unread(&r->ctx, t, n, &marks, &nmarks) != AG_OK)
		nmarks = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t fresh = 0;
		for (size_t j = 0; j < nmarks; j++)
			if (marks[j].thread_id == t[i].id)
				fresh = marks[j].new_posts;
		json_t *o = json_array_get(threads, i);
		json_object_set_new(o, "unread", json_boolean(fresh > 0));
		json_object_set_new(o, "new_posts", is_page(r) ? shown_count(fresh, FOLLOW_NEW_POSTS_SHOWN)
							       : json_integer(fresh));
	}
}

void follow_board_view(struct req *r, json_t *m, const struct board *b, const struct thread *t, size_t n)
{
	follow_thread_marks(r, json_object_get(m, "threads"), t, n);
	if (is_page(r) && r->ctx.actor)
		json_object_set_new(m, "following", json_boolean(follow_board_followed(&r->ctx, b->id)));
}

/* ---- the personal feed ------------------------------------------------------------------------- */

static json_t *feed_array(struct req *r, const struct feed_item *f, size_t n)
{
	json_t *a = json_array();
	struct thread *t = arena_alloc(r->arena, (n ? n : 1) * sizeof *t);
	for (size_t i = 0; i < n; i++) {
		json_t *o = view_thread(&f[i].thread);
		json_object_set_new(o, "why", *f[i].why ? json_string(f[i].why) : json_null());
		if (*f[i].why && is_page(r))
			set_flag(o, "why", f[i].why);
		json_array_append_new(a, o);
		t[i] = f[i].thread;
	}
	follow_thread_marks(r, a, t, n);
	return a;
}

void h_feed(struct req *r)
{
	struct feed_item *f;
	size_t n;
	struct listing l = {.page = req_page(r, 50)};
	enum ag_status st = follow_feed(&r->ctx, &l, &f, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_pack("{s:o}", "threads", feed_array(r, f, n));
	model_paging(m, l.page, l.total);
	req_reply(r, 200, m);
}

void follow_home(struct req *r, json_t *m)
{
	struct feed_item *f;
	struct thread *t;
	size_t n;
	struct listing l = {.page = {0, 20}};
	if (!r->ctx.actor)
		return;
	if (follow_feed(&r->ctx, &l, &f, &n) == AG_OK)
		json_object_set_new(m, "feed", feed_array(r, f, n));
	if (follow_followed_threads(&r->ctx, 10, &t, &n) == AG_OK) {
		json_t *a = view_threads(t, n);
		follow_thread_marks(r, a, t, n);
		json_object_set_new(m, "followed", a);
	}
}

json_t *follow_unread_count(struct req *r)
{
	return shown_count(notify_unread_count(&r->ctx), NOTIFY_UNREAD_SHOWN);
}
