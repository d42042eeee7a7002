/* Drafts, bookmarks, quote-reply and a profile's recent posts: what the reply box, the
 * new-thread form, each post and a profile add for their reader. */
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "bookmarks.h"
#include "drafts.h"
#include "escape.h"
#include "handlers.h"
#include "quote.h"
#include "snippet.h"
#include "views.h"

/* ---- drafts ---------------------------------------------------------------------------------- */

static json_t *view_draft(const struct draft *d)
{
	json_t *o = json_pack("{s:s, s:s}", "key", d->key, "body", d->body);
	if (d->title)
		json_object_set_new(o, "title", json_string(d->title));
	view_set_time(o, "updated_at", d->updated_at);
	return o;
}

void h_draft_put(struct req *r)
{
	const char *title = in_str(r, "title"), *body = in_str(r, "body");
	struct draft d;
	int kept;
	if (r->bad_input)
		return;
	enum ag_status st = draft_put(&r->ctx, r->params[0], title, body, &d, &kept);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	if (!kept) {
		req_reply(r, 204, NULL);
		return;
	}
	req_reply(r, 200, json_pack("{s:o}", "draft", view_draft(&d)));
}

void h_draft_get(struct req *r)
{
	struct draft d;
	enum ag_status st = draft_get(&r->ctx, r->params[0], &d);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 200, json_pack("{s:o}", "draft", view_draft(&d)));
}

void h_draft_delete(struct req *r)
{
	enum ag_status st = draft_delete(&r->ctx, r->params[0]);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_reply(r, 204, NULL);
}

/* ---- quote-reply and the reply box ------------------------------------------------------------ */

/* ?quote=ID: a post of this thread the reader may see, not deleted; it is also replied to. */
static void quote_prefill(struct req *r, json_t *m, const struct thread *t, struct buf *b)
{
	const char *q = req_query(r, "quote");
	int64_t id = q ? strtoll(q, NULL, 10) : 0;
	struct post p;
	if (id <= 0 || access_post(&r->ctx, id, &p) != AG_OK || p.thread_id != t->id || p.state == POST_DELETED)
		return;
	struct buf quote = BUF_INIT;
	quote_markdown(&quote, p.author.username, p.id, p.body);
	/* a quote the saved draft already holds (the page reloaded) is not added twice */
	if (!b->data || !strstr(b->data, quote.data)) {
		if (b->len)
			buf_puts(b, "\n\n");
		buf_append(b, quote.data, quote.len);
	}
	buf_free(&quote);
	if (!json_object_get(m, "reply_to"))
		json_object_set_new(m, "reply_to", view_post(&p));
}

void drafts_reply_box(struct req *r, json_t *m, const struct thread *t)
{
	struct draft d;
	struct buf b = BUF_INIT;
	if (!r->ctx.actor)
		return;
	const char *key = draft_key_thread(&r->ctx, t->id);
	if (draft_get(&r->ctx, key, &d) == AG_OK)
		buf_puts(&b, d.body);
	quote_prefill(r, m, t, &b);
	json_object_set_new(m, "draft_key", json_string(key));
	json_object_set_new(m, "reply_text", json_stringn(b.data ? b.data : "", b.len));
	buf_free(&b);
}

void drafts_thread_form(struct req *r, json_t *m, const struct board *bd)
{
	struct draft d;
	if (!r->ctx.actor)
		return;
	const char *key = draft_key_board(&r->ctx, bd->slug);
	json_object_set_new(m, "draft_key", json_string(key));
	if (draft_get(&r->ctx, key, &d) == AG_OK)
		json_object_set_new(m, "new_thread", json_pack("{s:s, s:s}", "title", d.title ? d.title : "",
								"body", d.body));
}

/* ---- bookmarks ---------------------------------------------------------------------------------- */

void bookmarks_mark(struct req *r, json_t *posts, int64_t thread_id)
{
	int64_t *ids;
	size_t n, i;
	json_t *o;
	if (!r->ctx.actor || bookmarks_in_thread(&r->ctx, thread_id, &ids, &n) != AG_OK)
		return;
	json_array_foreach(posts, i, o) {
		int64_t id = json_integer_value(json_object_get(o, "id"));
		int on = 0;
		for (size_t k = 0; k < n && !on; k++)
			on = ids[k] == id;
		json_object_set_new(o, "bookmarked", json_boolean(on));
		if (is_page(r) && !json_object_get(o, "deleted"))
			json_object_set_new(o, "can_bookmark", json_true());
	}
}

/* PUT bookmarks, DELETE unbookmarks; a page's form says which in its field "action". */
static int bookmark_wanted(struct req *r, int *on)
{
	if (!is_page(r)) {
		*on = r->method == M_PUT;
		return 1;
	}
	const char *action = in_str(r, "action");
	*on = action && !strcmp(action, "bookmark");
	return action && (*on || !strcmp(action, "unbookmark"));
}

void h_bookmark(struct req *r)
{
	int on;
	if (!bookmark_wanted(r, &on)) {
		if (!r->bad_input)
			req_error(r, 400, "invalid_action");
		return;
	}
	int64_t id = param_id(r, 0);
	enum ag_status st = bookmark_set(&r->ctx, id, on);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	req_flash(r, on ? "flash.bookmarked" : "flash.unbookmarked");
	req_done(r, 204, NULL, post_url(r, id));
}

/* A post with its place, as bookmarks and profiles list it: the excerpt is of what the post
 * says (its text), not of its Markdown, and safe HTML. Past the answer's budget of rendered
 * HTML (as a thread page does) a post comes without its body, marked collapsed. */
static json_t *view_placed(const struct placed_post *x, const char *time_key, size_t *budget)
{
	struct buf text = BUF_INIT, ex = BUF_INIT;
	const char *html = x->post.body_html ? x->post.body_html : "";
	html_to_text(&text, html, strlen(html));
	snippet_html(&ex, text.data ? text.data : "", text.len, NULL, 0, SNIPPET_CHARS);
	json_t *o = json_pack("{s:o, s:{s:I, s:s}, s:{s:s, s:s}, s:s%}", "post", view_post(&x->post), "thread", "id",
			      (json_int_t)x->post.thread_id, "title", x->thread_title, "board", "slug", x->board_slug,
			      "title", x->board_title, "excerpt_html", ex.data ? ex.data : "", ex.len);
	view_set_time(o, time_key, x->at);
	if (!page_budget_take(budget, strlen(html))) {
		json_t *post = json_object_get(o, "post");
		json_object_set_new(post, "body_html", json_string(""));
		json_object_set_new(post, "collapsed", json_true());
	}
	buf_free(&text);
	buf_free(&ex);
	return o;
}

void h_bookmarks(struct req *r)
{
	struct placed_post *b;
	size_t n;
	struct listing l = {.page = req_page(r, 50)};
	enum ag_status st = bookmarks_list(&r->ctx, &l, &b, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	json_t *list = json_array();
	size_t budget = PAGE_HTML_MAX;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, view_placed(&b[i], "created_at", &budget));
	json_t *m = json_pack("{s:o}", "bookmarks", list);
	model_paging(m, l.page, l.total);
	req_reply(r, 200, m);
}

/* ---- a profile's recent posts ------------------------------------------------------------------- */

void profile_recent_view(struct req *r, json_t *m, const struct user *u)
{
	struct placed_post *p;
	size_t n;
	if (profile_recent_posts(&r->ctx, u, &p, &n) != AG_OK)
		return;
	json_t *list = json_array();
	size_t budget = PAGE_HTML_MAX / 4; /* a profile's part of its page */
	for (size_t i = 0; i < n; i++) {
		json_t *o = view_placed(&p[i], "created_at", &budget);
		json_object_set_new(o, "started_thread", json_boolean(p[i].post.depth == 0));
		json_array_append_new(list, o);
	}
	json_object_set_new(m, "recent_posts", list);
}
