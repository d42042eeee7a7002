/* Peer learning in threads: a board's kind, accepted answers, helpful marks, and what a
 * thread shows of them. */
#include <string.h>

#include "answers.h"
#include "forum.h"
#include "handlers.h"
#include "views.h"

/* A boolean field that may be absent: -1 then (a page's checkbox that is not sent is off). */
static int in_maybe_bool(struct req *r, const char *key)
{
	json_t *v = json_object_get(r->input, key);
	return (v && !json_is_null(v)) || is_page(r) ? in_bool(r, key) : -1;
}

void h_board_update(struct req *r)
{
	struct board_patch in = {in_str(r, "title"), in_str(r, "description"), in_str(r, "kind"),
				 in_maybe_bool(r, "answer_first")};
	struct board b;
	if (r->bad_input)
		return;
	enum ag_status st = forum_board_update(&r->ctx, r->params[0], &in, &b);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.board_saved");
	req_done(r, 200, json_pack("{s:o}", "board", view_board(&b)), arena_printf(r->arena, "/b/%s", b.slug));
}

void h_thread_accepted(struct req *r)
{
	int64_t post_id = in_int(r, "post_id", NULL);
	struct thread t;
	if (r->bad_input)
		return;
	if (!json_object_get(r->input, "post_id")) { /* null undoes; absent is a mistake */
		req_error(r, 400, "missing_post_id");
		return;
	}
	enum ag_status st = answers_accept(&r->ctx, param_id(r, 0), post_id, &t);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	const char *back = post_id ? post_url(r, post_id) : arena_printf(r->arena, "/t/%lld", (long long)t.id);
	req_flash(r, post_id ? "flash.answer_accepted" : "flash.answer_unaccepted");
	req_done(r, 200, json_pack("{s:o}", "thread", view_thread(&t)), back);
}

void h_post_helpful(struct req *r)
{
	int on;
	if (!in_toggle(r, "mark", "unmark", &on)) {
		if (!r->bad_input)
			req_error(r, 400, "invalid_action");
		return;
	}
	int64_t id = param_id(r, 0);
	enum ag_status st = answers_helpful(&r->ctx, id, on);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, on ? "flash.helpful_marked" : "flash.helpful_unmarked");
	req_done(r, 204, NULL, post_url(r, id));
}

/* What a thread's posts show of answers: the accepted one, the caller's helpful marks, and on
 * a page whether they may mark or accept; a page also says when the others' answers wait
 * for the caller's own. posts holds the views of p[0..n). */
void answers_thread_view(struct req *r, json_t *m, const struct thread *t, struct post *p, size_t n, json_t *posts)
{
	struct board b;
	if (answers_mark_helpful(&r->ctx, t->id, p, n) != AG_OK || access_board(&r->ctx, t->board_slug, &b) != AG_OK)
		return;
	json_object_set_new(m, "board_kind", json_string(b.kind));
	int may_accept = is_page(r) && ag_allowed(answers_may_accept(&r->ctx, &b, t));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(posts, i);
		json_object_set_new(o, "helpful", json_boolean(p[i].helpful));
		if (p[i].id == t->accepted_post_id)
			json_object_set_new(o, "accepted", json_true());
		if (!is_page(r))
			continue;
		if (ag_allowed(answers_may_mark(&r->ctx, &p[i])))
			json_object_set_new(o, "can_mark", json_true());
		if (may_accept && p[i].parent_id && p[i].state == POST_PUBLISHED)
			json_object_set_new(o, "can_accept", json_true());
	}
	if (!strcmp(b.kind, "qa"))
		json_object_set_new(m, "question", json_true());
	if (access_answers_hidden(&r->ctx, t))
		json_object_set_new(m, "answers_hidden", json_true());
}
