"""Feedback on the pages: a flash message after each form's redirect (a short-lived cookie,
shown once, in the reader's language); a second report lands back on the thread; a refused
post comes back in its composer with the text, the translated reason and the field marked
(422); visitors to pages that need sign-in go to the sign-in page and come back."""

import html
import re
import shutil
import urllib.parse

from agora_harness import PASSWORD, Server, ServerTestCase, make_board, make_thread
from test_moderation import plugin_folder


def location(resp):
    loc = resp.header("Location") or ""
    parts = urllib.parse.urlsplit(loc)
    return parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def flash_cookies(resp):
    return [v for v in resp.all_headers("Set-Cookie") if v.startswith("agora_flash=")]


def flash_region(text):
    """The flash region's class and text (None when the page has none)."""
    m = re.search(r'<div class="(flash[^"]*)" role="status"[^>]*>(.*?)</div>', text, re.S)
    return (m.group(1), re.sub(r"<[^>]+>", "", m.group(2)).strip()) if m else None


class FeedbackCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("fbadmin")
        cls.board = make_board(cls.admin, title="Feedback board")
        cls.alice = cls.server.member("fbalice")
        cls.server.member("fbbob")
        cls.thread, cls.first = make_thread(cls.alice, cls.board["slug"], "A thread to answer", "The first post.")

    def browser(self, name=None, lang="en"):
        c = self.server.client()
        if name:
            r = c.form("/login", {"username": name, "password": PASSWORD})
            self.assertStatus(r, 303)
            c.page("/")  # the sign-in's own flash, shown and cleared
        return c


class SignInAndBack(FeedbackCase):
    def test_pages_that_need_sign_in_send_visitors_to_sign_in(self):
        for path in ("/notifications", "/settings", "/mod", "/admin", "/bookmarks", "/announcements"):
            with self.subTest(path=path):
                r = self.anon().page(path)
                self.assertStatus(r, 303)
                self.assertEqual(location(r), f"/login?next={path}")

    def test_the_query_comes_back_too(self):
        r = self.anon().page("/notifications?page=2")
        self.assertStatus(r, 303)
        self.assertEqual(location(r), "/login?next=/notifications%3Fpage%3D2")
        login = self.anon().page(location(r))
        self.assertIn('name="next" value="/notifications?page=2"', login.text)

    def test_the_api_keeps_answering_401(self):
        r = self.anon().get("notifications")
        self.assertStatus(r, 401)
        self.assertEqual(r.error_code, "not_signed_in")
        self.assertTrue(r.header("Content-Type").startswith("application/json"))

    def test_signing_in_goes_back(self):
        c = self.server.client()
        r = c.page("/notifications")
        login = c.page(location(r))
        self.assertIn('name="next" value="/notifications"', login.text)
        r = c.form("/login", {"username": "fbbob", "password": PASSWORD, "next": "/notifications"}, page="/login")
        self.assertStatus(r, 303)
        self.assertEqual(location(r), "/notifications")
        self.assertHtml(c.page("/notifications"))

    def test_no_redirect_to_another_site(self):
        for bad in ("//evil.example/x", "http://evil.example/", "https://evil.example", "/\\evil.example",
                    "\\\\evil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "javascript:alert(1)"):
            with self.subTest(next=bad):
                login = self.anon().page("/login?next=" + urllib.parse.quote(bad, safe=""))
                self.assertIn('name="next" value=""', login.text, "a foreign next is not even offered")
                c = self.server.client()
                r = c.form("/login", {"username": "fbbob", "password": PASSWORD, "next": bad}, page="/login")
                self.assertStatus(r, 303)
                self.assertEqual(r.header("Location"), "/")


class Flash(FeedbackCase):
    def test_a_reply_sets_the_flash_and_the_next_page_shows_and_clears_it(self):
        c = self.browser("fbbob")
        r = c.form(f"/t/{self.thread['id']}", {"body": "A reply with feedback"})
        self.assertStatus(r, 303)
        set_ = flash_cookies(r)
        self.assertEqual(len(set_), 1, r.header_list)
        self.assertRegex(set_[0], r"^agora_flash=flash\.reply_posted; Path=/; Max-Age=60; HttpOnly; SameSite=Lax")
        self.assertEqual(c.cookies.get("agora_flash"), "flash.reply_posted")
        page = c.page(location(r))
        if page.status == 303:  # /p/ID leads to the thread's page; the flash waits for it
            self.assertEqual(flash_cookies(page), [])
            page = c.page(location(page))
        self.assertHtml(page)
        self.assertEqual(flash_region(page.text), ("flash", "Your reply was posted."))
        cleared = flash_cookies(page)
        self.assertEqual(len(cleared), 1)
        self.assertIn("Max-Age=0", cleared[0])
        self.assertNotIn("agora_flash", c.cookies)
        again = c.page(f"/t/{self.thread['id']}")
        self.assertEqual(flash_region(again.text), ("flash", ""), "a flash is shown once")
        self.assertEqual(flash_cookies(again), [])

    def test_the_flash_speaks_the_readers_language(self):
        c = self.browser("fbbob")
        r = c.form(f"/t/{self.thread['id']}/follow", {"action": "follow"}, page=f"/t/{self.thread['id']}")
        self.assertStatus(r, 303)
        page = c.page(location(r), headers={"Accept-Language": "zh-CN"})
        self.assertEqual(flash_region(page.text), ("flash", "您已关注此话题。"))

    def test_only_our_keys_reach_a_page(self):
        for value in ("flash.nonexistent", "error.title", "<script>", "flash.reported%3Cb%3E"):
            with self.subTest(cookie=value):
                r = self.anon().page("/", headers={"Cookie": f"agora_flash={value}"})
                self.assertHtml(r)
                self.assertEqual(flash_region(r.text), ("flash", ""))
                self.assertNotIn("<script>", r.text.split("<main", 1)[1].split("</main>")[0])

    def test_reporting_twice(self):
        c = self.browser("fbbob")
        post = self.alice.post(f"threads/{self.thread['id']}/posts", {"body": "Something to report"}).data["post"]
        page = f"/t/{self.thread['id']}"
        r = c.form(f"/posts/{post['id']}/report", {"reason": "off topic"}, page=page)
        self.assertStatus(r, 303)
        self.assertEqual(location(r), f"/p/{post['id']}")
        self.assertEqual(c.cookies.get("agora_flash"), "flash.reported")
        shown = c.page(location(c.page(location(r))))
        self.assertEqual(flash_region(shown.text), ("flash", "Reported — moderators will look at it. Thank you."))

        r = c.form(f"/posts/{post['id']}/report", {"reason": "still off topic"}, page=page)
        self.assertStatus(r, 303, msg="a second report is no bare 409 page")
        self.assertEqual(location(r), f"/p/{post['id']}")
        self.assertEqual(c.cookies.get("agora_flash"), "flash.error.already_reported")
        shown = c.page(location(c.page(location(r))))
        self.assertEqual(flash_region(shown.text), ("flash flash-error", "You have already reported this post."))
        # the API keeps its conflict
        api = self.server.client()
        api.login("fbbob")
        r = api.post(f"posts/{post['id']}/reports", {"reason": "x"})
        self.assertStatus(r, 409)
        self.assertEqual(r.error_code, "already_reported")


class RefusedPosts(FeedbackCase):
    """Refusals for failing a rule (no plugins here)."""

    def test_an_empty_reply_comes_back_to_the_thread(self):
        c = self.browser("fbbob")
        r = c.form(f"/t/{self.thread['id']}", {"body": "   \n  "})
        self.assertHtml(r, 422)
        self.assertIn("A thread to answer", r.text, "the thread's page, not the error page")
        self.assertNotIn("Something went wrong", r.text)
        self.assertIn('id="compose-error">Write something first.</p>', r.text)
        self.assertRegex(r.text, r'<textarea name="body"[^>]* aria-invalid="true" aria-describedby="compose-error"')
        self.assertNotIn("md-preview shown", r.text, "a refused post is no Preview: no rendering above the box")

    def test_a_too_long_title_keeps_title_and_text_and_marks_the_title(self):
        c = self.browser("fbbob")
        typed = "A body worth keeping <b>&</b> 长文"
        r = c.form(f"/b/{self.board['slug']}", {"title": "T" * 201, "body": typed})
        self.assertHtml(r, 422)
        self.assertIn(html.escape(typed, quote=False), r.text)
        self.assertRegex(r.text, r'<input name="title"[^>]*value="T{201}" aria-invalid="true" aria-describedby="compose-error"')
        self.assertNotRegex(r.text, r'<textarea name="body"[^>]* aria-invalid')
        self.assertIn("Titles are at most 200 characters.", r.text)
        self.assertIn("Feedback board", r.text)
        self.assertNotIn("md-preview shown", r.text)

    def test_a_reply_to_a_post_keeps_its_place_and_speaks_chinese(self):
        c = self.browser("fbbob")
        r = c.form(f"/t/{self.thread['id']}", {"body": " ", "parent_id": str(self.first["id"])},
                   headers={"Accept-Language": "zh-CN"})
        self.assertHtml(r, 422)
        self.assertIn(f'name="parent_id" value="{self.first["id"]}"', r.text)
        self.assertIn('id="compose-error">', r.text)
        self.assertNotIn("Write something first.", r.text)

    def test_the_api_is_unchanged(self):
        r = self.alice.post(f"threads/{self.thread['id']}/posts", {"body": "  "})
        self.assertStatus(r, 400)
        self.assertEqual(r.error_code, "empty_body")


WORDFILTER = "reject spam\n"


class RefusedByPlugin(FeedbackCase):
    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()
        folder = plugin_folder({"wordfilter": WORDFILTER})
        cls.addClassCleanup(shutil.rmtree, folder, True)
        cls.server = Server(extra_args=["--plugins", folder])
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.admin = cls.server.admin("fbadmin")
        cls.board = make_board(cls.admin, title="Feedback board")
        cls.alice = cls.server.member("fbalice")
        cls.server.member("fbbob")
        cls.thread, cls.first = make_thread(cls.alice, cls.board["slug"], "A thread to answer", "The first post.")

    TYPED = "My carefully typed answer, with spam in it <and> & 长文"

    def test_a_refused_reply_returns_with_the_text_and_the_reason(self):
        c = self.browser("fbbob")
        r = c.form(f"/t/{self.thread['id']}", {"body": self.TYPED})
        self.assertHtml(r, 422)
        self.assertIn(html.escape(self.TYPED, quote=False) + "</textarea>", r.text)
        self.assertIn('id="compose-error">Refused by moderation: contains a blocked word</p>', r.text)
        self.assertIn('action="/t/%d"' % self.thread["id"], r.text)

    def test_the_reason_in_chinese(self):
        c = self.browser("fbbob")
        r = c.form(f"/t/{self.thread['id']}", {"body": self.TYPED}, headers={"Accept-Language": "zh-CN"})
        self.assertHtml(r, 422)
        self.assertIn('id="compose-error">未通过审核：含有被禁止的词语</p>', r.text)

    def test_a_refused_edit_returns_to_the_edit_form(self):
        c = self.browser("fbalice")
        r = c.form(f"/posts/{self.first['id']}/edit", {"body": self.TYPED}, page=f"/posts/{self.first['id']}/edit")
        self.assertHtml(r, 422)
        self.assertIn(f'action="/posts/{self.first["id"]}/edit"', r.text)
        self.assertIn(html.escape(self.TYPED, quote=False) + "</textarea>", r.text)

    def test_the_api_names_the_reasons_key(self):
        r = self.alice.post(f"threads/{self.thread['id']}/posts", {"body": "spam"},
                            headers={"Accept-Language": "zh-CN"})
        self.assertStatus(r, 422)
        self.assertEqual(r.error_code, "refused")
        self.assertEqual(r.data["error"]["reason_key"], "plugin.wordfilter.blocked")
        self.assertEqual(r.error_message, "未通过审核：含有被禁止的词语")
