/* atom: an Atom 1.0 (RFC 4287) writer. Every string it is given lands in the document as
 * well-formed XML 1.0: markup characters escaped, characters XML forbids (C0 controls other
 * than tab, LF and CR; U+FFFE and U+FFFF) dropped, and bytes that are not UTF-8 replaced by
 * U+FFFD, so a feed stays parseable whatever the database holds. Free of libevent and SQLite. */
#ifndef AGORA_ATOM_H
#define AGORA_ATOM_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Appends s[0..len) escaped for element text and quoted attribute values (& < > " '). */
void xml_escape(struct buf *out, const char *s, size_t len);

/* The head of a feed. id, title, self and alternate must be absolute IRIs or text, never
 * NULL; subtitle may be NULL. updated: Unix seconds of the newest entry. */
struct atom_feed {
	const char *id;
	const char *title;
	const char *subtitle;
	const char *self;      /* this feed's own address */
	const char *alternate; /* the HTML page it follows */
	int64_t updated;
};

/* One entry. content_html is HTML the feed carries as escaped text (type="html");
 * updated 0 means never changed since published. */
struct atom_entry {
	const char *id;
	const char *title;
	const char *link;
	const char *author;
	const char *author_uri; /* may be NULL */
	int64_t published, updated;
	const char *content_html;
};

/* The XML declaration and the <feed> head; then atom_entry for each entry; then atom_end. */
void atom_begin(struct buf *out, const struct atom_feed *f);
void atom_entry(struct buf *out, const struct atom_entry *e);
void atom_end(struct buf *out);

/* 1 when s is a host as a Host header may name it for our links: a DNS name or IPv4
 * address (letters, digits, '.', '-'; at most 253 characters, no empty label), optionally
 * ":PORT" (1-65535). Anything else (user info, paths, spaces, IPv6 literals) is 0. */
int atom_host_valid(const char *s);

#endif
