/* Diagnostic only, not part of agorad: an LD_PRELOAD shim that sets TCP_NODELAY on every
 * socket the process accepts, to measure what agorad would gain from doing it itself.
 *
 *   cc -shared -fPIC -O2 -o /tmp/agora-bench/tcp_nodelay_preload.so bench/tcp_nodelay_preload.c -ldl
 *   AGORAD_PRELOAD=/tmp/agora-bench/tcp_nodelay_preload.so bench/thread.sh
 *
 * Why: without TCP_NODELAY, a keep-alive response that libevent writes in several pieces
 * (bufferevents write at most 16 KiB at a time) leaves its last piece behind Nagle's
 * algorithm until the client ACKs, and the client delays that ACK by up to 40 ms. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

static void nodelay(int fd)
{
	int one = 1;
	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int accept(int s, struct sockaddr *a, socklen_t *l)
{
	static int (*real)(int, struct sockaddr *, socklen_t *);
	if (!real)
		real = (int (*)(int, struct sockaddr *, socklen_t *))dlsym(RTLD_NEXT, "accept");
	int fd = real(s, a, l);
	nodelay(fd);
	return fd;
}

int accept4(int s, struct sockaddr *a, socklen_t *l, int flags)
{
	static int (*real)(int, struct sockaddr *, socklen_t *, int);
	if (!real)
		real = (int (*)(int, struct sockaddr *, socklen_t *, int))dlsym(RTLD_NEXT, "accept4");
	int fd = real(s, a, l, flags);
	nodelay(fd);
	return fd;
}
