"""Boards, threads and posts (API.md "Boards, threads, posts"): creation and its refusals,
input validation, the reply tree, paging, region filter, edits with revisions, board
moderators, soft deletion and safe rendering."""

import json
import re
import time
import unittest

from agora_harness import (BOARD_KEYS, POST_KEYS, RFC3339, THREAD_KEYS, USER_KEYS, BoardCase, make_board,
                           make_thread, reply, unique)


class ForumCase(BoardCase):
    """A server with an admin, a board, and two members from different regions."""

    admin_name, board_title = "forumadmin", "General"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls.server.member("alice", display_name="Alice 张", region="henan")
        cls.bob = cls.server.member("bob", display_name="Bob 王", region="guangdong")

    def new_thread(self, client=None, board=None, title="A thread", body="The first post."):
        return make_thread(client or self.alice, board or self.board["slug"], title, body)

    def thread_posts(self, thread_id, query=""):
        r = self.assertStatus(self.anon().get(f"threads/{thread_id}{query}"), 200)
        return r.data["posts"]


class Boards(ForumCase):
    def test_admin_creates_a_board(self):
        slug = unique("b-")
        r = self.admin.post("boards", {"slug": slug, "title": "乡镇治理", "description": "基层治理交流",
                                       "industry": "agriculture", "position": "township-secretary"})
        self.assertStatus(r, 201)
        b = r.data["board"]
        self.assertTrue(BOARD_KEYS <= set(b), f"missing: {BOARD_KEYS - set(b)}")
        self.assertEqual((b["slug"], b["title"], b["description"]), (slug, "乡镇治理", "基层治理交流"))
        self.assertEqual((b["industry"], b["position"]), ("agriculture", "township-secretary"))
        self.assertEqual((b["thread_count"], b["post_count"]), (0, 0))
        self.assertIsNone(b["association"])
        r = self.assertStatus(self.anon().get(f"boards/{slug}"), 200)
        self.assertEqual(r.data["board"]["title"], "乡镇治理")
        self.assertEqual(r.data["threads"], [])
        self.assertIn(slug, [x["slug"] for x in self.anon().get("boards").data["boards"]])

    def test_member_403(self):
        self.assertError(self.alice.post("boards", {"slug": unique("b-"), "title": "Mine"}), 403,
                         "admin_only")

    def test_anonymous_401(self):
        self.assertError(self.anon().post("boards", {"slug": unique("b-"), "title": "Mine"}), 401,
                         "not_signed_in")

    def test_duplicate_slug_409(self):
        slug = unique("b-")
        make_board(self.admin, slug)
        self.assertError(self.admin.post("boards", {"slug": slug, "title": "Again"}), 409)

    def test_bad_slugs_400(self):
        for slug in ("", "Upper", "has space", "under_score", "x" * 65, "点"):
            with self.subTest(slug=slug):
                self.assertError(self.admin.post("boards", {"slug": slug, "title": "T"}), 400,
                                 "invalid_slug")

    def test_bad_board_fields_400(self):
        self.assertError(self.admin.post("boards", {"slug": unique("b-"), "title": "  "}), 400)
        self.assertError(self.admin.post("boards", {"slug": unique("b-"), "title": "T",
                                                    "industry": "piracy"}), 400, "unknown_industry")
        self.assertError(self.admin.post("boards", {"slug": unique("b-"), "title": 7}), 400,
                         "wrong_type")

    def test_filter_by_industry_and_position(self):
        agri = make_board(self.admin, industry="agriculture")
        edu = make_board(self.admin, industry="education", position="school-principal")
        grid = make_board(self.admin, position="grid-worker")

        def slugs(query):
            r = self.assertStatus(self.anon().get(f"boards{query}"), 200)
            return {b["slug"] for b in r.data["boards"]}

        self.assertIn(agri["slug"], slugs("?industry=agriculture"))
        self.assertNotIn(edu["slug"], slugs("?industry=agriculture"))
        self.assertNotIn(grid["slug"], slugs("?industry=agriculture"))
        self.assertEqual(slugs("?position=grid-worker"), {grid["slug"]})
        self.assertEqual(slugs("?industry=education&position=school-principal"), {edu["slug"]})
        self.assertEqual(slugs("?industry=education&position=grid-worker"), set())
        self.assertTrue({agri["slug"], edu["slug"], grid["slug"], self.board["slug"]} <= slugs(""))

    def test_unknown_board_404(self):
        self.assertError(self.anon().get("boards/no-such-board"), 404, "board_not_found")
        self.assertError(self.alice.post("boards/no-such-board/threads", {"title": "t", "body": "b"}),
                         404, "board_not_found")

    def test_counters(self):
        b = make_board(self.admin)
        t, p = self.new_thread(board=b["slug"])
        reply(self.bob, t["id"])
        got = self.anon().get(f"boards/{b['slug']}").data["board"]
        self.assertEqual((got["thread_count"], got["post_count"]), (1, 2))
        self.assertRegex(got["last_post_at"], RFC3339)


class NewThreads(ForumCase):
    def create(self, body, client=None, **kw):
        return (client or self.alice).post(f"boards/{self.board['slug']}/threads", body, **kw)

    def test_created_thread_and_post(self):
        r = self.assertStatus(self.create({"title": "春耕 spring", "body": "Hello **world**"}), 201)
        t, p = r.data["thread"], r.data["post"]
        self.assertTrue(THREAD_KEYS <= set(t), f"missing: {THREAD_KEYS - set(t)}")
        self.assertTrue(POST_KEYS <= set(p), f"missing: {POST_KEYS - set(p)}")
        self.assertIsInstance(t["id"], int)
        self.assertEqual((t["board"], t["title"]), (self.board["slug"], "春耕 spring"))
        self.assertEqual(t["author"]["username"], "alice")
        self.assertTrue(USER_KEYS <= set(t["author"]))
        self.assertEqual((t["pinned"], t["locked"], t["reply_count"]), (False, False, 0))
        self.assertRegex(t["created_at"], RFC3339)
        self.assertEqual((p["thread_id"], p["depth"], p["state"]), (t["id"], 0, "published"))
        self.assertIsNone(p["parent_id"])
        self.assertIsNone(p["edited_at"])
        self.assertIn("<strong>world</strong>", p["body_html"])
        self.assertEqual(p["author"]["region"], "henan")
        listed = self.anon().get(f"boards/{self.board['slug']}").data["threads"]
        self.assertIn(t["id"], [x["id"] for x in listed])

    def test_anonymous_401(self):
        self.assertError(self.create({"title": "t", "body": "b"}, client=self.anon()), 401,
                         "not_signed_in")

    def test_title_must_have_text(self):
        for title in ("", "   ", "\t"):
            with self.subTest(title=title):
                self.assertError(self.create({"title": title, "body": "body"}), 400, "invalid_title")
        self.assertError(self.create({"body": "no title"}), 400, "invalid_title")
        self.assertError(self.create({"title": "two\nlines", "body": "b"}), 400, "invalid_title")

    def test_title_length_limit(self):
        self.assertStatus(self.create({"title": "x" * 200, "body": "b"}), 201)
        self.assertStatus(self.create({"title": "长" * 200, "body": "b"}), 201,
                          msg="200 characters, not bytes")
        r = self.create({"title": "x" * 201, "body": "b"})
        self.assertError(r, (400, 413), "title_too_long")

    def test_body_required(self):
        self.assertError(self.create({"title": "t"}), 400, "empty_body")
        self.assertError(self.create({"title": "t", "body": " \n\t "}), 400, "empty_body")

    def test_body_size_limit(self):
        self.assertStatus(self.create({"title": "max", "body": "a" * 65536}), 201)
        self.assertError(self.create({"title": "too big", "body": "a" * 65537}), 413, "body_too_large")

    def test_invalid_utf8_400(self):
        for bad in (b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80", b"abc\x80"):
            with self.subTest(bytes=bad):
                raw = b'{"title":"utf8","body":"' + bad + b'"}'
                r = self.create(raw, content_type="application/json")
                self.assertError(r, 400, "invalid_utf8")

    def test_malformed_json_400(self):
        for raw in ('{"title": "t", "body": ', "not json", "[1, 2]", '"just a string"',
                    '{"title": "t", "title": "u", "body": "b"}'):
            with self.subTest(raw=raw):
                self.assertError(self.create(raw, content_type="application/json"), 400, "invalid_json")

    def test_wrong_types_400(self):
        for body in ({"title": 5, "body": "b"}, {"title": "t", "body": ["b"]},
                     {"title": True, "body": "b"}, {"title": "t", "body": {"x": 1}}):
            with self.subTest(body=body):
                self.assertError(self.create(body), 400, "wrong_type")

    def test_control_characters_refused(self):
        self.assertError(self.create({"title": "bell", "body": "ring \u0007 ring"}), 400, "invalid_text")
        self.assertError(self.create({"title": "esc \u001b[31m", "body": "b"}), 400, "invalid_title")
        r = self.create('{"title": "nul", "body": "a\\u0000b"}', content_type="application/json")
        self.assertStatus(r, 400)
        self.assertStatus(self.create({"title": "tabs and newlines", "body": "a\tb\r\nc\n"}), 201)

    def test_wrong_content_type_415(self):
        body = json.dumps({"title": "t", "body": "b"})
        for ctype in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx"):
            with self.subTest(content_type=ctype):
                self.assertError(self.create(body, content_type=ctype), 415, "unsupported_media_type")

    def test_json_body_over_1_mib_413(self):
        body = {"title": "huge", "body": "a" * (1024 * 1024 + 100)}
        self.assertError(self.create(body), 413, "body_too_large")

    def test_nothing_stored_after_refusals(self):
        b = make_board(self.admin)
        self.alice.post(f"boards/{b['slug']}/threads", {"title": "", "body": "b"})
        self.alice.post(f"boards/{b['slug']}/threads", {"title": "t", "body": "a" * 70000})
        got = self.anon().get(f"boards/{b['slug']}").data
        self.assertEqual((got["total"], got["board"]["thread_count"]), (0, 0))


class ReplyTree(ForumCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # R ─┬─ A ─┬─ A1 ── A1a
        #    │     └─ A2
        #    └─ B ─── B1
        t, root = make_thread(cls.alice, cls.board["slug"], "Tree", "root")
        cls.thread, p = t, {"R": root}
        p["A"] = reply(cls.bob, t["id"], "A")  # no parent: under the first post
        p["B"] = reply(cls.alice, t["id"], "B", root["id"])
        p["A1"] = reply(cls.alice, t["id"], "A1", p["A"]["id"])
        p["A1a"] = reply(cls.bob, t["id"], "A1a", p["A1"]["id"])
        p["B1"] = reply(cls.bob, t["id"], "B1", p["B"]["id"])
        p["A2"] = reply(cls.admin, t["id"], "A2", p["A"]["id"])
        cls.p = p
        cls.name_of = {v["id"]: k for k, v in p.items()}

    def names(self, posts):
        return [self.name_of[x["id"]] for x in posts]

    def test_reply_without_parent_goes_under_the_first_post(self):
        a = self.p["A"]
        self.assertEqual((a["parent_id"], a["depth"]), (self.p["R"]["id"], 1))
        self.assertTrue(POST_KEYS <= set(a))

    def test_tree_order_and_depth(self):
        r = self.assertStatus(self.anon().get(f"threads/{self.thread['id']}"), 200)
        self.assertTrue(THREAD_KEYS <= set(r.data["thread"]))
        posts = r.data["posts"]
        self.assertEqual(self.names(posts), ["R", "A", "A1", "A1a", "A2", "B", "B1"])
        self.assertEqual([x["depth"] for x in posts], [0, 1, 2, 3, 2, 1, 2])
        parents = {self.name_of[x["id"]]: self.name_of.get(x["parent_id"]) for x in posts}
        self.assertEqual(parents, {"R": None, "A": "R", "A1": "A", "A1a": "A1", "A2": "A",
                                   "B": "R", "B1": "B"})
        self.assertEqual(r.data["thread"]["reply_count"], 6)

    def test_flat_view_is_by_time(self):
        posts = self.thread_posts(self.thread["id"], "?view=flat")
        self.assertEqual(self.names(posts), ["R", "A", "B", "A1", "A1a", "B1", "A2"])

    def test_paging_of_posts(self):
        r = self.anon().get(f"threads/{self.thread['id']}?per_page=3&page=2").data
        self.assertEqual((r["page"], r["pages"], r["total"]), (2, 3, 7))
        self.assertEqual(self.names(r["posts"]), ["A1a", "A2", "B"])
        r = self.anon().get(f"threads/{self.thread['id']}?per_page=3&page=3").data
        self.assertEqual(self.names(r["posts"]), ["B1"])

    def test_get_post(self):
        r = self.assertStatus(self.anon().get(f"posts/{self.p['A1a']['id']}"), 200)
        post = r.data["post"]
        self.assertEqual((post["depth"], post["parent_id"]), (3, self.p["A1"]["id"]))
        self.assertEqual(post["author"]["username"], "bob")
        self.assertIn("A1a", post["body_html"])

    def test_parent_from_another_thread_400(self):
        other, other_root = self.new_thread(title="Other")
        r = self.alice.post(f"threads/{self.thread['id']}/posts",
                            {"body": "wrong place", "parent_id": other_root["id"]})
        self.assertError(r, 400, "invalid_parent")
        for bad in (987654321, -1, 0):
            with self.subTest(parent_id=bad):
                r = self.alice.post(f"threads/{self.thread['id']}/posts", {"body": "x", "parent_id": bad})
                self.assertError(r, 400, "invalid_parent")
        self.assertError(self.alice.post(f"threads/{self.thread['id']}/posts",
                                         {"body": "x", "parent_id": "12"}), 400, "wrong_type")
        self.assertEqual(len(self.thread_posts(other["id"])), 1)

    def test_reply_refusals(self):
        tid = self.thread["id"]
        self.assertError(self.anon().post(f"threads/{tid}/posts", {"body": "x"}), 401, "not_signed_in")
        self.assertError(self.alice.post(f"threads/{tid}/posts", {"body": "   "}), 400, "empty_body")
        self.assertError(self.alice.post(f"threads/{tid}/posts", {"body": "a" * 65537}), 413,
                         "body_too_large")
        self.assertError(self.alice.post("threads/987654321/posts", {"body": "x"}), 404,
                         "thread_not_found")

    def test_missing_things_404(self):
        self.assertError(self.anon().get("threads/987654321"), 404, "thread_not_found")
        self.assertError(self.anon().get("threads/abc"), 404)
        self.assertError(self.anon().get("posts/987654321"), 404, "post_not_found")
        self.assertError(self.anon().get("posts/987654321/revisions"), 404, "post_not_found")
        self.assertError(self.alice.patch("posts/987654321", {"body": "x"}), 404, "post_not_found")
        self.assertError(self.alice.delete("posts/987654321"), 404, "post_not_found")


class BoardListing(ForumCase):
    def test_paging_and_last_activity_order(self):
        b = make_board(self.admin)
        ids = [self.new_thread(board=b["slug"], title=f"T{i}")[0]["id"] for i in range(5)]
        r = self.assertStatus(self.anon().get(f"boards/{b['slug']}?per_page=2"), 200).data
        self.assertEqual((r["page"], r["pages"], r["total"]), (1, 3, 5))
        self.assertEqual(len(r["threads"]), 2)
        r3 = self.anon().get(f"boards/{b['slug']}?per_page=2&page=3").data
        self.assertEqual((r3["page"], r3["pages"], r3["total"]), (3, 3, 5))
        self.assertEqual(len(r3["threads"]), 1)
        # newest first
        self.assertEqual([t["id"] for t in r["threads"]], ids[::-1][:2])
        # a reply brings the oldest thread to the top
        time.sleep(1.1)
        reply(self.bob, ids[0], "bump")
        seen = []
        for page in (1, 2, 3):
            seen += [t["id"] for t in self.anon().get(f"boards/{b['slug']}?per_page=2&page={page}")
                     .data["threads"]]
        self.assertEqual(seen, [ids[0], ids[4], ids[3], ids[2], ids[1]])
        first = self.anon().get(f"boards/{b['slug']}?per_page=1").data["threads"][0]
        self.assertEqual(first["reply_count"], 1)
        self.assertTrue({"id", "title", "author", "created_at", "last_post_at", "reply_count",
                         "pinned", "locked"} <= set(first))

    def test_paging_bounds(self):
        b = make_board(self.admin)
        self.new_thread(board=b["slug"])
        r = self.anon().get(f"boards/{b['slug']}?page=9&per_page=2").data
        self.assertEqual(r["threads"], [])
        self.assertEqual(r["total"], 1)
        r = self.assertStatus(self.anon().get(f"boards/{b['slug']}?page=0&per_page=-3"), 200).data
        self.assertEqual(len(r["threads"]), 1)

    def test_region_filter(self):
        b = make_board(self.admin)
        from_henan = self.new_thread(self.alice, b["slug"], "From Henan")[0]["id"]
        from_guangdong = self.new_thread(self.bob, b["slug"], "From Guangdong")[0]["id"]

        def ids(query):
            r = self.assertStatus(self.anon().get(f"boards/{b['slug']}{query}"), 200)
            return [t["id"] for t in r.data["threads"]], r.data["total"]

        self.assertEqual(ids("?region=henan"), ([from_henan], 1))
        self.assertEqual(ids("?region=guangdong"), ([from_guangdong], 1))
        self.assertEqual(ids("?region=beijing"), ([], 0))
        self.assertEqual(sorted(ids("")[0]), sorted([from_henan, from_guangdong]))
        self.assertError(self.anon().get(f"boards/{b['slug']}?region=atlantis"), 400, "unknown_region")


class Edits(ForumCase):
    def test_author_edit_keeps_a_revision(self):
        t, p = self.new_thread(body="first version")
        r = self.assertStatus(self.alice.patch(f"posts/{p['id']}", {"body": "second *version*"}), 200)
        post = r.data["post"]
        self.assertIn("<em>version</em>", post["body_html"])
        self.assertRegex(post["edited_at"], RFC3339)
        self.assertStatus(self.alice.patch(f"posts/{p['id']}", {"body": "third version"}), 200)
        r = self.assertStatus(self.anon().get(f"posts/{p['id']}/revisions"), 200)
        revs = r.data["revisions"]
        self.assertEqual([x["rev"] for x in revs], [1, 2])
        self.assertEqual([x["body"] for x in revs], ["first version", "second *version*"])
        for x in revs:
            self.assertEqual(x["editor"], "alice")
            self.assertRegex(x["created_at"], RFC3339)
        self.assertIn("third version", self.anon().get(f"posts/{p['id']}").data["post"]["body_html"])

    def test_unedited_post_has_no_revisions(self):
        t, p = self.new_thread()
        self.assertEqual(self.anon().get(f"posts/{p['id']}/revisions").data["revisions"], [])

    def test_other_member_403(self):
        t, p = self.new_thread(body="mine")
        self.assertError(self.bob.patch(f"posts/{p['id']}", {"body": "yours now"}), 403, "not_your_post")
        self.assertError(self.bob.delete(f"posts/{p['id']}"), 403, "not_your_post")
        self.assertError(self.anon().patch(f"posts/{p['id']}", {"body": "x"}), 401, "not_signed_in")
        self.assertError(self.anon().delete(f"posts/{p['id']}"), 401, "not_signed_in")
        self.assertIn("mine", self.anon().get(f"posts/{p['id']}").data["post"]["body_html"])

    def test_edit_input_checked(self):
        t, p = self.new_thread()
        self.assertError(self.alice.patch(f"posts/{p['id']}", {"body": " "}), 400, "empty_body")
        self.assertError(self.alice.patch(f"posts/{p['id']}", {}), 400, "empty_body")
        self.assertError(self.alice.patch(f"posts/{p['id']}", {"body": 3}), 400, "wrong_type")
        self.assertError(self.alice.patch(f"posts/{p['id']}", {"body": "a" * 65537}), 413,
                         "body_too_large")
        self.assertEqual(self.anon().get(f"posts/{p['id']}/revisions").data["revisions"], [])

    def test_admin_edits_any_post(self):
        t, p = self.new_thread(body="before admin")
        self.assertStatus(self.admin.patch(f"posts/{p['id']}", {"body": "after admin"}), 200)
        revs = self.anon().get(f"posts/{p['id']}/revisions").data["revisions"]
        self.assertEqual(revs[-1]["body"], "before admin")

    def test_board_moderator_only_on_their_board(self):
        modded, other = make_board(self.admin), make_board(self.admin)
        mod = self.server.member(unique("mod"))
        r = self.admin.post(f"boards/{modded['slug']}/moderators", {"username": mod.user["username"]})
        self.assertStatus(r, 201)
        t1, p1 = self.new_thread(board=modded["slug"], body="on modded")
        t2, p2 = self.new_thread(board=other["slug"], body="on other")
        self.assertStatus(mod.patch(f"posts/{p1['id']}", {"body": "moderated"}), 200)
        self.assertEqual(self.anon().get(f"posts/{p1['id']}/revisions").data["revisions"][-1]["body"],
                         "on modded")
        self.assertError(mod.patch(f"posts/{p2['id']}", {"body": "moderated"}), 403, "not_your_post")
        self.assertError(mod.delete(f"posts/{p2['id']}"), 403, "not_your_post")
        self.assertStatus(mod.delete(f"posts/{p1['id']}"), 204)

    def test_appointing_moderators(self):
        b = make_board(self.admin)
        self.assertError(self.alice.post(f"boards/{b['slug']}/moderators", {"username": "bob"}), 403,
                         "admin_only")
        self.assertError(self.anon().post(f"boards/{b['slug']}/moderators", {"username": "bob"}), 401)
        self.assertError(self.admin.post(f"boards/{b['slug']}/moderators", {"username": "nobody-x"}),
                         404, "user_not_found")
        self.assertError(self.admin.post("boards/no-such-board/moderators", {"username": "bob"}), 404,
                         "board_not_found")
        self.assertError(self.admin.post(f"boards/{b['slug']}/moderators", {}), 400)

    def test_site_moderator_edits_anywhere(self):
        name = unique("smod")
        smod = self.server.member(name)
        self.assertStatus(self.admin.patch(f"users/{name}", {"role": "moderator"}), 200)
        t, p = self.new_thread(board=make_board(self.admin)["slug"])
        self.assertStatus(smod.patch(f"posts/{p['id']}", {"body": "by the site moderator"}), 200)


class Deletion(ForumCase):
    def test_placeholder_keeps_its_place_and_replies(self):
        t, root = self.new_thread(body="root text")
        a = reply(self.bob, t["id"], "soon gone", root["id"])
        a1 = reply(self.alice, t["id"], "answer to the deleted", a["id"])
        b = reply(self.alice, t["id"], "sibling", root["id"])
        r = self.assertStatus(self.bob.delete(f"posts/{a['id']}"), 204)
        self.assertEqual(r.body, b"")
        got = self.assertStatus(self.anon().get(f"posts/{a['id']}"), 200).data["post"]
        self.assertEqual((got["state"], got["body_html"]), ("deleted", ""))
        posts = self.thread_posts(t["id"])
        self.assertEqual([x["id"] for x in posts], [root["id"], a["id"], a1["id"], b["id"]])
        self.assertEqual([x["depth"] for x in posts], [0, 1, 2, 1])
        self.assertEqual((posts[1]["state"], posts[1]["body_html"]), ("deleted", ""))
        self.assertEqual(posts[2]["parent_id"], a["id"])
        self.assertIn("answer to the deleted", posts[2]["body_html"])
        full = self.anon().get(f"threads/{t['id']}").text
        self.assertNotIn("soon gone", full)
        self.assertNotIn("soon gone", self.anon().page(f"/t/{t['id']}").text)

    def test_deleted_post_cannot_be_edited_409(self):
        t, p = self.new_thread()
        a = reply(self.bob, t["id"], "bye")
        self.assertStatus(self.bob.delete(f"posts/{a['id']}"), 204)
        self.assertError(self.bob.patch(f"posts/{a['id']}", {"body": "back"}), 409, "post_deleted")
        self.assertError(self.bob.delete(f"posts/{a['id']}"), 409, "post_deleted")

    def test_deleted_text_leaves_public_view_with_its_revisions(self):
        t, p = self.new_thread()
        a = reply(self.bob, t["id"], "secret first draft")
        self.assertStatus(self.bob.patch(f"posts/{a['id']}", {"body": "secret second draft"}), 200)
        self.assertStatus(self.bob.delete(f"posts/{a['id']}"), 204)
        for c in (self.anon(), self.alice):
            r = c.get(f"posts/{a['id']}/revisions")
            self.assertNotIn("secret", r.text)
            self.assertNotIn("secret", c.get(f"posts/{a['id']}").text)

    def test_deleting_the_first_post_keeps_the_thread(self):
        t, root = self.new_thread(body="opening words")
        a = reply(self.bob, t["id"], "still here")
        self.assertStatus(self.alice.delete(f"posts/{root['id']}"), 204)
        r = self.assertStatus(self.anon().get(f"threads/{t['id']}"), 200)
        self.assertEqual(r.data["thread"]["title"], "A thread")
        posts = r.data["posts"]
        self.assertEqual([x["id"] for x in posts], [root["id"], a["id"]])
        self.assertEqual((posts[0]["state"], posts[0]["body_html"]), ("deleted", ""))
        self.assertIn("still here", posts[1]["body_html"])
        self.assertIn(t["id"], [x["id"] for x in self.anon().get(f"boards/{self.board['slug']}?per_page=200")
                                .data["threads"]])
        self.assertStatus(self.bob.post(f"threads/{t['id']}/posts", {"body": "reply after"}), 201)

    def test_counters_follow_deletion(self):
        b = make_board(self.admin)
        t, p = self.new_thread(board=b["slug"])
        a = reply(self.bob, t["id"], "x")
        self.assertStatus(self.admin.delete(f"posts/{a['id']}"), 204)
        got = self.anon().get(f"boards/{b['slug']}").data["board"]
        self.assertEqual(got["post_count"], 1)


class Rendering(ForumCase):
    DANGEROUS_HREF = re.compile(r"""(?i)(href|src)\s*=\s*["']?\s*(javascript|vbscript|data):""")
    EVENT_ATTR = re.compile(r"(?i)<[a-z][^>]*\son[a-z]+\s*=")

    def assertSafe(self, html):
        self.assertNotRegex(html, r"(?i)<script")
        self.assertNotRegex(html, self.DANGEROUS_HREF)
        self.assertNotRegex(html, self.EVENT_ATTR)
        self.assertNotRegex(html, r"(?i)<iframe|<object|<embed|<svg")

    def test_script_and_javascript_links_are_neutralised(self):
        body = ("<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
                "[y](JaVaScRiPt:alert(2)) [z](data:text/html;base64,PHNjcmlwdD4=)\n\n"
                "<img src=x onerror=alert(3)>\n\n![i](javascript:alert(4))\n\n<javascript:alert(5)>\n\n"
                "<a href=\"javascript:alert(6)\">a</a> <iframe src=//evil></iframe>\n\n"
                "[w](&#106;avascript:alert(7)) [v]( javascript:alert(8))")
        t, p = self.new_thread(title="XSS <b>bold</b> <img src=x onerror=alert(9)>", body=body)
        html = p["body_html"]
        self.assertSafe(html)
        self.assertIn("&lt;script&gt;", html, "raw HTML is shown as text, not dropped silently")
        stored = self.anon().get(f"posts/{p['id']}").data["post"]["body_html"]
        self.assertEqual(stored, html)
        page = self.assertHtml(self.anon().page(f"/t/{t['id']}")).text
        self.assertNotIn("<script>alert(1)</script>", page)
        self.assertNotRegex(page, self.DANGEROUS_HREF)
        self.assertNotRegex(page, self.EVENT_ATTR)
        self.assertNotIn("<b>bold</b>", page)
        self.assertIn("&lt;b&gt;bold&lt;/b&gt;", page)

    def test_safe_links_get_rel(self):
        t, p = self.new_thread(body="see [the site](https://example.org/a?b=1&c=2) and /relative")
        m = re.search(r'<a [^>]*href="https://example.org/a\?b=1&amp;c=2"[^>]*>', p["body_html"])
        self.assertIsNotNone(m, p["body_html"])
        self.assertIn("nofollow", m.group(0))

    def test_mention_links_to_the_profile(self):
        t, p = self.new_thread(body="Thanks @bob for the notes")
        self.assertRegex(p["body_html"], r'<a [^>]*href="/u/bob"[^>]*>@bob</a>')

    def test_markdown_basics(self):
        t, p = self.new_thread(body="# Title\n\n- one\n- two\n\n`code` and ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |")
        html = p["body_html"]
        for tag in ("<h1>", "<li>one</li>", "<code>code</code>", "<del>gone</del>", "<table>"):
            self.assertIn(tag, html)

    def test_chinese_text_round_trips(self):
        body = "今年**春耕**提前了一周 😀"
        t, p = self.new_thread(title="春耕备耕经验交流", body=body)
        got = self.anon().get(f"threads/{t['id']}").data
        self.assertEqual(got["thread"]["title"], "春耕备耕经验交流")
        self.assertIn("今年<strong>春耕</strong>提前了一周 😀", got["posts"][0]["body_html"])



class LockAndPin(ForumCase):
    def thread_action(self, client, thread_id, action):
        return client.post(f"mod/threads/{thread_id}", {"action": action, "reason": "test"})

    def test_locked_thread_refuses_replies_and_edits(self):
        t, p = self.new_thread(body="lock me")
        r = self.assertStatus(self.thread_action(self.admin, t["id"], "lock"), 200)
        self.assertTrue(r.data["thread"]["locked"])
        self.assertTrue(self.anon().get(f"threads/{t['id']}").data["thread"]["locked"])
        self.assertError(self.bob.post(f"threads/{t['id']}/posts", {"body": "late"}), 403, "thread_locked")
        self.assertError(self.alice.patch(f"posts/{p['id']}", {"body": "changed"}), 403, "thread_locked")
        self.assertStatus(self.admin.post(f"threads/{t['id']}/posts", {"body": "closing note"}), 201)
        self.assertError(self.thread_action(self.bob, t["id"], "unlock"), 403)
        self.assertStatus(self.thread_action(self.admin, t["id"], "unlock"), 200)
        self.assertStatus(self.bob.post(f"threads/{t['id']}/posts", {"body": "open again"}), 201)

    def test_pinned_threads_come_first(self):
        b = make_board(self.admin)
        old = self.new_thread(board=b["slug"], title="old but pinned")[0]
        new = self.new_thread(board=b["slug"], title="newer")[0]
        self.assertEqual([t["id"] for t in self.anon().get(f"boards/{b['slug']}").data["threads"]],
                         [new["id"], old["id"]])
        r = self.assertStatus(self.thread_action(self.admin, old["id"], "pin"), 200)
        self.assertTrue(r.data["thread"]["pinned"])
        listed = self.anon().get(f"boards/{b['slug']}").data["threads"]
        self.assertEqual([t["id"] for t in listed], [old["id"], new["id"]])
        self.assertEqual([t["pinned"] for t in listed], [True, False])


class Reports(ForumCase):
    def report(self, client, post_id, reason="spam"):
        return client.post(f"posts/{post_id}/reports", {"reason": reason})

    def test_report_a_post(self):
        t, p = self.new_thread()
        self.assertStatus(self.report(self.bob, p["id"], "off topic"), 201)
        self.assertError(self.report(self.bob, p["id"], "again"), 409)
        self.assertError(self.report(self.anon(), p["id"]), 401, "not_signed_in")
        self.assertError(self.report(self.bob, 987654321), 404, "post_not_found")
        self.assertError(self.bob.post(f"posts/{p['id']}/reports", {}), 400)
        self.assertError(self.bob.post(f"posts/{p['id']}/reports", {"reason": 5}), 400, "wrong_type")

    def test_many_reports_hide_a_post_until_reviewed(self):
        t, p = self.new_thread()
        a = reply(self.alice, t["id"], "reported reply")
        # reports of new accounts weigh nothing (test_moderation.ReportWeights): the post stays
        # up until a moderator's report, which counts fully
        for c in [self.bob] + [self.server.member(unique("rep")) for _ in range(2)]:
            self.assertStatus(self.report(c, a["id"]), 201)
        self.assertStatus(self.anon().get(f"posts/{a['id']}"), 200)
        self.assertStatus(self.report(self.admin, a["id"]), 201)
        self.assertError(self.anon().get(f"posts/{a['id']}"), 404, "post_not_found")
        self.assertNotIn(a["id"], [x["id"] for x in self.thread_posts(t["id"])])
        self.assertEqual(self.alice.get(f"posts/{a['id']}").data["post"]["state"], "pending",
                         "the author still sees it")
        self.assertStatus(self.admin.post(f"mod/posts/{a['id']}", {"action": "approve"}), 200)
        self.assertIn(a["id"], [x["id"] for x in self.thread_posts(t["id"])])


class Bans(ForumCase):
    def ban(self, client, name, **body):
        return client.post(f"users/{name}/ban", body)

    def test_banned_member_reads_but_cannot_write(self):
        name = unique("banned")
        c = self.server.member(name)
        t, p = self.new_thread(client=c, body="before the ban")
        self.assertStatus(self.ban(self.admin, name, days=2, reason="flooding"), 201)
        self.assertStatus(c.get("me"), 200)
        self.assertStatus(c.get(f"threads/{t['id']}"), 200)
        r = self.assertError(c.post(f"boards/{self.board['slug']}/threads", {"title": "t", "body": "b"}),
                             403, "banned")
        self.assertRegex(r.error_message, r"\d{4}-\d{2}-\d{2}", "the message says until when")
        self.assertError(c.post(f"threads/{t['id']}/posts", {"body": "reply"}), 403, "banned")
        self.assertError(c.patch(f"posts/{p['id']}", {"body": "edit"}), 403, "banned")
        self.assertError(c.delete(f"posts/{p['id']}"), 403, "banned")
        self.server.client().login(name)  # signing in still works
        self.assertStatus(self.admin.delete(f"users/{name}/ban"), 204)
        self.assertStatus(c.post(f"threads/{t['id']}/posts", {"body": "free again"}), 201)

    def test_ban_until_lifted(self):
        name = unique("banned")
        c = self.server.member(name)
        self.assertStatus(self.ban(self.admin, name, days=0, reason="for good"), 201)
        self.assertError(c.post(f"boards/{self.board['slug']}/threads", {"title": "t", "body": "b"}),
                         403, "banned")
        self.assertStatus(self.admin.delete(f"users/{name}/ban"), 204)
        self.new_thread(client=c)

    def test_who_may_ban(self):
        name = unique("target")
        self.server.member(name, login=False)
        self.assertError(self.ban(self.alice, name, days=1), 403)
        self.assertError(self.ban(self.anon(), name, days=1), 401, "not_signed_in")
        self.assertError(self.alice.delete(f"users/{name}/ban"), 403)
        self.assertError(self.ban(self.admin, "nobody-at-all", days=1), 404, "user_not_found")
        self.assertError(self.ban(self.admin, "forumadmin", days=1), 403)
        self.assertError(self.ban(self.admin, name, days=-1), 400)
        self.assertError(self.ban(self.admin, name, days="1"), 400, "wrong_type")
        mod_name = unique("smod")
        mod = self.server.member(mod_name)
        self.assertStatus(self.admin.patch(f"users/{mod_name}", {"role": "moderator"}), 200)
        self.assertStatus(self.ban(mod, name, days=1), 201)
        self.assertStatus(mod.delete(f"users/{name}/ban"), 204)


if __name__ == "__main__":
    unittest.main()
