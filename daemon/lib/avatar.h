/* avatar: the generated picture beside a name, as text and a colour. Pages draw it as a
 * circle of one of AVATAR_TONES colour classes (the CSP forbids inline styles, so colours come
 * from a fixed palette), the class chosen from the username so it never changes when the
 * member renames themselves. Free of libevent and SQLite. */
#ifndef AGORA_AVATAR_H
#define AGORA_AVATAR_H

#include <stddef.h>

enum { AVATAR_TONES = 8, AVATAR_INITIALS_MAX = 16 };

/* Writes the initials of a display name to out (NUL-terminated, at most size-1 bytes; size
 * at least AVATAR_INITIALS_MAX): a name starting with a CJK character gives that character
 * (the surname), a Latin one the first letters of its first and last words, upper-cased
 * ("Li Wei" → "LW"). A name with nothing to show gives the username's first letter, or "?". */
void avatar_initials(const char *display_name, const char *username, char *out, size_t size);
/* The colour class, 0 .. AVATAR_TONES-1, of a username (stable: a hash of its bytes). */
int avatar_tone(const char *username);

#endif
