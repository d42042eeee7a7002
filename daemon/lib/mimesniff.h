/* mimesniff: the media type libmagic reads from a file's first bytes, as
 * magic_buffer(MAGIC_MIME_TYPE) gives it ("image/png", "text/html", ...). Safe from any
 * thread: each call opens its own handle (libmagic's are not shared across threads). */
#ifndef AGORA_MIMESNIFF_H
#define AGORA_MIMESNIFF_H

#include <stddef.h>

/* Writes the type (lower case, no parameters) into out (size bytes): 0, or -1 when libmagic
 * or its database cannot be loaded (out is then ""). */
int mime_sniff(const void *head, size_t len, char *out, size_t size);

#endif
