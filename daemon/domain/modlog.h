/* modlog: the public moderation log. Every moderator's action appends to it in the same
 * transaction as the change, so the log and the site cannot disagree. */
#ifndef AGORA_MODLOG_H
#define AGORA_MODLOG_H

#include <stddef.h>

#include "ctx.h"

/* Appends an entry by the acting user (inside the caller's transaction); a store status. */
int modlog_append(struct agora_ctx *c, const char *action, const char *target_type, int64_t target_id,
		  const char *reason);
/* The log, newest first; public. An entry about what the caller may not see (a post, thread
 * or association that is members-only) keeps who did what to which id, but not its reason
 * (seen 0). */
enum ag_status modlog_list(struct agora_ctx *c, struct page pg, struct mod_entry **out, size_t *n,
			   int64_t *total);

#endif
