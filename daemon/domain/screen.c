#include "screen.h"

#include <string.h>

#include "plugin_host.h"
#include "store_mod.h"

static const char *joined(struct agora_ctx *c, const struct plugin_verdict *v)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < v->nreasons; i++) {
		if (i)
			buf_puts(&b, "; ");
		buf_puts(&b, v->reasons[i]);
	}
	const char *s = arena_strdup(c->arena, b.data ? b.data : "");
	buf_free(&b);
	return s;
}

/* The refusal's reasons with their catalog keys, copied into the arena, for the page to
 * translate (the texts joined stay the detail of the error's message). */
static void keep_reasons(struct agora_ctx *c, const struct plugin_verdict *v)
{
	struct ag_reason *out = arena_alloc(c->arena, (v->nreasons + 1) * sizeof *out);
	for (size_t i = 0; i < v->nreasons; i++) {
		struct ag_reason one = plugin_reason(v->reasons[i], sizeof v->reasons[i]);
		out[i].text = arena_strdup(c->arena, one.text);
		out[i].key = one.key ? arena_strdup(c->arena, one.key) : NULL;
		out[i].arg = one.arg ? arena_strdup(c->arena, one.arg) : NULL;
	}
	c->reasons = out;
	c->nreasons = v->nreasons;
}

enum ag_status screen_submission(struct agora_ctx *c, const struct submission *s)
{
	const struct user *u = c->actor;
	struct agora_submission sub = {
		.author = u->username, .author_role = role_name(u->role), .account_age = c->now - u->created_at,
		.author_posts = u->post_count, .author_region = u->region.slug, .board = s->board,
		.thread_id = s->thread ? s->thread->id : 0, .title = s->thread ? s->thread->title : s->title,
		.body = s->body, .body_len = strlen(s->body), .links = s->links,
		.client_addr = c->client_addr ? c->client_addr : "", .is_edit = s->is_edit,
	};
	struct plugin_verdict v;
	plugins_check_post(c->plugins, &sub, &v);
	if (v.verdict == AGORA_REJECT) {
		c->error_detail = joined(c, &v);
		keep_reasons(c, &v);
		if (v.retry_after > 0) {
			c->retry_after = v.retry_after;
			return ag_fail(c, AG_ERATE, "posting_too_fast");
		}
		return ag_fail(c, AG_EREFUSED, "refused");
	}
	if (v.verdict == AGORA_HOLD) {
		const char **r = arena_alloc(c->arena, (v.nreasons + 1) * sizeof *r);
		for (size_t i = 0; i < v.nreasons; i++)
			r[i] = arena_strdup(c->arena, v.reasons[i]);
		c->held_reasons = r;
		c->nheld_reasons = v.nreasons;
		return AG_PENDING;
	}
	return AG_OK;
}

int screen_hold(struct agora_ctx *c, int64_t post_id)
{
	int rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < c->nheld_reasons; i++)
		rc = store_flag_add(c->db, post_id, "held", 0, c->held_reasons[i], c->now);
	return rc;
}

void screen_published(struct agora_ctx *c, const struct post *p, const char *board, int first_time)
{
	if (first_time)
		ag_emit_published(c, p);
	struct agora_event e = {p->id, p->thread_id, board, p->author.username};
	plugins_published(c->plugins, &e);
}
