/* Moderation: the review queue, actions on posts, threads and users, reports, the public log. */
#include <stdint.h>
#include <string.h>

#include "forum.h"
#include "handlers.h"
#include "moderation.h"
#include "modlog.h"
#include "views.h"

static json_t *view_mod_entry(const struct mod_entry *e)
{
	json_t *o = json_pack("{s:I, s:s?, s:s?, s:s?, s:I, s:s?}", "id", (json_int_t)e->id, "actor", e->actor,
			      "action", e->action, "target_type", e->target_type, "target_id",
			      (json_int_t)e->target_id, "reason", e->reason);
	view_set_time(o, "created_at", e->created_at);
	if (!e->seen)
		json_object_set_new(o, "restricted", json_true());
	return o;
}

static json_t *view_mod_item(const struct mod_item *m)
{
	json_t *reasons = json_array();
	for (size_t i = 0; i < m->nreasons; i++)
		json_array_append_new(reasons, json_string(m->reasons[i]));
	json_t *post = view_post(&m->post);
	if (m->post.pending_html)
		json_object_set_new(post, "pending_html", json_string(m->post.pending_html));
	return json_pack("{s:o, s:I, s:s, s:o}", "post", post, "thread_id", (json_int_t)m->post.thread_id, "board",
			 m->board, "reasons", reasons);
}

VIEW_ARRAY(static, mod_items_array, struct mod_item, view_mod_item)
VIEW_ARRAY(static, mod_entries_array, struct mod_entry, view_mod_entry)

void h_mod_queue(struct req *r)
{
	struct mod_item *items;
	size_t n;
	struct page pg = req_page(r, 50);
	enum ag_status st = mod_queue(&r->ctx, pg, &items, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 200, json_pack("{s:o}", "items", mod_items_array(items, n)));
}

/* What a moderator's action on a post says once done. */
static const char *mod_flash(const char *action)
{
	static const char *const keys[][2] = {{"approve", "flash.approved"}, {"reject", "flash.rejected"},
					      {"delete", "flash.post_deleted"}, {"restore", "flash.restored"}};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (action && !strcmp(action, keys[i][0]))
			return keys[i][1];
	return "flash.saved";
}

void h_mod_post(struct req *r)
{
	const char *action = in_str(r, "action"), *reason = in_str(r, "reason");
	struct post p;
	if (r->bad_input)
		return;
	enum ag_status st = mod_post_action(&r->ctx, param_id(r, 0), action, reason, &p);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, mod_flash(action));
	req_done(r, 200, json_pack("{s:o}", "post", view_post(&p)), "/mod");
}

void h_mod_thread(struct req *r)
{
	const char *action = in_str(r, "action"), *board = in_str(r, "board"), *reason = in_str(r, "reason");
	struct thread t;
	if (r->bad_input)
		return;
	enum ag_status st = mod_thread_action(&r->ctx, param_id(r, 0), action, board, reason, &t);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.thread_updated");
	req_done(r, 200, json_pack("{s:o}", "thread", view_thread(&t)),
		 arena_printf(r->arena, "/t/%lld", (long long)t.id));
}

void h_mod_log(struct req *r)
{
	struct mod_entry *e;
	size_t n;
	int64_t total;
	struct page pg = req_page(r, 50);
	enum ag_status st = modlog_list(&r->ctx, pg, &e, &n, &total);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *m = json_pack("{s:o}", "entries", mod_entries_array(e, n));
	model_paging(m, pg, total);
	req_reply(r, 200, m);
}

void h_report(struct req *r)
{
	const char *reason = in_str(r, "reason");
	int64_t id = param_id(r, 0);
	struct post p;
	if (r->bad_input)
		return;
	enum ag_status st = mod_report(&r->ctx, id, reason);
	const char *back = "/";
	if (access_post(&r->ctx, id, &p) == AG_OK)
		back = post_url(r, id);
	if (st != AG_CREATED) {
		req_fail_back(r, st, back); /* "already reported" lands back on the thread */
		return;
	}
	req_flash(r, "flash.reported");
	req_done(r, 201, json_pack("{s:I}", "post_id", (json_int_t)id), back);
}

void h_ban(struct req *r)
{
	int present;
	int64_t days = in_int(r, "days", &present);
	const char *reason = in_str(r, "reason");
	if (r->bad_input)
		return;
	enum ag_status st = mod_ban(&r->ctx, r->params[0], days, reason);
	if (st != AG_CREATED) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.suspended");
	req_done(r, 201, json_pack("{s:s}", "username", r->params[0]), arena_printf(r->arena, "/u/%s", r->params[0]));
}

void h_unban(struct req *r)
{
	enum ag_status st = mod_unban(&r->ctx, r->params[0]);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, "flash.unsuspended");
	req_done(r, 204, NULL, arena_printf(r->arena, "/u/%s", r->params[0]));
}
