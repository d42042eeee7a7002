/* throttle: how long a client must wait before one more attempt at something guessable
 * (a password), from how often it failed lately. Pure arithmetic, so the policy can be read
 * and tested apart from where the failures are counted. */
#ifndef AGORA_THROTTLE_H
#define AGORA_THROTTLE_H

#include <stdint.h>

/* A rule: the first `free` failures within `window` seconds cost nothing; after them each
 * attempt must come at least 2^(failures - free) seconds after the last failure, at most
 * `max_delay`; at `hard_max` failures (0: no such cap) nothing more is tried until the
 * oldest failure of the window ages out. */
struct throttle_rule {
	int64_t free;
	int64_t max_delay;
	int64_t hard_max;
	int64_t window;
};

/* What the store counted within the rule's window. */
struct throttle_count {
	int64_t failures;
	int64_t oldest; /* time of the oldest failure counted, 0 when none */
	int64_t last;   /* time of the newest, 0 when none */
};

/* The seconds to wait from now before the next attempt: 0 when it may go ahead. */
int64_t throttle_wait(const struct throttle_rule *rule, const struct throttle_count *n, int64_t now);
/* The delay the rule asks after this many failures (0 while they are free). */
int64_t throttle_delay(const struct throttle_rule *rule, int64_t failures);

#endif
