/* Unit tests of the digest's content (domain/digest.c) on a real store: small sites built
 * through the domain, then what one member's e-mail would list for a week. */
#include <stdint.h>
#include <string.h>

#include "check_main.h"
#include "unit_store.h"
#include "accounts.h"
#include "answers.h"
#include "associations.h"
#include "auth.h"
#include "digest.h"
#include "follow.h"
#include "forum.h"
#include "materials.h"
#include "moderation.h"
#include "store_user.h"
#include "trainings.h"

/* The site is built before the week (T0); the digest covers (SINCE, NOW]. */
enum { T0 = 1700000000, SINCE = T0 + 86400, NOW = SINCE + 7 * 86400 };

static struct agora_ctx at(const struct user *actor, int64_t now)
{
	return (struct agora_ctx){.db = db, .arena = arena, .actor = actor, .now = now, .client_addr = "10.0.0.1"};
}

/* A member with a region, position and industry (slugs, NULL for none). */
static struct user person(const char *name, const char *region, const char *position, const char *industry,
			  enum role role)
{
	struct agora_ctx c = at(NULL, T0);
	struct account_input in = {.username = name, .password = "long enough pw", .region = region,
				   .position = position, .industry = industry};
	struct user u;
	ck_assert_int_eq(account_register_begin(&c, &in, &u), AG_OK);
	ck_assert_int_eq(account_register_finish(&c, &in, &u, auth_dummy_hash()), AG_CREATED);
	ck_assert_int_eq(store_user_set_role(db, u.id, role), STORE_OK);
	ck_assert_int_eq(store_user_by_name(db, arena, name, &u), STORE_OK);
	return u;
}

static void board(const struct user *admin, const char *slug, const char *industry, const char *position,
		  const char *association)
{
	struct agora_ctx c = at(admin, T0);
	struct board_input in = {.slug = slug, .title = slug, .industry = industry, .position = position,
				 .association = association};
	struct board b;
	ck_assert_int_eq(forum_board_create(&c, &in, &b), AG_CREATED);
}

static int64_t thread(const struct user *u, int64_t when, const char *board_slug, const char *title)
{
	struct agora_ctx c = at(u, when);
	struct thread t;
	struct post p;
	ck_assert_int_eq(forum_thread_create(&c, board_slug, title, "a first post", &t, &p), AG_CREATED);
	return t.id;
}

static int64_t reply(const struct user *u, int64_t when, int64_t thread_id)
{
	struct agora_ctx c = at(u, when);
	struct post p;
	ck_assert_int_eq(forum_reply(&c, thread_id, 0, "a reply", &p), AG_CREATED);
	return p.id;
}

static void association(const struct user *founder, const char *slug, const char *visibility)
{
	struct agora_ctx c = at(founder, T0);
	struct assoc_input in = {.slug = slug, .name = "Club of township heads", .join_policy = "open",
				 .visibility = visibility};
	struct association x;
	ck_assert_int_eq(assoc_create(&c, &in, &x), AG_CREATED);
}

static void join(const struct user *u, const char *slug)
{
	struct agora_ctx c = at(u, T0);
	ck_assert_int_eq(assoc_join(&c, slug), AG_CREATED);
}

/* A training of the organiser, made at `when`, for the regions named (NULL: everyone). */
static void training(const struct user *organiser, int64_t when, const char *slug, const char *enrolment,
		     const char *region, int64_t capacity)
{
	struct agora_ctx c = at(organiser, when);
	const char *const regions[] = {region};
	struct training_input in = {.slug = slug, .title = slug, .starts_on = "2023-12-01", .ends_on = "2023-12-31",
				    .enrolment = enrolment, .hours = 8, .has_hours = 1, .capacity = capacity,
				    .has_capacity = capacity > 0, .has_audience = region != NULL};
	in.audience[TERM_REGION] = regions;
	in.naudience[TERM_REGION] = region != NULL;
	struct training x;
	ck_assert_int_eq(training_create(&c, &in, &x), AG_CREATED);
}

static void enrol(const struct user *u, const char *slug)
{
	struct agora_ctx c = at(u, T0);
	ck_assert_int_eq(training_enrol(&c, slug), AG_CREATED);
}

static int64_t material(const struct user *lecturer, int64_t when, const char *board_slug, const char *assoc,
			const char *title)
{
	struct agora_ctx c = at(lecturer, when);
	struct material_input in = {.title = title, .board = board_slug, .association = assoc};
	struct upload up = {.sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			    .filename = "slides.pdf", .content_type = "application/pdf", .size = 10,
			    .head = (const unsigned char *)"%PDF-1.7\n", .head_len = 9}; /* a kind we take */
	struct material m;
	ck_assert_int_eq(material_create(&c, &in, &up, &m), AG_CREATED);
	return m.id;
}

/* What u's digest lists for (since, now], at most DIGEST_ITEMS_MAX. */
static size_t digest(const struct user *u, int64_t since, int64_t now, struct digest_item **items)
{
	struct agora_ctx c = at(u, now);
	size_t n = 99;
	ck_assert_int_eq(digest_collect(&c, since, DIGEST_ITEMS_MAX, items, &n), AG_OK);
	return n;
}

START_TEST(a_member_with_nothing_new_gets_nothing)
{
	struct user admin = person("admin", NULL, NULL, NULL, ROLE_ADMIN);
	struct user alice = person("alice", "henan", "township-head", "agriculture", ROLE_MEMBER);
	struct user bob = person("bob", "beijing", "county-head", "education", ROLE_MEMBER);
	struct digest_item *d;
	board(&admin, "farm", "agriculture", NULL, NULL);
	int64_t old = thread(&bob, T0, "farm", "Last month's harvest");
	ck_assert_uint_eq(digest(&alice, SINCE, NOW, &d), 0); /* only talk from before the week */
	thread(&alice, SINCE + 10, "farm", "My own question");
	reply(&alice, SINCE + 20, old);
	ck_assert_uint_eq(digest(&alice, SINCE, NOW, &d), 0); /* what she wrote is not news to her */
	ck_assert_uint_eq(digest(&bob, SINCE, NOW, &d), 1);   /* but her reply is to bob, who started it */
	ck_assert_str_eq(d[0].why, "followed_thread");
	ck_assert_int_eq(d[0].id, old);
	struct agora_ctx visitor = at(NULL, NOW);
	size_t n = 5;
	ck_assert_int_eq(digest_collect(&visitor, SINCE, DIGEST_ITEMS_MAX, &d, &n), AG_EUNAUTH);
	ck_assert_uint_eq(n, 0);
}
END_TEST

/* A site where 20 things of every kind concern mei (the ids of those a test names). */
struct busy_site {
	struct user mei;
	int64_t f1, f2, a1, a2, tr, fb, pos[4], ind[4];
};

static void busy_boards(const struct user *admin)
{
	board(admin, "general", NULL, NULL, NULL);
	board(admin, "heads", NULL, "township-head", NULL);
	board(admin, "farming", "agriculture", NULL, NULL);
	board(admin, "weather", NULL, NULL, NULL);
	association(admin, "club", "members");
	board(admin, "club-room", NULL, NULL, "club");
	training(admin, T0, "course", "open", NULL, 0);
}

static struct busy_site busy_site(void)
{
	struct user admin = person("admin", NULL, NULL, NULL, ROLE_ADMIN);
	struct busy_site b = {.mei = person("mei", "hebei", "township-head", "agriculture", ROLE_MEMBER)};
	struct user o = person("ouyang", "beijing", "county-head", "education", ROLE_MEMBER);
	struct user r = person("ren", "henan", "county-head", "education", ROLE_MEMBER);
	busy_boards(&admin);
	join(&b.mei, "club"), join(&o, "club");
	enrol(&b.mei, "course"), enrol(&o, "course");
	struct agora_ctx mc = at(&b.mei, T0);
	ck_assert_int_eq(follow_board(&mc, "weather", 1), AG_OK);
	b.f1 = thread(&b.mei, T0, "general", "mei's first"), b.f2 = thread(&b.mei, T0, "general", "mei's second");
	int64_t t = SINCE + 100;
	for (int i = 0; i < 3; i++)
		reply(&o, t++, b.f2);
	reply(&o, t++, b.f1); /* the newer, but with fewer new posts */
	b.a1 = thread(&o, t++, "club-room", "club one"), b.a2 = thread(&o, t++, "club-room", "club two");
	b.tr = thread(&o, t++, "training-course", "homework");
	b.fb = thread(&o, t++, "weather", "storm coming");
	for (int i = 0; i < 4; i++)
		b.pos[i] = thread(&o, t++, "heads", "for heads");
	for (int i = 0; i < 4; i++)
		b.ind[i] = thread(&o, t++, "farming", "for farmers");
	for (int i = 0; i < 4; i++)
		thread(&r, t++, "general", "from henan");
	training(&admin, t++, "spring-school", "open", "henan", 0);
	material(&admin, t++, "general", NULL, "handbook");
	return b;
}

START_TEST(twenty_candidates_give_the_ten_strongest_in_order)
{
	struct busy_site b = busy_site();
	struct digest_item *d;
	size_t n = digest(&b.mei, SINCE, NOW, &d);
	ck_assert_uint_eq(n, DIGEST_ITEMS_MAX);
	const char *why[] = {"followed_thread", "followed_thread", "association", "association", "training",
			     "followed_board", "position", "position", "position", "position"};
	int64_t ids[] = {b.f2, b.f1, b.a2, b.a1, b.tr, b.fb, b.pos[3], b.pos[2], b.pos[1], b.pos[0]};
	for (size_t i = 0; i < n; i++) {
		ck_assert_msg(!strcmp(d[i].why, why[i]), "item %zu: %s, not %s", i, d[i].why, why[i]);
		ck_assert_int_eq(d[i].id, ids[i]);
		ck_assert_str_eq(d[i].kind, "thread");
	}
	ck_assert_int_eq(d[0].new_posts, 3); /* more new posts first among equals */
	ck_assert_int_eq(d[1].new_posts, 1);
	ck_assert_str_eq(d[0].path, arena_printf(arena, "/t/%lld", (long long)b.f2));
	ck_assert_str_eq(d[2].where, "Club of township heads");
	ck_assert_str_eq(d[5].where, "weather");
	ck_assert_int_gt(d[6].at, d[7].at); /* then the newest */
	/* asked for fewer, the strongest few */
	struct agora_ctx c = at(&b.mei, NOW);
	ck_assert_int_eq(digest_collect(&c, SINCE, 3, &d, &n), AG_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(d[2].why, "association");
}
END_TEST

/* With fewer ties, what comes after: industry, region, the open training, the material. */
START_TEST(weaker_ties_fill_a_quieter_digest)
{
	struct busy_site b = busy_site();
	struct user q = person("qin", "henan", NULL, "agriculture", ROLE_MEMBER);
	struct digest_item *d;
	ck_assert_uint_eq(digest(&q, SINCE, NOW, &d), DIGEST_ITEMS_MAX);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_str_eq(d[i].why, "industry");
		ck_assert_int_eq(d[i].id, b.ind[3 - i]);
	}
	for (size_t i = 4; i < 8; i++)
		ck_assert_str_eq(d[i].why, "region");
	ck_assert_str_eq(d[8].why, "training_open");
	ck_assert_str_eq(d[8].path, "/trainings/spring-school");
	ck_assert_str_eq(d[9].why, "material");
	ck_assert_str_eq(d[9].kind, "material");
}
END_TEST

START_TEST(members_only_boards_reach_members_only)
{
	struct user admin = person("admin", NULL, NULL, NULL, ROLE_ADMIN);
	struct user in = person("insider", "henan", NULL, "agriculture", ROLE_MEMBER);
	struct user out = person("outsider", "henan", NULL, "agriculture", ROLE_MEMBER);
	struct user w = person("writer", "beijing", NULL, NULL, ROLE_MEMBER);
	struct digest_item *d;
	association(&admin, "club", "members");
	association(&admin, "open-club", "public");
	board(&admin, "club-farm", "agriculture", NULL, "club");
	board(&admin, "open-farm", "agriculture", NULL, "open-club");
	join(&in, "club"), join(&w, "club");
	int64_t old = thread(&in, T0, "club-farm", "insider's old thread");
	int64_t secret = thread(&w, SINCE + 10, "club-farm", "members only");
	reply(&w, SINCE + 20, old);
	int64_t open = thread(&w, SINCE + 30, "open-farm", "for everyone");
	ck_assert_uint_eq(digest(&in, SINCE, NOW, &d), 3);
	ck_assert_str_eq(d[0].why, "followed_thread");
	ck_assert_int_eq(d[0].id, old);
	ck_assert_str_eq(d[1].why, "association");
	ck_assert_int_eq(d[1].id, secret);
	ck_assert_str_eq(d[2].why, "industry"); /* a public association they did not join */
	ck_assert_int_eq(d[2].id, open);
	/* the outsider shares the board's industry and region, and still never sees it */
	ck_assert_uint_eq(digest(&out, SINCE, NOW, &d), 1);
	ck_assert_int_eq(d[0].id, open);
	/* once the insider leaves, the club's threads stop, even the one they followed */
	struct agora_ctx c = at(&in, SINCE + 40);
	ck_assert_int_eq(assoc_leave(&c, "club"), AG_OK);
	ck_assert_uint_eq(digest(&in, SINCE, NOW, &d), 1);
	ck_assert_int_eq(d[0].id, open);
}
END_TEST

START_TEST(held_rejected_deleted_and_own_posts_do_not_count)
{
	struct user admin = person("admin", NULL, NULL, NULL, ROLE_ADMIN);
	struct user m = person("mei", NULL, NULL, NULL, ROLE_MEMBER);
	struct user o = person("ouyang", NULL, NULL, NULL, ROLE_MEMBER);
	struct user r1 = person("rep1", NULL, NULL, NULL, ROLE_MEMBER), r2 = person("rep2", NULL, NULL, NULL, ROLE_MEMBER),
		    r3 = person("rep3", NULL, NULL, NULL, ROLE_MEMBER);
	struct digest_item *d;
	struct post p;
	board(&admin, "hall", NULL, NULL, NULL);
	int64_t t = thread(&m, T0, "hall", "m's thread");
	reply(&m, SINCE + 10, t);
	int64_t held = reply(&o, SINCE + 20, t);
	struct user *reporters[] = {&r1, &r2, &r3};
	for (int i = 0; i < 3; i++) { /* three established members' reports hide it until a moderator looks */
		reporters[i]->created_at = SINCE - 30 * 86400;
		reporters[i]->post_count = 5;
		struct agora_ctx c = at(reporters[i], SINCE + 30);
		ck_assert_int_eq(mod_report(&c, held, "rude"), AG_CREATED);
	}
	int64_t rejected = reply(&o, SINCE + 40, t), deleted = reply(&o, SINCE + 50, t);
	struct agora_ctx c = at(&admin, SINCE + 60);
	ck_assert_int_eq(mod_post_action(&c, rejected, "reject", "off topic", &p), AG_OK);
	c = at(&o, SINCE + 70);
	ck_assert_int_eq(forum_post_delete(&c, deleted), AG_OK);
	ck_assert_uint_eq(digest(&m, SINCE, NOW, &d), 0);
	reply(&o, SINCE + 80, t);
	ck_assert_uint_eq(digest(&m, SINCE, NOW, &d), 1);
	ck_assert_int_eq(d[0].new_posts, 1);
	ck_assert_int_eq(d[0].at, SINCE + 80);
}
END_TEST

START_TEST(since_is_exclusive_and_now_bounds_the_period)
{
	struct user admin = person("admin", NULL, NULL, NULL, ROLE_ADMIN);
	struct user m = person("mei", NULL, NULL, NULL, ROLE_MEMBER);
	struct user o = person("ouyang", NULL, NULL, NULL, ROLE_MEMBER);
	struct digest_item *d;
	board(&admin, "hall", NULL, NULL, NULL);
	int64_t t = thread(&m, T0, "hall", "m's thread");
	reply(&o, SINCE, t); /* the last digest already told of it */
	ck_assert_uint_eq(digest(&m, SINCE, NOW, &d), 0);
	reply(&o, SINCE + 1, t);
	reply(&o, NOW + 1, t); /* for the next digest */
	ck_assert_uint_eq(digest(&m, SINCE, NOW, &d), 1);
	ck_assert_int_eq(d[0].new_posts, 1);
	ck_assert_int_eq(d[0].at, SINCE + 1);
	ck_assert_uint_eq(digest(&m, SINCE + 1, NOW, &d), 0);
	ck_assert_uint_eq(digest(&m, NOW, NOW + 1, &d), 1);
	ck_assert_int_eq(d[0].at, NOW + 1);
	ck_assert_uint_eq(digest(&m, NOW, NOW, &d), 0);
}
END_TEST

START_TEST(new_materials_and_trainings_open_to_the_member)
{
	struct user admin = person("admin", NULL, NULL, NULL, ROLE_ADMIN);
	struct user lect = person("lect", NULL, NULL, NULL, ROLE_LECTURER);
	struct user m = person("mei", "henan", NULL, NULL, ROLE_MEMBER);
	struct user x = person("xiao", "henan", NULL, NULL, ROLE_MEMBER);
	struct digest_item *d;
	board(&admin, "library", NULL, NULL, NULL);
	association(&lect, "club", "members");
	material(&lect, T0, "library", NULL, "old slides");
	int64_t fresh = material(&lect, SINCE + 10, "library", NULL, "new slides");
	material(&lect, SINCE + 20, NULL, "club", "for the club only");
	training(&admin, T0, "before", "open", "henan", 0);
	training(&admin, SINCE + 30, "for-henan", "approval", "henan", 0);
	training(&admin, SINCE + 40, "for-beijing", "open", "beijing", 0);
	training(&admin, SINCE + 50, "assigned", "assigned", "henan", 0);
	training(&admin, SINCE + 60, "one-place", "open", "henan", 1);
	struct agora_ctx c = at(&x, SINCE + 70);
	ck_assert_int_eq(training_enrol(&c, "one-place"), AG_CREATED); /* now full */
	ck_assert_uint_eq(digest(&m, SINCE, NOW, &d), 2);
	ck_assert_str_eq(d[0].kind, "training");
	ck_assert_str_eq(d[0].why, "training_open");
	ck_assert_str_eq(d[0].path, "/trainings/for-henan");
	ck_assert_str_eq(d[0].title, "for-henan");
	ck_assert_int_eq(d[0].at, SINCE + 30);
	ck_assert_str_eq(d[1].kind, "material");
	ck_assert_int_eq(d[1].id, fresh);
	ck_assert_str_eq(d[1].path, arena_printf(arena, "/materials/%lld", (long long)fresh));
	ck_assert_str_eq(d[1].where, "library");
	ck_assert_int_eq(d[1].new_posts, 0);
	/* once asked for, a training is no longer offered; one's own material is no news */
	c = at(&m, SINCE + 80);
	ck_assert_int_eq(training_enrol(&c, "for-henan"), AG_PENDING);
	ck_assert_uint_eq(digest(&m, SINCE, NOW, &d), 1);
	ck_assert_str_eq(d[0].why, "material");
	ck_assert_uint_eq(digest(&lect, SINCE, NOW, &d), 0);
}
END_TEST

/* A thread moderators featured in the week leads every digest, even with no new post; within
 * a tie, the thread with helpful marks rises above a newer one. */
START_TEST(featured_threads_lead_and_helpful_marks_rank)
{
	struct user admin = person("admin", NULL, NULL, NULL, ROLE_ADMIN);
	struct user mei = person("mei", "hebei", "township-head", NULL, ROLE_MEMBER);
	struct user o = person("ouyang", "beijing", "county-head", NULL, ROLE_MEMBER);
	board(&admin, "heads", NULL, "township-head", NULL);
	board(&admin, "plain", NULL, NULL, NULL);
	int64_t best = thread(&o, T0, "plain", "how we did it");
	int64_t older = thread(&o, SINCE + 10, "heads", "older"), newer = thread(&o, SINCE + 20, "heads", "newer");
	int64_t answer = reply(&o, SINCE + 30, older);
	reply(&o, SINCE + 31, newer), reply(&o, SINCE + 32, newer); /* more new posts, and newer */
	struct agora_ctx c = at(&admin, SINCE + 40);
	struct thread t;
	ck_assert_int_eq(mod_thread_action(&c, best, "feature", NULL, NULL, &t), AG_OK);
	ck_assert_int_eq(answers_helpful(&c, answer, 1), AG_OK);
	struct digest_item *d;
	ck_assert_uint_eq(digest(&mei, SINCE, NOW, &d), 3);
	ck_assert_str_eq(d[0].why, "featured");
	ck_assert_int_eq(d[0].id, best);
	ck_assert_int_eq(d[1].id, older); /* marked helpful, though quieter and older */
	ck_assert_int_eq(d[2].id, newer);
	/* featured before the period: no longer news */
	ck_assert_uint_eq(digest(&mei, SINCE + 50, NOW, &d), 0);
}
END_TEST

static const struct unit_tcase digest_cases[] = {
	{.name = "content", .tests = UNIT_TESTS(&a_member_with_nothing_new_gets_nothing,
					    &twenty_candidates_give_the_ten_strongest_in_order,
					    &weaker_ties_fill_a_quieter_digest,
					    &members_only_boards_reach_members_only,
					    &held_rejected_deleted_and_own_posts_do_not_count,
					    &since_is_exclusive_and_now_bounds_the_period,
					    &new_materials_and_trainings_open_to_the_member,
					    &featured_threads_lead_and_helpful_marks_rank),
	 .setup = unit_store_setup, .teardown = unit_store_teardown, .timeout = 60},
};

UNIT_SUITE(digest, digest_cases)

const struct unit_tests unit_tests = {.setup = auth_init, .suites = {digest_suite}};
