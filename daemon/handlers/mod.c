/* Moderation: the review queue, actions on posts, threads and users, reports, the public log. */
#include <stdint.h>
#include <string.h>

#include "forum.h"
#include "handlers.h"
#include "i18n.h"
#include "moderation.h"
#include "modlog.h"
#include "views.h"

/* A catalog message by key, or fallback when the catalog has none (an action a plugin or a
 * later version logs). */
static const char *msg_or(struct req *r, const char *key, const char *fallback)
{
	const char *m = i18n_msg(r->lang, key);
	return strcmp(m, key) ? m : fallback;
}

/* Where an entry's target is read, for a reader who may see it. */
static const char *mod_target_href(struct req *r, const struct mod_entry *e)
{
	const char *t = e->target_type;
	if (!strcmp(t, "post"))
		return arena_printf(r->arena, "/p/%lld", (long long)e->target_id);
	if (!strcmp(t, "thread"))
		return arena_printf(r->arena, "/t/%lld", (long long)e->target_id);
	if (!e->target_key)
		return NULL;
	const char *base = !strcmp(t, "user") ? "u" : !strcmp(t, "association") ? "a" : !strcmp(t, "board") ? "b" : NULL;
	return base ? arena_printf(r->arena, "/%s/%s", base, e->target_key) : NULL;
}

/* The page's words for an entry: the actor's name, the action in the reader's language, the
 * target by its title or name (a neutral phrase when the reader may not see it). */
static void mod_entry_words(struct req *r, json_t *o, const struct mod_entry *e)
{
	json_object_set_new(o, "actor_name", json_string(e->actor_name ? e->actor_name : e->actor));
	const char *action = e->action ? e->action : "";
	json_object_set_new(o, "action_label",
			    json_string(msg_or(r, arena_printf(r->arena, "modlog.act_%s", action), action)));
	if (!e->seen)
		return;
	/* these actions log what they name (a board's slug, a username), not a moderator's words */
	size_t len = strlen(action);
	int named = !strcmp(action, "appoint_moderator") || (len > 7 && !strcmp(action + len - 7, "_member"));
	if (e->reason && *e->reason && !named)
		json_object_set_new(o, "reason_text", json_string(e->reason));
	const char *name = e->target_name;
	if (!name)
		name = msg_or(r, arena_printf(r->arena, "modlog.gone_%s", e->target_type), e->target_type);
	json_object_set_new(o, "target_name", json_string(name));
	const char *href = e->target_name ? mod_target_href(r, e) : NULL;
	if (href)
		json_object_set_new(o, "target_href", json_string(href));
	if (e->detail_name)
		json_object_set_new(o, "detail_name", json_string(e->detail_name));
}

static json_t *view_mod_entry(struct req *r, const struct mod_entry *e)
{
	json_t *o = json_pack("{s:I, s:s?, s:s?, s:s?, s:I, s:s?}", "id", (json_int_t)e->id, "actor", e->actor,
			      "action", e->action, "target_type", e->target_type, "target_id",
			      (json_int_t)e->target_id, "reason", e->reason);
	view_set_time(o, "created_at", e->created_at);
	if (!e->seen)
		json_object_set_new(o, "restricted", json_true());
	mod_entry_words(r, o, e);
	return o;
}

static json_t *mod_entries_array(struct req *r, const struct mod_entry *e, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, view_mod_entry(r, &e[i]));
	return a;
}

/* A held reason in the reader's words: the site's own reasons and plugins' reasons that are
 * catalog keys are translated; any other text is shown as the plugin wrote it. */
static const char *held_words(struct req *r, const char *reason)
{
	if (!reason)
		return "";
	if (!strcmp(reason, MOD_HIDDEN_REASON))
		return i18n_msg(r->lang, "mod.why_hidden");
	return msg_or(r, reason, reason);
}

/* reasons: the API's text, as it has always read ("reported by NAME: ..."); reason_items: the
 * page's, translated, each report naming its reporter by display name. */
static void mod_item_reasons(struct req *r, json_t *o, const struct mod_item *m)
{
	json_t *texts = json_array(), *items = json_array();
	for (size_t i = 0; i < m->nreasons; i++) {
		const struct flag_reason *f = &m->reasons[i];
		int report = f->kind && !strcmp(f->kind, "report");
		const char *why = f->reason ? f->reason : "";
		json_array_append_new(texts, json_string(report ? arena_printf(r->arena, "reported by %s: %s",
									       f->reporter ? f->reporter : "?", why)
								 : why));
		json_t *it = json_pack("{s:s, s:b}", "text", report ? why : held_words(r, why), "report", report);
		if (report && f->reporter)
			json_object_set_new(it, "reporter", json_pack("{s:s, s:s?}", "username", f->reporter,
								      "display_name", f->reporter_name));
		json_array_append_new(items, it);
	}
	json_object_set_new(o, "reasons", texts);
	json_object_set_new(o, "reason_items", items);
}

static json_t *view_mod_item(struct req *r, const struct mod_item *m)
{
	json_t *post = view_post(&m->post);
	if (m->post.pending_html)
		json_object_set_new(post, "pending_html", json_string(m->post.pending_html));
	/* the queue lists posts one by one: a reply's depth in its thread means nothing here */
	json_object_set_new(post, "indent", json_integer(0));
	json_object_del(post, "in_reply_to");
	json_t *o = json_pack("{s:o, s:I, s:s, s:s?, s:s?}", "post", post, "thread_id", (json_int_t)m->post.thread_id,
			      "board", m->board, "board_title", m->board_title, "thread_title", m->thread_title);
	mod_item_reasons(r, o, m);
	return o;
}

static json_t *mod_items_array(struct req *r, const struct mod_item *m, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, view_mod_item(r, &m[i]));
	return a;
}

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
	req_reply(r, 200, json_pack("{s:o}", "items", mod_items_array(r, items, n)));
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
	json_t *m = json_pack("{s:o}", "entries", mod_entries_array(r, e, n));
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
