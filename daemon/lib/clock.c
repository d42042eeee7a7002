/* The injectable clock: a base moment plus the monotonic time elapsed since it was set. */
#include "clock.h"

#include <time.h>

#include "util.h"

static int injected;
static int64_t base;       /* Unix seconds at mono_start */
static int64_t mono_start; /* CLOCK_MONOTONIC nanoseconds when the clock was set */

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int clock_init(const char *agora_now)
{
	int64_t t;
	if (!agora_now || !*agora_now) {
		injected = 0;
		return 0;
	}
	if (parse_i64(agora_now, 0, CLOCK_MAX, &t) != 0)
		return -1;
	base = t;
	mono_start = mono_ns();
	injected = 1;
	return 0;
}

int64_t clock_now(void)
{
	if (!injected)
		return (int64_t)time(NULL);
	return base + (mono_ns() - mono_start) / 1000000000;
}

int clock_injected(void)
{
	return injected;
}
