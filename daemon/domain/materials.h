/* materials: the library of files lecturers share, on a board or an association, with
 * versions and download counts. The bytes live in the blob store; this keeps the records. */
#ifndef AGORA_MATERIALS_H
#define AGORA_MATERIALS_H

#include <stddef.h>

#include "ctx.h"

struct material_input {
	const char *title, *description, *board, *association, *note;
};

/* A file already written to the blob store. */
struct upload {
	const char *sha256;
	const char *filename;     /* as the client named it: shown, never used as a path */
	const char *content_type; /* as the client said */
	int64_t size;
	const unsigned char *head; /* the file's first head_len bytes (FT_HEAD, or all of it) */
	size_t head_len;
};

/* Lecturers, moderators and admins may upload; checked before the body is processed. */
struct ag_right material_may_upload(const struct agora_ctx *c);
/* New versions come from the first uploader, moderators and admins. */
struct ag_right material_may_add_version(const struct agora_ctx *c, const struct material *m);
/* The built-in rate of uploads (new materials and versions) for the actor: AG_OK, or AG_ERATE
 * rate_limited with retry_after. Moderators and admins are exempt. Asked before the body is
 * read, and again by the writes. */
enum ag_status material_upload_rate(struct agora_ctx *c);
enum ag_status material_create(struct agora_ctx *c, const struct material_input *in, const struct upload *up,
			       struct material *out);
enum ag_status material_add_version(struct agora_ctx *c, int64_t id, const struct upload *up, const char *note,
				    struct material *out);
/* A material the caller may see, at a version (0: the latest). */
enum ag_status material_get(struct agora_ctx *c, int64_t id, int version, struct material *out);
enum ag_status material_versions(struct agora_ctx *c, int64_t id, struct material **out, size_t *n);
/* Filters are slugs or NULL; text matches title or description. */
enum ag_status material_list(struct agora_ctx *c, const char *board, const char *association, const char *text,
			     struct page pg, struct material **out, size_t *n, int64_t *total);
/* Counts a download of a version (loaded with material_get). */
enum ag_status material_count_download(struct agora_ctx *c, const struct material *m);
/* After a refused upload: deletes its file unless a material holds the same bytes. */
void material_forget_upload(struct agora_ctx *c, const char *sha);

#endif
