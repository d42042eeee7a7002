"""Drafts, bookmarks, quote-reply and a profile's recent posts (API.md "Peer learning in
threads", docs/DRAFTS.md): every endpoint, its permissions and validation, a draft gone
once posted, kept when a plugin refuses the text on the page and restored in another session,
bookmarks' visibility decided when they are read (a members-only association's board, a deleted
post), the quote link's prefill, and a profile hiding members-only posts from a non-member."""

import html
import shutil

from agora_harness import Server, ServerTestCase, make_board, make_thread, reply, unique
from test_moderation import plugin_folder

REFUSED_WORD = "spam"  # wordfilter rejects it


class DraftsCase(ServerTestCase):
    """A server with wordfilter, an admin, a public board, a members-only association with its
    board, and members: alice and carol in the association, bob outside it."""

    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()
        folder = plugin_folder({"wordfilter": f"reject {REFUSED_WORD}\n"})
        cls.addClassCleanup(shutil.rmtree, folder, True)
        cls.server = Server(workers=2, extra_args=["--plugins", folder])
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        srv = cls.server
        cls.admin = srv.admin("dadmin")
        cls.pub = make_board(cls.admin, title="Public")["slug"]
        cls.club = unique("club")
        cls.expect(cls.admin.post("associations", {"slug": cls.club, "name": "Club", "join_policy": "open",
                                                   "visibility": "members"}), 201)
        cls.club_board = make_board(cls.admin, title="Club board", association=cls.club)["slug"]
        cls.alice, cls.bob, cls.carol = srv.member("alice"), srv.member("bob"), srv.member("carol")
        for c in (cls.alice, cls.carol):
            cls.expect(c.post(f"associations/{cls.club}/members"), 201)
        cls.thread, cls.first = make_thread(cls.admin, cls.pub, "Spring ploughing", "How did you organise it?")
        cls.club_thread, cls.club_first = make_thread(cls.alice, cls.club_board, "Club only", "Inside the club")

    def fresh_thread(self, board=None):
        t, p = make_thread(self.admin, board or self.pub, "A thread " + unique("t"), "First post.")
        return t["id"], p["id"]

    def cookie_client(self, name):
        """A second session of the member, by cookie, as a browser on another device."""
        c = self.server.client()
        c.login(name, bearer=False)
        return c


class Drafts(DraftsCase):
    def test_put_get_delete(self):
        tid, _ = self.fresh_thread()
        r = self.assertStatus(self.alice.put(f"drafts/thread-{tid}", {"body": "half a reply"}), 200)
        d = r.data["draft"]
        self.assertEqual((d["key"], d["body"]), (f"thread-{tid}", "half a reply"))
        self.assertNotIn("title", d)
        self.assertRegex(d["updated_at"], r"Z$")
        self.assertEqual(self.alice.get(f"drafts/thread-{tid}").data["draft"]["body"], "half a reply")
        self.assertStatus(self.alice.put(f"drafts/thread-{tid}", {"body": "a whole reply"}), 200)
        self.assertEqual(self.alice.get(f"drafts/thread-{tid}").data["draft"]["body"], "a whole reply")
        # another member has no draft there
        self.assertError(self.bob.get(f"drafts/thread-{tid}"), 404, "not_found")
        self.assertStatus(self.alice.delete(f"drafts/thread-{tid}"), 204)
        self.assertStatus(self.alice.delete(f"drafts/thread-{tid}"), 204)
        self.assertError(self.alice.get(f"drafts/thread-{tid}"), 404, "not_found")

    def test_new_thread_draft_keeps_a_title(self):
        r = self.assertStatus(self.alice.put(f"drafts/board-{self.pub}", {"title": "Draft title", "body": "Body"}), 200)
        self.assertEqual(r.data["draft"]["title"], "Draft title")
        page = self.assertHtml(self.cookie_client("alice").page(f"/b/{self.pub}"))
        self.assertIn('value="Draft title"', page.text)
        self.assertIn(">Body</textarea>", page.text)

    def test_blank_body_deletes(self):
        tid, _ = self.fresh_thread()
        self.assertStatus(self.alice.put(f"drafts/thread-{tid}", {"body": "something"}), 200)
        self.assertStatus(self.alice.put(f"drafts/thread-{tid}", {"body": "  \n"}), 204)
        self.assertError(self.alice.get(f"drafts/thread-{tid}"), 404, "not_found")

    def test_invalid_keys(self):
        for key in ("thread-abc", "thread-0", "thread-", "post-1", "board-", "board-Not%20A%20Slug", "x" * 90):
            with self.subTest(key=key):
                self.assertError(self.alice.put(f"drafts/{key}", {"body": "b"}), 400, "invalid_key")
                self.assertError(self.alice.get(f"drafts/{key}"), 400, "invalid_key")
                self.assertError(self.alice.delete(f"drafts/{key}"), 400, "invalid_key")

    def test_missing_or_hidden_targets_are_404(self):
        self.assertError(self.alice.put("drafts/thread-99999999", {"body": "b"}), 404)
        self.assertError(self.alice.put("drafts/board-no-such-board", {"body": "b"}), 404)
        ct = self.club_thread["id"]
        self.assertError(self.bob.put(f"drafts/thread-{ct}", {"body": "b"}), 404)
        self.assertError(self.bob.put(f"drafts/board-{self.club_board}", {"body": "b"}), 404)
        self.assertStatus(self.carol.put(f"drafts/thread-{ct}", {"body": "b"}), 200)
        self.assertStatus(self.carol.put(f"drafts/board-{self.club_board}", {"body": "b"}), 200)

    def test_body_validation(self):
        tid, _ = self.fresh_thread()
        self.assertError(self.alice.put(f"drafts/thread-{tid}", {"body": "x" * (64 * 1024 + 1)}), 413,
                         "body_too_large")
        self.assertError(self.alice.put(f"drafts/thread-{tid}", {"body": "bell \u0007"}), 400, "invalid_text")
        self.assertError(self.alice.put(f"drafts/thread-{tid}", {}), 400, "missing_body")
        self.assertError(self.alice.put(f"drafts/thread-{tid}", {"body": 5}), 400)
        self.assertError(self.alice.put(f"drafts/board-{self.pub}", {"title": "t" * 201, "body": "b"}), 413,
                         "title_too_long")
        self.assertStatus(self.alice.put(f"drafts/thread-{tid}", {"body": "x" * (64 * 1024)}), 200)

    def test_who_may_keep_drafts(self):
        tid, _ = self.fresh_thread()
        anon = self.anon()
        self.assertError(anon.put(f"drafts/thread-{tid}", {"body": "b"}), 401)
        self.assertError(anon.get(f"drafts/thread-{tid}"), 401)
        banned = self.new_member("ban")
        self.assertStatus(self.admin.post(f"users/{banned.name}/ban", {"days": 0, "reason": "test"}), 201)
        self.assertError(banned.put(f"drafts/thread-{tid}", {"body": "b"}), 403)
        self.assertError(banned.put(f"drafts/board-{self.pub}", {"body": "b"}), 403)
        self.assertStatus(self.admin.post(f"mod/threads/{tid}", {"action": "lock", "reason": "done"}), 200)
        self.assertError(self.alice.put(f"drafts/thread-{tid}", {"body": "b"}), 403, "thread_locked")

    def test_cookie_session_needs_the_csrf_header(self):
        tid, _ = self.fresh_thread()
        c = self.cookie_client("alice")
        self.assertStatus(c.put(f"drafts/thread-{tid}", {"body": "b"}, csrf=None), 403)
        self.assertStatus(c.put(f"drafts/thread-{tid}", {"body": "b"}), 200)

    def test_gone_once_posted(self):
        tid, _ = self.fresh_thread()
        self.assertStatus(self.alice.put(f"drafts/thread-{tid}", {"body": "my answer"}), 200)
        reply(self.alice, tid, "my answer")
        self.assertError(self.alice.get(f"drafts/thread-{tid}"), 404, "not_found")
        self.assertStatus(self.alice.put(f"drafts/board-{self.pub}", {"title": "T", "body": "new thread"}), 200)
        make_thread(self.alice, self.pub, "T", "new thread")
        self.assertError(self.alice.get(f"drafts/board-{self.pub}"), 404, "not_found")

    def test_restored_in_another_session(self):
        tid, _ = self.fresh_thread()
        self.assertStatus(self.alice.put(f"drafts/thread-{tid}", {"body": "typed on the phone <b>"}), 200)
        page = self.assertHtml(self.cookie_client("alice").page(f"/t/{tid}"))
        self.assertIn(">typed on the phone &lt;b&gt;</textarea>", page.text)
        self.assertNotIn("typed on the phone", self.cookie_client("bob").page(f"/t/{tid}").text)

    def test_kept_when_a_plugin_refuses_a_reply(self):
        tid, _ = self.fresh_thread()
        c = self.cookie_client("alice")
        r = c.form(f"/t/{tid}", {"body": f"cheap {REFUSED_WORD} here"}, page=f"/t/{tid}")
        self.assertEqual(r.status, 422, r)
        self.assertIn("saved as a draft", r.text)
        self.assertEqual(self.alice.get(f"drafts/thread-{tid}").data["draft"]["body"], f"cheap {REFUSED_WORD} here")
        other = self.cookie_client("alice")
        self.assertIn(f">cheap {REFUSED_WORD} here</textarea>", other.page(f"/t/{tid}").text)
        # the API's client keeps its own text: nothing is saved for it
        tid2, _ = self.fresh_thread()
        self.assertStatus(self.alice.post(f"threads/{tid2}/posts", {"body": REFUSED_WORD}), 422)
        self.assertError(self.alice.get(f"drafts/thread-{tid2}"), 404)

    def test_kept_when_a_plugin_refuses_a_new_thread(self):
        board = make_board(self.admin, title="Refusals")["slug"]
        c = self.cookie_client("carol")
        r = c.form(f"/b/{board}", {"title": "Offer", "body": f"{REFUSED_WORD} offer"}, page=f"/b/{board}")
        self.assertEqual(r.status, 422, r)
        d = self.carol.get(f"drafts/board-{board}").data["draft"]
        self.assertEqual((d["title"], d["body"]), ("Offer", f"{REFUSED_WORD} offer"))

    def test_kept_when_too_long_cut_to_the_limit(self):
        tid, _ = self.fresh_thread()
        c = self.cookie_client("alice")
        r = c.form(f"/t/{tid}", {"body": "长" * 30000}, page=f"/t/{tid}")
        self.assertEqual(r.status, 422, r)  # back in the reply box
        body = self.alice.get(f"drafts/thread-{tid}").data["draft"]["body"]
        self.assertEqual(body, "长" * (64 * 1024 // 3))

    def test_cap_drops_the_oldest(self):
        board = make_board(self.admin, title="Many")["slug"]
        ids = [self.fresh_thread(board)[0] for _ in range(101)]
        m = self.new_member("cap")
        for tid in ids:
            self.assertStatus(m.put(f"drafts/thread-{tid}", {"body": f"draft {tid}"}), 200)
        self.assertError(m.get(f"drafts/thread-{ids[0]}"), 404)
        self.assertStatus(m.get(f"drafts/thread-{ids[1]}"), 200)
        self.assertStatus(m.get(f"drafts/thread-{ids[-1]}"), 200)


class Quotes(DraftsCase):
    def test_quote_prefills_the_reply_box(self):
        tid, _ = self.fresh_thread()
        p = reply(self.alice, tid, "First line\nsecond *line*")
        page = self.assertHtml(self.cookie_client("bob").page(f"/t/{tid}?quote={p['id']}"))
        text = html.unescape(page.text)
        self.assertIn(f"[@alice](/p/{p['id']}):\n> First line\n> second *line*\n", text)
        self.assertIn(f'name="parent_id" value="{p["id"]}"', page.text)
        self.assertIn(f'href="/t/{tid}?quote={p["id"]}#reply"', self.cookie_client("bob").page(f"/t/{tid}").text)

    def test_only_visible_posts_of_the_thread_are_quoted(self):
        tid, _ = self.fresh_thread()
        cp = self.club_first["id"]
        page = self.cookie_client("bob").page(f"/t/{tid}?quote={cp}")
        self.assertNotIn("Inside the club", page.text)
        self.assertNotIn(f"/p/{cp}", page.text)


class Bookmarks(DraftsCase):
    def test_put_list_delete(self):
        tid, first = self.fresh_thread()
        second = reply(self.bob, tid, "Worth keeping")["id"]
        m = self.new_member("bm")
        self.assertStatus(m.put(f"posts/{first}/bookmark"), 204)
        self.assertStatus(m.put(f"posts/{second}/bookmark"), 204)
        self.assertStatus(m.put(f"posts/{second}/bookmark"), 204)  # idempotent
        r = self.assertStatus(m.get("bookmarks"), 200)
        self.assertEqual([b["post"]["id"] for b in r.data["bookmarks"]], [second, first])
        self.assertEqual(r.data["total"], 2)
        b = r.data["bookmarks"][0]
        self.assertRegex(b["created_at"], r"Z$")
        self.assertEqual(b["thread"]["id"], tid)
        self.assertIn("Worth keeping", b["excerpt_html"])
        t = m.get(f"threads/{tid}").data["posts"]
        self.assertEqual({p["id"]: p["bookmarked"] for p in t}, {first: True, second: True})
        self.assertIs(m.get(f"posts/{second}").data["post"]["bookmarked"], True)
        self.assertIs(self.bob.get(f"posts/{second}").data["post"]["bookmarked"], False)
        self.assertNotIn("bookmarked", self.anon().get(f"posts/{second}").data["post"])
        self.assertStatus(m.delete(f"posts/{second}/bookmark"), 204)
        self.assertStatus(m.delete(f"posts/{second}/bookmark"), 204)
        self.assertEqual([b["post"]["id"] for b in m.get("bookmarks").data["bookmarks"]], [first])
        self.assertEqual(self.bob.get("bookmarks").data["bookmarks"], [])

    def test_paged(self):
        tid, first = self.fresh_thread()
        m = self.new_member("bp")
        ids = [first] + [reply(self.admin, tid, f"reply {i}")["id"] for i in range(3)]
        for pid in ids:
            self.assertStatus(m.put(f"posts/{pid}/bookmark"), 204)
        r = m.get("bookmarks?per_page=3&page=2").data
        self.assertEqual((r["page"], r["pages"], r["total"]), (2, 2, 4))
        self.assertEqual(len(r["bookmarks"]), 1)

    def test_who_may_bookmark(self):
        self.assertError(self.anon().put(f"posts/{self.first['id']}/bookmark"), 401)
        self.assertError(self.anon().get("bookmarks"), 401)
        self.assertError(self.bob.put("posts/99999999/bookmark"), 404)
        self.assertError(self.bob.put(f"posts/{self.club_first['id']}/bookmark"), 404)
        self.assertError(self.bob.delete(f"posts/{self.club_first['id']}/bookmark"), 404)

    def test_visibility_applied_when_read(self):
        m = self.new_member("bv")
        self.assertStatus(m.post(f"associations/{self.club}/members"), 201)
        cp = reply(self.alice, self.club_thread["id"], "members only answer")["id"]
        self.assertStatus(m.put(f"posts/{cp}/bookmark"), 204)
        self.assertEqual([b["post"]["id"] for b in m.get("bookmarks").data["bookmarks"]], [cp])
        self.assertStatus(self.admin.post(f"associations/{self.club}/members/{m.name}", {"action": "remove"}), 200)
        r = m.get("bookmarks").data
        self.assertEqual((r["bookmarks"], r["total"]), ([], 0))
        self.assertNotIn("members only answer", self.cookie_client(m.name).page("/bookmarks").text)

    def test_deleted_post_not_listed(self):
        tid, _ = self.fresh_thread()
        p = reply(self.bob, tid, "soon gone")["id"]
        m = self.new_member("bd")
        self.assertStatus(m.put(f"posts/{p}/bookmark"), 204)
        self.assertStatus(self.bob.delete(f"posts/{p}"), 204)
        self.assertEqual(m.get("bookmarks").data["bookmarks"], [])
        self.assertError(m.put(f"posts/{p}/bookmark"), 404)

    def test_page_button_without_javascript(self):
        tid, first = self.fresh_thread()
        m = self.new_member("bj")
        c = self.cookie_client(m.name)
        page = c.page(f"/t/{tid}")
        self.assertIn(f'action="/posts/{first}/bookmark"', page.text)
        r = c.form(f"/posts/{first}/bookmark", {"action": "bookmark"}, page=f"/t/{tid}")
        self.assertEqual(r.status, 303, r)
        self.assertEqual(r.header("Location"), f"/p/{first}")
        self.assertIn('value="unbookmark"', c.page(f"/t/{tid}").text)
        listing = self.assertHtml(c.page("/bookmarks"))
        self.assertIn(f'href="/p/{first}"', listing.text)
        self.assertIn("First post.", listing.text)
        r = c.form(f"/posts/{first}/bookmark", {"action": "unbookmark"}, page="/bookmarks")
        self.assertEqual(r.status, 303, r)
        self.assertEqual(m.get("bookmarks").data["bookmarks"], [])
        self.assertEqual(c.form(f"/posts/{first}/bookmark", {"action": "bogus"}, page="/bookmarks").status, 400)
        r = self.anon().page("/bookmarks")  # visitors are sent to sign in, and back
        self.assertEqual((r.status, r.header("Location")), (303, "/login?next=/bookmarks"))


class RecentPosts(DraftsCase):
    def test_profile_hides_members_only_posts(self):
        m = self.new_member("rp")
        self.assertStatus(m.post(f"associations/{self.club}/members"), 201)
        make_thread(m, self.club_board, "Secret plans", "inside")
        pub_t, _ = make_thread(m, self.pub, "Open plans", "outside")
        reply(m, pub_t["id"], "an answer in the open")
        seen = {p["thread"]["title"] for p in self.bob.get(f"users/{m.name}").data["recent_posts"]}
        self.assertEqual(seen, {"Open plans"})
        anon = {p["thread"]["title"] for p in self.anon().get(f"users/{m.name}").data["recent_posts"]}
        self.assertEqual(anon, {"Open plans"})
        mine = self.carol.get(f"users/{m.name}").data["recent_posts"]
        self.assertEqual([p["thread"]["title"] for p in mine], ["Open plans", "Open plans", "Secret plans"])
        self.assertEqual([p["started_thread"] for p in mine], [False, True, True])
        page = self.assertHtml(self.cookie_client("bob").page(f"/u/{m.name}"))
        self.assertIn("Open plans", page.text)
        self.assertNotIn("Secret plans", page.text)
        self.assertIn("Secret plans", self.cookie_client("carol").page(f"/u/{m.name}").text)

    def test_ten_most_recent(self):
        m = self.new_member("r10")
        tid, _ = self.fresh_thread()
        ids = [reply(m, tid, f"answer {i}")["id"] for i in range(12)]
        got = [p["post"]["id"] for p in self.bob.get(f"users/{m.name}").data["recent_posts"]]
        self.assertEqual(got, ids[::-1][:10])
