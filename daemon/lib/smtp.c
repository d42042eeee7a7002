/* smtp: one message to one recipient over SMTP with libcurl (smtp.h). */
#include "smtp.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "util.h"

/* The command a reply answers: the stage decides whether a 5xx is about this message. */
enum stage { AT_GREETING, AT_EHLO, AT_STARTTLS, AT_AUTH, AT_MAIL, AT_RCPT, AT_DATA, AT_QUIT };

static const char *const stage_names[] = {"greeting", "EHLO", "STARTTLS", "AUTH", "MAIL FROM", "RCPT TO", "DATA", "QUIT"};

/* How curl's commands begin (as it writes them). AUTH's continuation lines are base64, with
 * no space or colon, so none of them can pass for another command. */
static const struct {
	const char *verb;
	enum stage stage;
} verbs[] = {
	{"EHLO ", AT_EHLO},   {"HELO ", AT_EHLO},    {"STARTTLS\r\n", AT_STARTTLS}, {"AUTH ", AT_AUTH},
	{"MAIL FROM:", AT_MAIL}, {"RCPT TO:", AT_RCPT}, {"DATA\r\n", AT_DATA},         {"QUIT\r\n", AT_QUIT},
};

enum { REPLY_MAX = 240, TIMEOUT_DEFAULT = 30, USER_REDACT_MIN = 4 };

/* One exchange, as the callbacks see it. */
struct call {
	const char *msg; /* the part of the message still to upload */
	size_t left;
	enum stage stage;      /* the command sent last */
	enum stage reply_at;   /* the command the last reply answered */
	char reply[REPLY_MAX]; /* that reply's last line, for why */
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

static void global_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void smtp_global_init(void)
{
	pthread_once(&global_once, global_init_once);
}

static size_t on_read(char *buf, size_t size, size_t nitems, void *userp)
{
	struct call *c = userp;
	size_t n = size * nitems < c->left ? size * nitems : c->left;
	memcpy(buf, c->msg, n);
	c->msg += n;
	c->left -= n;
	return n;
}

/* Whatever a server sends as "data" (it should send none) goes nowhere, not to stdout. */
static size_t on_write(char *data, size_t size, size_t nitems, void *userp)
{
	(void)data;
	(void)userp;
	return size * nitems;
}

/* Keeps the last line of a reply (without its CRLF) and the command it answers. */
static void keep_reply(struct call *c, const char *data, size_t size)
{
	while (size > 0 && (data[size - 1] == '\r' || data[size - 1] == '\n'))
		size--;
	size_t start = size;
	while (start > 0 && data[start - 1] != '\n')
		start--;
	size_t n = size - start < REPLY_MAX - 1 ? size - start : REPLY_MAX - 1;
	memcpy(c->reply, data + start, n);
	c->reply[n] = '\0';
	c->reply_at = c->stage;
}

/* curl's trace: only the commands' names and the server's replies are read; the commands'
 * arguments (AUTH's credentials among them) are never kept. Replies to QUIT are ignored, so
 * that the farewell does not hide the reply that failed. */
static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *userp)
{
	struct call *c = userp;
	(void)h;
	if (type == CURLINFO_HEADER_OUT) {
		for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
			size_t n = strlen(verbs[i].verb);
			if (size >= n && memcmp(data, verbs[i].verb, n) == 0)
				c->stage = verbs[i].stage;
		}
	} else if (type == CURLINFO_HEADER_IN && c->stage != AT_QUIT)
		keep_reply(c, data, size);
	return 0;
}

/* The credentials of the URL and the URL without them (the caller curl_frees all three), so
 * that no message of curl, which may quote the URL, carries a password. -1 when url is not an
 * smtp:// or smtps:// URL. */
static int split_url(const char *url, char **bare, char **user, char **password)
{
	CURLU *u = curl_url();
	char *scheme = NULL;
	int ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		 curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		 (strcmp(scheme, "smtp") == 0 || strcmp(scheme, "smtps") == 0);
	*bare = *user = *password = NULL;
	if (ok) {
		curl_url_get(u, CURLUPART_USER, user, CURLU_URLDECODE);
		curl_url_get(u, CURLUPART_PASSWORD, password, CURLU_URLDECODE);
		ok = curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
		     curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
		     curl_url_get(u, CURLUPART_URL, bare, 0) == CURLUE_OK;
	}
	if (!ok) {
		curl_free(*user);
		curl_free(*password);
		*user = *password = NULL;
	}
	curl_free(scheme);
	curl_url_cleanup(u);
	return ok ? 0 : -1;
}

/* Everything one transfer needs but the envelope's lists. */
struct transfer {
	const char *url, *user, *password, *from;
	long timeout;
	struct curl_slist *rcpt;
	char errbuf[CURL_ERROR_SIZE];
};

static void set_options(CURL *h, struct transfer *t, struct call *c, size_t len)
{
	curl_easy_setopt(h, CURLOPT_URL, t->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (t->user)
		curl_easy_setopt(h, CURLOPT_USERNAME, t->user);
	if (t->password)
		curl_easy_setopt(h, CURLOPT_PASSWORD, t->password);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, t->from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, t->rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, c);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* for on_debug, which replaces curl's stderr trace */
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, c);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, t->timeout);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* no SIGALRM for timeouts: we run in threads */
}

/* One curl transfer; *code gets the last SMTP reply code (0: none). */
static CURLcode transfer_run(struct transfer *t, struct call *c, size_t len, long *code)
{
	CURL *h = curl_easy_init();
	*code = 0;
	if (!h) {
		snprintf(t->errbuf, sizeof t->errbuf, "curl_easy_init failed");
		return CURLE_FAILED_INIT;
	}
	set_options(h, t, c, len);
	CURLcode rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, code);
	curl_easy_cleanup(h);
	return rc;
}

/* A 5xx is final when it answers this message: its recipient, its data, or its size (552 to
 * MAIL FROM, which carries SIZE=). Before that it answers our configuration or standing (a
 * refused greeting, EHLO, STARTTLS or login, our one envelope sender), which will be fixed. */
static enum smtp_result classify(CURLcode rc, long code, enum stage at)
{
	if (rc == CURLE_OK)
		return SMTP_SENT;
	if (code < 500 || code > 599)
		return SMTP_RETRY;
	return at == AT_RCPT || at == AT_DATA || (at == AT_MAIL && code == 552) ? SMTP_REJECTED : SMTP_RETRY;
}

/* Stars over each occurrence of secret in s. */
static void redact(char *s, const char *secret, size_t min)
{
	size_t n = secret ? strlen(secret) : 0;
	if (n == 0 || n < min)
		return;
	for (char *p = strstr(s, secret); p; p = strstr(p + n, secret))
		memset(p, '*', n);
}

/* Writes why: the failing reply, or curl's error; secrets starred before it is cut to size,
 * and made printable ASCII on one line, whatever the server sent. */
static void describe(char *why, size_t whysize, CURLcode rc, long code, const struct call *c,
		     const struct transfer *t)
{
	char line[2 * CURL_ERROR_SIZE + REPLY_MAX];
	if (code >= 400 && c->reply[0])
		snprintf(line, sizeof line, "%s: %s", stage_names[c->reply_at], c->reply);
	else if (code >= 400)
		snprintf(line, sizeof line, "%s: %ld", stage_names[c->reply_at], code);
	else
		snprintf(line, sizeof line, "%s%s%s", curl_easy_strerror(rc), t->errbuf[0] ? ": " : "", t->errbuf);
	redact(line, t->password, 1);
	redact(line, t->user, USER_REDACT_MIN);
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F)
			*p = (unsigned char)*p < 0x80 ? ' ' : '?';
	if (whysize)
		snprintf(why, whysize, "%s", line);
}

static void say(char *why, size_t whysize, const char *what)
{
	if (whysize)
		snprintf(why, whysize, "%s", what);
}

/* "<addr>" for MAIL FROM and RCPT TO, malloc'd. */
static char *bracketed(const char *addr)
{
	size_t n = strlen(addr) + 3;
	char *s = xmalloc(n);
	snprintf(s, n, "<%s>", addr);
	return s;
}

enum smtp_result smtp_send(const struct smtp_config *cfg, const char *rcpt, const char *msg, size_t len, char *why,
			   size_t whysize)
{
	say(why, whysize, "");
	if (!mime_address_ok(rcpt)) {
		say(why, whysize, "the recipient is not an address we send to");
		return SMTP_REJECTED;
	}
	if (!mime_address_ok(cfg->from)) { /* the configuration's, to be fixed: keep the message */
		say(why, whysize, "the envelope sender is not an address we send from");
		return SMTP_RETRY;
	}
	char *url, *url_user, *url_password;
	if (!cfg->url || split_url(cfg->url, &url, &url_user, &url_password) < 0) {
		say(why, whysize, "the SMTP server's URL is not an smtp:// or smtps:// URL");
		return SMTP_RETRY;
	}
	smtp_global_init();
	struct call c = {.msg = msg, .left = len};
	struct transfer t = {.url = url, .user = cfg->user ? cfg->user : url_user,
			     .password = cfg->password ? cfg->password : url_password,
			     .timeout = cfg->timeout > 0 ? cfg->timeout : TIMEOUT_DEFAULT};
	char *to = bracketed(rcpt), *from = bracketed(cfg->from);
	t.from = from;
	t.rcpt = curl_slist_append(NULL, to);
	long code = 0;
	CURLcode rc = t.rcpt ? transfer_run(&t, &c, len, &code) : CURLE_OUT_OF_MEMORY;
	enum smtp_result r = classify(rc, code, c.reply_at);
	if (r != SMTP_SENT)
		describe(why, whysize, rc, code, &c, &t);
	curl_slist_free_all(t.rcpt);
	free(to);
	free(from);
	curl_free(url);
	curl_free(url_user);
	curl_free(url_password);
	return r;
}
