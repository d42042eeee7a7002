#include "modlog.h"

#include "store_mod.h"

int modlog_append(struct agora_ctx *c, const char *action, const char *target_type, int64_t target_id,
		  const char *reason)
{
	return store_mod_log_add(c->db, c->actor->id, action, target_type, target_id, reason, c->now);
}

enum ag_status modlog_list(struct agora_ctx *c, struct page pg, struct mod_entry **out, size_t *n,
			   int64_t *total)
{
	enum ag_status st = ag_stored(c, store_mod_log(c->db, c->arena, ag_viewer(c), pg, out, n, total));
	/* a moderator's reason may quote what they acted on: not for those who may not see it */
	for (size_t i = 0; st == AG_OK && i < *n; i++)
		if (!(*out)[i].seen) {
			struct mod_entry *e = &(*out)[i];
			e->reason = e->target_name = e->target_key = e->detail_name = NULL;
		}
	return st;
}
