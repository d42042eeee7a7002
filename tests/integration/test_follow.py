"""Following, unread tracking and the personal feed (API.md "Search, notifications, feeds,
live updates"; DESIGN-NOTES "Following and notifications"): subscriptions to threads and
boards and their answers, posting follows, the follow buttons (CSRF checked), unread marks on
the thread page and API and in board lists across visits, and the home feed's ranking."""

import re
import unittest

from agora_harness import BoardCase, make_board, make_thread, reply, run_cli, unique


class FollowCase(BoardCase):
    admin_name, board_title, board_as_slug = "followadmin", "Follow", True

    def member(self, prefix="m", **fields):
        return self.new_member(prefix, **fields)

    def cookie_member(self, prefix="m"):
        name = unique(prefix)
        self.server.register(name)
        c = self.server.client()
        c.login(name, bearer=False)
        c.name = name
        return c

    def note_kinds(self, client, post_id):
        return [n["kind"] for n in client.get("notifications").data["notifications"] if n["post_id"] == post_id]


class Subscriptions(FollowCase):
    def test_thread_put_delete_idempotent(self):
        alice, bob = self.member("al"), self.member("bo")
        t, _ = make_thread(alice, self.board)
        for _ in range(2):
            r = self.assertStatus(bob.put(f"threads/{t['id']}/subscription"), 204)
            self.assertEqual(r.body, b"")
        p = reply(alice, t["id"])
        self.assertEqual(self.note_kinds(bob, p["id"]), ["subscription"])
        for _ in range(2):
            self.assertStatus(bob.delete(f"threads/{t['id']}/subscription"), 204)
        p = reply(alice, t["id"])
        self.assertEqual(self.note_kinds(bob, p["id"]), [])

    def test_board_put_delete_idempotent(self):
        bob = self.member("bo")
        for method in (bob.put, bob.put, bob.delete, bob.delete):
            self.assertStatus(method(f"boards/{self.board}/subscription"), 204)

    def test_visitors_401(self):
        alice = self.member("al")
        t, _ = make_thread(alice, self.board)
        anon = self.anon()
        for path in (f"threads/{t['id']}/subscription", f"boards/{self.board}/subscription"):
            self.assertError(anon.put(path), 401, "not_signed_in")
            self.assertError(anon.delete(path), 401, "not_signed_in")

    def test_missing_404(self):
        bob = self.member("bo")
        self.assertError(bob.put("threads/999999/subscription"), 404, "thread_not_found")
        self.assertError(bob.delete("threads/999999/subscription"), 404)
        self.assertError(bob.put("boards/no-such-board/subscription"), 404, "board_not_found")

    def test_posting_follows_the_thread(self):
        alice, bob, carol = self.member("al"), self.member("bo"), self.member("ca")
        t, _ = make_thread(alice, self.board)
        reply(bob, t["id"], "I was here")
        p = reply(carol, t["id"], "later")
        self.assertEqual(self.note_kinds(bob, p["id"]), ["subscription"])
        self.assertEqual(self.note_kinds(alice, p["id"]), ["reply"])


class FollowButtons(FollowCase):
    def test_thread_and_board_buttons(self):
        alice = self.member("al")
        bob = self.cookie_member("bo")
        t, _ = make_thread(alice, self.board)
        page = self.assertHtml(bob.page(f"/t/{t['id']}"))
        self.assertIn(f'action="/t/{t["id"]}/follow"', page.text)
        self.assertIn('value="follow"', page.text)
        # without CSRF: refused, still not following
        self.assertStatus(bob.form(f"/t/{t['id']}/follow", {"action": "follow"}, csrf=False), 403)
        self.assertIn('value="follow"', bob.page(f"/t/{t['id']}").text)
        r = bob.form(f"/t/{t['id']}/follow", {"action": "follow"}, page=f"/t/{t['id']}")
        self.assertStatus(r, 303)
        self.assertEqual(r.header("Location"), f"/t/{t['id']}")
        page = bob.page(f"/t/{t['id']}").text
        self.assertIn('value="unfollow"', page)
        p = reply(alice, t["id"], "for the follower")
        self.assertEqual(self.note_kinds(bob, p["id"]), ["subscription"])
        self.assertStatus(bob.form(f"/t/{t['id']}/follow", {"action": "unfollow"}, page=f"/t/{t['id']}"), 303)
        self.assertIn('value="follow"', bob.page(f"/t/{t['id']}").text)
        # the board
        self.assertIn(f'action="/b/{self.board}/follow"', bob.page(f"/b/{self.board}").text)
        self.assertStatus(bob.form(f"/b/{self.board}/follow", {"action": "follow"}, csrf=False), 403)
        self.assertStatus(bob.form(f"/b/{self.board}/follow", {"action": "follow"}, page=f"/b/{self.board}"), 303)
        self.assertIn('value="unfollow"', bob.page(f"/b/{self.board}").text)
        self.assertStatus(bob.form(f"/b/{self.board}/follow", {"action": "sideways"}, page=f"/b/{self.board}"), 400)
        self.assertStatus(bob.form(f"/b/{self.board}/follow", {"action": "unfollow"}, page=f"/b/{self.board}"), 303)

    def test_visitors_see_no_buttons(self):
        alice = self.member("al")
        t, _ = make_thread(alice, self.board)
        self.assertNotIn("/follow", self.anon().page(f"/t/{t['id']}").text)
        self.assertNotIn("/follow", self.anon().page(f"/b/{self.board}").text)


class Unread(FollowCase):
    def thread(self, client, tid):
        return self.assertStatus(client.get(f"threads/{tid}"), 200).data

    def board_row(self, client, board, tid):
        rows = self.assertStatus(client.get(f"boards/{board}"), 200).data["threads"]
        return [x for x in rows if x["id"] == tid][0]

    def test_first_visit_then_new_posts(self):
        alice, bob = self.member("al"), self.member("bo")
        board = make_board(self.admin)["slug"]
        t, root = make_thread(alice, board)
        # never opened, started after bob joined: new in the board list
        row = self.board_row(bob, board, t["id"])
        self.assertEqual((row["unread"], row["new_posts"]), (True, 1))
        # the first visit marks nothing
        data = self.thread(bob, t["id"])
        self.assertIsNone(data["first_unread_post_id"])
        self.assertEqual([p["unread"] for p in data["posts"]], [False])
        row = self.board_row(bob, board, t["id"])
        self.assertEqual((row["unread"], row["new_posts"]), (False, 0))
        p1 = reply(alice, t["id"], "one")
        p2 = reply(alice, t["id"], "two")
        own = reply(bob, t["id"], "bob's own reply is never new to bob")
        row = self.board_row(bob, board, t["id"])
        self.assertEqual((row["unread"], row["new_posts"]), (True, 2))
        data = self.thread(bob, t["id"])
        self.assertEqual(data["first_unread_post_id"], p1["id"])
        marks = {p["id"]: p["unread"] for p in data["posts"]}
        self.assertEqual(marks, {root["id"]: False, p1["id"]: True, p2["id"]: True, own["id"]: False})
        # the second visit: all seen
        data = self.thread(bob, t["id"])
        self.assertIsNone(data["first_unread_post_id"])
        self.assertFalse(any(p["unread"] for p in data["posts"]))
        self.assertFalse(self.board_row(bob, board, t["id"])["unread"])
        # the author never opened it through the API: only bob's reply is new to her
        row = self.board_row(alice, board, t["id"])
        self.assertEqual((row["unread"], row["new_posts"]), (True, 1))
        # a thread of nothing but one's own posts is not new
        mine, _ = make_thread(alice, board, "all mine")
        reply(alice, mine["id"], "still mine")
        self.assertFalse(self.board_row(alice, board, mine["id"])["unread"])

    def test_counts_of_huge_threads_stop_at_999_plus(self):
        bob = self.cookie_member("bo")
        # a thread of 1,001 posts, all new to bob, written by `agorad seed` beside the server
        p = run_cli("seed", "--data", self.server.data_dir, "--threads", "1", "--posts", "1001")
        self.assertEqual(p.returncode, 0, p.stderr)
        row = bob.get("boards/bench").data["threads"][0]
        self.assertEqual((row["unread"], row["new_posts"]), (True, 1000))
        self.assertIn("999+ new", bob.page("/b/bench").text)

    def test_visitors_see_no_marks(self):
        alice = self.member("al")
        t, _ = make_thread(alice, self.board)
        reply(alice, t["id"])
        anon = self.anon()
        data = self.thread(anon, t["id"])
        self.assertIsNone(data["first_unread_post_id"])
        self.assertFalse(any(p["unread"] for p in data["posts"]))
        rows = anon.get(f"boards/{self.board}").data["threads"]
        self.assertFalse(any(x["unread"] for x in rows))

    def test_paging_marks_only_what_was_shown(self):
        alice, bob = self.member("al"), self.member("bo")
        t, root = make_thread(alice, self.board)
        self.thread(bob, t["id"])
        ids = [reply(alice, t["id"], f"r{i}")["id"] for i in range(3)]
        data = self.assertStatus(bob.get(f"threads/{t['id']}?view=flat&per_page=2"), 200).data
        self.assertEqual(data["first_unread_post_id"], ids[0])
        row = [x for x in bob.get(f"boards/{self.board}?per_page=200").data["threads"] if x["id"] == t["id"]][0]
        self.assertEqual(row["new_posts"], 2)

    def test_thread_page_marks_and_jump_link(self):
        alice = self.member("al")
        bob = self.cookie_member("bo")
        t, root = make_thread(alice, self.board)
        first = self.assertHtml(bob.page(f"/t/{t['id']}")).text
        self.assertNotIn("jump-unread", first)
        p1 = reply(alice, t["id"], "new one")
        board = bob.page(f"/b/{self.board}").text
        self.assertRegex(board, r'class="thread-row unread">\s*<a class="title" href="/t/%d"' % t["id"])
        self.assertIn("1 new", board)
        page = bob.page(f"/t/{t['id']}").text
        self.assertIn(f'<a href="/p/{p1["id"]}">Jump to the first unread post</a>', page)
        self.assertRegex(page, r'<article class="post [^"]*unread" id="p%d">' % p1["id"])
        self.assertNotRegex(page, r'<article class="post [^"]*unread" id="p%d">' % root["id"])
        self.assertIn('<span class="tag new">New</span>', page)
        self.assertNotIn("jump-unread", bob.page(f"/t/{t['id']}").text)


class Feed(FollowCase):
    def test_ranking_and_reasons(self):
        slug = unique("assoc-")
        self.assertStatus(self.admin.post("associations", {"slug": slug, "name": "Ours", "join_policy": "open",
                                                           "visibility": "public"}), 201)
        me = self.member("me", region="henan", position="village-secretary", industry="agriculture")
        self.assertStatus(me.post(f"associations/{slug}/members"), (200, 201))
        neighbour = self.member("ne", region="henan")
        stranger = self.member("st", region="guangdong")
        b_pos = make_board(self.admin, position="village-secretary")["slug"]
        b_ind = make_board(self.admin, industry="agriculture")["slug"]
        b_assoc = make_board(self.admin, association=slug)["slug"]
        b_plain = make_board(self.admin)["slug"]
        old_other, _ = make_thread(stranger, b_plain, "older unrelated")
        pos, _ = make_thread(stranger, b_pos, "for my position")
        ind, _ = make_thread(stranger, b_ind, "for my industry")
        assoc, _ = make_thread(stranger, b_assoc, "in my association")
        region, _ = make_thread(neighbour, b_plain, "by a neighbour")
        new_other, _ = make_thread(stranger, b_plain, "newest unrelated")
        r = self.assertStatus(me.get("feed?per_page=200"), 200)
        self.assertTrue({"page", "pages", "total"} <= set(r.data))
        order = [x["id"] for x in r.data["threads"]]
        why = {x["id"]: x["why"] for x in r.data["threads"]}
        mine = [region["id"], assoc["id"], ind["id"], pos["id"]]
        self.assertEqual([i for i in order if i in mine + [new_other["id"], old_other["id"]]],
                         mine + [new_other["id"], old_other["id"]])
        self.assertEqual([why[i] for i in mine], ["region", "association", "industry", "position"])
        self.assertIsNone(why[new_other["id"]])
        # matched threads all come before any unmatched one
        first_plain = min(i for i, x in enumerate(r.data["threads"]) if x["why"] is None)
        self.assertTrue(all(x["why"] is None for x in r.data["threads"][first_plain:]))
        # the home page shows it with the reasons, and the followed threads
        home = self.assertHtml(me.page("/")).text
        self.assertIn("For you", home)
        self.assertIn("by a neighbour", home)
        self.assertIn("your association", home)
        self.assertIn("Threads you follow", home)
        reply(me, pos["id"], "following by posting")
        home = me.page("/").text
        followed = home.split("threads followed")[1].split("</ul>")[0]
        self.assertIn("for my position", followed)
        # paging (the reply above moved a thread: page against the feed as it is now)
        order = [x["id"] for x in me.get("feed?per_page=200").data["threads"]]
        r = me.get("feed?per_page=2&page=2").data
        self.assertEqual(len(r["threads"]), 2)
        self.assertEqual([x["id"] for x in r["threads"]], order[2:4])

    def test_members_only_boards_stay_out_of_the_feed(self):
        slug = unique("hush-")
        self.assertStatus(self.admin.post("associations", {"slug": slug, "name": "Hush", "join_policy": "open",
                                                           "visibility": "members"}), 201)
        board = make_board(self.admin, association=slug)["slug"]
        t, _ = make_thread(self.admin, board, "hidden thread")
        outsider = self.member("ou")
        self.assertNotIn(t["id"], [x["id"] for x in outsider.get("feed?per_page=200").data["threads"]])
        self.assertNotIn("hidden thread", outsider.page("/").text)

    def test_visitors(self):
        self.assertError(self.anon().get("feed"), 401, "not_signed_in")
        home = self.assertHtml(self.anon().page("/")).text
        self.assertIn("Recent threads", home)
        self.assertNotIn("For you", home)


if __name__ == "__main__":
    unittest.main()
