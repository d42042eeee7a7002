/* uploads: files members attach to their posts (images shown in the text, documents linked
 * from it). The type is read from the bytes, never taken from the name; an image's size is
 * kept and its EXIF is gone before it is stored (the handler does that off the event loop,
 * with imagemeta). An upload is seen by its uploader, and by whoever may see a published post
 * that links it: everyone else gets the answer of a missing id. */
#ifndef AGORA_UPLOADS_H
#define AGORA_UPLOADS_H

#include <stddef.h>

#include "ctx.h"
#include "store_upload.h"

/* Limits. The quota is counted over the last 24 hours from the rows uploads leave, whichever
 * of files or bytes runs out first; AGORA_UPLOAD_QUOTA ("FILES" or "FILES,BYTES") overrides it
 * (tests, or a site that wants less). */
enum {
	UPLOAD_IMAGE_MAX = 5 * 1024 * 1024,
	UPLOAD_DOC_MAX = 20 * 1024 * 1024,
	UPLOAD_DAY_FILES = 50,
	UPLOAD_DAY_SECONDS = 24 * 3600,
	UPLOAD_LINKS_MAX = 50, /* uploads one post may link (lend visibility to) */
	UPLOAD_SNIFF = 65536,  /* first bytes libmagic reads (OOXML names its parts early on) */
};
#define UPLOAD_DAY_BYTES ((int64_t)100 * 1024 * 1024)

/* What a file is, when it is a kind we take. */
struct upload_kind {
	const char *content_type; /* as served */
	int image;                /* shown inline: width and height come from its header */
	int64_t max;              /* bytes */
};

/* Signed in and not banned. Checked before the body is read, and again by upload_create. */
struct ag_right upload_may_create(const struct agora_ctx *c);
/* AG_OK when the actor may still upload size more bytes today (size 0: one more file at all),
 * else AG_ERATE quota_exceeded with retry_after. */
enum ag_status upload_quota(struct agora_ctx *c, int64_t size);
/* The kind of a file from what libmagic says of its first bytes (magic) and those bytes (len
 * of them; complete: the whole file): an image of the four formats, a PDF, an Office document
 * or UTF-8 text that does not open like markup (filetype's rule). NULL for anything else.
 * Pure (no context), so it may run on the thread that reads the upload. */
const struct upload_kind *upload_kind_of(const char *magic, const unsigned char *head, size_t len, int complete);
/* Records a file already in the blob store (f: sha, filename as the client gave it, size,
 * width, height) of kind k (NULL: refused, 415 unsupported_type); checks the right, the
 * kind's limit (413 too_large) and the quota. out gets the row. */
enum ag_status upload_create(struct agora_ctx *c, const struct upload_file *f, const struct upload_kind *k,
			     struct upload_file *out);
/* An upload the caller may see, asked for by id and name (upload_safe_name of the stored
 * filename): AG_ENOTFOUND for a missing id, a wrong name and an upload not lent to them. */
enum ag_status upload_get(struct agora_ctx *c, int64_t id, const char *name, struct upload_file *out);
/* The filename as it appears in an upload's URL: ASCII letters, digits, '.', '-' and '_'
 * (any other run of bytes becomes one '_', none at the start), no leading dot, at most 80
 * bytes; "file" when nothing is left. Arena memory. */
const char *upload_safe_name(struct arena *a, const char *filename);
/* The URL of an upload: /uploads/ID/SAFE-NAME (arena memory). */
const char *upload_url(struct arena *a, const struct upload_file *f);
/* Keeps the links of post_id to the uploads its Markdown body names (/uploads/ID/), inside
 * the caller's transaction: links the body dropped go, new ones are made to uploads the
 * actor may see (their own, or lent to them), so nobody can lend what they cannot see.
 * A store status. */
int upload_link_post(struct agora_ctx *c, int64_t post_id, const char *body);
/* After a refused upload: deletes its file unless a material or upload holds the same bytes. */
void upload_forget(struct agora_ctx *c, const char *sha);

#endif
