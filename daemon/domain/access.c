#include "access.h"

#include <string.h>

#include "store_answer.h"
#include "store_assoc.h"
#include "store_board.h"
#include "store_thread.h"

int access_moderates(struct agora_ctx *c, const struct user *u, int64_t board_id)
{
	if (!u)
		return 0;
	if (u->role == ROLE_ADMIN || u->role == ROLE_MODERATOR)
		return 1;
	return store_board_moderates(c->db, board_id, u->id) == STORE_OK;
}

int access_may_moderate(struct agora_ctx *c, int64_t board_id)
{
	return access_moderates(c, c->actor, board_id);
}

int access_board_visible(struct agora_ctx *c, int64_t board_id)
{
	return store_board_visible(c->db, board_id, ag_viewer(c)) == STORE_OK;
}

enum membership access_membership(struct agora_ctx *c, int64_t assoc_id)
{
	enum membership m = MEMBERSHIP_NONE;
	if (c->actor)
		store_membership(c->db, assoc_id, c->actor->id, &m);
	return m;
}

int access_is_officer(struct agora_ctx *c, int64_t assoc_id)
{
	return access_membership(c, assoc_id) == MEMBERSHIP_OFFICER;
}

int access_content_visible(struct agora_ctx *c, int64_t board_id, const char *association)
{
	struct association x;
	if (board_id)
		return access_board_visible(c, board_id);
	if (!association || store_assoc_by_slug(c->db, c->arena, association, &x) != STORE_OK)
		return 0;
	return !strcmp(x.visibility, "public") || access_membership(c, x.id) >= MEMBERSHIP_MEMBER;
}

enum ag_status access_board(struct agora_ctx *c, const char *slug, struct board *out)
{
	enum ag_status st = ag_found(c, store_board_by_slug(c->db, c->arena, slug, out), "board_not_found");
	if (st == AG_OK && (out->association_id || out->training_id) && !access_board_visible(c, out->id))
		return ag_fail(c, AG_ENOTFOUND, "board_not_found");
	return st;
}

static int post_visible(struct agora_ctx *c, const struct post *p, int64_t board_id)
{
	if (p->state == POST_PUBLISHED || p->state == POST_DELETED)
		return 1;
	if (c->actor && c->actor->id == p->author.id)
		return 1;
	return access_may_moderate(c, board_id);
}

enum ag_status access_thread(struct agora_ctx *c, int64_t id, struct thread *out)
{
	struct post root;
	enum ag_status st = ag_found(c, store_thread_get(c->db, c->arena, id, out), "thread_not_found");
	if (st != AG_OK)
		return st;
	if (!access_board_visible(c, out->board_id))
		return ag_fail(c, AG_ENOTFOUND, "thread_not_found");
	if ((st = ag_found(c, store_post_get(c->db, c->arena, out->root_post_id, &root), "thread_not_found")) != AG_OK)
		return st;
	return post_visible(c, &root, out->board_id) ? AG_OK : ag_fail(c, AG_ENOTFOUND, "thread_not_found");
}

int access_answers_hidden(struct agora_ctx *c, const struct thread *t)
{
	return store_answers_hidden(c->db, t->id, ag_viewer(c)) != 0; /* an error hides them too */
}

static int answer_visible(struct agora_ctx *c, const struct post *p, const struct thread *t)
{
	return !p->parent_id || (c->actor && c->actor->id == p->author.id) || !access_answers_hidden(c, t);
}

enum ag_status access_post_in(struct agora_ctx *c, int64_t id, struct post *p, struct thread *t)
{
	enum ag_status st = ag_found(c, store_post_get(c->db, c->arena, id, p), "post_not_found");
	if (st != AG_OK)
		return st;
	if (access_thread(c, p->thread_id, t) != AG_OK || !post_visible(c, p, t->board_id) ||
	    !answer_visible(c, p, t))
		return ag_fail(c, AG_ENOTFOUND, "post_not_found");
	return AG_OK;
}

enum ag_status access_post(struct agora_ctx *c, int64_t id, struct post *out)
{
	struct thread t;
	enum ag_status st = access_post_in(c, id, out, &t);
	if (st == AG_OK && out->state == POST_DELETED)
		out->body = out->body_html = "";
	return st;
}
