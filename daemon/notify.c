#include "notify.h"

#include <string.h>
#include <strings.h>

static int name_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
	       ch == '.' || ch == '-';
}

/* A line opening or closing a fenced code block: up to three spaces, then ``` or ~~~. */
static int fence_line(const char *s)
{
	int spaces = 0;
	while (*s == ' ' && spaces < 4)
		s++, spaces++;
	return spaces < 4 && (!strncmp(s, "```", 3) || !strncmp(s, "~~~", 3));
}

/* After a run of backticks at s (len of them): past the run that closes the code span, or
 * s + len when none does (the backticks are then plain text). */
static const char *code_span_end(const char *s, size_t len)
{
	const char *p = s + len;
	while ((p = strchr(p, '`'))) {
		size_t run = strspn(p, "`");
		if (run == len)
			return p + run;
		p += run;
	}
	return s + len;
}

static int already(char (*names)[MENTION_NAME_MAX + 1], size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(names[i], name))
			return 1;
	return 0;
}

size_t notify_mentions(const char *text, char (*names)[MENTION_NAME_MAX + 1], size_t max)
{
	size_t n = 0;
	int fenced = 0;
	const char *s = text;
	while (*s && n < max) {
		const char *eol = strchr(s, '\n');
		const char *end = eol ? eol : s + strlen(s);
		if (fence_line(s)) {
			fenced = !fenced;
		} else if (!fenced) {
			for (const char *p = s; p < end && n < max; p++) {
				if (*p == '`') {
					p = code_span_end(p, strspn(p, "`")) - 1;
					continue;
				}
				if (*p != '@' || (p > text && name_char((unsigned char)p[-1])))
					continue;
				size_t len = 0;
				while (p + 1 + len < end && name_char((unsigned char)p[1 + len]))
					len++;
				/* "@alice." ends a sentence: trailing dots and dashes are not part of it */
				while (len && (p[len] == '.' || p[len] == '-'))
					len--;
				if (len >= 3 && len <= MENTION_NAME_MAX) {
					memcpy(names[n], p + 1, len);
					names[n][len] = '\0';
					if (!already(names, n, names[n]))
						n++;
				}
				p += len;
			}
		}
		s = eol ? eol + 1 : end;
	}
	return n;
}

int notify_published(struct agora_ctx *c, const struct post *p)
{
	char names[MENTIONS_MAX][MENTION_NAME_MAX + 1];
	int rc = STORE_OK;
	size_t n = p->body ? notify_mentions(p->body, names, MENTIONS_MAX) : 0;
	int64_t actor = p->author.id, id = p->id;
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		rc = store_notify_post(c->db, NOTIFY_MENTIONED, "mention", names[i], id, actor, c->now);
	if (rc == STORE_OK && p->parent_id)
		rc = store_notify_post(c->db, NOTIFY_PARENT_AUTHOR, "reply", NULL, id, actor, c->now);
	if (rc == STORE_OK)
		rc = store_notify_post(c->db, p->parent_id ? NOTIFY_THREAD_FOLLOWERS : NOTIFY_BOARD_FOLLOWERS,
				       "subscription", NULL, id, actor, c->now);
	return rc;
}

int notify_moderation(struct agora_ctx *c, int64_t post_id, const char *action, const char *reason)
{
	const char *detail = arena_printf(c->arena, "%s\t%s", action, reason ? reason : "");
	return store_notify_moderation(c->db, post_id, c->actor->id, detail, c->now);
}

enum ag_status notify_list(struct agora_ctx *c, struct page pg, struct note **out, size_t *n, int64_t *total,
			   int64_t *unread)
{
	if (!c->actor)
		return ag_fail(c, AG_EUNAUTH, "not_signed_in");
	int rc = store_notes(c->db, c->arena, c->actor->id, pg, out, n, total);
	if (rc == STORE_OK)
		rc = store_notes_unread(c->db, c->actor->id, unread);
	return rc == STORE_OK ? AG_OK : ag_store_fail(c, rc);
}

enum ag_status notify_mark_read(struct agora_ctx *c, const int64_t *ids, size_t n)
{
	if (!c->actor)
		return ag_fail(c, AG_EUNAUTH, "not_signed_in");
	int rc = store_begin(c->db);
	if (rc == STORE_OK && !ids)
		rc = store_notes_read(c->db, c->actor->id, 0, c->now);
	for (size_t i = 0; rc == STORE_OK && ids && i < n; i++)
		if (ids[i] > 0)
			rc = store_notes_read(c->db, c->actor->id, ids[i], c->now);
	return ag_commit(c, rc, AG_OK);
}

int64_t notify_unread_count(struct agora_ctx *c)
{
	int64_t n = 0;
	if (!c->actor || store_notes_unread(c->db, c->actor->id, &n) != STORE_OK)
		return 0;
	return n;
}
