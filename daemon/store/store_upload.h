/* store_upload: files members attach to posts, and which posts link them. */
#ifndef AGORA_STORE_UPLOAD_H
#define AGORA_STORE_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct upload_file {
	int64_t id, user_id;
	const char *sha, *filename, *content_type;
	int64_t size;
	int width, height; /* 0 for documents */
	int64_t created_at;
};

/* Inserts f (its id is set). */
int store_upload_insert(struct store *db, struct upload_file *f);
/* How many files and bytes user_id uploaded after since. */
int store_uploads_since(struct store *db, int64_t user_id, int64_t since, int64_t *files, int64_t *bytes);
/* The time of the oldest of those (0 when none). */
int store_uploads_oldest(struct store *db, int64_t user_id, int64_t since, int64_t *at);
/* An upload viewer_id (0: a visitor) may see: their own, or one a published post they may see
 * links. STORE_NOTFOUND otherwise, as for a missing id. */
int store_upload_get(struct store *db, struct arena *a, int64_t id, int64_t viewer_id, struct upload_file *out);
/* The uploads a post links now (an arena array of *n ids). */
int store_post_uploads(struct store *db, struct arena *a, int64_t post_id, int64_t **ids, size_t *n);
/* Links a post to an upload when viewer_id may see it (else nothing happens: STORE_OK). */
int store_post_upload_add(struct store *db, int64_t post_id, int64_t upload_id, int64_t viewer_id);
int store_post_upload_drop(struct store *db, int64_t post_id, int64_t upload_id);

#endif
