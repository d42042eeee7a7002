"""Notifications (API.md "Search, notifications, feeds, live updates"; DESIGN-NOTES
"Following and notifications"): replies, @mentions, moderation outcomes and activity in what
one follows; one notification per user per post; none to oneself; held posts only when
approved; members-only boards neither notify outsiders nor leak through the list; marking
read (some, all, never someone else's); the /notifications page and the header count."""

import re
import shutil
import unittest

from agora_harness import RFC3339, BoardCase, Server, ServerTestCase, make_board, make_thread, reply, unique
from test_moderation import HOLD_WORD, plugin_folder

NOTE_KEYS = {"id", "kind", "post_id", "thread_id", "actor", "created_at", "read"}


class NoteCase(BoardCase):
    admin_name, board_title, board_as_slug = "noteadmin", "Notes", True

    def member(self, prefix="m"):
        return self.new_member(prefix, display_name=lambda name: f"D {name}")

    def moderator(self):
        """A new site moderator: their name and a signed-in client."""
        name = unique("smod")
        self.server.add_user(name, "moderator")
        c = self.server.client()
        c.login(name)
        return name, c

    def notes(self, client, query=""):
        r = self.assertStatus(client.get(f"notifications{query}"), 200)
        for n in r.data["notifications"]:
            self.assertTrue(NOTE_KEYS <= set(n), n)
        return r.data

    def kinds(self, client, post_id=None):
        return [n["kind"] for n in self.notes(client)["notifications"]
                if post_id is None or n["post_id"] == post_id]


class Kinds(NoteCase):
    def test_reply_notifies_the_parent_author(self):
        alice, bob = self.member("al"), self.member("bo")
        t, root = make_thread(alice, self.board, "Spring ploughing")
        p = reply(bob, t["id"], "Here is how we did it.")
        data = self.notes(alice)
        self.assertEqual(data["unread"], 1)
        n = data["notifications"][0]
        self.assertEqual((n["kind"], n["post_id"], n["thread_id"], n["actor"], n["read"]),
                         ("reply", p["id"], t["id"], bob.name, False))
        self.assertEqual(n["actor_name"], f"D {bob.name}")
        self.assertEqual(n["thread_title"], "Spring ploughing")
        self.assertRegex(n["created_at"], RFC3339)
        self.assertEqual((data["page"], data["pages"], data["total"]), (1, 1, 1))
        # replying to bob's reply tells bob, not alice again (she follows: subscription)
        carol = self.member("ca")
        p2 = reply(carol, t["id"], "And under Bob.", parent_id=p["id"])
        self.assertEqual(self.kinds(bob, p2["id"]), ["reply"])
        self.assertEqual(self.kinds(alice, p2["id"]), ["subscription"])

    def test_mention_case_insensitive_and_not_in_code(self):
        alice, bob, carol, dave = (self.member(x) for x in ("al", "bo", "ca", "da"))
        t, _ = make_thread(alice, self.board)
        body = (f"Thanks @{bob.name.upper()}, and 请看@{carol.name}。\n\n"
                f"Not `@{dave.name}` nor mail{dave.name}@example.org.\n\n```\n@{dave.name}\n```\n")
        p = reply(alice, t["id"], body)
        self.assertEqual(self.kinds(bob, p["id"]), ["mention"])
        self.assertEqual(self.kinds(carol, p["id"]), ["mention"])
        self.assertEqual(self.kinds(dave), [])

    def test_only_linked_mentions_notify(self):
        alice, bob, carol = self.member("al"), self.member("bo"), self.member("ca")
        t, _ = make_thread(alice, self.board)
        body = (f"See https://example.org/@{bob.name} and [@{bob.name}](https://example.org), "
                f"`a span\n@{bob.name} over lines`, and then @{carol.name}")
        p = reply(alice, t["id"], body)
        self.assertEqual(self.kinds(bob, p["id"]), [])
        self.assertEqual(self.kinds(carol, p["id"]), ["mention"])
        html = self.anon().get(f"posts/{p['id']}").data["post"]["body_html"]
        self.assertIn(f'href="/u/{carol.name}"', html)
        self.assertNotIn(f'href="/u/{bob.name}"', html)

    def test_mention_at_sentence_end_and_unknown_names(self):
        alice, bob = self.member("al"), self.member("bo")
        t, _ = make_thread(alice, self.board)
        p = reply(alice, t["id"], f"Ask @{bob.name}. Or @nobody_here_at_all or @ab.")
        self.assertEqual(self.kinds(bob, p["id"]), ["mention"])

    def test_one_notification_per_post_mention_wins(self):
        alice, bob = self.member("al"), self.member("bo")
        t, root = make_thread(alice, self.board)
        reply(bob, t["id"], "bob follows now")
        # alice's reply to bob's post, mentioning bob twice: bob follows the thread, is the
        # parent's author and is mentioned, and gets exactly one notification: the mention
        posts = self.assertStatus(self.anon().get(f"threads/{t['id']}"), 200).data["posts"]
        bob_post = [x for x in posts if x["author"]["username"] == bob.name][0]
        p = reply(alice, t["id"], f"@{bob.name} yes @{bob.name}", parent_id=bob_post["id"])
        self.assertEqual(self.kinds(bob, p["id"]), ["mention"])

    def test_never_to_oneself(self):
        alice = self.member("al")
        t, root = make_thread(alice, self.board)
        reply(alice, t["id"], f"Note to self @{alice.name}", parent_id=root["id"])
        self.assertEqual(self.notes(alice)["notifications"], [])

    def test_thread_followers_hear_of_replies(self):
        alice, bob, carol = self.member("al"), self.member("bo"), self.member("ca")
        t, _ = make_thread(alice, self.board)
        self.assertStatus(carol.put(f"threads/{t['id']}/subscription"), 204)
        p = reply(bob, t["id"], "news")
        self.assertEqual(self.kinds(carol, p["id"]), ["subscription"])
        n = self.notes(carol)["notifications"][0]
        self.assertEqual((n["actor"], n["thread_id"]), (bob.name, t["id"]))
        self.assertStatus(carol.delete(f"threads/{t['id']}/subscription"), 204)
        p = reply(bob, t["id"], "more news")
        self.assertEqual(self.kinds(carol, p["id"]), [])

    def test_board_followers_hear_of_new_threads(self):
        alice, bob = self.member("al"), self.member("bo")
        board = make_board(self.admin)["slug"]
        self.assertStatus(bob.put(f"boards/{board}/subscription"), 204)
        t, root = make_thread(alice, board, "Fresh topic")
        self.assertEqual(self.kinds(bob, root["id"]), ["subscription"])
        # replies are thread activity, not board activity
        p = reply(alice, t["id"], "a reply")
        self.assertEqual(self.kinds(bob, p["id"]), [])

    def test_moderation_outcome_tells_the_author(self):
        alice = self.member("al")
        smod, mod = self.moderator()
        t, _ = make_thread(alice, self.board)
        p = reply(alice, t["id"], "something doubtful")
        self.assertStatus(mod.post(f"mod/posts/{p['id']}", {"action": "delete", "reason": "off topic"}), 200)
        n = self.notes(alice)["notifications"][0]
        self.assertEqual((n["kind"], n["post_id"], n["actor"], n["action"], n["reason"]),
                         ("moderation", p["id"], smod, "delete", "off topic"))
        self.assertTrue(n["post_deleted"])
        self.assertStatus(mod.post(f"mod/posts/{p['id']}", {"action": "restore"}), 200)
        self.assertEqual(self.notes(alice)["notifications"][0]["action"], "restore")
        # a moderator acting on their own post gets nothing
        q = reply(mod, t["id"], "mine")
        self.assertStatus(mod.post(f"mod/posts/{q['id']}", {"action": "delete"}), 200)
        self.assertEqual([n for n in self.notes(mod)["notifications"] if n["kind"] == "moderation"], [])

    def test_post_hidden_by_reports_then_approved_notifies_once(self):
        alice, bob = self.member("al"), self.member("bo")
        _, mod = self.moderator()
        t, _ = make_thread(alice, self.board)
        p = reply(bob, t["id"], "a reply some find doubtful")
        # two new members' reports weigh nothing; the moderator's hides it (ReportWeights)
        for c in (self.member("rp"), self.member("rp"), mod):
            self.assertStatus(c.post(f"posts/{p['id']}/reports", {"reason": "doubtful"}), 201)
        self.assertEqual(self.assertStatus(mod.get(f"posts/{p['id']}"), 200).data["post"]["state"], "pending")
        self.assertStatus(mod.post(f"mod/posts/{p['id']}", {"action": "approve"}), 200)
        self.assertEqual(self.kinds(alice, p["id"]), ["reply"])

    def test_moderator_deleting_through_the_post_api_tells_the_author(self):
        alice = self.member("al")
        _, mod = self.moderator()
        t, _ = make_thread(alice, self.board)
        p = reply(alice, t["id"], "to go")
        self.assertStatus(mod.delete(f"posts/{p['id']}"), 204)
        self.assertEqual(self.kinds(alice, p["id"]), ["moderation"])


class Reading(NoteCase):
    def test_mark_some_then_all(self):
        alice, bob = self.member("al"), self.member("bo")
        t, root = make_thread(alice, self.board)
        ids = [reply(bob, t["id"], f"r{i}")["id"] for i in range(3)]
        data = self.notes(alice)
        self.assertEqual(data["unread"], 3)
        self.assertEqual([n["post_id"] for n in data["notifications"]], ids[::-1], "newest first")
        first = data["notifications"][0]["id"]
        self.assertStatus(alice.post("notifications/read", {"ids": [first]}), 204)
        data = self.notes(alice)
        self.assertEqual(data["unread"], 2)
        self.assertEqual([n["read"] for n in data["notifications"]], [True, False, False])
        self.assertStatus(alice.post("notifications/read", {}), 204)
        self.assertEqual(self.notes(alice)["unread"], 0)
        # again: still 204
        self.assertStatus(alice.post("notifications/read"), 204)

    def test_others_ids_are_ignored(self):
        alice, bob, carol = self.member("al"), self.member("bo"), self.member("ca")
        t, _ = make_thread(alice, self.board)
        reply(bob, t["id"], "hello")
        theirs = self.notes(alice)["notifications"][0]["id"]
        self.assertStatus(carol.post("notifications/read", {"ids": [theirs]}), 204)
        self.assertEqual(self.notes(alice)["unread"], 1)

    def test_wrong_types_400(self):
        alice = self.member("al")
        for body in ({"ids": "1"}, {"ids": [1, "2"]}, {"ids": 3}, {"ids": [1.5]}, {"ids": {"a": 1}}):
            with self.subTest(body=body):
                self.assertError(alice.post("notifications/read", body), 400)

    def test_ids_bounded_and_odd_ids_ignored(self):
        alice, bob = self.member("al"), self.member("bo")
        t, _ = make_thread(alice, self.board)
        reply(bob, t["id"], "one")
        mine = self.notes(alice)["notifications"][0]["id"]
        # more ids than a client could have been shown: refused whole, nothing marked
        self.assertError(alice.post("notifications/read", {"ids": [mine] + list(range(1, 100001))}), 413,
                         "too_many_ids")
        self.assertEqual(self.notes(alice)["unread"], 1)
        # ids that name nothing (negative, zero, huge) are ignored beside a real one
        self.assertStatus(alice.post("notifications/read", {"ids": [-5, 0, 2**63 - 1, mine] + [7] * 990}), 204)
        self.assertEqual(self.notes(alice)["unread"], 0)

    def test_visitors_401(self):
        self.assertError(self.anon().get("notifications"), 401, "not_signed_in")
        self.assertError(self.anon().post("notifications/read", {}), 401)

    def test_paging(self):
        alice, bob = self.member("al"), self.member("bo")
        t, _ = make_thread(alice, self.board)
        for i in range(3):
            reply(bob, t["id"], f"r{i}")
        data = self.notes(alice, "?per_page=2&page=2")
        self.assertEqual((data["page"], data["pages"], data["total"], len(data["notifications"])), (2, 2, 3, 1))

    def test_opening_the_thread_reads_its_notifications(self):
        alice, bob = self.member("al"), self.member("bo")
        t, _ = make_thread(alice, self.board)
        reply(bob, t["id"], "look")
        self.assertEqual(self.notes(alice)["unread"], 1)
        self.assertStatus(alice.get(f"threads/{t['id']}"), 200)
        self.assertEqual(self.notes(alice)["unread"], 0)


class Pages(NoteCase):
    def cookie_member(self, prefix):
        name = unique(prefix)
        self.server.register(name, display_name=f"D {name}")
        c = self.server.client()
        c.login(name, bearer=False)
        c.name = name
        return c

    def test_header_count_page_and_forms(self):
        alice, bob = self.cookie_member("al"), self.member("bo")
        t, root = make_thread(alice, self.board, "Header count")
        p1 = reply(bob, t["id"], "one")
        reply(bob, t["id"], "two")
        home = self.assertHtml(alice.page("/"))
        self.assertIn('href="/notifications"', home.text)
        self.assertRegex(home.text, r'class="badge" aria-hidden="true">2<')
        self.assertIn('<span class="visually-hidden">2 unread</span>', home.text)
        page = self.assertHtml(alice.page("/notifications"))
        self.assertIn(f'href="/p/{p1["id"]}"', page.text)
        self.assertIn("Header count", page.text)
        self.assertIn(f"D {bob.name}", page.text)
        # the anchor the link points at exists on the thread page
        self.assertIn(f'id="p{p1["id"]}"', self.anon().page(f"/t/{t['id']}").text)
        # without the CSRF token the form is refused and nothing changes
        r = alice.form("/notifications/read", {}, csrf=False)
        self.assertStatus(r, 403)
        self.assertEqual(alice.get("notifications").data["unread"], 2)
        # mark one, then all
        note = alice.get("notifications").data["notifications"][0]["id"]
        r = alice.form("/notifications/read", {"id": str(note)}, page="/notifications")
        self.assertStatus(r, 303)
        self.assertEqual(r.header("Location"), "/notifications")
        self.assertEqual(alice.get("notifications").data["unread"], 1)
        self.assertRegex(alice.page("/").text, r'class="badge" aria-hidden="true">1<')
        self.assertStatus(alice.form("/notifications/read", {}, page="/notifications"), 303)
        self.assertEqual(alice.get("notifications").data["unread"], 0)
        self.assertNotIn('class="badge"', alice.page("/").text)

    def test_header_count_stops_at_99(self):
        alice, bob = self.cookie_member("al"), self.member("bo")
        t, root = make_thread(alice, self.board, "Busy thread")
        for i in range(100):
            reply(bob, t["id"], f"reply {i}")
        self.assertRegex(alice.page("/").text, r'class="badge" aria-hidden="true">99\+<')
        # the notifications page still says exactly how many
        self.assertEqual(alice.get("notifications").data["unread"], 100)
        self.assertStatus(alice.post("notifications/read", {"ids": [n["id"] for n in
                                                            alice.get("notifications").data["notifications"][:1]]}), 204)
        self.assertRegex(alice.page("/").text, r'class="badge" aria-hidden="true">99<')

    def test_visitors_see_no_count_and_cannot_open_the_page(self):
        self.assertNotIn('href="/notifications"', self.anon().page("/").text)
        r = self.anon().page("/notifications")
        self.assertEqual((r.status, r.header("Location")), (303, "/login?next=/notifications"))


class MembersOnly(NoteCase):
    """A members-only association's board: outsiders are never notified and, after leaving,
    no longer see what they were notified of."""

    def test_outsiders_get_nothing_and_leavers_lose_the_titles(self):
        officer, insider, outsider = self.member("of"), self.member("in"), self.member("ou")
        slug = unique("hush-")
        self.assertStatus(self.admin.post("associations", {"slug": slug, "name": "Hush", "visibility": "members",
                                                           "join_policy": "open"}), 201)
        for c in (officer, insider):
            self.assertStatus(c.post(f"associations/{slug}/members"), (200, 201))
        board = make_board(self.admin, association=slug)["slug"]
        self.assertStatus(outsider.put(f"boards/{board}/subscription"), 404)
        t, root = make_thread(insider, board, "Secret title 秘密")
        reply(officer, t["id"], f"@{outsider.name} and @{insider.name}, see this")
        self.assertEqual(self.kinds(outsider), [])
        self.assertEqual(self.kinds(insider), ["mention"])
        self.assertStatus(outsider.put(f"threads/{t['id']}/subscription"), 404)
        # the insider leaves: the notification is no longer listed nor counted
        self.assertStatus(insider.delete(f"associations/{slug}/members"), (200, 204))
        data = self.notes(insider)
        self.assertEqual((data["notifications"], data["unread"], data["total"]), ([], 0, 0))
        self.assertNotIn("Secret title", insider.page("/notifications").text)


class Held(ServerTestCase):
    """With a plugin that holds posts: a held post notifies nobody until approved, and then
    as its author; its author hears of the decision."""

    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()
        folder = plugin_folder({"wordfilter": f"hold {HOLD_WORD}\n"})
        cls.addClassCleanup(shutil.rmtree, folder, True)
        cls.server = Server(extra_args=["--plugins", folder])
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.admin = cls.server.admin("heldadmin")
        cls.board = make_board(cls.admin)["slug"]

    def test_held_reply_notifies_on_approval_only(self):
        alice = self.server.member(unique("al"))
        bname = unique("bo")
        bob = self.server.member(bname)
        watcher = self.server.member(unique("wa"))
        t, _ = make_thread(alice, self.board)
        self.assertStatus(watcher.put(f"threads/{t['id']}/subscription"), 204)
        r = self.assertStatus(bob.post(f"threads/{t['id']}/posts", {"body": f"{HOLD_WORD} question"}), 202)
        pid = r.data["post"]["id"]
        for c in (alice, watcher):
            self.assertEqual(c.get("notifications").data["notifications"], [])
        self.assertStatus(self.admin.post(f"mod/posts/{pid}", {"action": "approve", "reason": "fine"}), 200)
        n = alice.get("notifications").data["notifications"]
        self.assertEqual([(x["kind"], x["post_id"], x["actor"]) for x in n], [("reply", pid, bname)])
        n = watcher.get("notifications").data["notifications"]
        self.assertEqual([(x["kind"], x["actor"]) for x in n], [("subscription", bname)])
        n = bob.get("notifications").data["notifications"]
        self.assertEqual([(x["kind"], x["action"], x["reason"]) for x in n], [("moderation", "approve", "fine")])

    def test_approved_late_reply_is_read_by_opening_the_thread(self):
        alice = self.server.member(unique("al"))
        bob = self.server.member(unique("bo"))
        t, _ = make_thread(alice, self.board)
        r = self.assertStatus(bob.post(f"threads/{t['id']}/posts", {"body": f"{HOLD_WORD} late"}), 202)
        pid = r.data["post"]["id"]
        reply(bob, t["id"], "a later reply, published at once")
        self.assertStatus(alice.get(f"threads/{t['id']}"), 200)
        self.assertEqual(alice.get("notifications").data["unread"], 0)
        self.assertStatus(self.admin.post(f"mod/posts/{pid}", {"action": "approve"}), 200)
        self.assertEqual(alice.get("notifications").data["unread"], 1)
        # the approved post has a lower id than what alice saw, yet opening the thread reads it
        self.assertStatus(alice.get(f"threads/{t['id']}"), 200)
        self.assertEqual(alice.get("notifications").data["unread"], 0)

    def test_rejected_held_post_notifies_only_its_author(self):
        alice = self.server.member(unique("al"))
        bob = self.server.member(unique("bo"))
        t, _ = make_thread(alice, self.board)
        r = self.assertStatus(bob.post(f"threads/{t['id']}/posts", {"body": f"{HOLD_WORD} again"}), 202)
        pid = r.data["post"]["id"]
        self.assertStatus(self.admin.post(f"mod/posts/{pid}", {"action": "reject", "reason": "no"}), 200)
        self.assertEqual(alice.get("notifications").data["notifications"], [])
        n = bob.get("notifications").data["notifications"]
        self.assertEqual([(x["kind"], x["action"]) for x in n], [("moderation", "reject")])


if __name__ == "__main__":
    unittest.main()
