/* The Argon2id ceiling of this machine: how many password checks per second libsodium does
 * with agorad's parameters (crypto_pwhash_str_verify, OPSLIMIT/MEMLIMIT_INTERACTIVE) on T
 * threads, outside any server. bench/logins.sh builds it into WORK (when cc and libsodium's
 * headers are there) and compares agorad's logins/s with it, measured in the same run.
 *
 *   cc -O2 -o pwhash_rate bench/pwhash_rate.c -lsodium -lpthread && ./pwhash_rate 2 3
 * prints: "pwhash_rate threads=2 seconds=3.02 checks=56 per_second=18.5 ms_each=107.9" */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char hash[crypto_pwhash_STRBYTES];
static const char *password = "bench-password-0123";
static double seconds_wanted;
static struct timespec start;

static double since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

static void *run(void *arg)
{
	long *count = arg;
	while (since(&start) < seconds_wanted) {
		if (crypto_pwhash_str_verify(hash, password, strlen(password)) != 0)
			abort();
		++*count;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 1;
	seconds_wanted = argc > 2 ? atof(argv[2]) : 3;
	if (threads < 1 || threads > 64 || seconds_wanted <= 0) {
		fprintf(stderr, "usage: pwhash_rate [THREADS (1-64)] [SECONDS]\n");
		return 2;
	}
	if (sodium_init() < 0 ||
	    crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		fprintf(stderr, "pwhash_rate: libsodium failed\n");
		return 1;
	}
	pthread_t t[64];
	long counts[64] = {0}, total = 0;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (int i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, run, &counts[i]) != 0)
			return 1;
	for (int i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		total += counts[i];
	}
	double s = since(&start);
	printf("pwhash_rate threads=%d seconds=%.2f checks=%ld per_second=%.1f ms_each=%.1f\n", threads, s,
	       total, (double)total / s, total ? s * 1000 * threads / (double)total : 0.0);
	return 0;
}
