/* clock: the one clock of agorad's domain time, in Unix seconds. By default it is the system's;
 * with AGORA_NOW (API.md, "Command line and configuration") it starts at the given moment and
 * runs on from there at the pace of the monotonic clock, so a test or a demo moves time by
 * restarting agorad with a later AGORA_NOW. Set once at start-up, before any thread starts, and
 * only read afterwards, so every thread may call clock_now. */
#ifndef AGORA_CLOCK_H
#define AGORA_CLOCK_H

#include <stdint.h>

/* The latest moment AGORA_NOW may name: 9999-12-31T23:59:59Z, the last an RFC 3339 time holds. */
#define CLOCK_MAX 253402300799LL

/* Sets the clock from the value of AGORA_NOW: NULL or "" keeps the system clock; otherwise the
 * value must be whole Unix seconds (digits only, 0 to CLOCK_MAX). 0, or -1 when the value is
 * refused (the clock is then unchanged). */
int clock_init(const char *agora_now);
/* Now, in Unix seconds. */
int64_t clock_now(void);
/* Whether the clock was moved by AGORA_NOW (for the start-up line). */
int clock_injected(void);

#endif
