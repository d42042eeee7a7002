/* conf: the configuration file's syntax (API.md "Command line and configuration"): one
 * `key = value` a line, `#` starting a comment line, blank lines ignored. What the keys mean
 * is the command line's (cli/options.c); this module only reads lines. Free of libevent and
 * SQLite. */
#ifndef AGORA_CONF_H
#define AGORA_CONF_H

#include <stddef.h>

enum { CONF_KEY_MAX = 64 };

/* Called for each setting: its key (lower-case letters, digits, '-' and '_', with '_' made
 * '-' so that smtp_user and smtp-user are one key), its value (spaces around it trimmed, and
 * one pair of double quotes around it taken off, which keeps spaces and '#' inside), and its
 * line number. A non-zero return stops the reading and is conf_parse's. */
typedef int (*conf_fn)(const char *key, const char *value, int line, void *arg);

/* Reads text (len bytes, and a byte of room at text[len], as buf_read_file leaves: it is
 * changed in place, each value cut out of it with a NUL, and the values stay valid as long as
 * text does). 0 when every line was read and fn returned 0 for each;
 * the fn's non-zero return; or -1 with *bad_line and *why set for a line that is not a
 * setting: "expected key = value", "bad key", "unterminated quote", "line too long" (over
 * 4096 bytes), "not UTF-8 text" (a NUL or a control character other than tab). */
int conf_parse(char *text, size_t len, conf_fn fn, void *arg, int *bad_line, const char **why);

#endif
