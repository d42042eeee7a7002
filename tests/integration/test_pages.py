"""The server-rendered pages: what a visitor and a member see and do with a browser that
has no JavaScript, the security headers of every answer, and 404/405 answers."""

import html
import re
import unittest
import urllib.parse

from agora_harness import PASSWORD, ServerTestCase, hidden_csrf, make_board, make_thread, raw_request, reply, unique


def location_path(resp):
    """The path of a Location header (absolute URLs reduced to their path)."""
    loc = resp.header("Location") or ""
    parts = urllib.parse.urlsplit(loc)
    return parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


class PagesCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("pageadmin")
        cls.board = make_board(cls.admin, title="乡镇治理 Board", description="基层治理交流",
                               industry="agriculture")
        cls.alice = cls.server.member("alicep", display_name="张伟", region="henan",
                                      position="township-secretary")
        cls.thread, cls.first = make_thread(cls.alice, cls.board["slug"], "春耕备耕经验交流",
                                            "今年**春耕**提前了一周。")

    def browser(self, name=None):
        """A cookie-jar client signed in through the login form (or a visitor)."""
        c = self.server.client()
        if name:
            r = c.form("/login", {"username": name, "password": PASSWORD})
            self.assertStatus(r, 303)
        return c


class Pages(PagesCase):
    def test_public_pages_render(self):
        for path in ("/", "/login", "/register", f"/b/{self.board['slug']}", f"/t/{self.thread['id']}",
                     "/u/alicep", f"/posts/{self.first['id']}/revisions", f"/t/{self.thread['id']}?view=flat",
                     f"/b/{self.board['slug']}?region=henan&page=1"):
            with self.subTest(path=path):
                self.assertHtml(self.anon().page(path))

    def test_home_lists_boards_and_recent_threads(self):
        page = self.anon().page("/").text
        self.assertIn(f'href="/b/{self.board["slug"]}"', page)
        self.assertIn("乡镇治理 Board", page)
        self.assertIn(f'href="/t/{self.thread["id"]}"', page)

    def test_thread_page_shows_author_and_region(self):
        page = self.assertHtml(self.anon().page(f"/t/{self.thread['id']}")).text
        self.assertIn("春耕备耕经验交流", page)
        self.assertIn("<strong>春耕</strong>", page)
        self.assertIn("张伟", page)
        self.assertIn("河南省", page, "the author's region is shown by name")
        self.assertIn('href="/u/alicep"', page)

    def test_board_page(self):
        page = self.assertHtml(self.anon().page(f"/b/{self.board['slug']}")).text
        self.assertIn("乡镇治理 Board", page)
        self.assertIn("基层治理交流", page)
        self.assertIn("春耕备耕经验交流", page)
        filtered = self.anon().page(f"/b/{self.board['slug']}?region=guangdong").text
        self.assertNotIn("春耕备耕经验交流", filtered)

    def test_profile_page(self):
        page = self.assertHtml(self.anon().page("/u/alicep")).text
        self.assertIn("张伟", page)
        self.assertIn("河南省", page)
        self.assertIn("乡镇党委书记", page)
        self.assertIn("<dd>Member</dd>", page, "the role is named from the catalog")
        zh = self.assertHtml(self.anon().page("/u/alicep", headers={"Accept-Language": "zh-CN,zh;q=0.9"})).text
        self.assertIn("<dd>普通成员</dd>", zh)

    def test_missing_pages_are_404_html(self):
        for path in ("/no-such-page", "/b/no-such-board", "/t/987654321", "/t/abc", "/u/nobody-here",
                     "/posts/987654321/revisions", "/static/no-such.css"):
            with self.subTest(path=path):
                r = self.anon().page(path)
                self.assertHtml(r, 404)

    def test_unknown_api_path_is_404_json(self):
        r = self.anon().get("no-such-thing")
        self.assertError(r, 404, "not_found")
        self.assertTrue(r.header("Content-Type").startswith("application/json"))

    def test_wrong_method_405(self):
        self.assertError(self.anon().put("boards", {}), 405, "method_not_allowed")
        self.assertError(self.anon().delete("taxonomy"), 405, "method_not_allowed")
        self.assertStatus(self.anon().request("DELETE", "/"), 405)

    def test_admin_page(self):
        self.assertHtml(self.browser("alicep").page("/admin"), 403)
        self.assertNotEqual(self.anon().page("/admin").status, 200)
        page = self.assertHtml(self.browser("pageadmin").page("/admin")).text
        self.assertIn('action="/admin/settings"', page)

    def test_healthz(self):
        r = self.assertStatus(self.anon().get("/healthz"), 200)
        self.assertEqual(r.data, {"status": "ok"})
        self.assertStatus(self.anon().request("HEAD", "/healthz"), 200)

    def test_static_stylesheet(self):
        r = self.assertStatus(self.anon().page("/static/agora.css"), 200)
        self.assertTrue(r.header("Content-Type").startswith("text/css"))


class Escaping(PagesCase):
    """Whatever users and admins type is shown as text on every page."""

    EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'

    def assertEscaped(self, page, what):
        self.assertNotIn("<script>alert(1)", page, what)
        self.assertNotRegex(page, r"(?i)<img[^>]*onerror", what)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page, f"{what}: the text is still shown")

    def test_user_fields(self):
        name = unique("evil")
        c = self.server.member(name, display_name=self.EVIL[:60])
        t, p = make_thread(c, self.board["slug"], self.EVIL, "body " + self.EVIL)
        for path in (f"/t/{t['id']}", f"/b/{self.board['slug']}", "/", f"/u/{name}"):
            with self.subTest(page=path):
                self.assertEscaped(self.anon().page(path).text, path)

    def test_admin_fields(self):
        b = make_board(self.admin, title=self.EVIL, description=self.EVIL)
        self.assertStatus(self.admin.put("taxonomy/region/evilland", {"name": self.EVIL}), (200, 201))
        self.addCleanup(self.admin.delete, "taxonomy/region/evilland")
        for path in (f"/b/{b['slug']}", "/", "/register"):
            with self.subTest(page=path):
                self.assertEscaped(self.anon().page(path).text, path)

    def test_reflected_next_parameter(self):
        # only a same-site path is kept in the form (one without blanks: see test_throttle.py)
        page = self.anon().page("/login?next=" + urllib.parse.quote("/" + self.EVIL.replace(" ", "/"))).text
        self.assertEscaped(page, "/login?next=")
        page = self.anon().page("/login?next=" + urllib.parse.quote(self.EVIL)).text
        self.assertNotIn("<script>alert(1)", page)

    def test_draft_shown_back_is_escaped(self):
        c = self.browser("alicep")
        other, other_root = make_thread(self.alice, self.board["slug"], "Elsewhere", "x")
        typed = "</textarea>" + self.EVIL
        r = c.form(f"/t/{self.thread['id']}", {"body": typed, "parent_id": str(other_root["id"])})
        self.assertHtml(r, 422)  # back in the thread's reply box
        self.assertNotIn("</textarea><script>", r.text)
        self.assertEscaped(r.text, "error page draft")


class SecurityHeaders(PagesCase):
    def assertSecurityHeaders(self, headers, what):
        csp = headers.get("content-security-policy")
        self.assertIsNotNone(csp, f"{what}: no Content-Security-Policy")
        self.assertIn("frame-ancestors 'none'", csp, what)
        self.assertNotIn("unsafe-inline", csp, what)
        self.assertNotIn("unsafe-eval", csp, what)
        self.assertEqual(headers.get("x-content-type-options"), "nosniff", what)

    def test_every_answer_carries_them(self):
        c = self.anon()
        answers = {
            "home": c.page("/"),
            "thread page": c.page(f"/t/{self.thread['id']}"),
            "404 page": c.page("/nope"),
            "API": c.get("boards"),
            "API error": c.get("me"),
            "405": c.put("boards", {}),
            "healthz": c.get("/healthz"),
            "form refusal": c.form("/login", {"username": "x"}, csrf=False),
            "stylesheet": c.page("/static/agora.css"),
        }
        for what, r in answers.items():
            with self.subTest(answer=what):
                self.assertSecurityHeaders(r.headers, what)
        status, headers, _, _ = raw_request(self.server.port, b"GET //x HTTP/1.1\r\nHost: a\r\n\r\n")
        self.assertEqual(status, 400)
        self.assertSecurityHeaders(headers, "framing refusal")


class FormFlow(PagesCase):
    def test_register_post_and_reply_with_forms(self):
        c = self.server.client()
        page = self.assertHtml(c.page("/register"))
        token = hidden_csrf(page.text)
        self.assertEqual(token, c.cookies.get("agora_csrf"), "the form echoes the visitor cookie")
        name = unique("web")
        r = c.form("/register", {"username": name, "password": PASSWORD, "display_name": "网页用户",
                                 "region": "guangdong", "position": "", "industry": "", "csrf": token},
                   csrf=False)
        self.assertStatus(r, 303)
        self.assertEqual(location_path(r), "/")
        self.assertIn("agora_session", c.cookies, "registering through the page signs in")
        home = c.page("/").text
        self.assertIn("网页用户", home)
        self.assertIn(f'href="/u/{name}"', home)
        self.assertEqual(c.get("me").data["user"]["region"], "guangdong")

        r = c.form(f"/b/{self.board['slug']}", {"title": "表单发帖 form thread", "body": "Posted *by form*"})
        self.assertStatus(r, 303)
        m = re.fullmatch(r"/t/(\d+)", location_path(r))
        self.assertIsNotNone(m, r.header("Location"))
        tid = int(m.group(1))
        page = self.assertHtml(c.page(f"/t/{tid}")).text
        self.assertIn("表单发帖 form thread", page)
        self.assertIn("Posted <em>by form</em>", page)
        self.assertIn("广东省", page)

        r = c.form(f"/t/{tid}", {"body": "A reply through the form 回复"})
        self.assertStatus(r, 303)
        self.assertRegex(location_path(r), r"^/p/\d+$")
        page = c.page(f"/t/{tid}").text
        self.assertIn("A reply through the form 回复", page)
        self.assertEqual(self.anon().get(f"threads/{tid}").data["thread"]["reply_count"], 1)

        # a nested reply through the "reply" link's form
        first_post = self.anon().get(f"threads/{tid}").data["posts"][0]["id"]
        reply_page = c.page(f"/t/{tid}?reply={first_post}").text
        self.assertIn(f'name="parent_id" value="{first_post}"', reply_page)
        r = c.form(f"/t/{tid}", {"body": "nested via form", "parent_id": str(first_post)})
        self.assertStatus(r, 303)

    def test_failed_reply_keeps_the_typed_text(self):
        c = self.browser("alicep")
        other, other_root = make_thread(self.alice, self.board["slug"], "Other thread", "x")
        typed = "My long carefully typed answer <with> & symbols 长文"
        r = c.form(f"/t/{self.thread['id']}", {"body": typed, "parent_id": str(other_root["id"])})
        self.assertHtml(r, 422)  # back in the thread's reply box
        self.assertIn(html.escape(typed, quote=False), r.text)

    def test_failed_new_thread_keeps_title_and_text(self):
        c = self.browser("alicep")
        typed = "A body worth keeping " + "字" * 10
        r = c.form(f"/b/{self.board['slug']}", {"title": "T" * 201, "body": typed})
        self.assertHtml(r, 422)  # back in the board's form
        self.assertIn(typed, r.text)
        self.assertIn("T" * 201, r.text)

    def test_login_form(self):
        c = self.server.client()
        r = c.form("/login", {"username": "alicep", "password": "wrong password!"})
        self.assertHtml(r, 401)
        self.assertIn('value="alicep"', r.text, "the username stays filled in")
        self.assertNotIn("wrong password!", r.text, "never echo a password")
        self.assertNotIn("agora_session", c.cookies)
        r = c.form("/login", {"username": "alicep", "password": PASSWORD, "next": f"/t/{self.thread['id']}"})
        self.assertStatus(r, 303)
        self.assertEqual(location_path(r), f"/t/{self.thread['id']}")
        self.assertIn("张伟", c.page("/").text)

    def test_login_next_is_never_an_open_redirect(self):
        for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "\\\\evil.example"):
            with self.subTest(next=target):
                c = self.server.client()
                r = c.form("/login", {"username": "alicep", "password": PASSWORD, "next": target})
                self.assertStatus(r, 303)
                loc = r.header("Location")
                self.assertNotIn("evil.example", loc)

    def test_logout_form(self):
        c = self.browser("alicep")
        r = c.form("/logout", {}, page="/")
        self.assertStatus(r, 303)
        self.assertNotIn("agora_session", c.cookies)
        self.assertIn('href="/login"', c.page("/").text)

    def test_edit_delete_and_revisions_pages(self):
        c = self.browser("alicep")
        t, p = make_thread(self.alice, self.board["slug"], "Editable", "original words")
        page = self.assertHtml(c.page(f"/posts/{p['id']}/edit")).text
        self.assertIn("original words", page)
        r = c.form(f"/posts/{p['id']}/edit", {"body": "changed words"})
        self.assertStatus(r, 303)
        self.assertIn("changed words", c.page(f"/t/{t['id']}").text)
        rev = self.assertHtml(self.anon().page(f"/posts/{p['id']}/revisions")).text
        self.assertIn("original words", rev)
        # someone else's post: no edit for a plain member
        bob = self.server.member(unique("bobp"))
        theirs = reply(bob, t["id"], "bob's words")
        r = c.form(f"/posts/{theirs['id']}/edit", {"body": "hijack"}, page=f"/t/{t['id']}")
        self.assertHtml(r, 403)
        a = reply(self.alice, t["id"], "to be deleted")
        r = c.form(f"/posts/{a['id']}/delete", {}, page=f"/t/{t['id']}")
        self.assertStatus(r, 303)
        self.assertNotIn("to be deleted", c.page(f"/t/{t['id']}").text)
        self.assertEqual(self.anon().get(f"posts/{a['id']}").data["post"]["state"], "deleted")

    def test_edit_page_only_for_those_who_may_edit(self):
        t, p = make_thread(self.alice, self.board["slug"], "Not yours", "alice's words")
        name = unique("bobe")
        self.server.member(name, login=False)
        c = self.browser(name)
        self.assertHtml(c.page(f"/posts/{p['id']}/edit"), 403)
        self.assertNotEqual(self.anon().page(f"/posts/{p['id']}/edit").status, 200)

    def test_failed_registration_keeps_the_form(self):
        c = self.server.client()
        name = unique("short")
        r = c.form("/register", {"username": name, "password": "short", "display_name": "X"})
        self.assertHtml(r, 400)
        self.assertIn('action="/register"', r.text)
        self.assertIn(f'value="{name}"', r.text)
        self.assertNotIn("agora_session", c.cookies)

    def test_profile_form(self):
        name = unique("pf")
        self.server.member(name, login=False)
        c = self.browser(name)
        page = self.assertHtml(c.page(f"/u/{name}")).text
        self.assertIn(f'action="/u/{name}"', page)
        r = c.form(f"/u/{name}", {"display_name": "新名字", "region": "sichuan", "position": "",
                                  "industry": "", "current_password": "", "password": ""})
        self.assertStatus(r, 303)
        self.assertEqual(location_path(r), f"/u/{name}")
        got = self.anon().get(f"users/{name}").data["user"]
        self.assertEqual((got["display_name"], got["region"]), ("新名字", "sichuan"))

    def test_register_page_in_closed_mode(self):
        self.assertStatus(self.admin.patch("settings", {"registration": "closed"}), 200)
        self.addCleanup(self.admin.patch, "settings", {"registration": "open"})
        c = self.server.client()
        page = self.assertHtml(c.page("/register")).text
        self.assertNotIn('action="/register"', page)
        r = c.form("/register", {"username": unique("closed"), "password": PASSWORD}, page="/login")
        self.assertHtml(r, 403)


if __name__ == "__main__":
    unittest.main()


class PostLinks(PagesCase):
    """/p/ID, the address search, notifications and feeds link to, finds the page of the
    thread that shows the post."""

    def test_a_post_link_leads_to_the_page_that_shows_it(self):
        t, root = make_thread(self.alice, self.board["slug"], "A long thread")
        replies = [reply(self.alice, t["id"], f"reply number {i}") for i in range(55)]
        visitor = self.server.client()
        r = self.assertStatus(visitor.page(f"/p/{root['id']}"), 303)
        self.assertEqual(location_path(r), f"/t/{t['id']}#p{root['id']}")
        last = replies[-1]["id"]
        r = self.assertStatus(visitor.page(f"/p/{last}"), 303)
        self.assertEqual(location_path(r), f"/t/{t['id']}?page=2#p{last}")
        self.assertIn(f'id="p{last}"', self.assertHtml(visitor.page(f"/t/{t['id']}?page=2")).text)
        # a late answer to the first reply sits beside it in tree order, on the first page
        late = reply(self.alice, t["id"], "a late answer", parent_id=replies[0]["id"])
        r = self.assertStatus(visitor.page(f"/p/{late['id']}"), 303)
        self.assertEqual(location_path(r), f"/t/{t['id']}#p{late['id']}")

    def test_a_missing_post_is_a_404_page(self):
        r = self.server.client().page("/p/987654321")
        self.assertEqual(r.status, 404)
        self.assertIn("text/html", r.header("Content-Type"))
