#include "blobs.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct blob_writer {
	char dir[4096];
	char tmp[4400];
	int fd;
	int64_t size;
	crypto_hash_sha256_state sha;
};

struct blob_writer *blob_begin(const char *files_dir)
{
	struct blob_writer *w = xcalloc(1, sizeof *w);
	char tmpdir[4160];
	snprintf(w->dir, sizeof w->dir, "%s", files_dir);
	snprintf(tmpdir, sizeof tmpdir, "%s/tmp", files_dir);
	if (mkdir(tmpdir, 0750) != 0 && errno != EEXIST) {
		free(w);
		return NULL;
	}
	snprintf(w->tmp, sizeof w->tmp, "%s/upload-XXXXXX", tmpdir);
	if ((w->fd = mkstemp(w->tmp)) < 0) {
		free(w);
		return NULL;
	}
	crypto_hash_sha256_init(&w->sha);
	return w;
}

int blob_write(struct blob_writer *w, const void *data, size_t len)
{
	const char *p = data;
	crypto_hash_sha256_update(&w->sha, data, len);
	w->size += (int64_t)len;
	while (len > 0) {
		ssize_t n = write(w->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int64_t blob_size(const struct blob_writer *w)
{
	return w->size;
}

static void hex_of(const unsigned char *d, char out[BLOB_HEX + 1])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[BLOB_HEX] = '\0';
}

/* files/ab/abcdef…: a fan-out folder keeps any one folder small. */
static void blob_path(const char *dir, const char *sha, char *out, size_t size, int folder_only)
{
	if (folder_only)
		snprintf(out, size, "%s/%.2s", dir, sha);
	else
		snprintf(out, size, "%s/%.2s/%s", dir, sha, sha);
}

int blob_commit(struct blob_writer *w, char sha[BLOB_HEX + 1])
{
	unsigned char digest[32];
	char folder[4200], path[4300];
	struct stat st;
	int rc = -1;
	crypto_hash_sha256_final(&w->sha, digest);
	hex_of(digest, sha);
	if (close(w->fd) != 0)
		goto done;
	w->fd = -1;
	blob_path(w->dir, sha, folder, sizeof folder, 1);
	blob_path(w->dir, sha, path, sizeof path, 0);
	if (mkdir(folder, 0750) != 0 && errno != EEXIST)
		goto done;
	if (stat(path, &st) == 0) { /* the same bytes are stored already */
		rc = 0;
		goto done;
	}
	rc = rename(w->tmp, path) == 0 ? 0 : -1;
	if (rc == 0)
		w->tmp[0] = '\0';
done:
	blob_abort(w);
	return rc;
}

void blob_abort(struct blob_writer *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp[0])
		unlink(w->tmp);
	free(w);
}

static int sha_ok(const char *sha);

static int sha_ok(const char *sha)
{
	if (!sha || strlen(sha) != BLOB_HEX)
		return 0;
	for (const char *p = sha; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

void blob_remove(const char *files_dir, const char *sha)
{
	char path[4300];
	if (!sha_ok(sha))
		return;
	blob_path(files_dir, sha, path, sizeof path, 0);
	unlink(path);
}

int blob_open(const char *files_dir, const char *sha, int64_t *size)
{
	char path[4300];
	struct stat st;
	if (!sha_ok(sha))
		return -1;
	blob_path(files_dir, sha, path, sizeof path, 0);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return -1;
	}
	*size = st.st_size;
	return fd;
}

int blob_locate(const char *files_dir, const char *sha, char *path, size_t size, int64_t *bytes)
{
	struct stat st;
	if (!sha_ok(sha))
		return -1;
	blob_path(files_dir, sha, path, size, 0);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	*bytes = st.st_size;
	return 0;
}
