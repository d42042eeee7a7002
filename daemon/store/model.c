#include "model.h"

#include <string.h>

static const char *const role_names[] = {"member", "lecturer", "moderator", "admin"};
static const char *const state_names[] = {"published", "pending", "rejected", "deleted"};

const char *role_name(enum role r)
{
	return (unsigned)r < 4 ? role_names[r] : "member";
}

int role_parse(const char *s, enum role *out)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}

const char *post_state_name(enum post_state s)
{
	return (unsigned)s < 4 ? state_names[s] : "pending";
}

int slug_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}
