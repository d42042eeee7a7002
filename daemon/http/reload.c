/* Reading again, comparing, building and swapping. */
#include "reload.h"

#include <stdio.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "metrics.h"
#include "plugin_host.h"

struct generation_source reload_source(const struct server_config *cfg)
{
	return (struct generation_source){cfg->web_dir, cfg->plugins_dir, cfg->rates, cfg->registrations_per_hour,
					  cfg->trusted_proxies, cfg->ntrusted_proxies};
}

static int text_differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

static void waits(const char *key)
{
	fprintf(stderr, "agorad: reload: %s changed; it takes effect at the next start\n", key);
}

/* Says which of the settings read at start alone changed. */
static void report_fixed(const struct server_config *a, const struct server_config *b)
{
	if (text_differs(a->host, b->host) || a->port != b->port)
		waits("listen");
	if (text_differs(a->data_dir, b->data_dir))
		waits("data");
	if (a->workers != b->workers)
		waits("workers");
	if (a->demo != b->demo)
		waits("demo");
	if (a->max_upload_mb != b->max_upload_mb)
		waits("max-upload-mb");
	if (text_differs(a->access_log, b->access_log))
		waits("access-log");
	if (text_differs(a->mail.base_url, b->mail.base_url))
		waits("base-url");
	if (text_differs(a->mail.smtp_url, b->mail.smtp_url) || text_differs(a->mail.from, b->mail.from) ||
	    text_differs(a->mail.smtp_user, b->mail.smtp_user) ||
	    text_differs(a->mail.smtp_password, b->mail.smtp_password) || a->mail.rate != b->mail.rate)
		waits("the mail settings (smtp, mail-from, smtp-user, smtp-password, mail-rate)");
}

static int reload_failed(struct generation_cell *gens)
{
	struct generation *g = generation_take(gens);
	fprintf(stderr, "agorad: reload failed; still serving generation %u\n", g->number);
	generation_release(g);
	metrics_reload_done(0);
	sd_notify(0, "READY=1\nSTATUS=serving (the last reload failed: see the log)");
	return -1;
}

int reload_site(struct generation_cell *gens, const struct server_config *running)
{
	struct server_config fresh;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* systemd 253 and later pair RELOADING=1 with the moment it was sent */
	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading",
		   (unsigned long long)now.tv_sec * 1000000ULL + (unsigned long long)now.tv_nsec / 1000);
	if (!running->reread || running->reread(running->reread_arg, &fresh) != 0)
		return reload_failed(gens);
	report_fixed(running, &fresh);
	struct generation_source src = reload_source(&fresh);
	struct generation *g = generation_load(&src);
	if (!g)
		return reload_failed(gens);
	size_t nplugins = plugins_count(g->plugins);
	generation_swap(gens, g);
	fprintf(stderr, "agorad: reloaded: generation %u (templates, catalogs, static files, %zu plugin%s)\n",
		g->number, nplugins, nplugins == 1 ? "" : "s");
	metrics_reload_done(1);
	sd_notify(0, "READY=1\nSTATUS=serving");
	return 0;
}
