"""Atom feeds (API.md "Search, notifications, feeds, live updates"; DESIGN-NOTES.md "Atom
feeds"): GET /feed.atom, /boards/SLUG/feed.atom and /threads/ID/feed.atom parse as Atom 1.0
with the required elements, list what a reader expects newest first, carry awkward titles
intact, never show held, rejected or deleted posts, and answer 404 for members-only boards
to everyone but members, as the pages do."""

import re
import shutil
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from agora_harness import RFC3339, Server, ServerTestCase, make_board, make_thread, reply, unique
from test_moderation import HOLD_WORD, plugin_folder

A = "{http://www.w3.org/2005/Atom}"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
HELD_BODY = f"我们村里最近有人在搞{HOLD_WORD}活动，大家注意。"


class FeedCase(ServerTestCase):
    """A server whose wordfilter holds posts with HOLD_WORD; an admin, a site moderator, two
    members, a public board, and a members-only association `closed-circle` (alice a member)
    with its board."""

    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()
        folder = plugin_folder({"wordfilter": f"hold {HOLD_WORD}\n"})
        cls.addClassCleanup(shutil.rmtree, folder, True)
        cls.server = Server(workers=cls.workers, extra_args=["--plugins", folder])
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.admin = cls.server.admin("feedadmin")
        cls.mod = cls.staff("feedmod", "moderator")
        cls.alice = cls.server.member("alice", display_name="Alice 张")
        cls.bob = cls.server.member("bob", display_name="Bob 王")
        cls.board = make_board(cls.admin, title="Spring <farming> & 春耕", description="Seeds & tools")["slug"]
        cls.expect(cls.admin.post("associations", {"slug": "closed-circle", "name": "Closed circle",
                                                   "join_policy": "open", "visibility": "members"}), 201)
        cls.expect(cls.alice.post("associations/closed-circle/members"), 201)
        cls.secret_board = make_board(cls.admin, title="Secret board", association="closed-circle")["slug"]
        cls.secret_thread, cls.secret_root = make_thread(cls.alice, cls.secret_board, "Secret plan 秘密", "hush")

    def feed(self, path, client=None, status=200, **kw):
        """The feed at path, parsed; asserts the status and the Atom content type."""
        r = self.assertStatus((client or self.anon()).request("GET", path, **kw), status)
        if status != 200:
            return r
        self.assertEqual(r.header("Content-Type"), ATOM_TYPE)
        root = ET.fromstring(r.body)
        self.assertEqual(root.tag, A + "feed")
        return root

    def entries(self, feed):
        return feed.findall(A + "entry")

    def titles(self, feed):
        return [e.findtext(A + "title") for e in self.entries(feed)]

    def links(self, el, rel="alternate"):
        return [link.get("href") for link in el.findall(A + "link") if link.get("rel", "alternate") == rel]

    def assertWellFormedFeed(self, feed):
        """The elements RFC 4287 requires of a feed and of each entry."""
        for name in ("id", "title", "updated"):
            self.assertIsNotNone(feed.find(A + name), f"feed without {name}")
        self.assertRegex(feed.findtext(A + "updated"), RFC3339)
        self.assertEqual(len(self.links(feed, "self")), 1)
        self.assertEqual(len(self.links(feed, "alternate")), 1)
        for e in self.entries(feed):
            for name in ("id", "title", "updated", "published"):
                self.assertTrue(e.findtext(A + name), f"entry without {name}")
            self.assertRegex(e.findtext(A + "updated"), RFC3339)
            self.assertTrue(e.find(A + "author").findtext(A + "name"))
            self.assertEqual(e.find(A + "content").get("type"), "html")
            self.assertEqual(len(self.links(e)), 1)
        ids = [e.findtext(A + "id") for e in self.entries(feed)]
        self.assertEqual(len(ids), len(set(ids)), "entry ids are unique")


class Shapes(FeedCase):
    def test_board_feed_lists_new_threads_with_their_first_post(self):
        slug = make_board(self.admin)["slug"]
        t1, p1 = make_thread(self.alice, slug, "First thread", "Hello **world**")
        t2, p2 = make_thread(self.bob, slug, "Second thread", "Another one")
        reply(self.alice, t1["id"], "a reply makes t1 active, but creation order decides")
        feed = self.feed(f"/boards/{slug}/feed.atom")
        self.assertWellFormedFeed(feed)
        self.assertEqual(self.titles(feed), ["Second thread", "First thread"])
        e = self.entries(feed)[1]
        self.assertEqual(e.find(A + "author").findtext(A + "name"), "Alice 张")
        self.assertTrue(self.links(e)[0].endswith(f"/p/{p1['id']}"), self.links(e))
        self.assertIn("<strong>world</strong>", e.findtext(A + "content"))
        self.assertTrue(self.links(feed, "alternate")[0].endswith(f"/b/{slug}"))
        self.assertTrue(self.links(feed, "self")[0].endswith(f"/boards/{slug}/feed.atom"))

    def test_entry_link_leads_to_the_post_on_its_page(self):
        t, _ = make_thread(self.alice, self.board, "Anchors", "root")
        p = reply(self.bob, t["id"], "the answer")
        link = self.links(self.entries(self.feed(f"/threads/{t['id']}/feed.atom"))[0])[0]
        path = urllib.parse.urlsplit(link).path
        self.assertEqual(path, f"/p/{p['id']}")
        r = self.assertStatus(self.anon().page(path), 303)
        target, _, anchor = r.header("Location").partition("#")
        self.assertTrue(target.endswith(f"/t/{t['id']}"), target)
        page = self.assertHtml(self.anon().page(f"/t/{t['id']}"))
        self.assertIn(f'id="{anchor}"', page.text)

    def test_thread_feed_puts_the_new_reply_first(self):
        t, root = make_thread(self.alice, self.board, "Seed prices 种子价格", "What do you pay?")
        r1 = reply(self.bob, t["id"], "Twelve yuan")
        r2 = reply(self.alice, t["id"], "Thanks", parent_id=r1["id"])
        feed = self.feed(f"/threads/{t['id']}/feed.atom")
        self.assertWellFormedFeed(feed)
        ids = [e.findtext(A + "id") for e in self.entries(feed)]
        self.assertEqual(len(ids), 3)
        self.assertTrue(ids[0].endswith(f"post/{r2['id']}") and ids[2].endswith(f"post/{root['id']}"), ids)
        self.assertEqual(self.titles(feed), ["Re: Seed prices 种子价格"] * 2 + ["Seed prices 种子价格"])
        self.assertEqual(feed.findtext(A + "title"), "Seed prices 种子价格")
        r3 = reply(self.bob, t["id"], "One more")
        first = self.entries(self.feed(f"/threads/{t['id']}/feed.atom"))[0]
        self.assertTrue(first.findtext(A + "id").endswith(f"post/{r3['id']}"))

    def test_titles_with_markup_characters_and_chinese_survive(self):
        title = 'Tools < 100元 & "seeds" 春耕 \'now\''
        t, _ = make_thread(self.bob, self.board, title, "Body with <b>tags</b> & ampersands")
        reply(self.alice, t["id"], "ok")
        board_feed = self.feed(f"/boards/{self.board}/feed.atom")
        self.assertEqual(board_feed.findtext(A + "title"), "Spring <farming> & 春耕")
        self.assertEqual(board_feed.findtext(A + "subtitle"), "Seeds & tools")
        self.assertIn(title, self.titles(board_feed))
        entry = [e for e in self.entries(board_feed) if e.findtext(A + "title") == title][0]
        self.assertIn("&lt;b&gt;tags&lt;/b&gt; &amp; ampersands", entry.findtext(A + "content"),
                      "the post's HTML (which escaped the typed tags) arrives unchanged")
        thread_feed = self.feed(f"/threads/{t['id']}/feed.atom")
        self.assertEqual(thread_feed.findtext(A + "title"), title)
        self.assertEqual(self.titles(thread_feed)[0], "Re: " + title)

    def test_chinese_reader_gets_chinese_reply_titles(self):
        t, _ = make_thread(self.alice, self.board, "农机检修", "root")
        reply(self.bob, t["id"], "好")
        feed = self.feed(f"/threads/{t['id']}/feed.atom", headers={"Accept-Language": "zh-CN"})
        self.assertEqual(self.titles(feed)[0], "回复：农机检修")

    def test_site_feed_lists_new_threads_across_boards(self):
        other = make_board(self.admin)["slug"]
        t1, _ = make_thread(self.alice, self.board, "Site feed one", "x")
        t2, _ = make_thread(self.bob, other, "Site feed two", "y")
        feed = self.feed("/feed.atom")
        self.assertWellFormedFeed(feed)
        self.assertEqual(self.titles(feed)[:2], ["Site feed two", "Site feed one"])
        self.assertTrue(self.links(feed, "self")[0].endswith("/feed.atom"))

    def test_missing_board_and_thread_404(self):
        self.feed("/boards/no-such-board/feed.atom", status=404)
        self.feed("/threads/999999/feed.atom", status=404)
        self.feed("/threads/abc/feed.atom", status=404)
        self.feed("/threads/0/feed.atom", status=404)

    def test_ids_and_links_follow_a_valid_host_and_ignore_a_bad_one(self):
        feed = self.feed(f"/boards/{self.board}/feed.atom", headers={"Host": "Forum.Example.org:8443"})
        self.assertEqual(feed.findtext(A + "id"), f"tag:forum.example.org,2026:board/{self.board}")
        self.assertEqual(self.links(feed, "self")[0], f"http://forum.example.org:8443/boards/{self.board}/feed.atom")
        for bad in ('evil.org/"><x', "user@evil.org", "a b"):
            with self.subTest(host=bad):
                feed = self.feed(f"/boards/{self.board}/feed.atom", headers={"Host": bad})
                self.assertEqual(self.links(feed, "self")[0],
                                 f"http://127.0.0.1:{self.server.port}/boards/{self.board}/feed.atom")
                self.assertTrue(feed.findtext(A + "id").startswith("tag:127.0.0.1,2026:"))

    def test_pages_announce_their_feeds(self):
        t, _ = make_thread(self.alice, self.board, "Announced", "x")
        for path, feed in ((f"/b/{self.board}", f"/boards/{self.board}/feed.atom"),
                           (f"/t/{t['id']}", f"/threads/{t['id']}/feed.atom")):
            with self.subTest(page=path):
                html = self.assertHtml(self.anon().page(path)).text
                head = html.split("</head>")[0]
                self.assertRegex(head, rf'<link rel="alternate" type="application/atom\+xml" href="{re.escape(feed)}"')
                body = html.split("</head>")[1]
                self.assertRegex(body, rf'<a href="{re.escape(feed)}"[^>]*>Atom feed</a>')
                self.feed(feed)


class ConditionalGet(FeedCase):
    """Feed readers poll: one that has the current feed gets a bodiless 304."""

    def test_unchanged_feed_is_304_and_a_new_reply_changes_it(self):
        t, _ = make_thread(self.alice, self.board, "Polled thread")
        path = f"/threads/{t['id']}/feed.atom"
        first = self.assertStatus(self.anon().request("GET", path), 200)
        tag = first.header("ETag")
        self.assertRegex(tag or "", r'^"[0-9a-f]{32}"$')
        again = self.anon().request("GET", path, headers={"If-None-Match": tag})
        self.assertEqual(again.status, 304)
        self.assertEqual(again.body, b"")
        self.assertEqual(again.header("ETag"), tag)
        listed = self.anon().request("GET", path, headers={"If-None-Match": f'"other", W/{tag}'})
        self.assertEqual(listed.status, 304, "a tag in a list, or weak, still matches")
        reply(self.bob, t["id"], "news for the pollers")
        changed = self.assertStatus(self.anon().request("GET", path, headers={"If-None-Match": tag}), 200)
        self.assertNotEqual(changed.header("ETag"), tag)
        self.assertIn("news for the pollers", changed.body.decode())

    def test_other_tags_get_the_feed(self):
        r = self.anon().request("GET", "/feed.atom", headers={"If-None-Match": '"0123"'})
        self.assertEqual(r.status, 200)
        self.assertTrue(r.body)


class Visibility(FeedCase):
    def test_members_only_board_and_thread_404_to_visitors_and_outsiders(self):
        for who, client in (("visitor", self.anon()), ("non-member", self.bob), ("site moderator", self.mod)):
            with self.subTest(who=who):
                self.feed(f"/boards/{self.secret_board}/feed.atom", client=client, status=404)
                self.feed(f"/threads/{self.secret_thread['id']}/feed.atom", client=client, status=404)
                self.assertNotIn("Secret plan 秘密", self.titles(self.feed("/feed.atom", client=client)))

    def test_member_reads_them_with_the_bearer_token(self):
        feed = self.feed(f"/boards/{self.secret_board}/feed.atom", client=self.alice)
        self.assertEqual(self.titles(feed), ["Secret plan 秘密"])
        feed = self.feed(f"/threads/{self.secret_thread['id']}/feed.atom", client=self.alice)
        self.assertEqual(self.titles(feed), ["Secret plan 秘密"])
        self.assertIn("Secret plan 秘密", self.titles(self.feed("/feed.atom", client=self.alice)))

    def test_held_rejected_and_deleted_posts_never_appear(self):
        t, _ = make_thread(self.alice, self.board, "Moderated thread", "root")
        kept = reply(self.bob, t["id"], "a fine reply")
        gone = reply(self.bob, t["id"], "a reply to delete")
        held = self.assertStatus(self.bob.post(f"threads/{t['id']}/posts", {"body": HELD_BODY}), 202).data["post"]
        rejected = self.assertStatus(self.bob.post(f"threads/{t['id']}/posts", {"body": HELD_BODY + " 2"}),
                                     202).data["post"]
        self.assertStatus(self.mod.post(f"mod/posts/{rejected['id']}", {"action": "reject"}), 200)
        self.assertStatus(self.bob.delete(f"posts/{gone['id']}"), 204)
        for who, client in (("visitor", self.anon()), ("author", self.bob), ("moderator", self.mod)):
            with self.subTest(who=who):
                feed = self.feed(f"/threads/{t['id']}/feed.atom", client=client)
                ids = [e.findtext(A + "id").rsplit("/", 1)[1] for e in self.entries(feed)]
                self.assertIn(str(kept["id"]), ids)
                for p in (held, rejected, gone):
                    self.assertNotIn(str(p["id"]), ids)
                self.assertNotIn(HOLD_WORD, ET.tostring(feed, encoding="unicode"))
                self.assertNotIn("a reply to delete", ET.tostring(feed, encoding="unicode"))

    def test_held_thread_is_in_no_feed(self):
        r = self.assertStatus(self.bob.post(f"boards/{self.board}/threads",
                                            {"title": "Held thread 待审", "body": HELD_BODY}), 202)
        post = r.data["post"]
        for who, client in (("visitor", self.anon()), ("author", self.bob)):
            with self.subTest(who=who):
                self.assertNotIn("Held thread 待审", self.titles(self.feed(f"/boards/{self.board}/feed.atom", client=client)))
                self.assertNotIn("Held thread 待审", self.titles(self.feed("/feed.atom", client=client)))
                self.feed(f"/threads/{post['thread_id']}/feed.atom", client=client, status=404)

    def test_thread_whose_first_post_was_deleted_leaves_the_board_feed(self):
        t, root = make_thread(self.bob, self.board, "Soon deleted 将删", "x")
        self.assertIn("Soon deleted 将删", self.titles(self.feed(f"/boards/{self.board}/feed.atom")))
        self.assertStatus(self.bob.delete(f"posts/{root['id']}"), 204)
        self.assertNotIn("Soon deleted 将删", self.titles(self.feed(f"/boards/{self.board}/feed.atom")))
        self.assertNotIn("Soon deleted 将删", self.titles(self.feed("/feed.atom")))


if __name__ == "__main__":
    unittest.main()
