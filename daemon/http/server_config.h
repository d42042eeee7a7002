/* server_config: how agorad serves, as the command line and configuration file say
 * (cli/options.c fills it; server.c runs it; reload.c compares two of them). */
#ifndef AGORA_SERVER_CONFIG_H
#define AGORA_SERVER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "mailer.h"

struct server_config {
	struct mail_config mail; /* smtp_url NULL: no e-mail */
	const char *host;
	int port;
	const char *data_dir;
	const char *web_dir;
	const char *plugins_dir;
	int workers;
	int demo;
	int max_upload_mb;
	const char *const *trusted_proxies; /* --trusted-proxy, repeatable */
	size_t ntrusted_proxies;
	int64_t registrations_per_hour;     /* --registrations-per-hour; 0: no limit */
	struct ag_rates rates; /* --rate-limits */
	const char *access_log;             /* --access-log FILE, "-" for stderr, NULL for none */
	/* On SIGHUP: the command line and configuration file read again into *fresh (valid until
	 * the next call), 0; or -1, said on stderr, and the site goes on as it was. */
	int (*reread)(void *arg, struct server_config *fresh);
	void *reread_arg;
};

#endif
