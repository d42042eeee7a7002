"""The composer's helpers (docs/COMPOSER.md): POST /api/v1/preview renders exactly what the
post would store, and GET /api/v1/users?prefix= offers members to @mention."""

from agora_harness import BoardCase, make_thread, unique

MARKDOWN = ("**Bold** and *italic*, @{name} says hi.\n\n> quoted\n\n- one\n- two\n\n"
            "`code` [a link](https://example.org) <script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")


class Preview(BoardCase):
    board_as_slug = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls.server.member("alice")

    def test_same_html_as_the_stored_post(self):
        text = MARKDOWN.format(name="alice")
        got = self.assertStatus(self.alice.post("preview", {"body": text}), 200).data["html"]
        _, post = make_thread(self.alice, self.board, "Preview " + unique("t"), text)
        self.assertEqual(got, post["body_html"])
        self.assertIn("<strong>Bold</strong>", got)
        self.assertIn('href="/u/alice"', got)
        self.assertNotIn("<script>", got)

    def test_blank_is_nothing(self):
        self.assertEqual(self.alice.post("preview", {"body": " \n"}).data["html"], "")

    def test_signed_out_is_401(self):
        self.assertError(self.anon().post("preview", {"body": "**b**"}), 401)

    def test_cookie_session_needs_the_csrf_header(self):
        c = self.server.client()
        c.login("alice", bearer=False)
        self.assertStatus(c.post("preview", {"body": "**b**"}, csrf=None), 403)
        self.assertEqual(self.assertStatus(c.post("preview", {"body": "**b**"}), 200).data["html"],
                         "<p><strong>b</strong></p>\n")

    def test_bad_input(self):
        self.assertError(self.alice.post("preview", {"body": "x" * (64 * 1024 + 1)}), 413, "body_too_large")
        self.assertError(self.alice.post("preview", {}), 400, "missing_body")
        self.assertError(self.alice.post("preview", {"body": 12}), 400)
        self.assertError(self.alice.post("preview", {"body": "bell \x07"}), 400, "invalid_text")


class PagePreview(BoardCase):
    """The Preview buttons of the page forms, for browsers without JS."""
    board_as_slug = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.writer = cls.server.member("pager")
        cls.web = cls.server.client()
        cls.web.login("pager", bearer=False)

    def test_reply_preview_keeps_the_text_and_posts_nothing(self):
        t, p = make_thread(self.writer, self.board, "Page preview " + unique("t"), "First")
        text = "**strong** <b>raw</b> & more"
        page = self.assertHtml(self.web.form(f"/t/{t['id']}/preview?reply={p['id']}", {"body": text},
                                             page=f"/t/{t['id']}"))
        self.assertIn("<strong>strong</strong>", page.text)
        self.assertNotIn("<b>raw</b>", page.text)
        self.assertIn(">**strong** &lt;b&gt;raw&lt;/b&gt; &amp; more</textarea>", page.text)
        self.assertIn(f'name="parent_id" value="{p["id"]}"', page.text)
        self.assertEqual(self.writer.get(f"threads/{t['id']}").data["thread"]["reply_count"], 0)
        self.assertStatus(self.web.form(f"/t/{t['id']}/preview", {"body": text}, csrf=False), 403)

    def test_new_thread_and_edit_previews(self):
        page = self.assertHtml(self.web.form(f"/b/{self.board}/preview", {"title": "Kept title", "body": "*it*"},
                                             page=f"/b/{self.board}"))
        self.assertIn("<em>it</em>", page.text)
        self.assertIn('value="Kept title"', page.text)
        _, p = make_thread(self.writer, self.board, "Edit preview " + unique("t"), "Before")
        page = self.assertHtml(self.web.form(f"/posts/{p['id']}/preview", {"body": "`after`"},
                                             page=f"/posts/{p['id']}/edit"))
        self.assertIn("<code>after</code>", page.text)
        self.assertIn(">`after`</textarea>", page.text)
        self.assertEqual(self.writer.get(f"posts/{p['id']}").data["post"]["body_html"], "<p>Before</p>\n")


class Quote(BoardCase):
    board_as_slug = True

    def test_quote_as_the_reply_box_prefills(self):
        alice = self.server.member("quoter")
        t, p = make_thread(alice, self.board, "Quote " + unique("t"), "line one\n\nline two")
        md = self.assertStatus(alice.get(f"posts/{p['id']}/quote"), 200).data["markdown"]
        self.assertEqual(md, f"[@quoter](/p/{p['id']}):\n> line one\n>\n> line two\n\n")
        self.assertError(self.anon().get(f"posts/{p['id']}/quote"), 401)
        self.assertStatus(alice.delete(f"posts/{p['id']}"), (200, 204))
        self.assertError(alice.get(f"posts/{p['id']}/quote"), 404)
        self.assertError(alice.get("posts/999999/quote"), 404)


class Mentions(BoardCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        srv = cls.server
        cls.alice = srv.member("alice")
        srv.member("albert", display_name="Bert Wang")
        srv.member("zhang", display_name="张伟")
        srv.member("alfred", display_name="Alfred")
        cls.expect(cls.admin.post("users/alfred/ban", {"days": 0, "reason": "spam"}), 201)
        for i in range(10):
            srv.member(f"many{i}")

    def names(self, prefix, client=None):
        r = self.assertStatus((client or self.alice).get("users?prefix=" + prefix), 200)
        return [u["username"] for u in r.data["users"]]

    def test_prefix_of_username_or_display_name(self):
        self.assertEqual(self.names("al"), ["alice", "albert"])
        self.assertEqual(self.names("AL"), ["alice", "albert"])
        self.assertEqual(self.names("bert"), ["albert"])
        self.assertEqual(self.names("%E5%BC%A0"), ["zhang"])  # 张

    def test_only_names_and_at_most_eight(self):
        r = self.alice.get("users?prefix=many").data["users"]
        self.assertEqual(len(r), 8)
        self.assertEqual(set(r[0]), {"username", "display_name"})

    def test_banned_members_are_not_offered(self):
        self.assertNotIn("alfred", self.names("alf"))

    def test_wildcards_are_letters(self):
        self.assertEqual(self.names("%25"), [])
        self.assertEqual(self.names("_"), [])

    def test_signed_in_only_and_a_prefix_needed(self):
        self.assertError(self.anon().get("users?prefix=al"), 401)
        self.assertError(self.alice.get("users"), 400, "invalid_prefix")
        self.assertError(self.alice.get("users?prefix=" + "a" * 33), 400, "invalid_prefix")
