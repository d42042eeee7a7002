"""Q&A boards, accepted answers and answer-first questions (API.md "Peer learning in threads";
issue 14): a board's kind and rule (create, PATCH, bad values, admins only); accepting an
answer (the asker or a moderator, a published answer of that thread, null undoes, the
author notified, shown first after the question, marked in lists and search); and the
answer-first rule across every reader: the thread in the API and on its page, a post on its
own, search, the thread's Atom feed, notifications and the live stream — with the asker,
moderators, a training's organisers and whoever answered seeing everything."""

import time
import urllib.parse
import xml.etree.ElementTree as ET

from agora_harness import ServerTestCase, make_board, make_thread, reply, unique
from test_live import Stream

A = "{http://www.w3.org/2005/Atom}"


class QaCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("qaadmin")
        cls.asker = cls.server.member("asker")
        cls.ann = cls.server.member("ann")
        cls.ben = cls.server.member("ben")
        cls.qa = make_board(cls.admin, title="问答", kind="qa")["slug"]
        cls.af = make_board(cls.admin, title="作业", kind="qa", answer_first=True)["slug"]

    def question(self, board=None, body="大家春耕怎么组织的？"):
        t, root = make_thread(self.asker, board or self.qa, "怎么组织春耕 " + unique("q"), body)
        t["root"] = root["id"]
        return t

    def thread_posts(self, client, tid, **query):
        q = urllib.parse.urlencode(query)
        r = self.assertStatus(client.get(f"threads/{tid}" + (f"?{q}" if q else "")), 200)
        return r.data


class Boards(QaCase):
    def test_kind_and_rule_are_on_the_board(self):
        b = self.assertStatus(self.admin.get(f"boards/{self.af}"), 200).data["board"]
        self.assertEqual((b["kind"], b["answer_first"]), ("qa", True))
        plain = make_board(self.admin)
        self.assertEqual((plain["kind"], plain["answer_first"]), ("discussion", False))

    def test_bad_kinds_and_rules_are_refused(self):
        self.assertError(self.admin.post("boards", {"slug": unique("b-"), "title": "x", "kind": "wiki"}),
                         400, "invalid_board_kind")
        self.assertError(self.admin.post("boards", {"slug": unique("b-"), "title": "x", "answer_first": True}),
                         400, "answer_first_needs_qa")
        self.assertError(self.admin.post("boards", {"slug": unique("b-"), "title": "x", "answer_first": "yes"}), 400)

    def test_patch_changes_kind_and_rule(self):
        slug = make_board(self.admin)["slug"]
        r = self.assertStatus(self.admin.patch(f"boards/{slug}", {"kind": "qa", "answer_first": True}), 200)
        self.assertEqual((r.data["board"]["kind"], r.data["board"]["answer_first"]), ("qa", True))
        r = self.assertStatus(self.admin.patch(f"boards/{slug}", {"title": "改名了"}), 200)
        self.assertEqual((r.data["board"]["title"], r.data["board"]["kind"]), ("改名了", "qa"))
        # back to discussion: answers stop hiding
        r = self.assertStatus(self.admin.patch(f"boards/{slug}", {"kind": "discussion"}), 200)
        self.assertEqual((r.data["board"]["kind"], r.data["board"]["answer_first"]), ("discussion", False))
        self.assertError(self.admin.patch(f"boards/{slug}", {"answer_first": True}), 400, "answer_first_needs_qa")
        self.assertError(self.admin.patch(f"boards/{slug}", {"kind": 3}), 400)

    def test_only_admins_change_boards(self):
        slug = make_board(self.admin)["slug"]
        for c in (self.smod, self.lect, self.ann):
            self.assertError(c.patch(f"boards/{slug}", {"kind": "qa"}), 403, "admin_only")
        self.assertError(self.anon().patch(f"boards/{slug}", {"kind": "qa"}), 401)
        self.assertError(self.admin.patch("boards/no-such-board", {"kind": "qa"}), 404)


    def test_board_settings_form(self):
        slug = make_board(self.admin)["slug"]
        c = self.server.client()
        c.login("qaadmin", bearer=False)
        page = c.page(f"/b/{slug}").text
        self.assertIn(f'action="/b/{slug}/settings"', page)
        self.assertNotIn(f'action="/b/{slug}/settings"', self.ann.page(f"/b/{slug}").text)
        r = c.form(f"/b/{slug}/settings", {"title": "问答版", "description": "", "kind": "qa", "answer_first": "1"},
                   page=f"/b/{slug}")
        self.assertStatus(r, 303)
        b = self.anon().get(f"boards/{slug}").data["board"]
        self.assertEqual((b["title"], b["kind"], b["answer_first"]), ("问答版", "qa", True))
        # an unticked box turns the rule off
        self.assertStatus(c.form(f"/b/{slug}/settings", {"title": "问答版", "kind": "qa"}, page=f"/b/{slug}"), 303)
        self.assertFalse(self.anon().get(f"boards/{slug}").data["board"]["answer_first"])
        self.assertIn('class="tag question"', self.anon().page(f"/b/{slug}").text)


class Accepting(QaCase):
    def test_asker_accepts_and_it_comes_first_after_the_question(self):
        t = self.question()
        first = reply(self.ann, t["id"], "先检修农机。")
        second = reply(self.ben, t["id"], "按网格排班请师傅下乡。")
        reply(self.ann, t["id"], "补充一句", parent_id=first["id"])
        r = self.assertStatus(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": second["id"]}), 200)
        self.assertEqual(r.data["thread"]["accepted_post_id"], second["id"])
        posts = self.thread_posts(self.anon(), t["id"])["posts"]
        self.assertEqual([p["id"] for p in posts[:2]], [posts[0]["id"], second["id"]])
        self.assertTrue(posts[1].get("accepted"))
        self.assertEqual(sum(1 for p in posts if p.get("accepted")), 1)
        flat = self.thread_posts(self.anon(), t["id"], view="flat")["posts"]
        self.assertEqual(flat[1]["id"], second["id"])
        # the post's own address still finds its page
        self.assertStatus(self.anon().request("GET", f"/p/{first['id']}"), 303)

    def test_answer_author_is_notified(self):
        t = self.question()
        a = reply(self.ben, t["id"], "我们的做法")
        self.assertStatus(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": a["id"]}), 200)
        notes = self.assertStatus(self.ben.get("notifications"), 200).data["notifications"]
        self.assertIn(("accepted", a["id"]), [(n["kind"], n.get("post_id")) for n in notes])
        page = self.ben.page("/notifications").text
        self.assertIn("采纳" if 'lang="zh' in page else "accepted your answer", page)

    def test_deleting_the_accepted_answer_unsolves_the_question(self):
        t = self.question()
        a = reply(self.ann, t["id"])
        self.assertStatus(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": a["id"]}), 200)
        self.assertStatus(self.ann.delete(f"posts/{a['id']}"), 204)
        self.assertIsNone(self.anon().get(f"threads/{t['id']}").data["thread"]["accepted_post_id"])

    def test_null_undoes_and_missing_is_an_error(self):
        t = self.question()
        a = reply(self.ann, t["id"])
        self.assertStatus(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": a["id"]}), 200)
        r = self.assertStatus(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": None}), 200)
        self.assertIsNone(r.data["thread"]["accepted_post_id"])
        self.assertError(self.asker.post(f"threads/{t['id']}/accepted", {}), 400, "missing_post_id")
        self.assertError(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": "x"}), 400)

    def test_who_may_accept(self):
        t = self.question()
        a = reply(self.ann, t["id"])
        self.assertError(self.ben.post(f"threads/{t['id']}/accepted", {"post_id": a["id"]}), 403, "not_the_asker")
        self.assertError(self.ann.post(f"threads/{t['id']}/accepted", {"post_id": a["id"]}), 403, "not_the_asker")
        self.assertError(self.anon().post(f"threads/{t['id']}/accepted", {"post_id": a["id"]}), 401)
        self.assertStatus(self.smod.post(f"threads/{t['id']}/accepted", {"post_id": a["id"]}), 200)

    def test_only_answers_of_this_question(self):
        t, other = self.question(), self.question()
        elsewhere = reply(self.ann, other["id"])
        self.assertError(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": elsewhere["id"]}),
                         400, "invalid_post")
        self.assertError(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": t["root"]}), 400, "invalid_post")
        a = reply(self.ann, t["id"])
        self.assertStatus(self.ann.delete(f"posts/{a['id']}"), 204)
        self.assertError(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": a["id"]}), 400, "invalid_post")
        self.assertError(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": 99999999}), 400, "invalid_post")

    def test_discussions_have_no_accepted_answer(self):
        plain = make_board(self.admin)["slug"]
        t, _ = make_thread(self.asker, plain)
        a = reply(self.ann, t["id"])
        self.assertError(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": a["id"]}), 409, "not_a_question")

    def test_marked_in_lists_search_and_on_the_page(self):
        word = unique("solvedword")
        t = self.question(body=f"{word} 问题")
        a = reply(self.ann, t["id"], f"{word} 的答案")
        self.assertStatus(self.asker.post(f"threads/{t['id']}/accepted", {"post_id": a["id"]}), 200)
        listed = self.assertStatus(self.anon().get(f"boards/{self.qa}"), 200).data["threads"]
        self.assertEqual([x["accepted_post_id"] for x in listed if x["id"] == t["id"]], [a["id"]])
        hits = self.assertStatus(self.anon().get(f"search?q={word}"), 200).data["results"]
        self.assertEqual({h["post_id"]: h["accepted"] for h in hits}, {a["id"]: True, t["root"]: False})
        self.assertTrue(all(h["solved"] for h in hits))
        board_page = self.anon().page(f"/b/{self.qa}").text
        self.assertIn('class="tag accepted"', board_page)
        page = self.asker.page(f"/t/{t['id']}").text
        self.assertIn(f'id="p{a["id"]}"', page)
        self.assertRegex(page, r'class="post[^"]* accepted" id="p%d"' % a["id"])
        self.assertIn(f'action="/t/{t["id"]}/accepted"', page)
        self.assertNotIn(f'action="/t/{t["id"]}/accepted"', self.ben.page(f"/t/{t['id']}").text)

    def test_accept_through_the_page_form(self):
        t = self.question()
        a = reply(self.ann, t["id"])
        c = self.server.client()
        c.login("asker", bearer=False)
        r = c.form(f"/t/{t['id']}/accepted", {"post_id": str(a["id"])}, page=f"/t/{t['id']}")
        self.assertStatus(r, 303)
        got = self.assertStatus(self.anon().get(f"threads/{t['id']}"), 200).data["thread"]
        self.assertEqual(got["accepted_post_id"], a["id"])
        self.assertStatus(c.form(f"/t/{t['id']}/accepted", {"post_id": "0"}, page=f"/t/{t['id']}"), 303)
        self.assertIsNone(self.anon().get(f"threads/{t['id']}").data["thread"]["accepted_post_id"])


class AnswerFirst(QaCase):
    """ann and ben answer an answer-first question; carl has not answered yet."""

    def setUp(self):
        self.word = unique("afword")
        self.t = self.question(self.af, body=f"{self.word} 请写出你的做法")
        self.a1 = reply(self.ann, self.t["id"], f"{self.word} 安的回答")
        self.a2 = reply(self.ben, self.t["id"], f"{self.word} 本的回答")
        self.carl = self.new_member("carl")

    def visible(self, client):
        return {p["id"] for p in self.thread_posts(client, self.t["id"])["posts"]} - {self.root()}

    def root(self):
        return self.t["root"]

    def test_thread_api_hides_others_answers_until_you_answer(self):
        both = {self.a1["id"], self.a2["id"]}
        self.assertEqual(self.visible(self.carl), set())
        self.assertEqual(self.visible(self.anon()), set())
        self.assertEqual(self.visible(self.ann), both, "whoever answered sees all")
        self.assertEqual(self.visible(self.asker), both)
        self.assertEqual(self.visible(self.smod), both)
        mine = reply(self.carl, self.t["id"], "卡尔的回答")
        self.assertEqual(self.visible(self.carl), both | {mine["id"]})

    def test_a_held_or_deleted_answer_does_not_open_the_others(self):
        mine = reply(self.carl, self.t["id"], "写完又删")
        self.assertStatus(self.carl.delete(f"posts/{mine['id']}"), 204)
        self.assertEqual(self.visible(self.carl), {mine["id"]})

    def test_post_on_its_own_is_404(self):
        self.assertError(self.carl.get(f"posts/{self.a1['id']}"), 404, "post_not_found")
        self.assertError(self.anon().get(f"posts/{self.a1['id']}"), 404, "post_not_found")
        self.assertStatus(self.ann.get(f"posts/{self.a2['id']}"), 200)
        self.assertStatus(self.anon().request("GET", f"/p/{self.a1['id']}"), 404)
        self.assertError(self.carl.put(f"posts/{self.a1['id']}/helpful"), 404)
        self.assertError(self.carl.get(f"posts/{self.a1['id']}/revisions"), 404)

    def test_page_says_why_and_shows_no_answer(self):
        page = self.carl.page(f"/t/{self.t['id']}").text
        self.assertNotIn("安的回答", page)
        self.assertIn('class="notice answers-hidden"', page)
        self.assertIn("安的回答", self.ann.page(f"/t/{self.t['id']}").text)
        self.assertNotIn("answers-hidden", self.ann.page(f"/t/{self.t['id']}").text)

    def test_search_finds_only_what_you_may_see(self):
        def found(c):
            return {h["post_id"] for h in self.assertStatus(c.get(f"search?q={self.word}"), 200).data["results"]}
        root = self.root()
        self.assertEqual(found(self.carl), {root})
        self.assertEqual(found(self.anon()), {root})
        self.assertEqual(found(self.ann), {root, self.a1["id"], self.a2["id"]})
        self.assertNotIn("安的回答", self.carl.page(f"/search?q={self.word}").text)

    def test_thread_feed_leaves_hidden_answers_out(self):
        def contents(c):
            r = self.assertStatus(c.request("GET", f"/threads/{self.t['id']}/feed.atom"), 200)
            return r.text
        self.assertNotIn("安的回答", contents(self.anon()))
        self.assertNotIn("本的回答", contents(self.carl))
        self.assertIn("本的回答", contents(self.ann))
        ET.fromstring(contents(self.anon()).encode())

    def test_profiles_and_bookmarks_keep_hidden_answers_hidden(self):
        listed = lambda c: [p["post"]["id"] for p in self.assertStatus(c.get("users/ann"), 200).data["recent_posts"]]
        self.assertNotIn(self.a1["id"], listed(self.carl))
        self.assertNotIn(self.a1["id"], listed(self.anon()))
        self.assertIn(self.a1["id"], listed(self.ben))
        self.assertNotIn("安的回答", self.carl.page("/u/ann").text)
        self.assertError(self.carl.put(f"posts/{self.a1['id']}/bookmark"), 404)
        self.assertStatus(self.smod.put(f"posts/{self.a1['id']}/bookmark"), 204)
        self.assertIn(self.a1["id"], [b["post"]["id"] for b in self.smod.get("bookmarks").data["bookmarks"]])
        quoted = self.carl.page(f"/t/{self.t['id']}?quote={self.a1['id']}")
        self.assertNotIn("安的回答", quoted.text, "a quote of an answer one may not see")

    def test_an_image_in_a_hidden_answer_is_404_too(self):
        from test_uploads import multipart, file_part, png
        body, ctype = multipart([file_part(png(), "plan.png", "image/png")])
        up = self.assertStatus(self.ben.request("POST", "/api/v1/uploads", body=body, content_type=ctype),
                               201).data["upload"]
        reply(self.ben, self.t["id"], f"我的方案 ![plan]({up['url']})")
        self.assertStatus(self.carl.page(up["url"]), 404)
        self.assertStatus(self.anon().page(up["url"]), 404)
        self.assertStatus(self.ann.page(up["url"]), 200)
        self.assertStatus(self.asker.page(up["url"]), 200)

    def test_unread_counts_leave_hidden_answers_out(self):
        self.carl.page(f"/t/{self.t['id']}")  # read as far as carl may
        reply(self.ben, self.t["id"], "本的第二个回答")
        listed = self.assertStatus(self.carl.get(f"boards/{self.af}"), 200).data["threads"]
        [row] = [x for x in listed if x["id"] == self.t["id"]]
        self.assertFalse(row.get("unread"), row)
        self.assertIn(row.get("new_posts", 0), (0, None), row)

    def test_followers_are_not_told_of_answers_they_may_not_see(self):
        t = self.question(self.af)
        self.assertStatus(self.carl.put(f"threads/{t['id']}/subscription"), 204)
        reply(self.ann, t["id"], "@carl 看看我的回答")
        kinds = [n for n in self.carl.get("notifications").data["notifications"] if n.get("thread_id") == t["id"]]
        self.assertEqual(kinds, [])
        # the asker is told
        self.assertTrue([n for n in self.asker.get("notifications").data["notifications"] if n.get("thread_id") == t["id"]])

    def test_live_stream_sends_only_your_own_until_you_answered(self):
        carl = self.carl
        s_carl = Stream(self.server.port, self.t["id"], token=carl.token)
        s_ann = Stream(self.server.port, self.t["id"], token=self.ann.token)
        try:
            hidden = reply(self.ben, self.t["id"], "本又补充")
            self.assertTrue(s_ann.wait_for(lambda s: hidden["id"] in s.post_ids()))
            time.sleep(0.3)
            s_carl.wait_for(lambda s: False, timeout=0.5)
            self.assertNotIn(hidden["id"], s_carl.post_ids())
            mine = reply(carl, self.t["id"], "卡尔的回答")
            # his own answer reaches him, and then the stream closes to reopen with all answers
            self.assertTrue(s_carl.wait_for(lambda s: s.closed or mine["id"] in s.post_ids()))
            s_carl.wait_for(lambda s: s.closed, timeout=3)
            self.assertTrue(s_carl.closed)
            s2 = Stream(self.server.port, self.t["id"], token=carl.token)
            try:
                later = reply(self.ben, self.t["id"], "再补充")
                self.assertTrue(s2.wait_for(lambda s: later["id"] in s.post_ids()))
            finally:
                s2.close()
        finally:
            s_carl.close()
            s_ann.close()

    def test_training_organisers_see_the_answers(self):
        # an organiser of the training whose board it is, and a lecturer of its lessons
        import datetime
        cn = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
        x = self.assertStatus(self.lect.post("trainings", {"slug": unique("af-"), "title": "作业培训",
                                                           "starts_on": (cn + datetime.timedelta(days=2)).isoformat(),
                                                           "ends_on": (cn + datetime.timedelta(days=3)).isoformat(),
                                                           "hours": 2,
                                                           "enrolment": "open"}), 201).data["training"]
        self.assertError(self.admin.patch(f"boards/{x['board']}", {"kind": "qa"}), 404)  # admins do not see it
        self.assertError(self.lect2.patch(f"boards/{x['board']}", {"kind": "qa"}), 404)
        self.assertStatus(self.lect.patch(f"boards/{x['board']}", {"kind": "qa", "answer_first": True}), 200)
        self.assertStatus(self.carl.post(f"trainings/{x['slug']}/trainees"), (200, 201))
        dan = self.new_member("dan")
        self.assertStatus(dan.post(f"trainings/{x['slug']}/trainees"), (200, 201))
        t, _ = make_thread(self.lect, x["board"], "作业一", "写下你的做法")
        a = reply(self.carl, t["id"], "卡尔的作业")
        self.assertEqual([p["id"] for p in self.thread_posts(self.lect, t["id"])["posts"][1:]], [a["id"]])
        self.assertEqual(self.thread_posts(dan, t["id"])["posts"][1:], [])

    def test_turning_the_rule_off_shows_the_answers(self):
        slug = make_board(self.admin, kind="qa", answer_first=True)["slug"]
        t = self.question(slug)
        a = reply(self.ann, t["id"])
        self.assertEqual([p["id"] for p in self.thread_posts(self.carl, t["id"])["posts"][1:]], [])
        self.assertStatus(self.admin.patch(f"boards/{slug}", {"answer_first": False}), 200)
        self.assertEqual([p["id"] for p in self.thread_posts(self.carl, t["id"])["posts"][1:]], [a["id"]])


class Featured(QaCase):
    def test_moderators_feature_and_home_lists_it(self):
        plain = make_board(self.admin)["slug"]
        t, _ = make_thread(self.asker, plain, "经验交流：" + unique("f"))
        self.assertError(self.ann.post(f"mod/threads/{t['id']}", {"action": "feature"}), 403)
        r = self.assertStatus(self.smod.post(f"mod/threads/{t['id']}", {"action": "feature"}), 200)
        self.assertTrue(r.data["thread"]["featured"])
        self.assertIn(t["title"], self.anon().page("/").text.split('class="threads featured"')[1].split("</ul>")[0])
        log = self.assertStatus(self.anon().get("mod/log"), 200).data["entries"]
        self.assertIn(("feature", t["id"]), [(e["action"], e["target_id"]) for e in log])
        self.assertStatus(self.smod.post(f"mod/threads/{t['id']}", {"action": "unfeature"}), 200)
        self.assertFalse(self.anon().get(f"threads/{t['id']}").data["thread"]["featured"])
        self.assertNotIn('class="threads featured"', self.anon().page("/").text)
