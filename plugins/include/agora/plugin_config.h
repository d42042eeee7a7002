/* agora/plugin_config.h — the config-file reader the shipped plugins share, header-only.
 *
 * The syntax docs/PLUGINS.md recommends: one directive per line (a keyword, white space, then
 * the argument); blank lines and lines starting with `#` (after optional blanks) are skipped;
 * white space around a line and around the argument is trimmed; a NUL byte is an error. A
 * missing file is no error (the plugin keeps its defaults); any other failure is reported as
 * "FILE:LINE: message" or "FILE: error", one line, ready for init's err.
 *
 * Everything here is `static inline`: a plugin that includes it links nothing more, and
 * functions it does not use cost nothing. It needs getline(): define _POSIX_C_SOURCE
 * (200809L) before the first #include of the plugin, as the shipped plugins do.
 */
#ifndef AGORA_PLUGIN_CONFIG_H
#define AGORA_PLUGIN_CONFIG_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* Handles one directive: key is its keyword (NUL-terminated), arg the rest of the line,
 * trimmed (may be empty). Returns 0, or -1 with a message in msg (without FILE:LINE:). */
typedef int (*agora_config_directive)(void *state, const char *key, char *arg, char *msg, size_t msglen);

static inline int agora_config_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Trims white space off both ends of s in place; returns the first byte kept. */
static inline char *agora_config_trim(char *s)
{
	char *end;

	while (agora_config_space(*s))
		s++;
	end = s + strlen(s);
	while (end > s && agora_config_space(end[-1]))
		*--end = '\0';
	return s;
}

/* Reads the one whole decimal number in arg for directive `key` into *out, which must land in
 * [min, max]. Returns 0, or -1 with a message in msg: "expected a number after KEY", "KEY must
 * not be negative" (when min >= 0), "KEY must be at most MAX" (min 0) or "KEY must be between
 * MIN and MAX". */
static inline int agora_config_number(const char *key, const char *arg, long min, long max, long *out, char *msg,
				      size_t msglen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || end == arg || *end) {
		snprintf(msg, msglen, "expected a number after %s", key);
		return -1;
	}
	if (v < 0 && min >= 0) {
		snprintf(msg, msglen, "%s must not be negative", key);
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		if (min == 0)
			snprintf(msg, msglen, "%s must be at most %ld", key, max);
		else
			snprintf(msg, msglen, "%s must be between %ld and %ld", key, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Splits one trimmed line into keyword and argument and hands them to fn. */
static inline int agora_config_line(char *line, agora_config_directive fn, void *state, char *msg, size_t msglen)
{
	size_t klen = strcspn(line, " \t");
	char *arg = agora_config_trim(line + klen);

	line[klen] = '\0';
	return fn(state, line, arg, msg, msglen);
}

/* Reads the config at path, calling fn(state, ...) for each directive in order and stopping at
 * the first that fails. A missing file reads as empty. Returns 0, or -1 with "FILE:LINE:
 * message" (or "FILE: error") in err. */
static inline int agora_config_read(const char *path, agora_config_directive fn, void *state, char *err,
				    size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL, *line, msg[160];
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int rc = 0;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&buf, &cap, f)) >= 0) {
		lineno++;
		if (memchr(buf, '\0', (size_t)n)) {
			snprintf(err, errlen, "%s:%lu: the line holds a NUL byte", path, lineno);
			rc = -1;
			goto done;
		}
		line = agora_config_trim(buf);
		if (!*line || *line == '#')
			continue;
		if (agora_config_line(line, fn, state, msg, sizeof msg) < 0) {
			snprintf(err, errlen, "%s:%lu: %s", path, lineno, msg);
			rc = -1;
			goto done;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
done:
	free(buf);
	fclose(f);
	return rc;
}

#endif
