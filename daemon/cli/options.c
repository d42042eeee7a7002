#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "forwarded.h"
#include "mime.h"
#include "util.h"

enum { CONFIG_MAX_BYTES = 1 << 20 };

#ifndef AGORA_CONFIG_DEFAULT
#define AGORA_CONFIG_DEFAULT "/etc/agora/agora.conf"
#endif

/* Where the setting being read comes from, for messages: NULL for the command line, else
 * "FILE:LINE". */
static const char *fail_where;


int options_fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", fail_where ? fail_where : "agorad");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

static int parse_listen(const char *s, struct options *o)
{
	char *host = o->host_text;
	struct server_config *c = &o->srv;
	const char *colon = strrchr(s, ':');
	int64_t port;
	if (!colon || colon == s || (size_t)(colon - s) >= sizeof o->host_text ||
	    parse_i64(colon + 1, 0, 65535, &port) != 0)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	c->host = host;
	c->port = (int)port;
	return 0;
}

static int number_flag(const char *a, const char *v, long max, long *out)
{
	int64_t n;
	if (parse_i64(v, 1, max, &n) != 0)
		return options_fail("%s: expected a positive number", a);
	*out = (long)n;
	return 0;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* --base-url: http(s)://host[:port][/path], kept without a trailing slash. */
static int base_url_flag(const char *v, struct options *o)
{
	char *url = o->url_text;
	size_t n = strlen(v);
	while (n && v[n - 1] == '/')
		n--;
	const char *host = strstr(v, "://");
	if ((!starts_with(v, "http://") && !starts_with(v, "https://")) || n >= sizeof o->url_text || !host ||
	    (size_t)(host + 3 - v) >= n || strpbrk(v, " \t\r\n\"'<>"))
		return options_fail("--base-url %s: expected http://HOST or https://HOST", v);
	memcpy(url, v, n);
	url[n] = '\0';
	o->srv.mail.base_url = url;
	return 1;
}

/* The mail flags; 1 when taken, 2 on error. */
static int mail_flag(const char *a, const char *v, struct options *o)
{
	struct mail_config *m = &o->srv.mail;
	long n = 0;
	if (!strcmp(a, "--base-url"))
		return base_url_flag(v, o);
	if (!strcmp(a, "--smtp")) {
		if (!starts_with(v, "smtp://") && !starts_with(v, "smtps://"))
			return options_fail("--smtp %s: expected smtp://HOST:PORT or smtps://HOST:PORT", "(URL)");
		m->smtp_url = v;
	} else if (!strcmp(a, "--mail-from")) {
		if (!mime_address_ok(v))
			return options_fail("--mail-from %s: expected an address like agora@example.org", v);
		m->from = v;
	} else if (!strcmp(a, "--smtp-user")) {
		m->smtp_user = v;
	} else {
		if (number_flag(a, v, 100000, &n))
			return 2;
		m->rate = (int)n;
	}
	return 1;
}

/* --rate-limits A,B,C: three counts of at most 100000 each (0: no limit). 0, or 2. */
static int rates_flag(const char *v, struct ag_rates *r)
{
	int64_t n[3];
	char part[16];
	const char *p = v;
	for (int i = 0; i < 3; i++) {
		size_t len = strcspn(p, ",");
		if (len == 0 || len >= sizeof part || (i < 2) != (p[len] == ','))
			return options_fail("--rate-limits %s: expected three counts like 10,60,20", v);
		memcpy(part, p, len);
		part[len] = '\0';
		if (parse_i64(part, 0, 100000, &n[i]) != 0)
			return options_fail("--rate-limits %s: expected three counts like 10,60,20", v);
		p += len + (i < 2);
	}
	*r = (struct ag_rates){(int)n[0], (int)n[1], (int)n[2]};
	return 0;
}

/* --trusted-proxy ADDR, repeatable: an address as the proxy connects from (compared as
 * text with the TCP peer, so no host names and no ranges). */
static int trusted_proxy_flag(const char *v, struct options *o)
{
	struct server_config *c = &o->srv;
	size_t n = strlen(v);
	if (n == 0 || n >= FORWARDED_ADDR_MAX || strspn(v, "0123456789abcdefABCDEF.:") != n)
		return options_fail("--trusted-proxy %s: expected an IPv4 or IPv6 address", v);
	if (c->ntrusted_proxies == TRUSTED_PROXIES_MAX)
		return options_fail("--trusted-proxy %s: too many proxies (at most 16)", v);
	o->proxies[c->ntrusted_proxies++] = v;
	c->trusted_proxies = o->proxies;
	return 1;
}

/* The flags of the abuse guards: who may speak for a client, and the built-in rates. */
static int guard_flag(const char *a, const char *v, struct options *o)
{
	struct server_config *c = &o->srv;
	if (!strcmp(a, "--trusted-proxy"))
		return trusted_proxy_flag(v, o);
	if (!strcmp(a, "--registrations-per-hour")) {
		if (parse_i64(v, 0, 1000000, &c->registrations_per_hour) != 0)
			return options_fail("--registrations-per-hour %s: expected a number (0: no limit)", v);
		return 1;
	}
	return rates_flag(v, &c->rates) ? 2 : 1;
}

/* The counts of `agorad seed`, and --keep-backups: 1, 2 on a bad number, or an unknown option. */
static int seed_flag(const char *a, const char *v, struct options *o)
{
	const struct { const char *name; long max; long *out; } sizes[] = {
		{"--threads", 100000000, &o->threads}, {"--posts", 100000, &o->posts},
		{"--members", 10000000, &o->members},  {"--trainings", 1000000, &o->trainings},
		{"--keep-backups", 1000, &o->keep_backups},
	};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		if (!strcmp(a, sizes[i].name))
			return number_flag(a, v, sizes[i].max, sizes[i].out) ? 2 : 1;
	return options_fail("unknown option %s", a);
}

/* One flag with its value v; 1 when it took the value, 0 when not, 2 on error. */
static int parse_flag(const char *a, const char *v, struct options *o)
{
	long n = 0;
	if (!strcmp(a, "--demo")) {
		o->srv.demo = 1;
		return 0;
	}
	if (!v)
		return options_fail("%s needs a value", a);
	if (!strcmp(a, "--listen")) {
		if (parse_listen(v, o) != 0)
			return options_fail("--listen %s: expected HOST:PORT", v);
	} else if (!strcmp(a, "--data")) {
		o->srv.data_dir = v;
	} else if (!strcmp(a, "--web")) {
		o->srv.web_dir = v;
	} else if (!strcmp(a, "--plugins")) {
		o->srv.plugins_dir = v;
	} else if (!strcmp(a, "--access-log")) {
		o->srv.access_log = v;
	} else if (!strcmp(a, "--role")) {
		o->role = v;
	} else if (!strcmp(a, "--workers")) {
		if (number_flag(a, v, 64, &n))
			return 2;
		o->srv.workers = (int)n;
	} else if (!strcmp(a, "--max-upload-mb")) {
		if (number_flag(a, v, 4096, &n))
			return 2;
		o->srv.max_upload_mb = (int)n;
	} else if (!strcmp(a, "--base-url") || !strcmp(a, "--smtp") || !strcmp(a, "--mail-from") ||
		   !strcmp(a, "--smtp-user") || !strcmp(a, "--mail-rate")) {
		return mail_flag(a, v, o);
	} else if (!strcmp(a, "--trusted-proxy") || !strcmp(a, "--registrations-per-hour") ||
		   !strcmp(a, "--rate-limits")) {
		return guard_flag(a, v, o);
	} else {
		return seed_flag(a, v, o);
	}
	return 1;
}

int options_parse(int argc, char **argv, int i, struct options *o)
{
	for (; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0) {
			if (o->nargs == 3)
				return options_fail("unexpected argument %s", argv[i]);
			o->args[o->nargs++] = argv[i];
			continue;
		}
		if (!strcmp(argv[i], "--config")) {
			if (i + 1 == argc)
				return options_fail("%s needs a value", argv[i]);
			o->config = argv[++i];
			continue;
		}
		int rc = parse_flag(argv[i], i + 1 < argc ? argv[i + 1] : NULL, o);
		if (rc == 2)
			return 2;
		if (o->ngiven < OPTIONS_GIVEN_MAX)
			o->given[o->ngiven++] = argv[i];
		i += rc;
	}
	return 0;
}

/* ---- the configuration file ------------------------------------------------------------------- */

/* The keys of the file: the flags of serve (and of every command's --data), the SMTP password
 * (a file readable by agorad alone is a better place for it than a flag). The commands' own
 * flags (--role, seed's sizes) are not settings. */
static const char *const config_keys[] = {
	"listen", "data", "web", "plugins", "workers", "demo", "max-upload-mb", "base-url", "smtp", "mail-from",
	"smtp-user", "smtp-password", "mail-rate", "trusted-proxy", "registrations-per-hour", "rate-limits",
	"keep-backups", "access-log",
};

static int given(const struct options *o, const char *flag)
{
	for (int i = 0; i < o->ngiven; i++)
		if (!strcmp(o->given[i], flag))
			return 1;
	return 0;
}

/* One line of the file: as its flag would be, unless the command line gave that flag. */
static int config_setting(const char *key, const char *value, int line, void *arg)
{
	struct options *o = arg;
	static char where[4200], flag[CONF_KEY_MAX + 3];
	snprintf(where, sizeof where, "%s:%d", o->config, line);
	fail_where = where;
	size_t k = 0, nkeys = sizeof config_keys / sizeof config_keys[0];
	while (k < nkeys && strcmp(config_keys[k], key))
		k++;
	if (k == nkeys)
		return options_fail("unknown key %s", key);
	snprintf(flag, sizeof flag, "--%s", key);
	if (given(o, flag))
		return 0;
	if (!strcmp(key, "smtp-password")) {
		o->srv.mail.smtp_password = value;
		return 0;
	}
	if (!strcmp(key, "demo")) {
		if (strcmp(value, "true") && strcmp(value, "false"))
			return options_fail("demo = %s: expected true or false", value);
		o->srv.demo = !strcmp(value, "true");
		return 0;
	}
	return parse_flag(flag, value, o) == 2 ? 2 : 0;
}

int options_read_config(struct options *o, struct buf *text)
{
	int explicit = o->config != NULL, bad = 0;
	const char *why = NULL;
	if (!explicit)
		o->config = AGORA_CONFIG_DEFAULT;
	if (buf_read_file(o->config, text, CONFIG_MAX_BYTES) != 0) {
		int e = errno;
		buf_free(text);
		if (!explicit && e == ENOENT)
			return 0; /* no file where the default is: none is used */
		return options_fail(e == EFBIG ? "%s: larger than 1 MiB" : "%s: cannot read it", o->config);
	}
	int rc = conf_parse(text->data, text->len, config_setting, o, &bad, &why);
	if (rc == -1) {
		static char where[4200];
		snprintf(where, sizeof where, "%s:%d", o->config, bad);
		fail_where = where;
		rc = options_fail("%s", why);
	}
	fail_where = NULL;
	return rc ? 2 : 0;
}

