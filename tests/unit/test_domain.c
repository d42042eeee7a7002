/* Unit tests of the domain rules (accounts, sessions, forum permissions) on a real SQLite
 * store in a temporary folder: no HTTP involved. */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "unit_store.h"
#include "accounts.h"
#include "auth.h"
#include "forum.h"
#include "moderation.h"
#include "modlog.h"
#include "site.h"
#include "store_user.h"



static struct agora_ctx ctx_as(const struct user *actor, int64_t now, const char *addr)
{
	return (struct agora_ctx){.db = db, .arena = arena, .actor = actor, .now = now, .client_addr = addr};
}

static struct user make_user(const char *name, enum role role)
{
	struct agora_ctx c = ctx_as(NULL, 1000, "127.0.0.1");
	struct user u = {.username = name, .role = role};
	ck_assert_int_eq(account_create(&c, &u, "correct horse battery"), AG_CREATED);
	ck_assert_int_eq(store_user_by_name(db, arena, name, &u), STORE_OK);
	return u;
}

/* Signs in with a password check result already known; returns the session token. */
static char *sign_in(const char *name, int64_t now)
{
	static char token[64];
	struct user u;
	struct agora_ctx c = ctx_as(NULL, now, "10.0.0.1");
	ck_assert_int_eq(account_login_finish(&c, name, 1, 0, NULL, token, &u), AG_CREATED);
	return token;
}

START_TEST(register_validates_and_refuses_duplicates)
{
	struct agora_ctx c = ctx_as(NULL, 1000, "127.0.0.1");
	struct account_input in = {.username = "Alice_1", .password = "long enough pw", .region = "henan"};
	struct user u;
	char hash[AUTH_HASH_MAX];
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_OK);
	ck_assert_str_eq(u.region.name, "河南省");
	ck_assert_int_eq(auth_password_hash(in.password, hash), 0);
	ck_assert_int_eq(account_register_finish(&c, &in, &u, hash), AG_CREATED);
	in.username = "alice_1"; /* names are unique without regard to case */
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_ECONFLICT);
	ck_assert_str_eq(c.error_code, "username_taken");
	in.username = "a b";
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_EINVAL);
	in.username = "bob";
	in.password = "short";
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_EINVAL);
	in.password = "long enough pw";
	in.region = "atlantis";
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_EINVAL);
	ck_assert_str_eq(c.error_code, "unknown_region");
}
END_TEST

START_TEST(registration_modes)
{
	struct user admin = make_user("admin", ROLE_ADMIN);
	struct agora_ctx ac = ctx_as(&admin, 1000, "127.0.0.1");
	struct agora_ctx c = ctx_as(NULL, 1000, "127.0.0.1");
	struct account_input in = {.username = "carol", .password = "long enough pw"};
	struct user u;
	const char *code;
	ck_assert_int_eq(site_settings_update(&ac, &(struct site_settings){"closed", 0}), AG_OK);
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_EFORBIDDEN);
	ck_assert_int_eq(site_settings_update(&ac, &(struct site_settings){"invite", 0}), AG_OK);
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_EFORBIDDEN);
	ck_assert_int_eq(site_invite_create(&ac, &code), AG_CREATED);
	in.invite_code = code;
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_OK);
	ck_assert_int_eq(account_register_finish(&c, &in, &u, auth_dummy_hash()), AG_CREATED);
	in.username = "dave"; /* a used code does not work twice, and is known before hashing */
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_EFORBIDDEN);
	ck_assert_str_eq(c.error_code, "invite_invalid");
	ck_assert_int_eq(store_user_by_name(db, arena, "dave", &u), STORE_NOTFOUND);
	struct agora_ctx member = ctx_as(&u, 1000, "127.0.0.1");
	ck_assert_int_eq(site_settings_update(&member, &(struct site_settings){"open", 0}), AG_EFORBIDDEN);
}
END_TEST

/* One wrong password from addr at name, at now: begin's answer (a failure is kept). */
static enum ag_status guess(const char *name, const char *addr, int64_t now, int64_t *retry)
{
	struct agora_ctx c = ctx_as(NULL, now, addr);
	const char *hash;
	int64_t attempt;
	struct user u;
	char token[64];
	enum ag_status st = account_login_begin(&c, name, &hash, &attempt);
	if (retry)
		*retry = c.retry_after;
	if (st == AG_OK)
		ck_assert_int_eq(account_login_finish(&c, name, 0, attempt, NULL, token, &u), AG_EUNAUTH);
	return st;
}

START_TEST(registrations_limited_per_address)
{
	struct agora_ctx c = ctx_as(NULL, 1000, "10.1.1.1");
	c.registrations_per_hour = 2;
	struct account_input in = {.username = "reg_a", .password = "long enough pw"};
	struct user u;
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_OK);
	c.now = 1100;
	in.username = "reg_b";
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_OK);
	in.username = "reg_c";
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_ERATE);
	ck_assert_str_eq(c.error_code, "too_many_registrations");
	ck_assert_int_eq(c.retry_after, 1000 + REGISTRATION_WINDOW - 1100);
	c.client_addr = "10.1.1.2"; /* another address is not held up */
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_OK);
}
END_TEST

START_TEST(login_slows_the_address_that_guessed_an_account)
{
	int64_t retry = 0;
	make_user("erin", ROLE_MEMBER);
	for (int i = 0; i < LOGIN_NAME_FREE; i++)
		ck_assert_int_eq(guess("erin", "10.0.0.1", 2000, NULL), AG_OK);
	ck_assert_int_eq(guess("erin", "10.0.0.1", 2000, &retry), AG_ERATE);
	ck_assert_int_eq(retry, 1);
	ck_assert_int_eq(guess("erin", "10.0.0.1", 2001, NULL), AG_OK);    /* waited the 1 s */
	ck_assert_int_eq(guess("erin", "10.0.0.1", 2002, &retry), AG_ERATE); /* now 2 s */
	ck_assert_int_eq(retry, 1);
	/* the owner elsewhere, and others at the guesser's address, are not slowed */
	ck_assert_int_eq(guess("erin", "10.9.9.9", 2002, NULL), AG_OK);
	ck_assert_int_eq(guess("nobody-here", "10.0.0.1", 2002, NULL), AG_OK);
	/* a correct password from the guesser's address forgets its failures at the account */
	struct agora_ctx c = ctx_as(NULL, 2010, "10.0.0.1");
	const char *hash;
	int64_t attempt;
	struct user u;
	char token[64];
	ck_assert_int_eq(account_login_begin(&c, "erin", &hash, &attempt), AG_OK);
	ck_assert_int_eq(account_login_finish(&c, "erin", 1, attempt, NULL, token, &u), AG_CREATED);
	for (int i = 0; i < LOGIN_NAME_FREE; i++)
		ck_assert_int_eq(guess("erin", "10.0.0.1", 2010, NULL), AG_OK);
}
END_TEST

START_TEST(login_reserves_before_hashing)
{
	/* attempts in flight at once (begun, not finished) count against each other */
	struct agora_ctx c = ctx_as(NULL, 3000, "10.0.0.7");
	const char *hash;
	int64_t attempt;
	int ok = 0;
	for (int i = 0; i < 60; i++)
		ok += account_login_begin(&c, "erin", &hash, &attempt) == AG_OK;
	ck_assert_int_eq(ok, LOGIN_NAME_FREE);
	ok = 0;
	for (int i = 0; i < 60; i++) {
		char name[16];
		snprintf(name, sizeof name, "made-up%d", i);
		c = ctx_as(NULL, 3000, "10.0.0.8");
		ok += account_login_begin(&c, name, &hash, &attempt) == AG_OK;
	}
	ck_assert_int_eq(ok, LOGIN_ADDR_FREE);
	c = ctx_as(NULL, 3000, "10.0.0.8");
	char longname[LOGIN_NAME_MAX_BYTES + 2];
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ck_assert_int_eq(account_login_begin(&c, longname, &hash, &attempt), AG_EUNAUTH);
	ck_assert_str_eq(c.error_code, "bad_credentials");
}
END_TEST

START_TEST(login_hard_cap_per_address)
{
	int64_t t = 4000, retry = 0;
	char name[16];
	for (int i = 0; i < LOGIN_ADDR_MAX; i++) {
		snprintf(name, sizeof name, "nx%d", i);
		ck_assert_int_eq(guess(name, "10.0.0.9", t, NULL), AG_OK);
		if (i >= LOGIN_ADDR_FREE - 1)
			t += LOGIN_ADDR_MAX_DELAY;
	}
	ck_assert_int_eq(guess("nx-last", "10.0.0.9", t + 60, &retry), AG_ERATE);
	ck_assert_int_eq(retry, 4000 + LOGIN_WINDOW - (t + 60));
	ck_assert_int_eq(guess("nx-last", "10.0.0.9", 4000 + LOGIN_WINDOW + 1, NULL), AG_OK);
}
END_TEST

START_TEST(unknown_names_are_verified_against_a_dummy_hash)
{
	struct agora_ctx c = ctx_as(NULL, 1000, "10.0.0.1");
	const char *hash = NULL;
	int64_t attempt;
	ck_assert_int_eq(account_login_begin(&c, "ghost", &hash, &attempt), AG_OK);
	ck_assert_ptr_eq(hash, auth_dummy_hash());
}
END_TEST

START_TEST(sessions_end_on_logout_and_expiry)
{
	struct user u;
	make_user("frank", ROLE_MEMBER);
	char *token = sign_in("frank", 5000);
	struct agora_ctx c = ctx_as(NULL, 5001, "10.0.0.1");
	ck_assert_int_eq(account_session(&c, token, &u), AG_OK);
	ck_assert_str_eq(u.username, "frank");
	c.now = 5000 + SESSION_LIFETIME + 1;
	ck_assert_int_eq(account_session(&c, token, &u), AG_EUNAUTH);
	token = sign_in("frank", 6000);
	c.now = 6001;
	ck_assert_int_eq(account_logout(&c, token), AG_OK);
	ck_assert_int_eq(account_session(&c, token, &u), AG_EUNAUTH);
}
END_TEST

START_TEST(password_change_ends_other_sessions)
{
	struct user me = make_user("gina", ROLE_MEMBER), u;
	char keep[64], other[64];
	strcpy(keep, sign_in("gina", 7000));
	strcpy(other, sign_in("gina", 7000));
	struct agora_ctx c = ctx_as(&me, 7001, "10.0.0.1");
	struct account_input in = {.password = "a new long password", .current_password = "correct horse battery"};
	const char *cur;
	int64_t attempt;
	ck_assert_int_eq(account_update_begin(&c, "gina", &in, &u, &cur, &attempt), AG_OK);
	ck_assert_ptr_nonnull(cur);
	ck_assert_int_eq(account_update_finish(&c, &in, &u, 0, attempt, "x", keep), AG_EFORBIDDEN);
	ck_assert_int_eq(account_update_finish(&c, &in, &u, 1, attempt, auth_dummy_hash(), keep), AG_OK);
	ck_assert_int_eq(account_session(&c, keep, &u), AG_OK);
	ck_assert_int_eq(account_session(&c, other, &u), AG_EUNAUTH);
}
END_TEST

START_TEST(profiles_and_roles_are_guarded)
{
	struct user a = make_user("hank", ROLE_MEMBER), b = make_user("ivy", ROLE_MEMBER);
	struct user admin = make_user("root1", ROLE_ADMIN), u;
	struct agora_ctx c = ctx_as(&a, 1000, "10.0.0.1");
	struct account_input in = {.display_name = "Hacker"};
	const char *cur;
	int64_t attempt;
	ck_assert_int_eq(account_update_begin(&c, "ivy", &in, &u, &cur, &attempt), AG_EFORBIDDEN);
	in = (struct account_input){.role = "admin"};
	ck_assert_int_eq(account_update_begin(&c, "hank", &in, &u, &cur, &attempt), AG_EFORBIDDEN);
	c.actor = &admin;
	ck_assert_int_eq(account_update_begin(&c, "ivy", &in, &u, &cur, &attempt), AG_OK);
	ck_assert_int_eq(account_update_finish(&c, &in, &u, 0, attempt, NULL, NULL), AG_OK);
	ck_assert_int_eq(account_get(&c, "ivy", &u), AG_OK);
	ck_assert_int_eq(u.role, ROLE_ADMIN);
	(void)b;
}
END_TEST

START_TEST(forum_permissions)
{
	struct user admin = make_user("boss", ROLE_ADMIN), m1 = make_user("member1", ROLE_MEMBER);
	struct user m2 = make_user("member2", ROLE_MEMBER);
	struct agora_ctx c = ctx_as(&m1, 1000, "10.0.0.1");
	struct board_input bi = {.slug = "farm", .title = "Farm", .industry = "agriculture"};
	struct board b;
	struct thread t;
	struct post p, r, got;
	ck_assert_int_eq(forum_board_create(&c, &bi, &b), AG_EFORBIDDEN);
	c.actor = &admin;
	ck_assert_int_eq(forum_board_create(&c, &bi, &b), AG_CREATED);
	ck_assert_int_eq(forum_board_create(&c, &bi, &b), AG_ECONFLICT);
	c.actor = NULL;
	ck_assert_int_eq(forum_thread_create(&c, "farm", "T", "body", &t, &p), AG_EUNAUTH);
	c.actor = &m1;
	ck_assert_int_eq(forum_thread_create(&c, "farm", "   ", "body", &t, &p), AG_EINVAL);
	ck_assert_int_eq(forum_thread_create(&c, "farm", "Spring", "**hi**", &t, &p), AG_CREATED);
	c.actor = &m2;
	ck_assert_int_eq(forum_reply(&c, t.id, 0, "a reply", &r), AG_CREATED);
	ck_assert_int_eq(r.depth, 1);
	ck_assert_int_eq(forum_post_edit(&c, p.id, "mine now", &got), AG_EFORBIDDEN);
	ck_assert_int_eq(forum_post_delete(&c, p.id), AG_EFORBIDDEN);
	c.actor = &m1;
	ck_assert_int_eq(forum_post_delete(&c, p.id), AG_OK);
	ck_assert_int_eq(access_post(&c, p.id, &got), AG_OK);
	ck_assert_int_eq(got.state, POST_DELETED);
	ck_assert_str_eq(got.body_html, "");
	ck_assert_int_eq(forum_post_edit(&c, p.id, "again", &got), AG_ECONFLICT);
	c.actor = &admin; /* admins may change any post */
	ck_assert_int_eq(forum_post_edit(&c, r.id, "moderated", &got), AG_OK);
	ck_assert_int_eq(access_thread(&c, t.id, &t), AG_OK);
	ck_assert_int_eq(t.reply_count, 1);
}
END_TEST

/* A board with one thread by `author`; returns the first post. */
static struct post board_with_thread(const struct user *admin, const struct user *author, const char *slug,
				     struct thread *t)
{
	struct agora_ctx c = ctx_as(admin, 1000, "10.0.0.1");
	struct board_input bi = {.slug = slug, .title = slug};
	struct board b;
	struct post p;
	ck_assert_int_eq(forum_board_create(&c, &bi, &b), AG_CREATED);
	c.actor = author;
	ck_assert_int_eq(forum_thread_create(&c, slug, "A thread", "first post", t, &p), AG_CREATED);
	return p;
}

/* A banned member reads but may not write; a board they may not see stays 404 to them, so the
 * refusal tells nothing of what is there. */
START_TEST(banned_members_read_but_do_not_write)
{
	struct user admin = make_user("admin1", ROLE_ADMIN), m = make_user("banned1", ROLE_MEMBER);
	struct thread t;
	struct post p;
	board_with_thread(&admin, &admin, "square", &t);
	m.banned_until = 99999;
	struct agora_ctx c = ctx_as(&m, 1000, "10.0.0.1");
	ck_assert_int_eq(forum_thread_create(&c, "nowhere", "T", "b", &t, &p), AG_ENOTFOUND);
	ck_assert_int_eq(forum_thread_create(&c, "square", "T", "b", &t, &p), AG_EFORBIDDEN);
	ck_assert_str_eq(c.error_code, "banned");
	ck_assert_ptr_nonnull(c.error_detail);
}
END_TEST

START_TEST(reports_gather_and_hide_after_three)
{
	struct user admin = make_user("admin9", ROLE_ADMIN), author = make_user("author", ROLE_MEMBER);
	struct user r1 = make_user("rep1", ROLE_MEMBER), r2 = make_user("rep2", ROLE_MEMBER);
	struct user r3 = make_user("rep3", ROLE_MEMBER);
	struct thread t;
	struct post reply, got;
	struct mod_item *items;
	size_t n;
	struct user *reporters[] = {&r1, &r2, &r3};
	for (int i = 0; i < 3; i++) { /* established members: a month old, with posts */
		reporters[i]->created_at = 1100 - 30 * 86400;
		reporters[i]->post_count = 5;
	}
	board_with_thread(&admin, &author, "hall", &t);
	struct agora_ctx c = ctx_as(&author, 1100, "10.0.0.1");
	ck_assert_int_eq(forum_reply(&c, t.id, 0, "a rude reply", &reply), AG_CREATED);
	c.actor = &r1;
	ck_assert_int_eq(mod_report(&c, reply.id, "rude"), AG_CREATED);
	ck_assert_int_eq(mod_report(&c, reply.id, "very rude"), AG_ECONFLICT);
	c.actor = &r2;
	ck_assert_int_eq(mod_report(&c, reply.id, "rude"), AG_CREATED);
	ck_assert_int_eq(access_post(&c, reply.id, &got), AG_OK); /* two reports: still shown */
	c.actor = &r3;
	ck_assert_int_eq(mod_report(&c, reply.id, "rude"), AG_CREATED);
	ck_assert_int_eq(access_post(&c, reply.id, &got), AG_ENOTFOUND); /* hidden from others */
	ck_assert_int_eq(access_thread(&c, t.id, &t), AG_OK);
	ck_assert_int_eq(t.reply_count, 0);
	c.actor = &admin;
	ck_assert_int_eq(mod_queue(&c, (struct page){0, 50}, &items, &n), AG_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(items[0].nreasons, 4); /* three reports and the hiding */
	ck_assert_int_eq(mod_post_action(&c, reply.id, "approve", "fine after all", &got), AG_OK);
	ck_assert_int_eq(got.state, POST_PUBLISHED);
	ck_assert_int_eq(access_thread(&c, t.id, &t), AG_OK);
	ck_assert_int_eq(t.reply_count, 1);
	ck_assert_int_eq(mod_queue(&c, (struct page){0, 50}, &items, &n), AG_OK);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(board_moderators_act_only_on_their_board)
{
	struct user admin = make_user("admin8", ROLE_ADMIN), mod = make_user("boardmod", ROLE_MEMBER);
	struct user author = make_user("writer", ROLE_MEMBER);
	struct thread t1, t2, got;
	struct post p1 = board_with_thread(&admin, &author, "one", &t1), p2 = board_with_thread(&admin, &author, "two", &t2);
	struct agora_ctx c = ctx_as(&admin, 1200, "10.0.0.1");
	struct post out;
	ck_assert_int_eq(forum_board_add_moderator(&c, "one", "boardmod"), AG_CREATED);
	ck_assert_int_eq(store_user_by_name(db, arena, "boardmod", &mod), STORE_OK);
	c.actor = &mod;
	ck_assert_int_eq(mod_thread_action(&c, t1.id, "lock", NULL, "calm down", &got), AG_OK);
	ck_assert(got.locked);
	ck_assert_int_eq(mod_thread_action(&c, t2.id, "lock", NULL, NULL, &got), AG_EFORBIDDEN);
	ck_assert_int_eq(mod_post_action(&c, p2.id, "delete", NULL, &out), AG_EFORBIDDEN);
	ck_assert_int_eq(mod_post_action(&c, p1.id, "delete", NULL, &out), AG_OK);
	ck_assert_int_eq(mod_post_action(&c, p1.id, "restore", NULL, &out), AG_OK);
	ck_assert_int_eq(out.state, POST_PUBLISHED);
	/* moving needs powers on the destination too */
	ck_assert_int_eq(mod_thread_action(&c, t1.id, "move", "two", NULL, &got), AG_EFORBIDDEN);
	struct mod_entry *e;
	size_t n;
	int64_t total;
	ck_assert_int_eq(modlog_list(&c, (struct page){0, 50}, &e, &n, &total), AG_OK);
	ck_assert_int_eq(total, 4); /* appoint, lock, delete, restore */
	ck_assert_str_eq(e[0].action, "restore");
	ck_assert_str_eq(e[2].action, "lock");
	ck_assert_str_eq(e[2].reason, "calm down");
}
END_TEST

START_TEST(moving_a_thread_moves_its_counts)
{
	struct user admin = make_user("admin7", ROLE_ADMIN), author = make_user("mover", ROLE_MEMBER);
	struct thread t, got;
	struct board from, to;
	struct post r;
	board_with_thread(&admin, &author, "src", &t);
	struct agora_ctx c = ctx_as(&author, 1300, "10.0.0.1");
	ck_assert_int_eq(forum_reply(&c, t.id, 0, "reply", &r), AG_CREATED);
	c.actor = &admin;
	struct board_input bi = {.slug = "dst", .title = "dst"};
	ck_assert_int_eq(forum_board_create(&c, &bi, &to), AG_CREATED);
	ck_assert_int_eq(mod_thread_action(&c, t.id, "move", "dst", NULL, &got), AG_OK);
	ck_assert_str_eq(got.board_slug, "dst");
	ck_assert_int_eq(access_board(&c, "src", &from), AG_OK);
	ck_assert_int_eq(access_board(&c, "dst", &to), AG_OK);
	ck_assert_int_eq(from.thread_count, 0);
	ck_assert_int_eq(from.post_count, 0);
	ck_assert_int_eq(to.thread_count, 1);
	ck_assert_int_eq(to.post_count, 2);
}
END_TEST

START_TEST(bans_follow_the_ranks)
{
	struct user admin = make_user("admin6", ROLE_ADMIN), mod = make_user("sitemod", ROLE_MODERATOR);
	struct user other = make_user("othermod", ROLE_MODERATOR), m = make_user("plain", ROLE_MEMBER), u;
	struct agora_ctx c = ctx_as(&m, 2000, "10.0.0.1");
	ck_assert_int_eq(mod_ban(&c, "plain", 1, NULL), AG_EFORBIDDEN);
	c.actor = &mod;
	ck_assert_int_eq(mod_ban(&c, "othermod", 1, NULL), AG_EFORBIDDEN);
	ck_assert_int_eq(mod_ban(&c, "admin6", 1, NULL), AG_EFORBIDDEN);
	ck_assert_int_eq(mod_ban(&c, "plain", -1, NULL), AG_EINVAL);
	ck_assert_int_eq(mod_ban(&c, "plain", 2, "spam"), AG_CREATED);
	ck_assert_int_eq(account_get(&c, "plain", &u), AG_OK);
	ck_assert_int_eq(u.banned_until, 2000 + 2 * 86400);
	ck_assert_int_eq(mod_ban(&c, "plain", 0, "again"), AG_CREATED);
	ck_assert_int_eq(account_get(&c, "plain", &u), AG_OK);
	ck_assert_int_eq(u.banned_until, INT64_MAX);
	ck_assert_int_eq(mod_unban(&c, "plain"), AG_OK);
	ck_assert_int_eq(account_get(&c, "plain", &u), AG_OK);
	ck_assert_int_eq(u.banned_until, 0);
	c.actor = &admin;
	ck_assert_int_eq(mod_ban(&c, "othermod", 3, NULL), AG_CREATED);
	(void)other;
}
END_TEST

static const struct unit_tcase domain_cases[] = {
	{.name = "rules", .tests = UNIT_TESTS(&register_validates_and_refuses_duplicates,
					  &registration_modes, &registrations_limited_per_address,
					  &login_slows_the_address_that_guessed_an_account, &login_reserves_before_hashing,
					  &login_hard_cap_per_address,
					  &unknown_names_are_verified_against_a_dummy_hash,
					  &sessions_end_on_logout_and_expiry,
					  &password_change_ends_other_sessions,
					  &profiles_and_roles_are_guarded, &forum_permissions,
					  &banned_members_read_but_do_not_write,
					  &reports_gather_and_hide_after_three,
					  &board_moderators_act_only_on_their_board,
					  &moving_a_thread_moves_its_counts, &bans_follow_the_ranks),
	 .setup = unit_store_setup, .teardown = unit_store_teardown, .timeout = 60},
};

UNIT_SUITE(domain, domain_cases)

const struct unit_tests unit_tests = {.setup = auth_init, .suites = {domain_suite}};
