/* store_material: materials (the lecturers' library), their versions and downloads. */
#ifndef AGORA_STORE_MATERIAL_H
#define AGORA_STORE_MATERIAL_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Which materials to list. */
struct material_filter {
	int64_t board_id, association_id; /* 0: any */
	const char *text;                 /* NULL: any; else in the title or description */
	int64_t viewer_id;                /* only what this user may see (0: a visitor) */
};
int store_material_insert(struct store *db, struct material *m);
/* Adds the next version (sets m->version) of material m->id with m's file fields. */
/* The time of the n-th newest version uploaded by uploader_id after since, for rates:
 * STORE_NOTFOUND when there are fewer than n. */
int store_uploads_nth_since(struct store *db, int64_t uploader_id, int64_t since, int64_t n, int64_t *at);
int store_material_version_add(struct store *db, struct material *m, int64_t uploader_id, int64_t now);
/* A material at a version (0: the latest). */
int store_material_get(struct store *db, struct arena *a, int64_t id, int version, struct material *out);
int store_materials(struct store *db, struct arena *a, const struct material_filter *f, struct page pg,
		    struct material **out, size_t *n, int64_t *total);
/* STORE_OK when some material version or post upload holds the file with this SHA-256. */
int store_sha_used(struct store *db, const char *sha);
/* Every version of a material, newest first. */
int store_material_versions(struct store *db, struct arena *a, int64_t id, struct material **out, size_t *n);
/* Counts a download of a version; user_id not 0: also that this member downloaded the material
 * (once per material, for their learning record). */
int store_material_downloaded(struct store *db, int64_t id, int version, int64_t user_id, int64_t now);

#endif
