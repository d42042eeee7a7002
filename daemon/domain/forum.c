#include "forum.h"

#include <string.h>

#include "follow.h"
#include "markdown.h"
#include "modlog.h"
#include "notify.h"
#include "screen.h"
#include "store_answer.h"
#include "store_assoc.h"
#include "store_board.h"
#include "store_draft.h"
#include "store_thread.h"
#include "store_training.h"
#include "store_user.h"
#include "uploads.h"
#include "utf8.h"

enum ag_status forum_boards(struct agora_ctx *c, const char *industry, const char *position,
			    const char *association, struct board **out, size_t *n)
{
	struct board_filter f = {industry, position, association, ag_viewer(c)};
	return ag_found(c, store_boards(c->db, c->arena, &f, out, n), "not_found");
}

static enum ag_status title_check(struct agora_ctx *c, const char *title)
{
	size_t n = strlen(title);
	size_t chars = utf8_length(title, n);
	if (chars > TITLE_MAX_CHARS)
		return ag_fail(c, AG_ETOOLARGE, "title_too_long");
	/* a title of only spaces is no title */
	if (strspn(title, " \t") == n || !utf8_line_ok(title, n))
		return ag_fail(c, AG_EINVAL, "invalid_title");
	return AG_OK;
}

/* The association a new board belongs to, by slug (NULL or "" for none). */
static enum ag_status board_association(struct agora_ctx *c, const char *slug, int64_t *id)
{
	struct association x;
	*id = 0;
	if (!slug || !*slug)
		return AG_OK;
	int rc = store_assoc_by_slug(c->db, c->arena, slug, &x);
	if (rc == STORE_NOTFOUND)
		return ag_fail(c, AG_EINVAL, "unknown_association");
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	*id = x.id;
	return AG_OK;
}

/* A board's kind and answer-first rule: answers come first only on a board of questions. */
static enum ag_status board_kind(struct agora_ctx *c, struct board *b, const char *kind, int answer_first)
{
	if (kind && strcmp(kind, "discussion") && strcmp(kind, "qa"))
		return ag_fail(c, AG_EINVAL, "invalid_board_kind");
	b->kind = kind ? kind : b->kind ? b->kind : "discussion";
	b->answer_first = answer_first >= 0 ? answer_first : b->answer_first;
	if (b->answer_first && strcmp(b->kind, "qa"))
		return ag_fail(c, AG_EINVAL, "answer_first_needs_qa");
	return AG_OK;
}

enum ag_status forum_board_create(struct agora_ctx *c, const struct board_input *in, struct board *out)
{
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK)
		return st;
	memset(out, 0, sizeof *out);
	if ((st = board_association(c, in->association, &out->association_id)) != AG_OK)
		return st;
	if (!ag_is_admin(c) && !(out->association_id && access_is_officer(c, out->association_id)))
		return ag_fail(c, AG_EFORBIDDEN, "admin_only");
	if (!in->slug || !slug_valid(in->slug))
		return ag_fail(c, AG_EINVAL, "invalid_slug");
	if (!in->title || (st = title_check(c, in->title)) != AG_OK)
		return st != AG_OK ? st : ag_fail(c, AG_EINVAL, "invalid_title");
	if ((st = ag_term(c, TERM_INDUSTRY, in->industry, &out->industry)) != AG_OK ||
	    (st = ag_term(c, TERM_POSITION, in->position, &out->position)) != AG_OK)
		return st;
	if ((st = board_kind(c, out, in->kind, in->answer_first)) != AG_OK)
		return st;
	out->slug = in->slug;
	out->title = in->title;
	out->description = in->description ? in->description : "";
	int rc = store_board_insert(c->db, out, c->now);
	if (rc == STORE_CONFLICT)
		return ag_fail(c, AG_ECONFLICT, "slug_taken");
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	st = ag_found(c, store_board_by_slug(c->db, c->arena, in->slug, out), "board_not_found");
	return st != AG_OK ? st : AG_CREATED;
}

struct ag_right forum_may_edit_board(struct agora_ctx *c, const struct board *b)
{
	struct training_part part;
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r) || ag_is_admin(c) || (b->association_id && access_is_officer(c, b->association_id)))
		return r;
	if (b->training_id && store_training_part(c->db, c->arena, b->training_id, c->actor->id, &part) == STORE_OK &&
	    part.organiser)
		return r;
	return ag_refused(AG_EFORBIDDEN, "admin_only");
}

enum ag_status forum_board_update(struct agora_ctx *c, const char *slug, const struct board_patch *in,
				  struct board *out)
{
	enum ag_status st = access_board(c, slug, out);
	if (st != AG_OK || (st = ag_check(c, forum_may_edit_board(c, out))) != AG_OK)
		return st;
	if (in->title && (st = title_check(c, in->title)) != AG_OK)
		return st;
	/* a board that stops being one of questions stops hiding answers */
	int first = in->kind && !strcmp(in->kind, "discussion") && in->answer_first < 0 ? 0 : in->answer_first;
	if ((st = board_kind(c, out, in->kind, first)) != AG_OK)
		return st;
	out->title = in->title ? in->title : out->title;
	out->description = in->description ? in->description : out->description;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_board_update(c->db, out);
	if (rc == STORE_OK)
		rc = modlog_append(c, "edit_board", "board", out->id, NULL);
	if ((st = ag_commit(c, rc, AG_OK)) != AG_OK)
		return st;
	ag_emit_rights_changed(c, AG_RIGHTS_BOARD, out->id, NULL); /* answers may hide or show */
	return access_board(c, slug, out);
}

enum ag_status forum_board_add_moderator(struct agora_ctx *c, const char *slug, const char *username)
{
	enum ag_status st = ag_require_writer(c);
	struct board b;
	struct user u;
	if (st != AG_OK)
		return st;
	if (!ag_is_admin(c))
		return ag_fail(c, AG_EFORBIDDEN, "admin_only");
	if ((st = access_board(c, slug, &b)) != AG_OK)
		return st;
	if (!username)
		return ag_fail(c, AG_EINVAL, "missing_username");
	if ((st = ag_found(c, store_user_by_name(c->db, c->arena, username, &u), "user_not_found")) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_board_moderator_add(c->db, b.id, u.id);
	if (rc == STORE_OK)
		rc = modlog_append(c, "appoint_moderator", "user", u.id, b.slug);
	return ag_commit(c, rc, AG_CREATED);
}

enum ag_status forum_board_threads(struct agora_ctx *c, const struct board *b, const char *region,
				   struct listing *l, struct thread **out, size_t *n)
{
	struct term r;
	enum ag_status st = ag_term(c, TERM_REGION, region, &r);
	if (st != AG_OK)
		return st;
	return ag_found(c, store_board_threads(c->db, c->arena, b->id, r.id, l->page, out, n, &l->total), "not_found");
}

enum ag_status forum_recent_threads(struct agora_ctx *c, int64_t limit, struct thread **out, size_t *n)
{
	return ag_found(c, store_recent_threads(c->db, c->arena, ag_viewer(c), limit, out, n), "not_found");
}

enum ag_status forum_thread_posts(struct agora_ctx *c, const struct thread *t, int by_time,
				  struct listing *l, struct post **out, size_t *n)
{
	int all = access_may_moderate(c, t->board_id);
	int rc = store_thread_posts(c->db, c->arena, t->id, by_time, ag_viewer(c), all, l->page, out, n, &l->total);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	for (size_t i = 0; i < *n; i++)
		if ((*out)[i].state == POST_DELETED) {
			(*out)[i].body = "";
			(*out)[i].body_html = "";
		}
	return AG_OK;
}

static enum ag_status post_window(struct agora_ctx *c, int limit, int64_t window)
{
	int64_t at = 0;
	if (limit <= 0)
		return AG_OK;
	int rc = store_posts_nth_since(c->db, c->actor->id, c->now - window, limit, &at);
	return ag_rate_verdict(c, rc, at, window);
}

enum ag_status forum_post_rate(struct agora_ctx *c)
{
	enum ag_status st = AG_OK;
	if (!c->rates || c->actor->role >= ROLE_MODERATOR)
		return AG_OK;
	if ((st = post_window(c, c->rates->posts_per_minute, 60)) != AG_OK)
		return st;
	return post_window(c, c->rates->posts_per_hour, 3600);
}

enum ag_status forum_render(struct agora_ctx *c, const char *body, const char **html, unsigned *links)
{
	size_t n = strlen(body);
	if (n > BODY_MAX_BYTES)
		return ag_fail(c, AG_ETOOLARGE, "body_too_large");
	if (strspn(body, " \t\r\n") == n)
		return ag_fail(c, AG_EINVAL, "empty_body");
	if (!utf8_text_ok(body, n, 1))
		return ag_fail(c, AG_EINVAL, "invalid_text");
	struct buf out = BUF_INIT;
	struct md_result res;
	md_render(body, n, &out, &res, NULL, NULL);
	*links = res.links;
	*html = arena_strndup(c->arena, out.data ? out.data : "", out.len);
	buf_free(&out);
	return AG_OK;
}

/* The transaction of a new post. The rate is checked again inside it: the check before the
 * plugins only spares their work, and between the two a member's concurrent posts could each
 * pass it (writers queue on BEGIN IMMEDIATE, so the second check sees the first's insert). */
static enum ag_status post_begin(struct agora_ctx *c)
{
	int rc = store_begin(c->db);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	enum ag_status st = forum_post_rate(c);
	if (st != AG_OK)
		store_rollback(c->db);
	return st;
}

/* What writing a post brings, in its transaction: its author follows the thread, the uploads
 * its body links are recorded (domain/uploads.c), and a post published at once is announced
 * (a held one only when a moderator approves it). */
static int posted(struct agora_ctx *c, const struct post *p)
{
	int rc = follow_on_post(c, p->thread_id);
	if (rc == STORE_OK)
		rc = upload_link_post(c, p->id, p->body);
	if (rc == STORE_OK && p->state == POST_PUBLISHED)
		rc = notify_published(c, p);
	return rc;
}

enum ag_status forum_thread_create(struct agora_ctx *c, const char *board_slug, const char *title,
				   const char *body, struct thread *t, struct post *p)
{
	struct board b;
	/* Visibility first: a board the caller may not see is 404 even to a banned member. */
	enum ag_status st = access_board(c, board_slug, &b);
	if (st != AG_OK || (st = ag_require_writer(c)) != AG_OK)
		return st;
	if ((st = forum_post_rate(c)) != AG_OK)
		return st;
	if (!title)
		return ag_fail(c, AG_EINVAL, "invalid_title");
	if (!body)
		return ag_fail(c, AG_EINVAL, "empty_body");
	if ((st = title_check(c, title)) != AG_OK)
		return st;
	memset(t, 0, sizeof *t);
	memset(p, 0, sizeof *p);
	unsigned links;
	if ((st = forum_render(c, body, &p->body_html, &links)) != AG_OK)
		return st;
	struct submission sub = {b.slug, NULL, title, body, links, 0};
	enum ag_status verdict = screen_submission(c, &sub);
	if (verdict != AG_OK && verdict != AG_PENDING)
		return verdict;
	t->board_id = b.id;
	t->title = title;
	t->author = *c->actor;
	t->created_at = p->created_at = c->now;
	p->author = *c->actor;
	p->body = body;
	p->state = verdict == AG_PENDING ? POST_PENDING : POST_PUBLISHED;
	if ((st = post_begin(c)) != AG_OK)
		return st;
	int rc = store_thread_insert(c->db, t, p);
	if (rc == STORE_OK && verdict == AG_PENDING)
		rc = screen_hold(c, p->id);
	if (rc == STORE_OK)
		rc = posted(c, p);
	if (rc == STORE_OK) /* the new thread's draft is posted */
		rc = store_draft_forget_board(c->db, c->actor->id, b.slug);
	if ((st = ag_commit(c, rc, AG_CREATED)) != AG_CREATED)
		return st;
	if ((st = access_thread(c, t->id, t)) != AG_OK || (st = access_post(c, p->id, p)) != AG_OK)
		return st;
	if (p->state == POST_PENDING)
		return AG_PENDING;
	screen_published(c, p, b.slug, 1);
	return AG_CREATED;
}

enum ag_status forum_reply(struct agora_ctx *c, int64_t thread_id, int64_t parent_id, const char *body,
			   struct post *p)
{
	struct thread t;
	/* forum_may_reply refuses the banned, after the 404 of a thread the caller may not see. */
	enum ag_status st = access_thread(c, thread_id, &t);
	if (st != AG_OK || (st = ag_check(c, forum_may_reply(c, &t))) != AG_OK ||
	    (st = forum_post_rate(c)) != AG_OK)
		return st;
	if (!body)
		return ag_fail(c, AG_EINVAL, "empty_body");
	memset(p, 0, sizeof *p);
	unsigned links;
	if ((st = forum_render(c, body, &p->body_html, &links)) != AG_OK)
		return st;
	struct submission sub = {t.board_slug, &t, NULL, body, links, 0};
	enum ag_status verdict = screen_submission(c, &sub);
	if (verdict != AG_OK && verdict != AG_PENDING)
		return verdict;
	int was_hidden = access_answers_hidden(c, &t);
	p->thread_id = t.id;
	p->parent_id = parent_id ? parent_id : t.root_post_id;
	p->author = *c->actor;
	p->body = body;
	p->created_at = c->now;
	p->state = verdict == AG_PENDING ? POST_PENDING : POST_PUBLISHED;
	if ((st = post_begin(c)) != AG_OK)
		return st;
	int rc = store_post_capped_parent(c->db, t.id, REPLY_MAX_DEPTH, &p->parent_id);
	if (rc == STORE_OK)
		rc = store_post_insert(c->db, p);
	if (rc == STORE_NOTFOUND) {
		store_rollback(c->db);
		return ag_fail(c, AG_EINVAL, "invalid_parent");
	}
	if (rc == STORE_OK && verdict == AG_PENDING)
		rc = screen_hold(c, p->id);
	if (rc == STORE_OK)
		rc = posted(c, p);
	if (rc == STORE_OK) /* the reply's draft is posted */
		rc = store_draft_forget_thread(c->db, c->actor->id, t.id);
	if ((st = ag_commit(c, rc, AG_CREATED)) != AG_CREATED || (st = access_post(c, p->id, p)) != AG_OK)
		return st;
	if (p->state == POST_PENDING)
		return AG_PENDING;
	screen_published(c, p, t.board_slug, 1);
	if (was_hidden) /* their answer shows them the others': their streams reopen to see them */
		ag_emit_rights_changed(c, AG_RIGHTS_READER, c->actor->id, NULL);
	return AG_CREATED;
}

enum ag_status forum_thread_newest_post(struct agora_ctx *c, const struct thread *t, int64_t *post_id)
{
	int rc = store_thread_newest_post(c->db, t->id, post_id);
	return ag_stored(c, rc);
}

enum ag_status forum_post_place(struct agora_ctx *c, int64_t id, int64_t per_page, int64_t *thread_id,
				int64_t *page)
{
	struct thread t;
	struct post p;
	int64_t before;
	enum ag_status st = access_post_in(c, id, &p, &t);
	if (st != AG_OK)
		return st;
	int rc = store_posts_before(c->db, t.id, id, ag_viewer(c), access_may_moderate(c, t.board_id), &before);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	*thread_id = t.id;
	*page = before / per_page + 1;
	return AG_OK;
}

struct ag_right forum_may_reply(struct agora_ctx *c, const struct thread *t)
{
	struct ag_right r = ag_may_write(c);
	if (ag_allowed(r) && t->locked && !access_may_moderate(c, t->board_id))
		return ag_refused(AG_EFORBIDDEN, "thread_locked");
	return r;
}

struct ag_right forum_may_change(struct agora_ctx *c, const struct post *p, const struct thread *t)
{
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r))
		return r;
	int mod = access_may_moderate(c, t->board_id);
	if (p->author.id != c->actor->id && !mod)
		return ag_refused(AG_EFORBIDDEN, "not_your_post");
	if (p->state == POST_DELETED)
		return ag_refused(AG_ECONFLICT, "post_deleted");
	if (t->locked && !mod)
		return ag_refused(AG_EFORBIDDEN, "thread_locked");
	return AG_ALLOWED;
}

static enum ag_status may_change(struct agora_ctx *c, int64_t id, struct post *p, struct thread *t)
{
	enum ag_status st = access_post_in(c, id, p, t); /* 404 before "banned" */
	if (st != AG_OK)
		return st;
	return ag_check(c, forum_may_change(c, p, t));
}

enum ag_status forum_post_editable(struct agora_ctx *c, int64_t id, struct post *out)
{
	struct thread t;
	return may_change(c, id, out, &t);
}

/* An edit held by a plugin waits beside the published text, so approval cannot be dodged by
 * editing afterwards; a post still pending simply gets the new text. */
static int edit_apply(struct agora_ctx *c, const struct post *p, const char *body, const char *html,
		      enum ag_status verdict)
{
	int rc;
	if (verdict == AG_PENDING && p->state == POST_PUBLISHED)
		rc = store_post_set_pending(c->db, p->id, body, html);
	else
		rc = store_post_edit(c->db, p->id, c->actor->id, body, html, c->now);
	if (rc == STORE_OK && !(verdict == AG_PENDING && p->state == POST_PUBLISHED)) /* held: links wait */
		rc = upload_link_post(c, p->id, body);
	if (rc == STORE_OK && verdict == AG_PENDING)
		rc = screen_hold(c, p->id);
	if (rc == STORE_OK && p->author.id != c->actor->id)
		rc = modlog_append(c, "edit", "post", p->id, NULL);
	return rc;
}

enum ag_status forum_post_edit(struct agora_ctx *c, int64_t id, const char *body, struct post *out)
{
	struct thread t;
	const char *html;
	unsigned links;
	enum ag_status st = may_change(c, id, out, &t);
	if (st != AG_OK)
		return st;
	if (!body)
		return ag_fail(c, AG_EINVAL, "empty_body");
	if ((st = forum_render(c, body, &html, &links)) != AG_OK)
		return st;
	struct submission sub = {t.board_slug, &t, NULL, body, links, 1};
	enum ag_status verdict = screen_submission(c, &sub);
	if (verdict != AG_OK && verdict != AG_PENDING)
		return verdict;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = edit_apply(c, out, body, html, verdict);
	if ((st = ag_commit(c, rc, AG_OK)) != AG_OK || (st = access_post(c, id, out)) != AG_OK)
		return st;
	return verdict == AG_PENDING ? AG_PENDING : AG_OK;
}

enum ag_status forum_post_delete(struct agora_ctx *c, int64_t id)
{
	struct thread t;
	struct post p;
	enum ag_status st = may_change(c, id, &p, &t);
	if (st != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_post_set_state(c->db, id, POST_DELETED);
	if (rc == STORE_OK && p.author.id != c->actor->id)
		rc = modlog_append(c, "delete", "post", id, NULL);
	if (rc == STORE_OK && p.author.id != c->actor->id)
		rc = notify_moderation(c, id, "delete", NULL);
	return ag_commit(c, rc, AG_OK);
}

/* Revisions are as public as the post, except that a deleted post's history is for
 * moderators only: deleting must really take the text out of public view. */
enum ag_status forum_post_revisions(struct agora_ctx *c, int64_t id, struct revision **out, size_t *n)
{
	struct thread t;
	struct post p;
	enum ag_status st = access_post_in(c, id, &p, &t);
	if (st != AG_OK)
		return st;
	if (p.state == POST_DELETED && !access_may_moderate(c, t.board_id)) {
		*out = NULL;
		*n = 0;
		return AG_OK;
	}
	return ag_found(c, store_post_revisions(c->db, c->arena, id, out, n), "post_not_found");
}
