/* accesslog: one line per answered request (--access-log FILE, or - for stderr), in the
 * combined format of nginx and Apache with the request's duration and id added:
 *   ADDR - USER [03/Dec/2026:17:20:05 +0000] "GET /t/2?page=2 HTTP/1.1" 200 5123 "REFERER" "AGENT" 0.004 ID
 * so that every log reader understands it. Values of query parameters that may hold a secret
 * (token, csrf, code, password, key) are written as "-"; quotes, backslashes and control
 * characters as \xHH, so that no client can forge a line. Each line is one write(2) to a file
 * opened O_APPEND: lines of different workers never mix. SIGUSR1 reopens the file (logrotate's
 * postrotate). Part of the transport. */
#ifndef AGORA_ACCESSLOG_H
#define AGORA_ACCESSLOG_H

#include <stddef.h>
#include <stdint.h>

struct evhttp_request;

/* Opens the log: path "-" is stderr, NULL none (every call below is then a no-op). 0, or -1
 * with errno when the file cannot be opened. */
int accesslog_open(const char *path);
/* Opens the log's file again (after logrotate moved it); the old descriptor is closed once
 * the new one is in place. No-op for stderr or none. */
void accesslog_reopen(void);
void accesslog_close(void);

/* What one line says beyond what the request itself holds. */
struct access_entry {
	const char *client; /* the client address (a trusted proxy's X-Forwarded-For applied) */
	const char *user;   /* the signed-in username, or NULL */
	int status;
	int64_t bytes;      /* of the body sent, -1 for a stream */
	uint64_t ns;        /* since the request arrived */
	const char *id;     /* the request id, or NULL */
};
void accesslog_write(struct evhttp_request *ev, const struct access_entry *e);

/* The line (without its newline) into out (size bytes, truncated to fit), for the tests of
 * the format; time is Unix seconds. */
size_t accesslog_format(char *out, size_t size, const char *method, const char *uri, int http_minor,
			const char *referer, const char *agent, const struct access_entry *e, int64_t time);

#endif
