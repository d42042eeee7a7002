/* pack: a course pack as a ZIP file, written by libzip (pack.h). */
#include "pack.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "escape.h"
#include "utf8.h"
#include "util.h"

/* Longest extension kept whole when a name is cut or numbered (".pptx", ".tar.gz" is ".gz"). */
enum { PACK_EXT_MAX = 16 };

#define PACK_INDEX "index.html"
#define PACK_FILE_MODE 0100644u /* S_IFREG | 0644 */

/* Types that are compressed already: deflate would cost time and gain nothing. */
static const char *const stored_ext[] = {"pdf", "png", "jpg", "jpeg", "gif", "webp", "heic", "zip", "gz",
					 "tgz", "bz2", "xz", "7z", "rar", "docx", "xlsx", "pptx", "odt",
					 "ods", "odp", "epub", "mp3", "m4a", "ogg", "mp4", "mov", "webm", "mkv"};

/* An entry as packed: its final name and its size. */
struct item {
	char *name;
	int64_t size;
};

/* 1 for the characters a name must not hold: C0 and C1 controls, DEL, and the marks that
 * reorder text (U+200E/F, U+202A-E, U+2066-9), which can disguise "exe.pdf" as "fdp.exe". */
static int dropped(const unsigned char *p, size_t k)
{
	if (k == 1)
		return *p < 0x20 || *p == 0x7f;
	if (k == 2)
		return p[0] == 0xc2 && p[1] < 0xa0;
	if (k == 3 && p[0] == 0xe2 && p[1] == 0x80)
		return p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae);
	if (k == 3 && p[0] == 0xe2 && p[1] == 0x81)
		return p[2] >= 0xa6 && p[2] <= 0xa9;
	return 0;
}

static void clean_chars(struct buf *b, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	size_t left = strlen(name);
	while (left > 0) {
		size_t k = utf8_seq(p, left);
		if (k == 0) {
			buf_putc(b, '_');
			k = 1;
		} else if (k == 1 && strchr("/\\:*?\"<>|", *p) != NULL) {
			buf_putc(b, '_');
		} else if (!dropped(p, k)) {
			buf_append(b, p, k);
		}
		p += k;
		left -= k;
	}
}

/* Drops leading and trailing dots and spaces. */
static void trim(struct buf *b)
{
	if (b->len == 0)
		return;
	size_t start = 0, end = b->len;
	while (start < end && (b->data[start] == '.' || b->data[start] == ' '))
		start++;
	while (end > start && (b->data[end - 1] == '.' || b->data[end - 1] == ' '))
		end--;
	memmove(b->data, b->data + start, end - start);
	b->len = end - start;
	b->data[b->len] = '\0';
}

/* Where the extension of s[0..len) starts (its '.'), or len when it has none we keep. */
static size_t ext_at(const char *s, size_t len)
{
	const char *dot = strrchr(s, '.');
	if (dot == NULL || dot == s || len - (size_t)(dot - s) > PACK_EXT_MAX)
		return len;
	return (size_t)(dot - s);
}

/* The longest prefix of s no longer than max that ends between two UTF-8 characters. */
static size_t cut_at(const char *s, size_t max)
{
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* Cuts the base of the name so that the whole fits PACK_NAME_MAX, extension kept. */
static void shorten(struct buf *b)
{
	if (b->len <= PACK_NAME_MAX)
		return;
	size_t ext = ext_at(b->data, b->len), ext_len = b->len - ext;
	size_t keep = cut_at(b->data, PACK_NAME_MAX - ext_len);
	memmove(b->data + keep, b->data + ext, ext_len);
	b->len = keep + ext_len;
	b->data[b->len] = '\0';
}

/* 1 when Windows reserves the name's base (before its first dot) for a device. */
static int reserved(const char *name)
{
	size_t base = strcspn(name, ".");
	static const char *const devices[] = {"CON", "PRN", "AUX", "NUL"};
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++)
		if (base == 3 && strncasecmp(name, devices[i], 3) == 0)
			return 1;
	return base == 4 && (strncasecmp(name, "COM", 3) == 0 || strncasecmp(name, "LPT", 3) == 0) &&
	       name[3] >= '1' && name[3] <= '9';
}

char *pack_clean_name(const char *name)
{
	struct buf b = BUF_INIT;
	if (name != NULL)
		clean_chars(&b, name);
	trim(&b);
	if (b.len == 0)
		buf_puts(&b, "file");
	if (reserved(b.data)) {
		struct buf p = BUF_INIT;
		buf_putc(&p, '_');
		buf_append(&p, b.data, b.len);
		buf_free(&b);
		b = p;
	}
	shorten(&b);
	trim(&b);
	return buf_detach(&b);
}

static int name_taken(const char *name, const struct item *items, size_t n)
{
	if (strcasecmp(name, PACK_INDEX) == 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(name, items[i].name) == 0)
			return 1;
	return 0;
}

/* name, or "base (2).ext", "base (3).ext"...: the first that none of items[0..n) nor the
 * index page already has, case aside. Takes name; returns a malloc'd name. */
static char *unique_name(char *name, const struct item *items, size_t n)
{
	size_t len = strlen(name), ext = ext_at(name, len);
	for (unsigned i = 2; name_taken(name, items, n); i++) {
		char suffix[16];
		int sl = snprintf(suffix, sizeof suffix, " (%u)", i);
		size_t room = PACK_NAME_MAX - (len - ext) - (size_t)sl;
		size_t base = cut_at(name, ext < room ? ext : room);
		struct buf b = BUF_INIT;
		buf_printf(&b, "%.*s%s%s", (int)base, name, suffix, name + ext);
		if (!name_taken(b.data, items, n)) {
			free(name);
			return buf_detach(&b);
		}
		buf_free(&b);
	}
	return name;
}

static int fail(char *err, const char *what, const char *why)
{
	if (err != NULL)
		snprintf(err, PACK_ERR_MAX, "%s: %s", what, why);
	return -1;
}

/* The items of the entries: names cleaned and unique, sizes from disk or memory. 0, or -1
 * (err set) when a file cannot be found; the names made so far are then in items to free. */
static int make_items(const struct pack_entry *e, size_t n, struct item *items, char *err)
{
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		items[i].size = (int64_t)e[i].len;
		if (e[i].path != NULL) {
			if (stat(e[i].path, &st) != 0)
				return fail(err, e[i].path, strerror(errno));
			if (!S_ISREG(st.st_mode))
				return fail(err, e[i].path, "not a regular file");
			items[i].size = (int64_t)st.st_size;
		}
		items[i].name = unique_name(pack_clean_name(e[i].name), items, i);
	}
	return 0;
}

static void free_items(struct item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i].name);
	free(items);
}

/* "532 B", "12.5 KB", "3.1 MB": what a reader wants to know before opening a file. */
static void format_size(struct buf *b, int64_t n)
{
	static const char *const units[] = {"KB", "MB", "GB", "TB"};
	if (n < 1024) {
		buf_printf(b, "%lld B", (long long)n);
		return;
	}
	double v = (double)n / 1024;
	size_t u = 0;
	while (v >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
		v /= 1024;
		u++;
	}
	buf_printf(b, "%.1f %s", v, units[u]);
}

static void put_escaped(struct buf *b, const char *s)
{
	html_escape(b, s, strlen(s));
}

static const char *or_default(const char *s, const char *dflt)
{
	return s != NULL && s[0] != '\0' ? s : dflt;
}

static void index_head(struct buf *b, const struct pack_index *ix)
{
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
	put_escaped(b, or_default(ix->lang, "en"));
	buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	put_escaped(b, or_default(ix->title, PACK_INDEX));
	buf_puts(b, "</title>\n<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;"
		    "padding:0 1em;line-height:1.5}table{border-collapse:collapse;width:100%}"
		    "th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ddd}"
		    ".size{text-align:right;white-space:nowrap}</style>\n</head>\n<body>\n<h1>");
	put_escaped(b, or_default(ix->title, PACK_INDEX));
	buf_puts(b, "</h1>\n");
	if (ix->intro != NULL && ix->intro[0] != '\0') {
		buf_puts(b, "<p>");
		put_escaped(b, ix->intro);
		buf_puts(b, "</p>\n");
	}
}

static void table_open(struct buf *b, const struct pack_index *ix)
{
	buf_puts(b, "<table>\n<thead><tr><th>");
	put_escaped(b, or_default(ix->col_title, "Title"));
	buf_puts(b, "</th><th>");
	put_escaped(b, or_default(ix->col_file, "File"));
	buf_puts(b, "</th><th class=\"size\">");
	put_escaped(b, or_default(ix->col_size, "Size"));
	buf_puts(b, "</th></tr></thead>\n<tbody>\n");
}

static void table_row(struct buf *b, const struct pack_entry *e, const struct item *it)
{
	buf_puts(b, "<tr><td>");
	put_escaped(b, or_default(e->title, it->name));
	buf_puts(b, "</td><td><a href=\"");
	url_encode(b, it->name, strlen(it->name));
	buf_puts(b, "\">");
	put_escaped(b, it->name);
	buf_printf(b, "</a></td><td class=\"size\" data-bytes=\"%lld\">", (long long)it->size);
	format_size(b, it->size);
	buf_puts(b, "</td></tr>\n");
}

static int same_section(const char *a, const char *b)
{
	return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

/* The index page: a table per run of entries of one section, under the section's heading. */
static void index_html(struct buf *b, const struct pack_index *ix, const struct pack_entry *e,
		       const struct item *items, size_t n)
{
	index_head(b, ix);
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || !same_section(e[i].section, e[i - 1].section)) {
			if (i > 0)
				buf_puts(b, "</tbody>\n</table>\n");
			if (e[i].section != NULL) {
				buf_puts(b, "<h2>");
				put_escaped(b, e[i].section);
				buf_puts(b, "</h2>\n");
			}
			table_open(b, ix);
		}
		table_row(b, &e[i], &items[i]);
	}
	if (n > 0)
		buf_puts(b, "</tbody>\n</table>\n");
	buf_puts(b, "</body>\n</html>\n");
}

static int stored(const char *name)
{
	size_t len = strlen(name), ext = ext_at(name, len);
	if (ext == len)
		return 0;
	for (size_t i = 0; i < sizeof stored_ext / sizeof stored_ext[0]; i++)
		if (strcasecmp(name + ext + 1, stored_ext[i]) == 0)
			return 1;
	return 0;
}

/* Adds src (taken, also on failure) as name: UTF-8 flagged, stored or deflated, at mtime,
 * readable by all and writable by its owner once unpacked (0644, whatever the blob's mode). */
static int add_file(zip_t *z, const char *name, zip_source_t *src, int64_t mtime, char *err)
{
	if (src == NULL)
		return fail(err, name, zip_strerror(z));
	zip_int64_t i = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
	if (i < 0) {
		zip_source_free(src);
		return fail(err, name, zip_strerror(z));
	}
	if (zip_set_file_compression(z, (zip_uint64_t)i, stored(name) ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) != 0 ||
	    zip_file_set_mtime(z, (zip_uint64_t)i, (time_t)mtime, 0) != 0 ||
	    zip_file_set_external_attributes(z, (zip_uint64_t)i, 0, ZIP_OPSYS_UNIX, PACK_FILE_MODE << 16) != 0)
		return fail(err, name, zip_strerror(z));
	return 0;
}

static int add_entries(zip_t *z, const struct pack_index *ix, const struct pack_entry *e,
		       const struct item *items, size_t n, const struct buf *index, char *err)
{
	if (add_file(z, PACK_INDEX, zip_source_buffer(z, index->data, index->len, 0), ix->mtime, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		zip_source_t *src = e[i].path != NULL ? zip_source_file(z, e[i].path, 0, -1)
						      : zip_source_buffer(z, e[i].data, e[i].len, 0);
		if (add_file(z, items[i].name, src, e[i].mtime != 0 ? e[i].mtime : ix->mtime, err) != 0)
			return -1;
	}
	return 0;
}

/* Writes the archive: nothing is read until zip_close, which streams every source in turn. */
static int write_zip(const char *path, const struct pack_index *ix, const struct pack_entry *e,
		     const struct item *items, size_t n, const struct buf *index, char *err)
{
	int code = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
	if (z == NULL) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, code);
		fail(err, path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	if (add_entries(z, ix, e, items, n, index, err) != 0 || zip_close(z) != 0) {
		if (err != NULL && err[0] == '\0')
			fail(err, path, zip_strerror(z));
		zip_discard(z);
		return -1;
	}
	return 0;
}

int pack_write(const char *path, const struct pack_index *ix, const struct pack_entry *e, size_t n,
	       char err[PACK_ERR_MAX])
{
	if (err != NULL)
		err[0] = '\0';
	struct item *items = xcalloc(n + 1, sizeof *items);
	struct buf index = BUF_INIT;
	int rc = make_items(e, n, items, err);
	if (rc == 0) {
		index_html(&index, ix, e, items, n);
		rc = write_zip(path, ix, e, items, n, &index, err);
	}
	buf_free(&index);
	free_items(items, n);
	return rc;
}

int pack_write_temp(const char *dir, const struct pack_index *ix, const struct pack_entry *e, size_t n,
		    int64_t *size, char err[PACK_ERR_MAX])
{
	char path[4096];
	if (snprintf(path, sizeof path, "%s/pack-XXXXXX", dir) >= (int)sizeof path)
		return fail(err, dir, "folder name too long");
	int fd = mkstemp(path);
	if (fd < 0)
		return fail(err, dir, strerror(errno));
	close(fd);
	fd = -1;
	if (pack_write(path, ix, e, n, err) == 0) {
		struct stat st;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && fstat(fd, &st) == 0) {
			*size = (int64_t)st.st_size;
		} else {
			fail(err, "reopening the pack", strerror(errno));
			if (fd >= 0)
				close(fd);
			fd = -1;
		}
	}
	unlink(path);
	return fd;
}
