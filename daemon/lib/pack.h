/* pack: a training's course pack (GET /trainings/SLUG/pack.zip), a ZIP file written by libzip:
 * index.html first (the list of files with their titles and sizes, linking to each), then the
 * entries in the order given. Names are UTF-8 and flagged so (general purpose bit 11), so
 * Windows and macOS show Chinese names right; already-compressed types (pdf, images, zip,
 * Office files, audio, video) are stored, the rest deflated. Files are streamed from disk by
 * libzip in small blocks: memory stays bounded whatever their size. Free of libevent and
 * SQLite. */
#ifndef AGORA_PACK_H
#define AGORA_PACK_H

#include <stddef.h>
#include <stdint.h>

enum {
	PACK_NAME_MAX = 200, /* octets of a name in the pack, extension included */
	PACK_ERR_MAX = 160,  /* room for the reason a write failed */
};

/* One file of the pack: either path (a file on disk, e.g. a blob) or data/len (bytes in
 * memory, not copied: they must stay valid until pack_write returns). */
struct pack_entry {
	const char *name;    /* as the member named it; cleaned and made unique (pack_clean_name) */
	const char *title;   /* shown in the index; NULL: the name */
	const char *section; /* a heading in the index over this and the following entries of the
	                      * same section (e.g. the lesson); NULL: none */
	const char *path;    /* NULL: use data and len */
	const void *data;
	size_t len;
	int64_t mtime;       /* Unix seconds, the file's time in the pack; 0: the pack's */
};

/* The index page, in the reader's language (labels from the i18n catalog). */
struct pack_index {
	const char *title;     /* <title> and <h1> */
	const char *lang;      /* <html lang>; NULL: "en" */
	const char *intro;     /* a paragraph under the heading; NULL: none */
	const char *col_title; /* column heads; NULL: "Title", "File", "Size" */
	const char *col_file;
	const char *col_size;
	int64_t mtime;         /* Unix seconds: the time of index.html and of entries without one */
};

/* The name a file gets in the pack, malloc'd (the caller frees it), never NULL: bytes that are
 * not UTF-8 become '_', as do / \ : * ? " < > |; control and bidirectional-override
 * characters are dropped; leading and trailing dots and spaces go (so no "." or ".."); a name
 * Windows reserves (CON, NUL, COM1...) gets a leading '_'; at most PACK_NAME_MAX octets, cut
 * between characters and keeping the extension; "file" when nothing is left. */
char *pack_clean_name(const char *name);

/* Writes the pack to path (libzip writes a temporary file beside it and renames it over path
 * when done). Names are cleaned, and a name met before (case aside, "index.html" included)
 * becomes "讲义 (2).pdf", "讲义 (3).pdf". 0, or -1 when a file cannot be read or written, with
 * the reason in err when err is not NULL. */
int pack_write(const char *path, const struct pack_index *ix, const struct pack_entry *e, size_t n,
	       char err[PACK_ERR_MAX]);

/* pack_write into an unlinked temporary file of dir: its descriptor, open for reading at
 * offset 0 (the caller streams it, then closes it), with the pack's size in *size; or -1. */
int pack_write_temp(const char *dir, const struct pack_index *ix, const struct pack_entry *e, size_t n,
		    int64_t *size, char err[PACK_ERR_MAX]);

#endif
