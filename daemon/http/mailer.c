/* The sender thread: claim, read, render, send, record; one message at a time, paced. Its log
 * says one line per failed message — its outbox id, kind and recipient's user id and the
 * relay's answer — never an address, a link or a password. */
#include "mailer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "escape.h"
#include "generation.h"
#include "i18n.h"
#include "letters.h"
#include "metrics.h"
#include "mime.h"
#include "outbox.h"
#include "smtp.h"
#include "template.h"
#include "ticker.h"

struct mailer {
	struct agora_ctx base;
	struct mail_config cfg;
	struct mail_look look;
	struct store *db;
	char name[300]; /* host:pid, who claims */
	char host[256]; /* the base URL's host, for Message-IDs */
	struct smtp_config smtp;
	struct ticker ticker;
	int db_failing;
};

/* A rendered message: its subject (the text template's first line), text and HTML. */
struct rendered {
	struct buf text, html;
	const char *subject, *body;
};

static int render(const struct generation *g, const struct letter *l, json_t *model, struct rendered *out)
{
	const struct i18n *cat = i18n_get(g->i18n, l->lang);
	char name[64];
	snprintf(name, sizeof name, "mail_%s%s", l->kind, TMPL_TEXT_SUFFIX);
	if (tmpl_render(g->tmpl, name, model, cat, &out->text) != 0)
		return -1;
	snprintf(name, sizeof name, "mail_%s", l->kind);
	if (tmpl_render(g->tmpl, name, model, cat, &out->html) != 0)
		return -1;
	buf_append(&out->text, "", 0); /* NUL-terminated even when empty */
	char *nl = strchr(out->text.data, '\n');
	if (!nl)
		return -1;
	*nl = '\0';
	out->subject = out->text.data;
	out->body = nl + 1 + strspn(nl + 1, "\n");
	return 0;
}

/* The links every message carries, built from --base-url. */
static void add_links(const struct mailer *m, const struct letter *l, json_t *model)
{
	json_object_set_new(model, "base_url", json_string(m->cfg.base_url));
	json_object_set_new(model, "settings_url", json_sprintf("%s/settings", m->cfg.base_url));
	json_object_set_new(model, "to_name", json_string(l->to.display_name));
	json_object_set_new(model, "lang", json_string(l->lang));
	if (l->unsubscribe) {
		struct buf u = BUF_INIT;
		buf_printf(&u, "%s/unsubscribe?token=", m->cfg.base_url);
		url_encode(&u, l->unsubscribe, strlen(l->unsubscribe));
		json_object_set_new(model, "unsubscribe_url", json_stringn(u.data, u.len));
		buf_free(&u);
	}
}

/* Composes and sends the letter: what the relay said, as an outbox result. */
static enum outbox_result deliver(struct mailer *m, const struct generation *g, struct agora_ctx *c,
				  const struct outbox_mail *om, const struct letter *l, char *why, size_t whysize)
{
	json_t *model = m->look.model(c, l);
	add_links(m, l, model);
	struct rendered r = {BUF_INIT, BUF_INIT, NULL, NULL};
	enum outbox_result res = OUTBOX_REJECTED;
	snprintf(why, whysize, "the templates of mail kind %s do not render", l->kind);
	if (render(g, l, model, &r) == 0) {
		char msgid[400];
		snprintf(msgid, sizeof msgid, "agora.%lld.%lld@%s", (long long)om->id, (long long)om->created_at, m->host);
		const struct i18n *cat = i18n_get(g->i18n, l->lang);
		struct mime_mail mm = {
			.from_name = i18n_msg(cat, "site.name"), .from_addr = m->cfg.from, .to_name = l->to.display_name,
			.to_addr = l->to_addr, .subject = r.subject, .text = r.body, .html = r.html.data,
			.message_id = msgid, .date = c->now, .lang = l->lang,
			.unsubscribe_url = json_string_value(json_object_get(model, "unsubscribe_url")),
		};
		size_t len = 0;
		char *msg = mime_compose(&mm, &len);
		snprintf(why, whysize, "the message could not be composed (a header was refused)");
		if (msg) {
			enum smtp_result s = smtp_send(&m->smtp, l->to_addr, msg, len, why, whysize);
			res = s == SMTP_SENT ? OUTBOX_SENT : s == SMTP_RETRY ? OUTBOX_RETRY : OUTBOX_REJECTED;
			free(msg);
		}
	}
	buf_free(&r.text);
	buf_free(&r.html);
	json_decref(model);
	return res;
}

static void log_outcome(const struct outbox_mail *om, enum outbox_result r, const char *why, int64_t next_at)
{
	char at[32];
	if (r == OUTBOX_SENT || r == OUTBOX_DROPPED)
		return;
	if (r == OUTBOX_RETRY && next_at) {
		time_rfc3339(next_at, at);
		fprintf(stderr, "agorad: mail %lld (%s to user %lld): attempt %d failed: %s; retry at %s\n",
			(long long)om->id, om->kind, (long long)om->user_id, om->attempts, why, at);
	} else {
		fprintf(stderr, "agorad: mail %lld (%s to user %lld): failed for good after %d attempt%s: %s\n",
			(long long)om->id, om->kind, (long long)om->user_id, om->attempts, om->attempts == 1 ? "" : "s",
			why);
	}
}

/* Sends the next due message: 1 when one was taken (sent or not), 0 when none was due. */
static int send_one(struct mailer *m)
{
	struct arena *a = arena_new();
	struct agora_ctx c = m->base;
	struct outbox_mail om;
	struct letter l;
	char why[300] = "";
	c.db = m->db;
	c.arena = a;
	c.now = clock_now();
	enum ag_status st = outbox_claim(&c, m->name, &om);
	if (st != AG_OK && st != AG_ENOTFOUND && !m->db_failing)
		fprintf(stderr, "agorad: mail: the database failed: %s\n", store_error(m->db));
	m->db_failing = st != AG_OK && st != AG_ENOTFOUND;
	if (st != AG_OK) {
		arena_free(a);
		return 0;
	}
	enum outbox_result r = OUTBOX_DROPPED;
	struct generation *g = generation_take(m->look.gens);
	c.plugins = g->plugins;
	st = letter_read(&c, &om, &l);
	if (st == AG_OK) {
		r = deliver(m, g, &c, &om, &l, why, sizeof why);
		letter_free(&l);
	} else if (st != AG_ENOTFOUND) {
		r = OUTBOX_RETRY;
		snprintf(why, sizeof why, "the database failed: %s", store_error(m->db));
	}
	generation_release(g);
	c.now = clock_now();
	int64_t next_at = 0;
	if (outbox_record(&c, &om, m->name, r, why, &next_at) == AG_OK) {
		metrics_mail_outcome(r);
		log_outcome(&om, r, why, next_at);
	}
	arena_free(a);
	return 1;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* One message every 60000/rate ms at most: the time a send took counts toward the pause. */
static void *mailer_main(void *arg)
{
	struct mailer *m = arg;
	long every = 60000 / (m->cfg.rate > 0 ? m->cfg.rate : MAILER_RATE);
	while (!ticker_stopping(&m->ticker)) {
		long started = now_ms();
		if (!send_one(m)) {
			ticker_nap(&m->ticker, 1000);
			continue;
		}
		long left = every - (now_ms() - started);
		if (left > 0)
			ticker_nap(&m->ticker, left);
	}
	return NULL;
}

/* The host of a base URL ("https://forum.example.org:8443/x" gives forum.example.org). */
static void url_host(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strcspn(p, ":/?#");
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

struct mailer *mailer_start(const char *db_path, const struct mail_config *cfg, const struct mail_look *look,
			    const struct agora_ctx *base)
{
	char host[256] = "localhost", *err = NULL;
	struct mailer *m = xcalloc(1, sizeof *m);
	m->base = *base;
	m->cfg = *cfg;
	m->look = *look;
	url_host(cfg->base_url, m->host, sizeof m->host);
	m->smtp = (struct smtp_config){.url = cfg->smtp_url, .user = cfg->smtp_user,
				       .password = cfg->smtp_password, .from = cfg->from};
	if (!(m->db = store_open(db_path, &err))) {
		fprintf(stderr, "agorad: mail: %s\n", err ? err : "cannot open the database");
		free(err);
		free(m);
		return NULL;
	}
	gethostname(host, sizeof host - 1);
	snprintf(m->name, sizeof m->name, "%s:%ld", host, (long)getpid());
	if (ticker_start(&m->ticker, mailer_main, m) != 0) {
		fprintf(stderr, "agorad: mail: cannot start its thread\n");
		store_close(m->db);
		free(m);
		return NULL;
	}
	return m;
}

void mailer_stop(struct mailer *m)
{
	if (!m)
		return;
	ticker_stop(&m->ticker);
	store_close(m->db);
	free(m);
}
