/* Load client for bench/sse.sh: holds N Server-Sent Events streams of one thread open and
 * measures how long a published post takes to reach all of them.
 *
 *   sse_clients HOST PORT PATH N
 *
 * Opens N connections to http://HOST:PORT/PATH (at most 256 connecting at a time), prints
 * "ready N" once every stream has sent its first bytes (or "ready M failed F" after 60 s).
 * Then, for each line read on stdin (the script writes one just before it posts a reply), it
 * waits for the next event `post` on every stream and prints
 * "post K first_ms p50_ms last_ms reached R", times counted from reading the line. EOF on
 * stdin ends the run ("closed C" tells how many streams the server closed meanwhile).
 * Built by sse.sh: cc -O2 sse_clients.c $(pkg-config --cflags --libs libevent). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

enum { CONNECTING_MAX = 256, READY_TIMEOUT_S = 60, CARRY = 16 };

static const char marker[] = "event: post\n";

struct conn {
	struct bufferevent *bev;
	int open;      /* first bytes seen */
	int gone;
	int posts;     /* events `post` seen */
	char carry[CARRY]; /* the end of the last read, for a marker cut in two */
	size_t ncarry;
};

static struct event_base *base;
static struct sockaddr_in addr;
static char request[1024];
static struct conn *conns;
static int n, started, opened, failed, closed_by_server, round_no, reached;
static double t0, *delays;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report_round(void)
{
	qsort(delays, (size_t)reached, sizeof *delays, cmp_double);
	printf("post %d first_ms %.1f p50_ms %.1f last_ms %.1f reached %d\n", round_no, delays[0],
	       delays[reached / 2], delays[reached - 1], reached);
	fflush(stdout);
}

static void open_more(void);

static void count_posts(struct conn *c, const char *data, size_t len)
{
	char buf[CARRY + 4096];
	while (len > 0) {
		size_t take = len > 4096 ? 4096 : len, total = c->ncarry + take;
		memcpy(buf, c->carry, c->ncarry);
		memcpy(buf + c->ncarry, data, take);
		for (char *p = buf; (p = memmem(p, (size_t)(buf + total - p), marker, sizeof marker - 1)); p++) {
			c->posts++;
			if (round_no > 0 && c->posts == round_no) {
				delays[reached++] = now_ms() - t0;
				if (reached == opened)
					report_round();
			}
		}
		c->ncarry = total < sizeof marker - 1 ? total : sizeof marker - 1;
		memcpy(c->carry, buf + total - c->ncarry, c->ncarry);
		data += take;
		len -= take;
	}
}

static void on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t len = evbuffer_get_length(in);
	const char *data = (const char *)evbuffer_pullup(in, -1);
	if (!c->open && memmem(data, len, "retry:", 6)) {
		c->open = 1;
		opened++;
		if (opened + failed == n) {
			printf("ready %d failed %d\n", opened, failed);
			fflush(stdout);
		}
		open_more();
	}
	count_posts(c, data, len);
	evbuffer_drain(in, len);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn *c = arg;
	if (what & BEV_EVENT_CONNECTED)
		return;
	bufferevent_free(bev);
	c->bev = NULL;
	c->gone = 1;
	if (c->open) {
		closed_by_server++;
	} else {
		failed++;
		open_more();
	}
}

static void open_one(int i)
{
	struct conn *c = &conns[i];
	c->bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(c->bev, on_read, NULL, on_event, c);
	bufferevent_enable(c->bev, EV_READ);
	bufferevent_write(c->bev, request, strlen(request));
	if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&addr, sizeof addr) != 0) {
		bufferevent_free(c->bev);
		c->bev = NULL;
		failed++;
	}
}

/* Keeps at most CONNECTING_MAX connections between connect and the first bytes, so the
 * server's accept backlog never overflows into SYN retries. */
static void open_more(void)
{
	while (started < n && started - opened - failed < CONNECTING_MAX)
		open_one(started++);
}

static void on_stdin(evutil_socket_t fd, short what, void *arg)
{
	char line[256];
	ssize_t got = read((int)fd, line, sizeof line);
	(void)what;
	(void)arg;
	if (got <= 0) {
		printf("closed %d\n", closed_by_server);
		fflush(stdout);
		event_base_loopbreak(base);
		return;
	}
	for (ssize_t i = 0; i < got; i++)
		if (line[i] == '\n') {
			round_no++;
			reached = 0;
			t0 = now_ms();
		}
}

static void on_ready_timeout(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	if (opened + failed < n) {
		printf("ready %d failed %d\n", opened, n - opened);
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	if (argc != 5 || (n = atoi(argv[4])) <= 0) {
		fprintf(stderr, "usage: sse_clients HOST PORT PATH N\n");
		return 2;
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	addr.sin_family = AF_INET;
	addr.sin_port = htons((unsigned short)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
		fprintf(stderr, "sse_clients: %s is not an IPv4 address\n", argv[1]);
		return 2;
	}
	snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n\r\n",
		 argv[3], argv[1]);
	conns = calloc((size_t)n, sizeof *conns);
	delays = calloc((size_t)n, sizeof *delays);
	base = event_base_new();
	struct event *in = event_new(base, 0, EV_READ | EV_PERSIST, on_stdin, NULL);
	struct event *timeout = evtimer_new(base, on_ready_timeout, NULL);
	struct timeval ready_tv = {READY_TIMEOUT_S, 0};
	event_add(in, NULL);
	event_add(timeout, &ready_tv);
	open_more();
	event_base_dispatch(base);
	for (int i = 0; i < n; i++)
		if (conns[i].bev)
			bufferevent_free(conns[i].bev);
	event_free(in);
	event_free(timeout);
	event_base_free(base);
	free(conns);
	free(delays);
	return 0;
}
