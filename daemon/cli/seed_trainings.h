/* seed_trainings: many synthetic trainings at once, for the benchmarks of the training and
 * rotation reports (bench/reports.sh). */
#ifndef AGORA_SEED_TRAININGS_H
#define AGORA_SEED_TRAININGS_H

#include "store.h"

/* Adds n trainings seedt0..seedtN-1 (those already there are kept) spread over the last six
 * years and the next four months, each of 1–5 days with 3–8 lessons by one seeded lecturer
 * and 10–80 of the seeded members (seed_members) as trainees; in those that have ended, the
 * trainees attend about 90 % of the lessons, rate half of them and are completed from 80 %,
 * and every third has a follow-up wave answered by about 60 %. Through the store, ten
 * trainings per transaction. Needs the benchmark board and SEED_TRAININGS_MIN_MEMBERS
 * members. 0, or -1. */
enum { SEED_TRAININGS_MIN_MEMBERS = 100 };
int seed_trainings(struct store *db, long n);

#endif
