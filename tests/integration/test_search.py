"""Search end to end: GET /api/v1/search and the /search page.

Chinese two-character words and longer phrases, English in any case and by prefix, mixed
queries; board and author filters; paging and the total; ranking (a title match first);
what must never be found (held, rejected, deleted and members-only posts, also when that
changes after indexing); escaped snippets; the 400 answers; the page and the header form.
The server runs the wordfilter plugin so that a post can be held for review."""

import re
import shutil
import urllib.parse

from agora_harness import Server, ServerTestCase, make_board, make_thread, reply, unique
from test_moderation import plugin_folder

HOLD_WORD = "赌博"


class SearchCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()  # unittest's own: the server starts here
        folder = plugin_folder({"wordfilter": f"hold {HOLD_WORD}\nreject spamword\n"})
        cls.addClassCleanup(shutil.rmtree, folder, True)
        cls.server = Server(workers=2, extra_args=["--plugins", folder])
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        srv = cls.server
        cls.admin = srv.admin("searchadmin")
        srv.add_user("searchmod", "moderator")
        cls.mod = srv.client()
        cls.mod.login("searchmod")
        cls.a = make_board(cls.admin, title="Board A")["slug"]
        cls.b = make_board(cls.admin, title="Board B")["slug"]
        cls.alice = srv.member("alice", display_name="爱丽丝")
        cls.bob = srv.member("bob", display_name="Bob")

    def search(self, q, client=None, **params):
        """The answer of GET /api/v1/search (asserted 200) as a dict."""
        query = urllib.parse.urlencode({"q": q, **params})
        r = self.assertStatus((client or self.anon()).get(f"search?{query}"), 200)
        self.assertIsInstance(r.data["results"], list)
        return r.data

    def found(self, q, client=None, **params):
        """The post ids a query finds, in the order given."""
        return [x["post_id"] for x in self.search(q, client, **params)["results"]]


class Matching(SearchCase):
    def test_chinese_two_character_words(self):
        _, p = make_thread(self.alice, self.a, "今年的准备", "今年春耕准备得早，网格员都已到位。")
        for q in ("春耕", "网格", "耕准", "到位"):
            with self.subTest(q=q):
                self.assertIn(p["id"], self.found(q))
        self.assertNotIn(p["id"], self.found("春到"))

    def test_chinese_phrases_match_as_written(self):
        _, yes = make_thread(self.alice, self.a, "经验", "全面推进乡村振兴战略，做好防汛准备。")
        _, no = make_thread(self.alice, self.a, "经验", "乡村的振兴要靠大家。")
        hits = self.found("乡村振兴")
        self.assertIn(yes["id"], hits)
        self.assertNotIn(no["id"], hits)
        both = self.found("乡村 振兴")  # two terms: each anywhere
        self.assertTrue({yes["id"], no["id"]} <= set(both), both)

    def test_single_chinese_character(self):
        _, p = make_thread(self.alice, self.a, "记录", "今年饕餮备考")
        for q in ("饕", "餮", "考"):
            with self.subTest(q=q):
                self.assertIn(p["id"], self.found(q))

    def test_english_any_case_and_prefix(self):
        _, p = make_thread(self.bob, self.a, "Notes", "The Drone SPRAYING schedule for orchards.")
        for q in ("spraying", "Spraying", "SPRAY", "drone", "orchard"):
            with self.subTest(q=q):
                self.assertIn(p["id"], self.found(q))
        self.assertNotIn(p["id"], self.found("drones"))

    def test_mixed_chinese_and_english(self):
        _, yes = make_thread(self.bob, self.a, "工具", "我们用AI辅助蔬菜大棚管理。")
        _, no = make_thread(self.bob, self.a, "工具", "我们用AI辅助水稻收割。")
        self.assertEqual(self.found("ai 大棚"), [yes["id"]])
        self.assertEqual(set(self.found("AI辅助")), {yes["id"], no["id"]})

    def test_markdown_syntax_and_link_urls_are_not_indexed(self):
        _, p = make_thread(self.bob, self.a, "Links", "See **the** [handbook](https://example.org/zzhiddenpath) now")
        self.assertEqual(self.found("zzhiddenpath"), [])
        self.assertEqual(self.found("example"), [])
        self.assertIn(p["id"], self.found("handbook"))

    def test_punctuation_and_query_operators_are_plain_text(self):
        _, p = make_thread(self.bob, self.a, "Ops", "NEAR or NOT: 防汛，值班 \"quoted\" (x) col:y")
        for q in ("NEAR", "or", "NOT", "\"quoted", "col:y", "(x)", "防汛，", "*x*"):
            with self.subTest(q=q):
                self.assertIn(p["id"], self.found(q))

    def test_result_shape(self):
        t, p = make_thread(self.alice, self.b, "形状测试", "结果的形状 shapecheck")
        data = self.search("shapecheck")
        self.assertEqual((data["total"], data["page"], data["pages"]), (1, 1, 1))
        self.assertIs(data["total_capped"], False)
        hit = data["results"][0]
        self.assertEqual((hit["post_id"], hit["thread_id"], hit["title"], hit["board"]),
                         (p["id"], t["id"], "形状测试", self.b))
        self.assertEqual((hit["author"]["username"], hit["author"]["display_name"]), ("alice", "爱丽丝"))
        self.assertRegex(hit["created_at"], r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
        self.assertIn("<mark>shapecheck</mark>", hit["snippet_html"])


class FiltersPagingRanking(SearchCase):
    def test_board_and_author_filters(self):
        word = unique("filterword")
        _, a1 = make_thread(self.alice, self.a, "x", f"{word} one")
        _, b1 = make_thread(self.alice, self.b, "x", f"{word} two")
        _, b2 = make_thread(self.bob, self.b, "x", f"{word} three")
        self.assertEqual(set(self.found(word)), {a1["id"], b1["id"], b2["id"]})
        self.assertEqual(self.found(word, board=self.a), [a1["id"]])
        self.assertEqual(set(self.found(word, board=self.b)), {b1["id"], b2["id"]})
        self.assertEqual(set(self.found(word, author="alice")), {a1["id"], b1["id"]})
        self.assertEqual(self.found(word, author="bob", board=self.b), [b2["id"]])
        self.assertEqual(self.found(word, author="nobody-here"), [])
        self.assertEqual(self.found(word, board="no-such-board"), [])

    def test_with_an_author_words_match_whole(self):
        word = unique("wholeword")
        _, p = make_thread(self.alice, self.a, "x", f"{word}ing season")
        self.assertEqual(self.found(word), [p["id"]], "without an author a word is also a prefix")
        self.assertEqual(self.found(word, author="alice"), [])
        self.assertEqual(self.found(f"{word}ing", author="alice"), [p["id"]])
        self.assertEqual(self.found(f"{word}ing season", author="alice"), [p["id"]])

    def test_paging_and_total(self):
        word = unique("pageword")
        t, _ = make_thread(self.bob, self.a, "paging", f"{word} first")
        for i in range(6):
            reply(self.bob, t["id"], f"{word} reply {i}")
        seen = []
        for page in (1, 2, 3):
            data = self.search(word, page=page, per_page=3)
            self.assertEqual((data["total"], data["pages"], data["page"]), (7, 3, page))
            seen += [x["post_id"] for x in data["results"]]
        self.assertEqual(len(seen), 7)
        self.assertEqual(len(set(seen)), 7, "no result on two pages")
        self.assertEqual(self.search(word, page=9, per_page=3)["results"], [])
        self.assertEqual(self.search(word, page=9, per_page=3)["total"], 7)

    def test_per_page_bounds(self):
        word = unique("perpage")
        make_thread(self.bob, self.a, "per page", f"{word} text")
        for given, used in (("0", 50), ("-3", 50), ("x", 50), ("1000", 200), ("200", 200), ("1", 1)):
            with self.subTest(per_page=given):
                data = self.search(word, per_page=given)
                self.assertEqual((data["per_page"], data["total"], len(data["results"])), (used, 1, 1))

    def test_title_match_ranks_first(self):
        word = unique("rankword")
        _, titled = make_thread(self.alice, self.a, f"About {word}", "nothing else here")
        later = [make_thread(self.bob, self.a, "Other", f"some text with {word} inside")[1] for _ in range(3)]
        hits = self.found(word)
        self.assertEqual(hits[0], titled["id"], hits)
        self.assertEqual(set(hits[1:]), {p["id"] for p in later})


class Visibility(SearchCase):
    def test_held_post_appears_only_once_approved(self):
        word = unique("heldword")
        t, _ = make_thread(self.alice, self.a, "held", "a fine start")
        r = self.bob.post(f"threads/{t['id']}/posts", {"body": f"{word} {HOLD_WORD}"})
        self.assertEqual((r.status, r.data["post"]["state"]), (202, "pending"), repr(r))
        pid = r.data["post"]["id"]
        for c in (self.anon(), self.bob, self.mod):
            self.assertEqual(self.found(word, c), [], "held posts are never searchable")
        self.assertStatus(self.mod.post(f"mod/posts/{pid}", {"action": "approve"}), 200)
        self.assertEqual(self.found(word), [pid])

    def test_rejected_post_never_appears(self):
        word = unique("rejword")
        t, _ = make_thread(self.alice, self.a, "rej", "a fine start")
        r = self.bob.post(f"threads/{t['id']}/posts", {"body": f"{word} {HOLD_WORD}"})
        pid = r.data["post"]["id"]
        self.assertStatus(self.mod.post(f"mod/posts/{pid}", {"action": "reject", "reason": "no"}), 200)
        self.assertEqual(self.found(word, self.bob), [])

    def test_held_thread_hides_its_first_post(self):
        word = unique("heldthread")
        r = self.bob.post(f"boards/{self.a}/threads", {"title": f"{word} title", "body": f"{HOLD_WORD} {word}"})
        self.assertEqual(r.status, 202, repr(r))
        self.assertEqual(self.found(word, self.mod), [])

    def test_deleted_post_disappears_and_restored_returns(self):
        word = unique("delword")
        t, _ = make_thread(self.alice, self.a, "del", "start")
        p = reply(self.bob, t["id"], f"{word} to be deleted")
        self.assertEqual(self.found(word), [p["id"]])
        self.assertStatus(self.bob.delete(f"posts/{p['id']}"), 204)
        self.assertEqual(self.found(word), [])
        self.assertEqual(self.found(word, self.mod), [])
        self.assertStatus(self.mod.post(f"mod/posts/{p['id']}", {"action": "restore"}), 200)
        self.assertEqual(self.found(word), [p["id"]])

    def test_edit_replaces_the_indexed_text(self):
        old, new = unique("oldword"), unique("newword")
        _, p = make_thread(self.alice, self.a, "edit", f"{old} text")
        self.assertStatus(self.alice.patch(f"posts/{p['id']}", {"body": f"{new} text"}), 200)
        self.assertEqual(self.found(old), [])
        self.assertEqual(self.found(new), [p["id"]])

    def test_members_only_board_hidden_from_outsiders(self):
        slug = unique("circle")
        self.assertStatus(self.admin.post("associations", {"slug": slug, "name": "Circle", "join_policy": "approval",
                                                           "visibility": "members"}), 201)
        board = make_board(self.admin, association=slug)["slug"]
        word = unique("secretword")
        _, p = make_thread(self.admin, board, f"{word} plan", f"{word} inside the circle")
        self.assertEqual(self.found(word, self.admin), [p["id"]])
        for c in (self.anon(), self.bob, self.mod):
            with self.subTest(user=(c.user or {}).get("username")):
                self.assertEqual(self.search(word, c)["total"], 0)
                self.assertEqual(self.found(word, c, board=board), [])

    def members_only_board(self, join_policy="approval"):
        """A board of a new members-only association that the admin created (and leads)."""
        slug = unique("closed")
        self.assertStatus(self.admin.post("associations", {"slug": slug, "name": "Closed", "join_policy": join_policy,
                                                           "visibility": "members"}), 201)
        return slug, make_board(self.admin, association=slug)["slug"]

    def test_thread_moved_into_members_only_board_disappears(self):
        _, board = self.members_only_board()
        word = unique("movedword")
        t, p = make_thread(self.bob, self.a, f"{word} title", f"{word} body")
        r = reply(self.alice, t["id"], f"{word} reply")
        self.assertEqual(set(self.found(word)), {p["id"], r["id"]})
        self.assertStatus(self.admin.post(f"mod/threads/{t['id']}", {"action": "move", "board": board}), 200)
        for c in (self.anon(), self.bob, self.alice, self.mod):
            with self.subTest(user=(c.user or {}).get("username")):
                self.assertEqual(self.search(word, c)["total"], 0)
                self.assertEqual(self.found(word, c, board=board), [])
                self.assertEqual(self.found(word, c, author="bob"), [])
        self.assertEqual(set(self.found(word, self.admin, board=board)), {p["id"], r["id"]})

    def test_member_who_leaves_no_longer_finds(self):
        assoc, board = self.members_only_board(join_policy="open")
        word = unique("leaveword")
        _, p = make_thread(self.admin, board, "inside", f"{word} inside")
        self.assertEqual(self.found(word, self.bob), [])
        self.assertStatus(self.bob.post(f"associations/{assoc}/members"), 201)
        self.assertEqual(self.found(word, self.bob), [p["id"]])
        self.assertStatus(self.bob.delete(f"associations/{assoc}/members"), 204)
        self.assertEqual(self.found(word, self.bob), [])

    def test_replies_hidden_while_the_first_post_is_rejected(self):
        word = unique("rootword")
        t, first = make_thread(self.alice, self.a, "root", "a plain start")
        r = reply(self.bob, t["id"], f"{word} in a reply")
        self.assertEqual(self.found(word), [r["id"]])
        self.assertStatus(self.mod.post(f"mod/posts/{first['id']}", {"action": "reject", "reason": "off topic"}), 200)
        for c in (self.anon(), self.bob, self.mod):
            self.assertEqual(self.found(word, c), [], "a thread whose first post is not shown hides its replies")
        self.assertStatus(self.mod.post(f"mod/posts/{first['id']}", {"action": "approve"}), 200)
        self.assertEqual(self.found(word), [r["id"]])

    def test_held_edit_is_not_searchable_until_approved(self):
        old, new = unique("beforeedit"), unique("heldedit")
        t, _ = make_thread(self.alice, self.a, "edit held", "a start")
        p = reply(self.bob, t["id"], f"{old} published text")
        r = self.bob.patch(f"posts/{p['id']}", {"body": f"{new} {HOLD_WORD}"})
        self.assertIn(r.status, (200, 202), repr(r))
        for c in (self.anon(), self.bob, self.mod):
            with self.subTest(user=(c.user or {}).get("username")):
                self.assertEqual(self.found(new, c), [], "held text is never searchable")
                self.assertEqual(self.found(old, c), [p["id"]], "the published text still is")
        self.assertStatus(self.mod.post(f"mod/posts/{p['id']}", {"action": "approve"}), 200)
        self.assertEqual(self.found(new), [p["id"]])
        self.assertEqual(self.found(old), [])

    def test_held_edit_rejected_keeps_the_old_text(self):
        old, new = unique("keptword"), unique("rejectededit")
        t, _ = make_thread(self.alice, self.a, "edit rejected", "a start")
        p = reply(self.bob, t["id"], f"{old} published text")
        self.bob.patch(f"posts/{p['id']}", {"body": f"{new} {HOLD_WORD}"})
        self.assertStatus(self.mod.post(f"mod/posts/{p['id']}", {"action": "reject", "reason": "no"}), 200)
        self.assertEqual(self.found(new, self.mod), [])
        self.assertEqual(self.found(old), [p["id"]])


class Snippets(SearchCase):
    def test_snippet_is_escaped_and_marked(self):
        _, p = make_thread(self.bob, self.a, "xss", "<script>alert('snipword')</script> & <b>bold</b>")
        hit = self.search("snipword")["results"][0]
        self.assertEqual(hit["post_id"], p["id"])
        s = hit["snippet_html"]
        self.assertNotIn("<script", s)
        self.assertNotIn("<b>", s)
        self.assertIn("&lt;script&gt;", s)
        self.assertIn("<mark>snipword</mark>", s)
        self.assertEqual(re.sub(r"</?mark>", "", s).count("<"), 0, s)

    def test_snippet_is_a_window_around_the_match(self):
        body = "前言" * 150 + "窗口词" + "后记" * 150
        make_thread(self.bob, self.a, "长文", body)
        s = self.search("窗口词")["results"][0]["snippet_html"]
        self.assertIn("<mark>窗口词</mark>", s)
        self.assertTrue(s.startswith("…") and s.endswith("…"), s)
        self.assertLess(len(s), 260)


class BadQueries(SearchCase):
    def test_empty_query(self):
        for path in ("search", "search?q=", "search?q=%20%20", "search?board=x"):
            with self.subTest(path=path):
                self.assertError(self.anon().get(path), 400, "query_empty")

    def test_too_long_query(self):
        self.assertError(self.anon().get("search?q=" + "a" * 201), 400, "query_too_long")
        self.assertError(self.anon().get("search?q=" + urllib.parse.quote("春" * 201)), 400, "query_too_long")
        self.assertStatus(self.anon().get("search?q=" + "a" * 200), 200)

    def test_huge_queries_answer_400(self):
        self.assertError(self.anon().get("search?q=" + "a" * 10000), 400, "query_too_long")
        self.assertError(self.anon().get("search?q=" + "%20".join(["w"] * 1000)), 400, "query_too_long")

    def test_too_many_words(self):
        words = [f"w{i}" for i in range(21)]
        self.assertError(self.anon().get("search?" + urllib.parse.urlencode({"q": " ".join(words)})), 400,
                         "query_too_many_words")
        self.search(" ".join(words[:20]))
        self.assertError(self.anon().get("search?q=" + urllib.parse.quote("工作" * 10 + "工")), 400,
                         "query_too_many_words")
        self.search(" ".join(["again"] * 30))  # one word, repeated: 179 characters

    def test_invalid_utf8(self):
        self.assertError(self.anon().get("search?q=%FF%FE"), 400)
        self.assertError(self.anon().get("search?q=%E6%98"), 400)

    def test_only_punctuation(self):
        self.assertError(self.anon().get("search?q=" + urllib.parse.quote("，。！ ?? ***")), 400, "query_no_words")


class Page(SearchCase):
    def test_page_lists_results_with_links_and_marks(self):
        t, p = make_thread(self.alice, self.a, "页面标题", "页面测试 pageprobe 内容")
        r = self.assertHtml(self.anon().page("/search?q=pageprobe"))
        self.assertIn(f'href="/p/{p["id"]}"', r.text)
        self.assertIn("<mark>pageprobe</mark>", r.text)
        self.assertIn("页面标题", r.text)
        self.assertIn('value="pageprobe"', r.text)

    def test_page_without_query_shows_the_form(self):
        r = self.assertHtml(self.anon().page("/search"))
        self.assertRegex(r.text, r'<form[^>]*action="/search"')
        self.assertIn('name="author"', r.text)
        self.assertNotIn("No posts match", r.text)

    def test_page_counts_one_result_in_good_english(self):
        word = unique("countone")
        make_thread(self.bob, self.a, "count", f"{word} once")
        r = self.assertHtml(self.anon().page(f"/search?q={word}"))
        self.assertIn("Results: 1", r.text)
        self.assertNotIn("1 results", r.text)

    def test_page_says_when_nothing_matches(self):
        r = self.assertHtml(self.anon().page("/search?q=zzznothingmatches"))
        self.assertIn("No posts match", r.text)

    def test_page_pager_keeps_the_query(self):
        word = unique("pagerword")
        t, _ = make_thread(self.bob, self.a, "pager", f"{word} first")
        reply(self.bob, t["id"], f"{word} second")
        r = self.assertHtml(self.anon().page(f"/search?q={word}&per_page=1"))
        self.assertIn(f"?page=2&amp;q={word}&amp;per_page=1", r.text)

    def test_page_pager_escapes_the_query(self):
        word = unique("pagerescape")
        t, _ = make_thread(self.bob, self.a, "pager", f"{word} first")
        reply(self.bob, t["id"], f"{word} second")
        q = f'{word} "<&>\''
        r = self.assertHtml(self.anon().page("/search?" + urllib.parse.urlencode({"q": q, "author": "bob", "per_page": 1})))
        link = re.search(r'<a href="([^"]*)" rel="next">', r.text)
        self.assertIsNotNone(link, r.text)
        self.assertEqual(link.group(1),
                         f"?page=2&amp;q={word}%20%22%3C%26%3E%27&amp;author=bob&amp;per_page=1")
        self.assertNotIn("<&>", r.text)

    def test_page_error_for_bad_query(self):
        self.assertHtml(self.anon().page("/search?q=" + "a" * 201), 400)

    def test_header_has_a_search_form(self):
        r = self.assertHtml(self.anon().page("/"))
        self.assertRegex(r.text, r'<form[^>]*action="/search"[^>]*>\s*<input[^>]*name="q"')
