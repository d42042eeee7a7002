#include "composer.h"

#include <string.h>

#include "access.h"
#include "forum.h"
#include "quote.h"
#include "utf8.h"

enum ag_status composer_preview(struct agora_ctx *c, const char *body, const char **html)
{
	unsigned links;
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK)
		return st;
	if (!body)
		return ag_fail(c, AG_EINVAL, "missing_body");
	/* forum_render refuses a blank text; while typing, nothing yet is nothing to show */
	if (strlen(body) <= BODY_MAX_BYTES && strspn(body, " \t\r\n") == strlen(body)) {
		*html = "";
		return AG_OK;
	}
	return forum_render(c, body, html, &links);
}

enum ag_status composer_mentions(struct agora_ctx *c, const char *prefix, struct user **out, size_t *n)
{
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK)
		return st;
	size_t len = prefix ? strlen(prefix) : 0;
	if (!len || !utf8_line_ok(prefix, len) || utf8_length(prefix, len) > MENTION_PREFIX_MAX)
		return ag_fail(c, AG_EINVAL, "invalid_prefix");
	return ag_stored(c, store_users_by_prefix(c->db, c->arena, prefix, c->now, MENTION_MATCHES_MAX, out, n));
}

enum ag_status composer_quote(struct agora_ctx *c, int64_t id, const char **markdown)
{
	struct post p;
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK || (st = access_post(c, id, &p)) != AG_OK)
		return st;
	if (p.state == POST_DELETED)
		return ag_fail(c, AG_ENOTFOUND, "post_not_found");
	struct buf out = BUF_INIT;
	quote_markdown(&out, p.author.username, p.id, p.body);
	*markdown = arena_strndup(c->arena, out.data, out.len);
	buf_free(&out);
	return AG_OK;
}
