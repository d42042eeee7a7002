"""Content that one member cannot abuse (issue 12, "Hardening"): replies nest at most
REPLY_MAX_DEPTH levels, the built-in rates of posts and uploads (429 rate_limited with
Retry-After), and the allow-list of upload kinds judged by the bytes, not the name."""

import threading

from agora_harness import BoardCase, ServerTestCase, make_board, make_thread, reply, unique
from test_materials import field, file_part, multipart

REPLY_MAX_DEPTH = 8  # daemon/domain/forum.h


class DepthCap(BoardCase):
    admin_name = "depthadmin"

    def test_chained_replies_stop_at_the_cap(self):
        alice = self.server.member(unique("deep"))
        t, root = make_thread(alice, self.board["slug"], "Deep", "root")
        parent, ids = root["id"], []
        for i in range(20):
            p = reply(alice, t["id"], f"level {i + 1}", parent)  # asserts 201
            self.assertLessEqual(p["depth"], REPLY_MAX_DEPTH)
            ids.append(p["id"])
            parent = p["id"]
        posts = self.assertStatus(self.anon().get(f"threads/{t['id']}?per_page=100"), 200).data["posts"]
        self.assertEqual(max(x["depth"] for x in posts), REPLY_MAX_DEPTH)
        self.assertLessEqual(set(ids), {x["id"] for x in posts}, "all 20 replies are shown")
        by_id = {x["id"]: x for x in posts}
        # the ninth reply answers a post at the cap: it goes beside it, under its parent
        self.assertEqual(by_id[ids[8]]["parent_id"], by_id[ids[7]]["parent_id"])
        self.assertEqual(by_id[ids[19]]["depth"], REPLY_MAX_DEPTH)


class PageBudget(BoardCase):
    admin_name = "budgetadmin"

    def test_a_page_of_long_posts_stays_small(self):
        alice = self.server.member(unique("long"))
        t, _ = make_thread(alice, self.board["slug"], "Long posts", "root")
        long_body = ("长" * 20000 + "\n\n")  # 60 KB of text, about as much HTML
        ids = [reply(alice, t["id"], long_body)["id"] for _ in range(45)]
        data = self.assertStatus(self.anon().get(f"threads/{t['id']}?per_page=50"), 200).data
        posts = data["posts"]
        self.assertEqual(len(posts), 46, "every post of the page is listed")
        html = sum(len(x["body_html"].encode()) for x in posts)
        self.assertLessEqual(html, 2 * 1024 * 1024, "the page's post bodies stay within 2 MiB")
        collapsed = [x for x in posts if x.get("collapsed")]
        self.assertGreater(len(collapsed), 0)
        self.assertTrue(all(x["body_html"] == "" for x in collapsed))
        # a collapsed post is read on its own, whole
        alone = self.assertStatus(self.anon().get(f"posts/{collapsed[-1]['id']}"), 200).data["post"]
        self.assertIn("长" * 100, alone["body_html"])
        page = self.anon().page(f"/t/{t['id']}")
        self.assertIn(f'href="/posts/{collapsed[-1]["id"]}/revisions"', page.text)
        self.assertLess(len(page.body), 3 * 1024 * 1024)
        self.assertIn(ids[-1], [x["id"] for x in posts])
        # the thread's Atom feed has the same budget: late entries link to the post instead
        feed = self.anon().page(f"/threads/{t['id']}/feed.atom")
        self.assertEqual(feed.status, 200)
        self.assertLess(len(feed.body), 3 * 1024 * 1024)
        self.assertIn("Read it on its own", feed.text)


class PostRates(ServerTestCase):
    extra_args = ("--rate-limits", "10,60,2")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("rateadmin")
        cls.board = make_board(cls.admin)

    def test_eleventh_post_in_a_minute_429(self):
        m = self.new_member("fast")
        t, _ = make_thread(m, self.board["slug"], "Fast", "one")
        for i in range(9):
            reply(m, t["id"], f"reply {i}")
        r = m.post(f"threads/{t['id']}/posts", {"body": "one too many"})
        self.assertError(r, 429, "rate_limited")
        self.assertIn("faster than this site allows", r.error_message)
        wait = int(r.header("Retry-After"))
        self.assertTrue(1 <= wait <= 60, wait)
        r = m.post(f"boards/{self.board['slug']}/threads", {"title": "again", "body": "new thread"})
        self.assertError(r, 429, "rate_limited")
        # others are not slowed down by one member, and admins are exempt
        reply(self.new_member("calm"), t["id"], "hello")
        for i in range(12):
            reply(self.admin, t["id"], f"admin {i}")

    def test_concurrent_posts_cannot_pass_the_rate_together(self):
        m = self.new_member("racer")
        t, _ = make_thread(m, self.board["slug"], "Race", "one")
        clients = [self.server.client() for _ in range(6)]
        for c in clients:
            c.login(m.name)
        statuses = []

        def burst(c):
            for i in range(4):
                statuses.append(c.post(f"threads/{t['id']}/posts", {"body": f"race {i}"}).status)

        threads = [threading.Thread(target=burst, args=(c,)) for c in clients]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertEqual(sorted(set(statuses)), [201, 429], statuses)
        self.assertEqual(statuses.count(201), 9, "ten posts a minute, the thread's first among them")
        posts = self.anon().get(f"threads/{t['id']}").data["posts"]
        self.assertEqual(len(posts), 10)

    def test_uploads_per_hour(self):
        self.server.add_user("ratelect", "lecturer")
        lect = self.server.client()
        lect.login("ratelect")

        def upload(data, name):
            body, ctype = multipart([field("title", "notes"), field("board", self.board["slug"]),
                                     file_part(data, name, "text/plain")])
            return lect.post("materials", body, content_type=ctype)

        for i in range(2):
            self.assertStatus(upload(f"notes {i}\n".encode(), "n.txt"), 201)
        r = upload(b"notes 3\n", "n.txt")
        self.assertError(r, 429, "rate_limited")
        self.assertTrue(1 <= int(r.header("Retry-After")) <= 3600)


class UploadTypes(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("typeadmin")
        cls.board = make_board(cls.admin)
        cls.server.add_user("typelect", "lecturer")
        cls.lect = cls.server.client()
        cls.lect.login("typelect")

    def upload(self, data, name, ctype):
        body, ctype_header = multipart([field("title", "a file"), field("board", self.board["slug"]),
                                        file_part(data, name, ctype)])
        return self.lect.post("materials", body, content_type=ctype_header)

    def test_html_named_pdf_415(self):
        page = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n"
        r = self.assertError(self.upload(page, "slides.pdf", "application/pdf"), 415, "unsupported_type")
        self.assertIn("PDF", r.error_message)
        self.assertError(self.upload(b"\n  <svg xmlns='http://www.w3.org/2000/svg'/>", "a.txt", "text/plain"),
                         415, "unsupported_type")
        self.assertError(self.upload(b"MZ\x90\x00\x03\x00\x00\x00" * 8, "setup.zip", "application/zip"), 415,
                         "unsupported_type")
        self.assertEqual(self.anon().get("materials").data["materials"], [])

    def test_real_kinds_accepted(self):
        cases = [
            (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "slides.pdf", "application/pdf", "application/pdf"),
            (b"\x89PNG\r\n\x1a\n" + bytes(32), "chart.png", "application/pdf", "image/png"),
            (b"PK\x03\x04" + bytes(40), "plan.docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("讲义：春耕\n".encode(), "notes.txt", "image/png", "text/plain"),
        ]
        for data, name, sent, served in cases:
            with self.subTest(name=name):
                r = self.assertStatus(self.upload(data, name, sent), 201)
                self.assertEqual(r.data["material"]["content_type"], served)


RLO, ZWSP, LRI = "\u202e", "\u200b", "\u2066"


class HiddenCharacters(BoardCase):
    """Names and titles that would read differently from what they hold are refused (400)."""

    admin_name = "hiddenadmin"

    def test_display_names(self):
        for bad in (f"Alice {RLO}ecilA", f"ad{ZWSP}min", f"{LRI}Bob"):
            with self.subTest(name=bad):
                self.assertError(self.server.register(unique("h"), display_name=bad), 400, "invalid_display_name")
        m = self.new_member("h", display_name="Alice 张")
        self.assertError(m.patch(f"users/{m.name}", {"display_name": f"x{RLO}y"}), 400, "invalid_display_name")

    def test_titles(self):
        m = self.new_member("t")
        slug = self.board["slug"]
        self.assertError(m.post(f"boards/{slug}/threads", {"title": f"Notice {RLO}txt.exe", "body": "b"}), 400,
                         "invalid_title")
        self.assertError(m.post(f"boards/{slug}/threads", {"title": f"\ufeffTitle", "body": "b"}), 400,
                         "invalid_title")
        self.assertError(self.admin.post("boards", {"slug": unique("b-"), "title": f"Board{ZWSP}"}), 400,
                         "invalid_title")
        self.assertError(self.admin.post("associations", {"slug": unique("a-"), "name": f"Club {RLO}"}), 400,
                         "invalid_name")
        self.assertEqual(self.anon().get(f"boards/{slug}").data["threads"], [])
        make_thread(m, slug, "乡镇治理 — 交流 🌾", "visible characters stay welcome")
