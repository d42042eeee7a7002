/* composer: what the reply box, the new-thread form and the edit box ask while a member
 * writes: a preview rendered as the post would be, and members to @mention. */
#ifndef AGORA_COMPOSER_H
#define AGORA_COMPOSER_H

#include "ctx.h"
#include "store_composer.h"

enum {
	MENTION_MATCHES_MAX = 8,
	MENTION_PREFIX_MAX = 32, /* characters: a username is at most 32 */
};

/* The HTML body text would be stored with (forum_render: the same renderer, limits and
 * refusals), in the context's arena; a blank text previews as "". Signed-in callers only. */
enum ag_status composer_preview(struct agora_ctx *c, const char *body, const char **html);
/* Members not banned whose username or display name starts with prefix, at most
 * MENTION_MATCHES_MAX, in the context's arena. 400 invalid_prefix for an empty, over-long or
 * multi-line prefix. Signed-in callers only: a visitor cannot list the members. */
enum ag_status composer_mentions(struct agora_ctx *c, const char *prefix, struct user **out, size_t *n);

/* The Markdown a reply quoting post id starts with (quote_markdown: as ?quote= prefills the
 * reply box), in the context's arena: a post the caller may see (404 as access_post), not
 * deleted (404 post_not_found). Signed-in callers only. */
enum ag_status composer_quote(struct agora_ctx *c, int64_t id, const char **markdown);

#endif
