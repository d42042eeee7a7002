#include "associations.h"

#include <string.h>

#include "forum.h"
#include "modlog.h"
#include "store_assoc.h"
#include "store_user.h"
#include "utf8.h"

enum ag_status assoc_list(struct agora_ctx *c, const char *industry, const char *position,
			  struct association **out, size_t *n)
{
	return ag_found(c, store_assocs(c->db, c->arena, industry, position, out, n), "not_found");
}

enum ag_status assoc_get(struct agora_ctx *c, const char *slug, struct association *out)
{
	return ag_found(c, store_assoc_by_slug(c->db, c->arena, slug, out), "association_not_found");
}

enum ag_status assoc_attach_target(struct agora_ctx *c, const char *board, const char *association,
				   int64_t *board_id, struct association *x)
{
	int by_board = board && *board, by_assoc = association && *association;
	struct board b;
	memset(x, 0, sizeof *x);
	*board_id = 0;
	if (by_board == by_assoc)
		return ag_fail(c, AG_EINVAL, "board_or_association");
	if (by_assoc) {
		enum ag_status st = ag_found(c, store_assoc_by_slug(c->db, c->arena, association, x), "association_not_found");
		if (st == AG_OK && !access_content_visible(c, 0, association))
			return ag_fail(c, AG_EFORBIDDEN, "members_only");
		return st;
	}
	enum ag_status st = access_board(c, board, &b);
	if (st == AG_OK)
		*board_id = b.id;
	return st;
}

static int one_of(const char *v, const char *a, const char *b)
{
	return v && (!strcmp(v, a) || !strcmp(v, b));
}

static enum ag_status input_check(struct agora_ctx *c, const struct assoc_input *in)
{
	if (!in->slug || !slug_valid(in->slug))
		return ag_fail(c, AG_EINVAL, "invalid_slug");
	size_t n = in->name ? strlen(in->name) : 0;
	if (!n || utf8_length(in->name, n) > 100 || !utf8_line_ok(in->name, n) || strspn(in->name, " ") == n)
		return ag_fail(c, AG_EINVAL, "invalid_name");
	if (in->description && (strlen(in->description) > 4000 || !utf8_text_ok(in->description, strlen(in->description), 1)))
		return ag_fail(c, AG_EINVAL, "invalid_description");
	if (!one_of(in->join_policy ? in->join_policy : "open", "open", "approval"))
		return ag_fail(c, AG_EINVAL, "invalid_join_policy");
	if (!one_of(in->visibility ? in->visibility : "public", "public", "members"))
		return ag_fail(c, AG_EINVAL, "invalid_visibility");
	return AG_OK;
}

struct ag_right assoc_may_create(const struct agora_ctx *c)
{
	struct ag_right r = ag_may_write(c);
	if (ag_allowed(r) && c->actor->role != ROLE_ADMIN && c->actor->role != ROLE_LECTURER)
		return ag_refused(AG_EFORBIDDEN, "lecturers_and_admins_only");
	return r;
}

struct ag_right assoc_may_join(struct agora_ctx *c, const struct association *x)
{
	struct ag_right r = ag_may_write(c);
	if (ag_allowed(r) && access_membership(c, x->id) != MEMBERSHIP_NONE)
		return ag_refused(AG_ECONFLICT, "already_a_member");
	return r;
}

struct ag_right assoc_may_manage(struct agora_ctx *c, const struct association *x)
{
	struct ag_right r = ag_may_write(c);
	if (ag_allowed(r) && !ag_is_admin(c) && !access_is_officer(c, x->id))
		return ag_refused(AG_EFORBIDDEN, "officers_only");
	return r;
}

enum ag_status assoc_create(struct agora_ctx *c, const struct assoc_input *in, struct association *out)
{
	enum ag_status st = ag_check(c, assoc_may_create(c));
	if (st != AG_OK)
		return st;
	if ((st = input_check(c, in)) != AG_OK)
		return st;
	memset(out, 0, sizeof *out);
	if ((st = ag_term(c, TERM_INDUSTRY, in->industry, &out->industry)) != AG_OK ||
	    (st = ag_term(c, TERM_POSITION, in->position, &out->position)) != AG_OK)
		return st;
	out->slug = in->slug;
	out->name = in->name;
	out->description = in->description ? in->description : "";
	out->join_policy = in->join_policy ? in->join_policy : "open";
	out->visibility = in->visibility ? in->visibility : "public";
	out->created_at = c->now;
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_assoc_insert(c->db, out, c->actor->id);
	if (rc == STORE_CONFLICT) {
		store_rollback(c->db);
		return ag_fail(c, AG_ECONFLICT, "slug_taken");
	}
	if (rc == STORE_OK)
		rc = store_membership_set(c->db, out->id, c->actor->id, MEMBERSHIP_OFFICER, c->now);
	if ((st = ag_commit(c, rc, AG_CREATED)) != AG_CREATED)
		return st;
	st = assoc_get(c, in->slug, out);
	return st == AG_OK ? AG_CREATED : st;
}

enum ag_status assoc_join(struct agora_ctx *c, const char *slug)
{
	struct association x;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = assoc_get(c, slug, &x)) != AG_OK || (st = ag_check(c, assoc_may_join(c, &x))) != AG_OK)
		return st;
	int open = !strcmp(x.join_policy, "open");
	int rc = store_membership_set(c->db, x.id, c->actor->id, open ? MEMBERSHIP_MEMBER : MEMBERSHIP_PENDING, c->now);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	return open ? AG_CREATED : AG_PENDING;
}

enum ag_status assoc_people(struct agora_ctx *c, const struct association *x, enum membership m,
			    struct user **out, size_t *n)
{
	return ag_found(c, store_assoc_people(c->db, c->arena, x->id, m, out, n), "not_found");
}

/* An association keeps at least one officer, so someone can always approve and promote. */
static int last_officer(struct agora_ctx *c, const struct association *x, int64_t user_id)
{
	struct user *o;
	size_t n;
	if (store_assoc_people(c->db, c->arena, x->id, MEMBERSHIP_OFFICER, &o, &n) != STORE_OK)
		return 1;
	return n == 1 && o[0].id == user_id;
}

/* Someone is no longer a member: what they saw of members-only boards is no longer theirs. */
static enum ag_status left(struct agora_ctx *c, const struct association *x, int rc)
{
	enum ag_status st = ag_stored(c, rc);
	if (st == AG_OK)
		ag_emit_rights_changed(c, AG_RIGHTS_ASSOCIATION, 0, x->slug);
	return st;
}

enum ag_status assoc_leave(struct agora_ctx *c, const char *slug)
{
	struct association x;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = assoc_get(c, slug, &x)) != AG_OK)
		return st;
	enum membership m = access_membership(c, x.id);
	if (m == MEMBERSHIP_NONE)
		return ag_fail(c, AG_ENOTFOUND, "not_a_member");
	if (m == MEMBERSHIP_OFFICER && last_officer(c, &x, c->actor->id))
		return ag_fail(c, AG_ECONFLICT, "last_officer");
	int rc = store_membership_set(c->db, x.id, c->actor->id, MEMBERSHIP_NONE, c->now);
	return left(c, &x, rc);
}

/* The new standing an action gives, or -1 when it does not apply to the current one. */
static int action_result(const char *action, enum membership now)
{
	if (!strcmp(action, "approve"))
		return now == MEMBERSHIP_PENDING ? MEMBERSHIP_MEMBER : -1;
	if (!strcmp(action, "promote"))
		return now == MEMBERSHIP_MEMBER ? MEMBERSHIP_OFFICER : -1;
	if (!strcmp(action, "remove"))
		return now != MEMBERSHIP_NONE ? MEMBERSHIP_NONE : -1;
	return -2;
}

/* Changes a standing. An admin who is not an officer acts with the site's powers, not the
 * association's: that is a moderator's action and goes in the public log in the same
 * transaction (above all an admin who approves themself into a members-only association). */
static int member_change(struct agora_ctx *c, const struct association *x, const struct user *u,
			 const char *action, enum membership to)
{
	if (access_is_officer(c, x->id))
		return store_membership_set(c->db, x->id, u->id, to, c->now);
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = store_membership_set(c->db, x->id, u->id, to, c->now);
	if (rc == STORE_OK)
		rc = modlog_append(c, arena_printf(c->arena, "%s_member", action), "association", x->id, u->username);
	if (rc == STORE_OK)
		return store_commit(c->db);
	store_rollback(c->db);
	return rc;
}

enum ag_status assoc_member_action(struct agora_ctx *c, const char *slug, const char *username, const char *action)
{
	struct association x;
	struct user u;
	enum membership now = MEMBERSHIP_NONE;
	enum ag_status st = ag_require_writer(c);
	if (st != AG_OK || (st = assoc_get(c, slug, &x)) != AG_OK)
		return st;
	if ((st = ag_check(c, assoc_may_manage(c, &x))) != AG_OK)
		return st;
	if ((st = ag_found(c, store_user_by_name(c->db, c->arena, username, &u), "user_not_found")) != AG_OK)
		return st;
	int rc = store_membership(c->db, x.id, u.id, &now);
	if (rc != STORE_OK)
		return ag_store_fail(c, rc);
	int to = action ? action_result(action, now) : -2;
	if (to == -2)
		return ag_fail(c, AG_EINVAL, "invalid_action");
	if (to == -1)
		return ag_fail(c, now == MEMBERSHIP_NONE ? AG_ENOTFOUND : AG_ECONFLICT,
			       now == MEMBERSHIP_NONE ? "not_a_member" : "not_applicable");
	if (to == MEMBERSHIP_NONE && now == MEMBERSHIP_OFFICER && last_officer(c, &x, u.id))
		return ag_fail(c, AG_ECONFLICT, "last_officer");
	rc = member_change(c, &x, &u, action, (enum membership)to);
	return to == MEMBERSHIP_NONE ? left(c, &x, rc) : ag_stored(c, rc);
}
