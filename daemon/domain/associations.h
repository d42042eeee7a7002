/* associations: member groups around a position or industry, with their own boards. Join
 * policy open or approval; visibility public or members-only (the boards of a members-only
 * association are hidden from everyone else by access_board_visible). */
#ifndef AGORA_ASSOCIATIONS_H
#define AGORA_ASSOCIATIONS_H

#include <stddef.h>

#include "access.h"
#include "ctx.h"

struct assoc_input {
	const char *slug, *name, *description, *industry, *position, *join_policy, *visibility;
};

enum ag_status assoc_list(struct agora_ctx *c, const char *industry, const char *position,
			  struct association **out, size_t *n);
enum ag_status assoc_get(struct agora_ctx *c, const char *slug, struct association *out);
/* Admins and lecturers create; the creator becomes an officer. */
/* Lecturers and admins found associations. */
struct ag_right assoc_may_create(const struct agora_ctx *c);
/* Writers who are not in it yet (nor waiting) may join. */
struct ag_right assoc_may_join(struct agora_ctx *c, const struct association *x);
/* Officers and admins approve, remove and promote members. */
struct ag_right assoc_may_manage(struct agora_ctx *c, const struct association *x);
enum ag_status assoc_create(struct agora_ctx *c, const struct assoc_input *in, struct association *out);
/* Joins: AG_CREATED (member) or AG_PENDING (waiting for an officer); AG_ECONFLICT if already in. */
enum ag_status assoc_join(struct agora_ctx *c, const char *slug);
/* Leaves (the last officer may not leave). */
enum ag_status assoc_leave(struct agora_ctx *c, const char *slug);
/* Officers (and admins): approve a pending member, remove a member, promote one to officer. */
enum ag_status assoc_member_action(struct agora_ctx *c, const char *slug, const char *username, const char *action);
/* Where a questionnaire or material is attached: exactly one of a board the caller can see
 * (sets *board_id) or an association (sets *x; x->id stays 0 for a board). */
enum ag_status assoc_attach_target(struct agora_ctx *c, const char *board, const char *association,
				   int64_t *board_id, struct association *x);
enum ag_status assoc_people(struct agora_ctx *c, const struct association *x, enum membership m,
			    struct user **out, size_t *n);

#endif
