#include "drafts.h"

#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "forum.h"
#include "utf8.h"

struct draft_target {
	int64_t thread_id; /* a reply's draft */
	const char *board; /* a new thread's draft */
};

static int digits_id(const char *s, int64_t *id)
{
	size_t n = strspn(s, "0123456789");
	if (n == 0 || n > 18 || s[n] || s[0] == '0')
		return 0;
	*id = strtoll(s, NULL, 10);
	return 1;
}

static enum ag_status key_parse(struct agora_ctx *c, const char *key, struct draft_target *t)
{
	memset(t, 0, sizeof *t);
	if (key && strlen(key) <= DRAFT_KEY_MAX) {
		if (!strncmp(key, "thread-", 7) && digits_id(key + 7, &t->thread_id))
			return AG_OK;
		if (!strncmp(key, "board-", 6) && slug_valid(key + 6)) {
			t->board = key + 6;
			return AG_OK;
		}
	}
	return ag_fail(c, AG_EINVAL, "invalid_key");
}

/* The thread or board exists for the caller (404 as if missing); with writing, the caller may
 * also reply there or start a thread there. */
static enum ag_status target_check(struct agora_ctx *c, const struct draft_target *t, int writing)
{
	struct thread th;
	struct board b;
	enum ag_status st = t->board ? access_board(c, t->board, &b) : access_thread(c, t->thread_id, &th);
	if (st != AG_OK || !writing)
		return st;
	return t->board ? ag_require_writer(c) : ag_check(c, forum_may_reply(c, &th));
}

static enum ag_status text_check(struct agora_ctx *c, const char *title, const char *body)
{
	if (!body)
		return ag_fail(c, AG_EINVAL, "missing_body");
	size_t n = strlen(body);
	if (n > BODY_MAX_BYTES)
		return ag_fail(c, AG_ETOOLARGE, "body_too_large");
	if (!utf8_text_ok(body, n, 1))
		return ag_fail(c, AG_EINVAL, "invalid_text");
	if (title && utf8_length(title, strlen(title)) > TITLE_MAX_CHARS)
		return ag_fail(c, AG_ETOOLARGE, "title_too_long");
	if (title && !utf8_line_ok(title, strlen(title)))
		return ag_fail(c, AG_EINVAL, "invalid_title");
	return AG_OK;
}

enum ag_status draft_put(struct agora_ctx *c, const char *key, const char *title, const char *body,
			 struct draft *out, int *kept)
{
	struct draft_target t;
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK || (st = key_parse(c, key, &t)) != AG_OK || (st = target_check(c, &t, 1)) != AG_OK)
		return st;
	if (!t.board)
		title = NULL; /* a reply has no title */
	if ((st = text_check(c, title, body)) != AG_OK)
		return st;
	*out = (struct draft){key, title, body, c->now};
	*kept = strspn(body, " \t\r\n") != strlen(body);
	int rc = store_begin(c->db);
	if (rc == STORE_OK)
		rc = *kept ? store_draft_put(c->db, c->actor->id, out, DRAFTS_MAX)
			   : store_draft_delete(c->db, c->actor->id, key);
	return ag_commit(c, rc, AG_OK);
}

enum ag_status draft_get(struct agora_ctx *c, const char *key, struct draft *out)
{
	struct draft_target t;
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK || (st = key_parse(c, key, &t)) != AG_OK || (st = target_check(c, &t, 0)) != AG_OK)
		return st;
	return ag_found(c, store_draft_get(c->db, c->arena, c->actor->id, key, out), "not_found");
}

enum ag_status draft_delete(struct agora_ctx *c, const char *key)
{
	struct draft_target t;
	enum ag_status st = ag_require_reader(c);
	if (st != AG_OK || (st = key_parse(c, key, &t)) != AG_OK)
		return st;
	return ag_stored(c, store_draft_delete(c->db, c->actor->id, key));
}

/* s cut to at most max bytes and max_chars characters, on a character boundary. */
static const char *cut(struct agora_ctx *c, const char *s, size_t max, size_t max_chars)
{
	size_t n = strlen(s), at = 0, chars = 0;
	if (n <= max && utf8_length(s, n) <= max_chars)
		return s;
	while (at < n && chars < max_chars) {
		size_t k = utf8_seq((const unsigned char *)s + at, n - at);
		if (k == 0 || at + k > max)
			break;
		at += k;
		chars++;
	}
	return arena_strndup(c->arena, s, at);
}

int draft_keep(struct agora_ctx *c, const char *key, const char *title, const char *body)
{
	if (!c->actor || !body || strspn(body, " \t\r\n") == strlen(body))
		return 0;
	const char *code = c->error_code, *detail = c->error_detail;
	int64_t retry = c->retry_after;
	struct draft d;
	int kept;
	enum ag_status st = draft_put(c, key, title ? cut(c, title, BODY_MAX_BYTES, TITLE_MAX_CHARS) : NULL,
				      cut(c, body, BODY_MAX_BYTES, BODY_MAX_BYTES), &d, &kept);
	c->error_code = code;
	c->error_detail = detail;
	c->retry_after = retry;
	return st == AG_OK && kept;
}

const char *draft_key_thread(struct agora_ctx *c, int64_t thread_id)
{
	return arena_printf(c->arena, "thread-%lld", (long long)thread_id);
}

const char *draft_key_board(struct agora_ctx *c, const char *slug)
{
	return arena_printf(c->arena, "board-%s", slug);
}
