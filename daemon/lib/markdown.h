/* markdown: post source (CommonMark + GitHub tables, strikethrough, task lists and autolinks)
 * rendered to safe HTML by our own renderer on md4c's parser. Raw HTML is never passed
 * through, link and image URLs pass an allow-list, and output size is bounded. Free of
 * libevent and SQLite so unit tests and fuzzers link it alone. */
#ifndef AGORA_MARKDOWN_H
#define AGORA_MARKDOWN_H

#include <stddef.h>

#include "util.h"

/* Inputs longer than this are not parsed at all: they get the plain-text fallback. */
#define MD_MAX_INPUT (256u * 1024u)
/* The most HTML a source of len bytes renders to. Posts are stored and sent with their HTML,
 * so this is what one post can cost the disk and every reader. Ordinary writing stays well
 * under 8x (a task item, an autolink, a mention: 5-7x), short pathological-but-honest input
 * (deeply nested quotes) fits in the constant; a source whose HTML would pass it (reference
 * links used over and over) gets the escaped plain-text fallback, which never expands more
 * than 6x (&quot;). */
#define MD_OUT_MAX(len) (32u * 1024u + 8u * (size_t)(len))

struct md_result {
	unsigned links; /* number of links (a, autolinks, images) in the source, allowed or not;
	                   a lower bound when fallback is set */
	int fallback;   /* 1 when rendering was aborted and escaped plain text was produced instead */
};

/* Called once per @mention found in ordinary text (not in code, not inside a link or image),
 * in source order, duplicates included; name is not NUL-terminated and is only valid during
 * the call. Mentions are reported only when the Markdown rendering succeeds (never in the
 * fallback). */
typedef void (*md_mention_cb)(void *arg, const char *name, size_t len);

/* Renders Markdown src (UTF-8, already validated by the caller) to safe HTML appended to out.
 * Never fails: on trouble (input over MD_MAX_INPUT, output over MD_OUT_MAX, a table wider than
 * 64 columns, a parser error) it appends escaped plain text in <p> instead, with
 * res->fallback = 1. res may be NULL; on_mention may be NULL. */
void md_render(const char *src, size_t len, struct buf *out, struct md_result *res, md_mention_cb on_mention,
               void *arg);

enum { MENTIONS_MAX = 20, MENTION_NAME_MAX = 32 };

/* The @names of a Markdown text that its rendering links to /u/NAME (so none in code, link
 * texts or URLs), each once (case-insensitively), the first max of them: who a post notifies.
 * names[i] holds up to MENTION_NAME_MAX chars and a NUL. Renders the text (a 64 KiB body:
 * about a millisecond). */
size_t md_mentions(const char *text, char (*names)[MENTION_NAME_MAX + 1], size_t max);

#endif
