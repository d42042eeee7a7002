#include "moderation.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forum.h"
#include "modlog.h"
#include "notify.h"
#include "plugin_host.h"
#include "screen.h"
#include "store_assoc.h"
#include "store_board.h"
#include "store_mod.h"
#include "store_site.h"
#include "store_thread.h"
#include "store_user.h"
#include "uploads.h"
#include "utf8.h"

enum { REPORT_HIDE_DEFAULT = 3, REASON_MAX_CHARS = 500 };

static enum ag_status reason_ok(struct agora_ctx *c, const char *reason)
{
	if (reason && (utf8_length(reason, strlen(reason)) > REASON_MAX_CHARS || !utf8_text_ok(reason, strlen(reason), 1)))
		return ag_fail(c, AG_EINVAL, "invalid_reason");
	return AG_OK;
}

/* Signed in, not banned, and moderating this board. */
static enum ag_status require_moderator(struct agora_ctx *c, int64_t board_id)
{
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK)
		return st;
	return access_may_moderate(c, board_id) ? AG_OK : ag_fail(c, AG_EFORBIDDEN, "not_a_moderator");
}

/* ---- the queue ------------------------------------------------------------------------------ */

int mod_is_moderator(struct agora_ctx *c)
{
	if (!c->actor)
		return 0;
	return c->actor->role >= ROLE_MODERATOR || store_moderates_any(c->db, c->actor->id) == STORE_OK ||
	       store_officer_any(c->db, c->actor->id) == STORE_OK;
}

enum ag_status mod_queue(struct agora_ctx *c, struct page pg, struct mod_item **out, size_t *n)
{
	struct queue_item *q;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK)
		return st;
	if (!mod_is_moderator(c))
		return ag_fail(c, AG_EFORBIDDEN, "not_a_moderator");
	int all = c->actor->role >= ROLE_MODERATOR;
	int rc = store_mod_queue(c->db, c->arena, c->actor->id, all, pg, &q, n);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	*out = arena_alloc(c->arena, (*n ? *n : 1) * sizeof **out);
	for (size_t i = 0; i < *n; i++) {
		struct mod_item *m = &(*out)[i];
		m->board = q[i].board;
		m->board_title = q[i].board_title;
		m->thread_title = q[i].thread_title;
		if ((rc = store_post_get(c->db, c->arena, q[i].post_id, &m->post)) != STORE_OK ||
		    (rc = store_flag_reasons(c->db, c->arena, q[i].post_id, &m->reasons, &m->nreasons)) != STORE_OK)
			return ag_store_fail(c, rc);
	}
	return AG_OK;
}

/* ---- actions on posts -------------------------------------------------------------------------- */

/* The uploads an approved edit names lend themselves from now on (they waited while the edit
 * was held), as its author may link them: the moderator's own sight lends nothing. */
static int link_approved_edit(struct agora_ctx *c, const struct post *p)
{
	struct post now;
	struct agora_ctx as_author = *c;
	as_author.actor = &p->author;
	int rc = store_post_get(c->db, c->arena, p->id, &now);
	return rc == STORE_OK ? upload_link_post(&as_author, p->id, now.body) : rc;
}

/* The state change and the flags an action makes; pending edits go with approve and reject. */
static int post_action_apply(struct agora_ctx *c, const struct post *p, const char *action)
{
	int rc = STORE_OK;
	if (!strcmp(action, "approve")) {
		if (p->pending_html)
			rc = store_post_apply_pending(c->db, p->id, c->actor->id, c->now);
		if (rc == STORE_OK && p->pending_html)
			rc = link_approved_edit(c, p);
		if (rc == STORE_OK && p->state != POST_DELETED)
			rc = store_post_set_state(c->db, p->id, POST_PUBLISHED);
	} else if (!strcmp(action, "reject")) {
		if (p->pending_html)
			rc = store_post_set_pending(c->db, p->id, NULL, NULL);
		else
			rc = store_post_set_state(c->db, p->id, POST_REJECTED);
	} else if (!strcmp(action, "delete")) {
		rc = store_post_set_state(c->db, p->id, POST_DELETED);
	} else {
		rc = store_post_set_state(c->db, p->id, POST_PUBLISHED);
	}
	if (rc == STORE_OK)
		rc = store_flags_resolve(c->db, p->id, c->now);
	return rc;
}

/* Its author hears of a moderator's decision; a held post approved is announced now, as if
 * just published by its author. */
static int post_action_notify(struct agora_ctx *c, const struct post *p, const char *action, const char *reason)
{
	int rc = STORE_OK;
	if (p->author.id != c->actor->id)
		rc = notify_moderation(c, p->id, action, reason);
	if (rc == STORE_OK && p->state == POST_PENDING && !strcmp(action, "approve"))
		rc = notify_published(c, p);
	return rc;
}

/* A post and its thread whatever their state, for a moderator of its board; others get 403
 * for what they can see and 404 for what they cannot. */
static enum ag_status post_for_moderator(struct agora_ctx *c, int64_t id, struct post *p, struct thread *t)
{
	struct post seen;
	if (store_post_get(c->db, c->arena, id, p) != STORE_OK ||
	    store_thread_get(c->db, c->arena, p->thread_id, t) != STORE_OK || !access_board_visible(c, t->board_id))
		return ag_fail(c, AG_ENOTFOUND, "post_not_found");
	enum ag_status st = require_moderator(c, t->board_id);
	if (st == AG_EFORBIDDEN && access_post(c, id, &seen) != AG_OK)
		return ag_fail(c, AG_ENOTFOUND, "post_not_found");
	return st;
}

static int post_action_known(const char *a)
{
	return a && (!strcmp(a, "approve") || !strcmp(a, "reject") || !strcmp(a, "delete") || !strcmp(a, "restore"));
}

enum ag_status mod_post_action(struct agora_ctx *c, int64_t id, const char *action, const char *reason,
			       struct post *out)
{
	struct post p;
	struct thread t;
	enum ag_status st;
	if ((st = reason_ok(c, reason)) != AG_OK)
		return st;
	if ((st = post_for_moderator(c, id, &p, &t)) != AG_OK)
		return st;
	if (!post_action_known(action))
		return ag_fail(c, AG_EINVAL, "invalid_action");
	if (!strcmp(action, "restore") && p.state != POST_DELETED)
		return ag_fail(c, AG_ECONFLICT, "not_deleted");
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = post_action_apply(c, &p, action);
	if (rc == STORE_OK)
		rc = modlog_append(c, action, "post", id, reason);
	if (rc == STORE_OK)
		rc = post_action_notify(c, &p, action, reason);
	if ((st = ag_commit(c, rc, AG_OK)) != AG_OK)
		return st;
	if ((st = access_post(c, id, out)) == AG_OK && out->state == POST_PUBLISHED &&
	    (p.state != POST_PUBLISHED || p.pending_html))
		screen_published(c, out, t.board_slug, p.state == POST_PENDING || p.state == POST_REJECTED);
	return st;
}

/* ---- actions on threads -------------------------------------------------------------------------- */

/* The flags an action other than move sets on t: 0, or -1 for no such action. */
static int thread_flags(struct agora_ctx *c, const char *action, struct thread *t)
{
	if (!strcmp(action, "pin") || !strcmp(action, "unpin"))
		t->pinned = !strcmp(action, "pin");
	else if (!strcmp(action, "lock") || !strcmp(action, "unlock"))
		t->locked = !strcmp(action, "lock");
	else if (!strcmp(action, "feature")) /* featured again keeps its first day */
		t->featured_at = t->featured_at ? t->featured_at : c->now;
	else if (!strcmp(action, "unfeature"))
		t->featured_at = 0;
	else
		return -1;
	return 0;
}

enum ag_status mod_thread_action(struct agora_ctx *c, int64_t id, const char *action, const char *board,
				 const char *reason, struct thread *out)
{
	struct thread t;
	struct board to;
	enum ag_status st;
	if ((st = reason_ok(c, reason)) != AG_OK || (st = access_thread(c, id, &t)) != AG_OK ||
	    (st = require_moderator(c, t.board_id)) != AG_OK)
		return st;
	int move = action && !strcmp(action, "move");
	if (!action || (!move && thread_flags(c, action, &t) != 0))
		return ag_fail(c, AG_EINVAL, "invalid_action");
	if (move && (!board || (st = access_board(c, board, &to)) != AG_OK))
		return board ? st : ag_fail(c, AG_EINVAL, "missing_board");
	/* moving a thread takes powers on both boards */
	if (move && (st = require_moderator(c, to.id)) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = move ? store_thread_move(c->db, id, to.id) : store_thread_set(c->db, &t);
	if (rc == STORE_OK)
		rc = modlog_append(c, action, "thread", id, reason);
	if ((st = ag_commit(c, rc, AG_OK)) != AG_OK)
		return st;
	if (move) /* its new board may be members-only */
		ag_emit_rights_changed(c, AG_RIGHTS_THREAD, id, NULL);
	return access_thread(c, id, out);
}

/* ---- reports -------------------------------------------------------------------------------------- */

static int64_t hide_threshold(struct agora_ctx *c)
{
	const char *v = store_setting_get(c->db, c->arena, "report_hide_threshold");
	long n = v ? strtol(v, NULL, 10) : REPORT_HIDE_DEFAULT;
	return n > 0 ? n : REPORT_HIDE_DEFAULT;
}

/* What the acting member's report weighs toward hiding a post of this board, so that a few
 * accounts made for the purpose cannot take down what they dislike: nothing from accounts
 * younger than REPORT_MEMBER_DAYS or with fewer than REPORT_MEMBER_POSTS published posts, 1
 * from ordinary members, 2 from long-standing ones; a moderator of the board hides at once.
 * The weights are in docs/DESIGN-NOTES.md ("Reports"). */
enum {
	DAY_SECONDS = 86400,
	REPORT_MEMBER_DAYS = 7,
	REPORT_MEMBER_POSTS = 3,
	REPORT_VETERAN_DAYS = 180,
	REPORT_VETERAN_POSTS = 30,
};

static int report_weight(struct agora_ctx *c, int64_t board_id, int64_t threshold)
{
	const struct user *u = c->actor;
	int64_t age = c->now - u->created_at;
	if (access_may_moderate(c, board_id))
		return (int)threshold;
	if (age >= REPORT_VETERAN_DAYS * DAY_SECONDS && u->post_count >= REPORT_VETERAN_POSTS)
		return 2;
	return age >= REPORT_MEMBER_DAYS * DAY_SECONDS && u->post_count >= REPORT_MEMBER_POSTS;
}

/* Once the weighted reports of a published post reach the threshold, it is hidden until
 * reviewed; a post by someone who moderates its board (staff, the board's moderators, the
 * association's officers) never is: reports put it in the queue and a moderator decides. */
static int maybe_hide(struct agora_ctx *c, const struct post *p, const struct thread *t, int64_t threshold)
{
	int64_t weight = 0;
	if (p->state != POST_PUBLISHED || access_moderates(c, &p->author, t->board_id))
		return STORE_OK;
	int rc = store_report_weight(c->db, p->id, &weight);
	if (rc != STORE_OK || weight < threshold)
		return rc;
	rc = store_post_set_state(c->db, p->id, POST_PENDING);
	if (rc == STORE_OK)
		rc = store_flag_add(c->db, p->id, "held", 0, MOD_HIDDEN_REASON, c->now);
	return rc;
}

enum ag_status mod_report(struct agora_ctx *c, int64_t post_id, const char *reason)
{
	struct post p;
	struct thread t;
	enum ag_status st = ag_require_writer(c);
	int64_t reports = 0;
	if (st != AG_OK || (st = access_post_in(c, post_id, &p, &t)) != AG_OK)
		return st;
	if (!reason || !*reason)
		return ag_fail(c, AG_EINVAL, "missing_reason");
	if ((st = reason_ok(c, reason)) != AG_OK || (st = ag_check(c, mod_may_report(c, &p))) != AG_OK)
		return st;
	int64_t threshold = hide_threshold(c);
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_report_add(c->db, post_id, c->actor->id, reason, report_weight(c, t.board_id, threshold), c->now);
	if (rc == STORE_CONFLICT) {
		store_rollback(c->db);
		return ag_fail(c, AG_ECONFLICT, "already_reported");
	}
	if (rc == STORE_OK)
		rc = store_flag_reports(c->db, post_id, &reports);
	if (rc == STORE_OK)
		rc = maybe_hide(c, &p, &t, threshold);
	if ((st = ag_commit(c, rc, AG_CREATED)) != AG_CREATED)
		return st;
	struct agora_report r = {post_id, p.author.username, c->actor->username, reason, (unsigned)reports};
	plugins_report(c->plugins, &r);
	return AG_CREATED;
}

/* ---- bans ----------------------------------------------------------------------------------------- */

struct ag_right mod_may_ban(const struct agora_ctx *c, const struct user *target)
{
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r))
		return r;
	if (c->actor->role < ROLE_MODERATOR)
		return ag_refused(AG_EFORBIDDEN, "not_a_moderator");
	if (target->id == c->actor->id || target->role == ROLE_ADMIN ||
	    (target->role == ROLE_MODERATOR && c->actor->role != ROLE_ADMIN))
		return ag_refused(AG_EFORBIDDEN, "cannot_ban");
	return AG_ALLOWED;
}

struct ag_right mod_may_report(const struct agora_ctx *c, const struct post *p)
{
	struct ag_right r = ag_may_write(c);
	if (!ag_allowed(r))
		return r;
	if (p->state == POST_DELETED)
		return ag_refused(AG_ECONFLICT, "post_deleted");
	if (p->author.id == c->actor->id)
		return ag_refused(AG_EFORBIDDEN, "own_post");
	return AG_ALLOWED;
}

static enum ag_status ban_set(struct agora_ctx *c, const char *username, int64_t until, const char *reason,
			      const char *action)
{
	struct user u;
	enum ag_status st;
	if ((st = reason_ok(c, reason)) != AG_OK || (st = ag_require_writer(c)) != AG_OK)
		return st;
	if (!username || store_user_by_name(c->db, c->arena, username, &u) != STORE_OK)
		return ag_fail(c, AG_ENOTFOUND, "user_not_found");
	if ((st = ag_check(c, mod_may_ban(c, &u))) != AG_OK)
		return st;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_user_ban(c->db, u.id, until, until ? reason : NULL);
	if (rc == STORE_OK)
		rc = modlog_append(c, action, "user", u.id, reason);
	st = ag_commit(c, rc, until ? AG_CREATED : AG_OK);
	if (st == AG_CREATED) /* like a password or role change: streams opened before it end */
		ag_emit_rights_changed(c, AG_RIGHTS_READER, u.id, NULL);
	return st;
}

enum ag_status mod_ban(struct agora_ctx *c, const char *username, int64_t days, const char *reason)
{
	if (days < 0 || days > 36500)
		return ag_fail(c, AG_EINVAL, "invalid_days");
	return ban_set(c, username, days ? c->now + days * 86400 : INT64_MAX, reason, "ban");
}

enum ag_status mod_unban(struct agora_ctx *c, const char *username)
{
	return ban_set(c, username, 0, NULL, "unban");
}
