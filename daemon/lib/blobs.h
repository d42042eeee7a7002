/* blobs: uploaded files stored by content under the data folder's files/ (files/ab/abcdef…,
 * named by SHA-256), so the same bytes are stored once and no client-chosen name ever
 * becomes a path. Written through a temporary file in files/tmp/, hashed on the way. */
#ifndef AGORA_BLOBS_H
#define AGORA_BLOBS_H

#include <stddef.h>
#include <stdint.h>

enum { BLOB_HEX = 64 };

struct blob_writer;

/* Starts a new blob in files_dir. NULL when the temporary file cannot be made. */
struct blob_writer *blob_begin(const char *files_dir);
/* Appends bytes: 0, or -1 on an I/O error. */
int blob_write(struct blob_writer *w, const void *data, size_t len);
int64_t blob_size(const struct blob_writer *w);
/* Finishes: the blob is kept under its SHA-256 (or dropped when those bytes are already
 * stored). sha receives the hex digest. Frees w. 0, or -1 on an I/O error. */
int blob_commit(struct blob_writer *w, char sha[BLOB_HEX + 1]);
/* Throws the blob away and frees w (NULL is fine). */
void blob_abort(struct blob_writer *w);
/* Deletes a stored blob (one no record refers to). */
void blob_remove(const char *files_dir, const char *sha);
/* Opens a stored blob for reading: its descriptor (the caller closes it) and size, or -1. */
int blob_open(const char *files_dir, const char *sha, int64_t *size);
/* Where a stored blob is (path, size bytes of room) and its size, for a reader that opens it
 * later (a course pack): 0, or -1 when sha is not a digest or no such file is stored. */
int blob_locate(const char *files_dir, const char *sha, char *path, size_t size, int64_t *bytes);

#endif
