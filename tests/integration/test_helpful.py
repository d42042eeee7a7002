"""Helpful marks (API.md "Peer learning in threads"; issue 14): PUT and DELETE
/api/v1/posts/ID/helpful, one per member per post and never on one's own; the counts and the
caller's mark on post objects, in a thread and alone; the count a member received on their
profile and in their learning record, as the viewer may see it; the personal feed ranking by
them; the page's button without JavaScript."""

from agora_harness import ServerTestCase, make_board, make_thread, reply, unique


class HelpfulCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("hadmin")
        cls.board = make_board(cls.admin)["slug"]
        cls.ann = cls.server.member("ann")
        cls.ben = cls.server.member("ben")
        cls.cai = cls.server.member("cai")

    def post_of(self, client, pid):
        return self.assertStatus(client.get(f"posts/{pid}"), 200).data["post"]


class Marks(HelpfulCase):
    def test_one_mark_per_member_counted_and_taken_back(self):
        t, _ = make_thread(self.ann, self.board)
        p = reply(self.ann, t["id"], "我的经验")
        self.assertEqual((p["helpful_count"], p["helpful"]), (0, False))
        self.assertStatus(self.ben.put(f"posts/{p['id']}/helpful"), 204)
        self.assertStatus(self.ben.put(f"posts/{p['id']}/helpful"), 204)  # idempotent
        self.assertStatus(self.cai.put(f"posts/{p['id']}/helpful"), 204)
        self.assertEqual((self.post_of(self.ben, p["id"])["helpful_count"], self.post_of(self.ben, p["id"])["helpful"]),
                         (2, True))
        self.assertEqual(self.post_of(self.anon(), p["id"])["helpful"], False)
        posts = self.assertStatus(self.ben.get(f"threads/{t['id']}"), 200).data["posts"]
        self.assertEqual([(x["helpful_count"], x["helpful"]) for x in posts if x["id"] == p["id"]], [(2, True)])
        thread = self.assertStatus(self.anon().get(f"threads/{t['id']}"), 200).data["thread"]
        self.assertEqual(thread["helpful_count"], 2)
        self.assertStatus(self.ben.delete(f"posts/{p['id']}/helpful"), 204)
        self.assertStatus(self.ben.delete(f"posts/{p['id']}/helpful"), 204)
        self.assertEqual(self.post_of(self.ben, p["id"])["helpful_count"], 1)

    def test_refusals(self):
        t, root = make_thread(self.ann, self.board)
        self.assertError(self.ann.put(f"posts/{root['id']}/helpful"), 403, "helpful_own_post")
        self.assertError(self.anon().put(f"posts/{root['id']}/helpful"), 401)
        self.assertError(self.ben.put("posts/98765432/helpful"), 404)
        self.assertError(self.ben.put("posts/abc/helpful"), 404)
        gone = reply(self.cai, t["id"], "删掉")
        self.assertStatus(self.cai.delete(f"posts/{gone['id']}"), 204)
        self.assertError(self.ben.put(f"posts/{gone['id']}/helpful"), 409, "post_not_published")
        self.assertEqual(self.post_of(self.ann, root["id"])["helpful_count"], 0)

    def test_members_only_posts_are_404_to_outsiders(self):
        slug = unique("hush-")
        self.assertStatus(self.admin.post("associations", {"slug": slug, "name": "私密", "join_policy": "open",
                                                           "visibility": "members"}), 201)
        b = make_board(self.admin, association=slug)["slug"]
        _, root = make_thread(self.admin, b)
        self.assertError(self.ben.put(f"posts/{root['id']}/helpful"), 404)
        self.assertStatus(self.ben.post(f"associations/{slug}/members"), (200, 201))
        self.assertStatus(self.ben.put(f"posts/{root['id']}/helpful"), 204)

    def test_banned_members_may_not_mark(self):
        m = self.new_member("ban")
        _, root = make_thread(self.ann, self.board)
        self.assertStatus(self.smod.post(f"users/{m.name}/ban", {"days": 1, "reason": "测试"}), (200, 201))
        self.assertError(m.put(f"posts/{root['id']}/helpful"), 403)


class Counts(HelpfulCase):
    def test_profile_and_record_count_what_the_viewer_may_see(self):
        author = self.new_member("au")
        t, _ = make_thread(author, self.board)
        p = reply(author, t["id"], "公开的回答")
        slug = unique("club-")
        self.assertStatus(self.admin.post("associations", {"slug": slug, "name": "内部", "join_policy": "open",
                                                           "visibility": "members"}), 201)
        self.assertStatus(author.post(f"associations/{slug}/members"), (200, 201))
        self.assertStatus(self.ben.post(f"associations/{slug}/members"), (200, 201))
        hidden_board = make_board(self.admin, association=slug)["slug"]
        _, hidden = make_thread(author, hidden_board)
        for c in (self.ben, self.cai):
            self.assertStatus(c.put(f"posts/{p['id']}/helpful"), 204)
        self.assertStatus(self.ben.put(f"posts/{hidden['id']}/helpful"), 204)

        def profile(c):
            return self.assertStatus(c.get(f"users/{author.name}"), 200).data["helpful_received"]
        self.assertEqual(profile(author), 3)
        self.assertEqual(profile(self.ben), 3)
        self.assertEqual(profile(self.cai), 2, "a members-only board's marks stay with its members")
        self.assertEqual(profile(self.anon()), 2)
        record = self.assertStatus(author.get(f"users/{author.name}/record"), 200).data
        self.assertEqual(record["activity"]["helpful_received"], 3)
        admin_view = self.assertStatus(self.admin.get(f"users/{author.name}/record"), 200).data
        self.assertEqual(admin_view["activity"]["helpful_received"], 3)
        page = self.anon().page(f"/u/{author.name}").text
        self.assertRegex(page, r"<dd>2</dd>")


class Ranking(HelpfulCase):
    def test_helpful_threads_rise_in_the_personal_feed(self):
        me = self.new_member("fe", region="henan")
        plain = make_board(self.admin)["slug"]
        quiet, _ = make_thread(self.ann, plain, "有用的经验")
        loud, _ = make_thread(self.ann, plain, "新的闲聊")
        p = reply(self.cai, quiet["id"], "具体做法")
        reply(self.cai, loud["id"], "最新回复")  # loud is the most recently active
        ids = [x["id"] for x in me.get("feed?per_page=200").data["threads"]]
        self.assertLess(ids.index(loud["id"]), ids.index(quiet["id"]))
        self.assertStatus(self.ben.put(f"posts/{p['id']}/helpful"), 204)
        ids = [x["id"] for x in me.get("feed?per_page=200").data["threads"]]
        self.assertLess(ids.index(quiet["id"]), ids.index(loud["id"]))


class Page(HelpfulCase):
    def test_the_button_works_without_javascript(self):
        t, _ = make_thread(self.ann, self.board)
        p = reply(self.ann, t["id"], "请点有帮助")
        c = self.server.client()
        c.login("ben", bearer=False)
        page = c.page(f"/t/{t['id']}").text
        self.assertIn(f'action="/posts/{p["id"]}/helpful"', page)
        self.assertIn('aria-pressed="false"', page)
        r = c.form(f"/posts/{p['id']}/helpful", {"action": "mark"}, page=f"/t/{t['id']}")
        self.assertStatus(r, 303)
        self.assertEqual(r.header("Location"), f"/p/{p['id']}")  # which leads to its page and anchor
        page = c.page(f"/t/{t['id']}").text
        self.assertIn('aria-pressed="true"', page)
        self.assertEqual(self.post_of(self.ann, p["id"])["helpful_count"], 1)
        self.assertStatus(c.form(f"/posts/{p['id']}/helpful", {"action": "sideways"}, page=f"/t/{t['id']}"), 400)
        self.assertStatus(c.form(f"/posts/{p['id']}/helpful", {"action": "unmark"}, page=f"/t/{t['id']}"), 303)
        self.assertEqual(self.post_of(self.ann, p["id"])["helpful_count"], 0)
        # no button on one's own posts, nor for visitors
        self.assertNotIn(f'action="/posts/{p["id"]}/helpful"', self.ann.page(f"/t/{t['id']}").text)
        self.assertNotIn(f'action="/posts/{p["id"]}/helpful"', self.anon().page(f"/t/{t['id']}").text)
