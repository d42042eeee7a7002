#include "throttle.h"

int64_t throttle_delay(const struct throttle_rule *rule, int64_t failures)
{
	if (failures < rule->free)
		return 0;
	int64_t k = failures - rule->free, d = 1;
	while (k-- > 0 && d < rule->max_delay)
		d *= 2;
	return d < rule->max_delay ? d : rule->max_delay;
}

int64_t throttle_wait(const struct throttle_rule *rule, const struct throttle_count *n, int64_t now)
{
	if (rule->hard_max && n->failures >= rule->hard_max) {
		int64_t w = n->oldest + rule->window - now;
		return w > 0 ? w : 1;
	}
	int64_t wait = n->last + throttle_delay(rule, n->failures) - now;
	if (n->failures < rule->free || wait <= 0)
		return 0;
	return wait;
}
