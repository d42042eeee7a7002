/* options: agorad's command line and configuration file (API.md "Command line and
 * configuration"): every long flag of serve is also a key of the file, and a flag given on
 * the command line wins over the file's line. Every failure is one clear line on stderr
 * ("agorad: ..." or "FILE:LINE: ...") and exit status 2. */
#ifndef AGORA_OPTIONS_H
#define AGORA_OPTIONS_H

#include "server.h"
#include "util.h"

enum { OPTIONS_GIVEN_MAX = 64, TRUSTED_PROXIES_MAX = 16 };

struct options {
	struct server_config srv;
	const char *role;
	long threads, posts, members, trainings;
	const char *args[3]; /* positional arguments after the command */
	int nargs;
	const char *config;  /* --config FILE, or NULL for the default */
	long keep_backups;   /* copies of the database made before upgrades that are kept */
	const char *given[OPTIONS_GIVEN_MAX]; /* the flags of the command line, which win */
	int ngiven;
	/* What srv points into: each reading of the options has its own, so that a reload's reading
	 * never writes under the running server */
	char host_text[64];
	char url_text[1024];
	const char *proxies[TRUSTED_PROXIES_MAX];
};

/* Prints "agorad: " (or where the setting came from) and fmt with arg; returns 2. */
int options_fail(const char *fmt, const char *arg);
/* Parses the flags from argv[i] on; positional words go to o->args. 0, or 2 on error. */
int options_parse(int argc, char **argv, int i, struct options *o);
/* Reads the configuration file: --config FILE, else /etc/agora/agora.conf when it exists
 * (AGORA_CONFIG_DEFAULT at build time). Keys the command line gave are skipped. The file's
 * text goes into text, which must live as long as the options (they point into it). 0, or 2. */
int options_read_config(struct options *o, struct buf *text);

#endif
