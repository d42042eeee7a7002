"""CSRF protection: cookie-authenticated API writes need X-CSRF-Token, bearer calls do not,
and every form post (also sign-in and registration) must echo its token."""

import unittest

from agora_harness import PASSWORD, BoardCase, hidden_csrf, unique


class Csrf(BoardCase):
    admin_name, board_title = "csrfadmin", "CSRF board"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server.register("carol")
        cls.server.register("dave")

    def cookie_client(self, name="carol"):
        c = self.server.client()
        c.login(name, bearer=False)
        self.assertIsNone(c.token)
        self.assertIn("agora_session", c.cookies)
        return c

    def new_thread(self, c, **kw):
        return c.post(f"boards/{self.board['slug']}/threads", {"title": "csrf", "body": "body"}, **kw)

    # -- the JSON API --
    def test_cookie_write_without_token_403(self):
        c = self.cookie_client()
        self.assertError(self.new_thread(c, csrf=None), 403, "csrf_failed")
        self.assertError(self.new_thread(c, csrf="x" * 43), 403, "csrf_failed")
        self.assertError(self.new_thread(c, csrf=""), 403, "csrf_failed")
        self.assertStatus(self.new_thread(c), 201)

    def test_cookie_profile_and_logout_need_the_token(self):
        c = self.cookie_client()
        self.assertError(c.patch("users/carol", {"display_name": "Forged"}, csrf=None), 403,
                         "csrf_failed")
        self.assertNotEqual(self.anon().get("users/carol").data["user"]["display_name"], "Forged")
        self.assertError(c.delete("session", csrf=None), 403, "csrf_failed")
        self.assertStatus(c.get("me"), 200, msg="a forged logout does not sign out")
        self.assertStatus(c.delete("session"), 204)
        self.assertError(c.get("me"), 401)

    def test_token_of_another_session_is_refused(self):
        carol, dave = self.cookie_client("carol"), self.cookie_client("dave")
        self.assertError(self.new_thread(carol, csrf=dave.csrf), 403, "csrf_failed")

    def test_reads_need_no_token(self):
        c = self.cookie_client()
        self.assertStatus(c.get("me", csrf=None), 200)

    def test_bearer_needs_no_token(self):
        c = self.server.client()
        c.login("carol")
        self.assertIsNone(c.csrf)
        r = c.post(f"boards/{self.board['slug']}/threads", {"title": "bearer", "body": "b"}, cookies=False)
        self.assertStatus(r, 201)

    # -- the pages --
    def test_signed_in_form_needs_the_field(self):
        c = self.cookie_client()
        fields = {"title": "Form thread", "body": "from a form"}
        r = c.form(f"/b/{self.board['slug']}", fields, csrf=False)
        self.assertHtml(r, 403)
        r = c.form(f"/b/{self.board['slug']}", fields, csrf="y" * 43)
        self.assertHtml(r, 403)
        r = c.form(f"/b/{self.board['slug']}", fields)
        self.assertStatus(r, 303)
        self.assertRegex(r.header("Location"), r"^/t/\d+$")

    def test_login_form_needs_the_visitor_token(self):
        c = self.server.client()
        fields = {"username": "dave", "password": PASSWORD}
        self.assertHtml(c.form("/login", fields, csrf=False), 403)
        self.assertNotIn("agora_session", c.cookies)
        page = self.server.client().page("/login")
        cookie_line = [h for h in page.all_headers("Set-Cookie") if h.startswith("agora_csrf=")][0]
        self.assertIn("HttpOnly", cookie_line)
        self.assertRegex(cookie_line, r"(?i)SameSite=Lax")
        self.assertEqual(hidden_csrf(page.text), cookie_line.split(";")[0].split("=", 1)[1],
                         "the form echoes the visitor's cookie")
        self.assertHtml(c.form("/login", fields, csrf="z" * 43), 403)
        r = c.form("/login", fields)
        self.assertStatus(r, 303)
        self.assertIn("agora_session", c.cookies)

    def test_login_form_token_must_match_the_cookie(self):
        # a token taken from another visitor's page does not fit this visitor's cookie
        other = self.server.client()
        stolen = other.form_csrf("/login")
        c = self.server.client()
        c.page("/login")
        r = c.form("/login", {"username": "dave", "password": PASSWORD}, csrf=stolen)
        self.assertHtml(r, 403)

    def test_visitor_without_cookie_cannot_post_forms(self):
        c = self.server.client()
        token = c.form_csrf("/register")
        c.cookies.clear()
        r = c.form("/register", {"username": unique("nocookie"), "password": PASSWORD}, csrf=token)
        self.assertHtml(r, 403)

    def test_register_form_needs_the_token(self):
        c = self.server.client()
        name = unique("formreg")
        self.assertHtml(c.form("/register", {"username": name, "password": PASSWORD}, csrf=False), 403)
        self.assertError(self.anon().get(f"users/{name}"), 404, "user_not_found")


if __name__ == "__main__":
    unittest.main()
