#include "accesslog.h"

#include <errno.h>
#include <event2/http.h>
#include <event2/http_struct.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

enum { LINE_MAX_BYTES = 8192 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* guards fd: a reopen closes the old one */
static int fd = -1;
static char *file; /* NULL for stderr */

static int open_file(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

int accesslog_open(const char *path)
{
	if (!path)
		return 0;
	if (!strcmp(path, "-")) {
		fd = STDERR_FILENO;
		return 0;
	}
	if ((fd = open_file(path)) < 0)
		return -1;
	file = xstrdup(path);
	return 0;
}

void accesslog_reopen(void)
{
	if (!file)
		return;
	int f = open_file(file);
	if (f < 0) {
		fprintf(stderr, "agorad: --access-log %s: cannot open it again: %s; still writing the old one\n", file,
			strerror(errno));
		return;
	}
	pthread_mutex_lock(&lock);
	int old = fd;
	fd = f;
	pthread_mutex_unlock(&lock);
	close(old);
}

void accesslog_close(void)
{
	if (file && fd >= 0)
		close(fd);
	fd = -1;
	free(file);
	file = NULL;
}

struct line {
	char *out;
	size_t size, n;
};

static void put_raw(struct line *l, const char *s, size_t len)
{
	for (size_t i = 0; i < len && l->n + 1 < l->size; i++)
		l->out[l->n++] = s[i];
}

/* Text from the client: quotes, backslashes and control characters as \xHH. */
static void put_text(struct line *l, const char *s)
{
	char esc[5];
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
			snprintf(esc, sizeof esc, "\\x%02X", c);
			put_raw(l, esc, 4);
		} else {
			put_raw(l, s, 1);
		}
	}
}

/* A field of the line: "-" when empty. */
static void put_field(struct line *l, const char *s)
{
	if (s && *s)
		put_text(l, s);
	else
		put_raw(l, "-", 1);
}

static int secret_key(const char *k, size_t n)
{
	static const char *const keys[] = {"token", "csrf", "code", "password", "key"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strlen(keys[i]) == n && !memcmp(keys[i], k, n))
			return 1;
	return 0;
}

/* Client text of n bytes, escaped like put_text. */
static void put_text_n(struct line *l, const char *s, size_t n)
{
	char *part = xstrndup(s, n);
	put_text(l, part);
	free(part);
}

/* The request's target with the values of secret parameters as "-". */
static void put_uri(struct line *l, const char *uri)
{
	if (!uri || !*uri) {
		put_raw(l, "-", 1);
		return;
	}
	const char *q = strchr(uri, '?');
	put_text_n(l, uri, q ? (size_t)(q - uri) : strlen(uri));
	while (q && *q) { /* q at the '?' or '&' before a parameter */
		size_t len = strcspn(q + 1, "&"), klen = strcspn(q + 1, "=&");
		if (klen < len && secret_key(q + 1, klen)) {
			put_text_n(l, q, klen + 2); /* "?key=" */
			put_raw(l, "-", 1);
		} else {
			put_text_n(l, q, len + 1);
		}
		q += len + 1;
	}
}

size_t accesslog_format(char *out, size_t size, const char *method, const char *uri, int http_minor,
			const char *referer, const char *agent, const struct access_entry *e, int64_t time)
{
	struct line l = {out, size, 0};
	char num[96];
	time_t t = (time_t)time;
	struct tm tm;
	gmtime_r(&t, &tm);
	put_field(&l, e->client);
	put_raw(&l, " - ", 3);
	put_field(&l, e->user);
	strftime(num, sizeof num, " [%d/%b/%Y:%H:%M:%S +0000] \"", &tm);
	put_raw(&l, num, strlen(num));
	put_text(&l, method);
	put_raw(&l, " ", 1);
	put_uri(&l, uri);
	int k = e->bytes >= 0 ? snprintf(num, sizeof num, " HTTP/1.%d\" %d %lld \"", http_minor, e->status, (long long)e->bytes)
			      : snprintf(num, sizeof num, " HTTP/1.%d\" %d - \"", http_minor, e->status);
	put_raw(&l, num, (size_t)k);
	put_field(&l, referer);
	put_raw(&l, "\" \"", 3);
	put_field(&l, agent);
	k = snprintf(num, sizeof num, "\" %.6f ", (double)e->ns / 1e9);
	put_raw(&l, num, (size_t)k);
	put_field(&l, e->id);
	out[l.n] = '\0';
	return l.n;
}

static const char *method_name(enum evhttp_cmd_type c)
{
	switch (c) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_PATCH: return "PATCH";
	case EVHTTP_REQ_OPTIONS: return "OPTIONS";
	default: return "OTHER";
	}
}

void accesslog_write(struct evhttp_request *ev, const struct access_entry *e)
{
	char line[LINE_MAX_BYTES];
	if (fd < 0)
		return;
	struct evkeyvalq *h = evhttp_request_get_input_headers(ev);
	size_t n = accesslog_format(line, sizeof line - 1, method_name(evhttp_request_get_command(ev)),
				    evhttp_request_get_uri(ev), ev->minor, evhttp_find_header(h, "Referer"),
				    evhttp_find_header(h, "User-Agent"), e, (int64_t)time(NULL));
	line[n++] = '\n';
	pthread_mutex_lock(&lock);
	ssize_t w = write(fd, line, n); /* a full disk loses a line, never the answer */
	pthread_mutex_unlock(&lock);
	(void)w;
}
