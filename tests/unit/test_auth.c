/* Unit tests for auth: password hashing, session tokens, CSRF tokens. */
#include <string.h>

#include <sodium.h>

#include "check_main.h"
#include "auth.h"

START_TEST(password_hash_then_verify)
{
	char hash[AUTH_HASH_MAX];

	ck_assert_int_eq(auth_password_hash("correct horse 马", hash), 0);
	ck_assert(strncmp(hash, "$argon2id$", 10) == 0);
	ck_assert_int_eq(auth_password_verify(hash, "correct horse 马"), 1);
	ck_assert_int_eq(auth_password_verify(hash, "correct horse"), 0);
	ck_assert_int_eq(auth_password_verify(hash, ""), 0);
}
END_TEST

START_TEST(password_hashes_are_salted)
{
	char a[AUTH_HASH_MAX], b[AUTH_HASH_MAX];

	ck_assert_int_eq(auth_password_hash("same", a), 0);
	ck_assert_int_eq(auth_password_hash("same", b), 0);
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(password_malformed_hash_refused)
{
	char hash[AUTH_HASH_MAX];
	char long_hash[400];

	ck_assert_int_eq(auth_password_verify("", "x"), 0);
	ck_assert_int_eq(auth_password_verify("not a hash", "x"), 0);
	ck_assert_int_eq(auth_password_verify("$argon2id$v=19$m=65536,t=2,p=1$garbage", "x"), 0);
	ck_assert_int_eq(auth_password_verify(NULL, "x"), 0);
	ck_assert_int_eq(auth_password_hash("pw", hash), 0);
	hash[strlen(hash) - 3] = '\0'; /* truncated */
	ck_assert_int_eq(auth_password_verify(hash, "pw"), 0);
	memset(long_hash, 'A', sizeof long_hash - 1);
	long_hash[sizeof long_hash - 1] = '\0';
	ck_assert_int_eq(auth_password_verify(long_hash, "x"), 0);
}
END_TEST

START_TEST(password_needs_rehash)
{
	char fresh[AUTH_HASH_MAX], weak[crypto_pwhash_STRBYTES];

	ck_assert_int_eq(auth_password_hash("pw", fresh), 0);
	ck_assert_int_eq(auth_password_needs_rehash(fresh), 0);
	ck_assert_int_eq(crypto_pwhash_str_alg(weak, "pw", 2, crypto_pwhash_OPSLIMIT_MIN,
					       crypto_pwhash_MEMLIMIT_MIN,
					       crypto_pwhash_ALG_ARGON2ID13), 0);
	ck_assert_int_eq(auth_password_verify(weak, "pw"), 1);
	ck_assert_int_eq(auth_password_needs_rehash(weak), 1);
	ck_assert_int_eq(auth_password_needs_rehash("garbage"), 1);
}
END_TEST

START_TEST(dummy_hash_is_stable_and_matches_nothing)
{
	const char *d = auth_dummy_hash();
	char guess[AUTH_TOKEN_LEN + 1];

	ck_assert(strncmp(d, "$argon2id$", 10) == 0);
	ck_assert_ptr_eq(auth_dummy_hash(), d);
	ck_assert_int_eq(auth_password_needs_rehash(d), 0);
	auth_token_new(guess);
	ck_assert_int_eq(auth_password_verify(d, guess), 0);
	ck_assert_int_eq(auth_password_verify(d, ""), 0);
}
END_TEST

/* 1 when s is exactly AUTH_TOKEN_LEN characters of the base64url alphabet. */
static int is_token(const char *s)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	return strlen(s) == AUTH_TOKEN_LEN && strspn(s, alphabet) == AUTH_TOKEN_LEN;
}

START_TEST(tokens_are_base64url_and_differ)
{
	char a[AUTH_TOKEN_LEN + 1], b[AUTH_TOKEN_LEN + 1];

	auth_token_new(a);
	auth_token_new(b);
	ck_assert(is_token(a));
	ck_assert(is_token(b));
	ck_assert_str_ne(a, b);
}
END_TEST

START_TEST(digest_is_stable_hex)
{
	char t[AUTH_TOKEN_LEN + 1], d1[AUTH_DIGEST_HEX + 1], d2[AUTH_DIGEST_HEX + 1];

	auth_token_new(t);
	auth_token_digest(t, d1);
	auth_token_digest(t, d2);
	ck_assert_uint_eq(strlen(d1), AUTH_DIGEST_HEX);
	ck_assert_uint_eq(strspn(d1, "0123456789abcdef"), AUTH_DIGEST_HEX);
	ck_assert_str_eq(d1, d2);
	auth_token_digest("abc", d1); /* the FIPS 180-2 test vector */
	ck_assert_str_eq(d1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(csrf_is_stable_and_bound_to_the_session)
{
	char s1[AUTH_TOKEN_LEN + 1], s2[AUTH_TOKEN_LEN + 1];
	char c1[AUTH_TOKEN_LEN + 1], c1b[AUTH_TOKEN_LEN + 1], c2[AUTH_TOKEN_LEN + 1];
	char digest[AUTH_DIGEST_HEX + 1];

	auth_token_new(s1);
	auth_token_new(s2);
	auth_csrf_for(s1, c1);
	auth_csrf_for(s1, c1b);
	auth_csrf_for(s2, c2);
	ck_assert(is_token(c1));
	ck_assert_str_eq(c1, c1b);
	ck_assert_str_ne(c1, c2);
	ck_assert_str_ne(c1, s1);
	auth_token_digest(s1, digest);
	ck_assert(strstr(digest, c1) == NULL);
}
END_TEST

START_TEST(token_equal_compares_whole_strings)
{
	ck_assert_int_eq(auth_token_equal("abc", "abc"), 1);
	ck_assert_int_eq(auth_token_equal("abc", "abd"), 0);
	ck_assert_int_eq(auth_token_equal("abc", "abcd"), 0);
	ck_assert_int_eq(auth_token_equal("abcd", "abc"), 0);
	ck_assert_int_eq(auth_token_equal("", ""), 1);
	ck_assert_int_eq(auth_token_equal("", "a"), 0);
	ck_assert_int_eq(auth_token_equal(NULL, "a"), 0);
	ck_assert_int_eq(auth_token_equal("a", NULL), 0);
}
END_TEST

static const struct unit_tcase auth_cases[] = {
	/* Argon2id is slow on purpose; sanitizers make it slower. */
	{.name = "password",
	 .tests = UNIT_TESTS(&password_hash_then_verify, &password_hashes_are_salted, &password_malformed_hash_refused,
			     &password_needs_rehash, &dummy_hash_is_stable_and_matches_nothing),
	 .timeout = 60},
	{.name = "tokens",
	 .tests = UNIT_TESTS(&tokens_are_base64url_and_differ, &digest_is_stable_hex,
			     &csrf_is_stable_and_bound_to_the_session, &token_equal_compares_whole_strings)},
};

UNIT_SUITE(auth, auth_cases)

const struct unit_tests unit_tests = {.setup = auth_init, .suites = {auth_suite}};
