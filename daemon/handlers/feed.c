/* Atom feeds of a board, a thread and the whole site, and /metrics. */
#include <sodium.h>
#include <string.h>

#include "atom.h"
#include "escape.h"
#include "feeds.h"
#include "handlers.h"
#include "i18n.h"
#include "metrics.h"

#define ATOM_TYPE "application/atom+xml; charset=utf-8"
#define METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"
/* The date in our tag: URIs (RFC 4151). Fixed forever: changing it would change every id. */
#define TAG_DATE "2026"

/* Where the feed's links point and what its ids are made from. */
struct feed_addr {
	const char *base; /* "http://host[:port]", no trailing slash */
	const char *tag;  /* "tag:host,2026:" */
};

/* The site as the reader reached it (handlers_site_base). Ids are tag: URIs of the host name
 * alone, so they survive a move to another port or from http to https. */
static struct feed_addr feed_addr(struct req *r)
{
	const char *h;
	struct feed_addr a;
	a.base = handlers_site_base(r, &h);
	a.tag = arena_printf(r->arena, "tag:%.*s," TAG_DATE ":", (int)strcspn(h, ":"), h);
	return a;
}

/* A catalog message with its "{}" replaced by value. */
static const char *message_with(struct req *r, const char *key, const char *value)
{
	const char *msg = i18n_msg(r->lang, key), *hole = strstr(msg, "{}");
	if (!hole)
		return msg;
	return arena_printf(r->arena, "%.*s%s%s", (int)(hole - msg), msg, value, hole + 2);
}

static const char *author_uri(struct req *r, const struct feed_addr *a, const struct user *u)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/u/", a->base);
	url_encode(&b, u->username, strlen(u->username));
	const char *s = arena_strdup(r->arena, b.data);
	buf_free(&b);
	return s;
}

static int64_t entry_time(const struct feed_entry *e)
{
	return e->post.edited_at > e->post.created_at ? e->post.edited_at : e->post.created_at;
}

static void write_entry(struct req *r, struct buf *out, const struct feed_addr *a, const struct feed_entry *e,
			size_t *budget)
{
	const struct post *p = &e->post;
	const char *link = arena_printf(r->arena, "%s%s", a->base, post_url(r, p->id));
	struct atom_entry x = {
		.id = arena_printf(r->arena, "%spost/%lld", a->tag, (long long)p->id),
		.title = feed_entry_opens_thread(e) ? e->thread->title
						    : message_with(r, "feed.reply_title", e->thread->title),
		.link = link,
		.author = p->author.display_name,
		.author_uri = author_uri(r, a, &p->author),
		.published = p->created_at,
		.updated = p->edited_at,
		.content_html = p->body_html,
	};
	if (!page_budget_take(budget, strlen(p->body_html))) /* the reader follows the link */
		x.content_html = arena_printf(r->arena, "<p><a href=\"%s\">%s</a></p>", link,
					      i18n_msg(r->lang, "thread.read_alone"));
	atom_entry(out, &x);
}

/* Feed readers poll: a tag of the feed's bytes lets them ask "changed?" and get a bodiless
 * 304 when not. The bytes already differ for readers who see different boards. */
static const char *feed_etag(struct req *r, const struct buf *feed)
{
	unsigned char digest[16];
	char hex[2 * sizeof digest + 1];
	crypto_generichash(digest, sizeof digest, (const unsigned char *)feed->data, feed->len, NULL, 0);
	sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
	return arena_printf(r->arena, "\"%s\"", hex);
}

/* Writes the feed (head: everything but updated, which the entries decide unless there are
 * none) and answers it. */
static void send_feed(struct req *r, struct atom_feed *head, const struct feed_addr *a,
		      const struct feed_entry *e, size_t n)
{
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (entry_time(&e[i]) > head->updated)
			head->updated = entry_time(&e[i]);
	atom_begin(&out, head);
	size_t budget = PAGE_HTML_MAX;
	for (size_t i = 0; i < n; i++)
		write_entry(r, &out, a, &e[i], &budget);
	atom_end(&out);
	req_send_bytes(r, ATOM_TYPE, out.data, out.len, NULL);
	req_etag(r, feed_etag(r, &out));
	buf_free(&out);
}

void h_feed_site(struct req *r)
{
	struct feed_entry *e;
	size_t n;
	enum ag_status st = feed_site(&r->ctx, &e, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	struct feed_addr a = feed_addr(r);
	struct atom_feed head = {
		.id = arena_printf(r->arena, "%ssite", a.tag),
		.title = i18n_msg(r->lang, "feed.site_title"),
		.self = arena_printf(r->arena, "%s/feed.atom", a.base),
		.alternate = arena_printf(r->arena, "%s/", a.base),
	};
	send_feed(r, &head, &a, e, n);
}

void h_feed_board(struct req *r)
{
	struct board b;
	struct feed_entry *e;
	size_t n;
	enum ag_status st = feed_board(&r->ctx, r->params[0], &b, &e, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	struct feed_addr a = feed_addr(r);
	struct atom_feed head = {
		.id = arena_printf(r->arena, "%sboard/%s", a.tag, b.slug),
		.title = b.title,
		.subtitle = b.description,
		.self = arena_printf(r->arena, "%s/boards/%s/feed.atom", a.base, b.slug),
		.alternate = arena_printf(r->arena, "%s/b/%s", a.base, b.slug),
	};
	send_feed(r, &head, &a, e, n);
}

void h_feed_thread(struct req *r)
{
	struct thread t;
	struct feed_entry *e;
	size_t n;
	enum ag_status st = feed_thread(&r->ctx, param_id(r, 0), &t, &e, &n);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	struct feed_addr a = feed_addr(r);
	struct atom_feed head = {
		.id = arena_printf(r->arena, "%sthread/%lld", a.tag, (long long)t.id),
		.title = t.title,
		.self = arena_printf(r->arena, "%s/threads/%lld/feed.atom", a.base, (long long)t.id),
		.alternate = arena_printf(r->arena, "%s/t/%lld", a.base, (long long)t.id),
		.updated = t.created_at,
	};
	send_feed(r, &head, &a, e, n);
}

/* A client on this machine, talking to us directly: a proxy in front (which makes every
 * visitor look local) announces itself with a forwarding header. */
static int local_client(struct req *r)
{
	const char *addr = r->ctx.client_addr;
	if (req_header(r, "X-Forwarded-For") || req_header(r, "Forwarded") || req_header(r, "X-Real-IP"))
		return 0;
	return addr && (!strncmp(addr, "127.", 4) || !strcmp(addr, "::1"));
}

void h_metrics(struct req *r)
{
	struct store_counts counts = {0};
	enum ag_status st = feed_site_counts(&r->ctx, local_client(r), &counts);
	if (st != AG_OK) {
		req_fail(r, st);
		return;
	}
	struct buf out = BUF_INIT;
	metrics_render(&out, &counts);
	req_send_bytes(r, METRICS_TYPE, out.data, out.len, NULL);
	buf_free(&out);
}
