/* seed_members: many synthetic members at once, for the benchmarks of what reaches every
 * member (announcements, digests, reports). */
#ifndef AGORA_SEED_MEMBERS_H
#define AGORA_SEED_MEMBERS_H

#include "store.h"

/* Adds n members named seedmN (continuing after those already there) with industries,
 * positions and regions spread over the taxonomy, each with a confirmed address
 * seedmN@example.org; every tenth wants notification e-mails at once. They share one password
 * hash (of SEED_MEMBER_PASSWORD), made once: hashing each would take hours. 0, or -1. */
#define SEED_MEMBER_PASSWORD "seed-member-password"
int seed_members(struct store *db, long n);

#endif
