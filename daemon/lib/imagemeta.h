/* imagemeta: what an uploaded image's own bytes say about it, and what they must stop
 * saying. Its size comes from the header (PNG IHDR, the JPEG frame header SOFn, GIF's
 * logical screen, WebP's VP8, VP8L or VP8X chunk) so a page can reserve its room; its EXIF
 * (camera, time, often the GPS position of a township office) is cut out before it is
 * stored. Free of libevent and SQLite. */
#ifndef AGORA_IMAGEMETA_H
#define AGORA_IMAGEMETA_H

#include <stddef.h>

enum img_format { IMG_NONE, IMG_PNG, IMG_JPEG, IMG_GIF, IMG_WEBP };

/* The format of the image in b (its signature only), IMG_NONE for anything else. */
enum img_format img_format(const unsigned char *b, size_t n);
/* Width and height in pixels from the header: 0, or -1 when the header is missing, cut short
 * or says 0. */
int img_size(const unsigned char *b, size_t n, int *width, int *height);
/* Removes the metadata that may locate or identify, in place: JPEG APP1 "Exif" segments and
 * any other APPn segment that mentions GPS (XMP), PNG eXIf chunks, WebP EXIF and XMP chunks
 * (the RIFF size and the VP8X flags fixed to match). The pixels are not touched. Returns the
 * new length (never more than n), or 0 when the file is not a well-formed image of its
 * format, which is then refused rather than stored with its metadata. */
size_t img_strip(unsigned char *b, size_t n);

#endif
