"""Each rule once: what a page offers (a ban form, a reply box, a report button, the forms of
lecturers and officers) comes from the same domain predicate that the write checks, so a page
never offers what the API then refuses, nor hides what it allows. Each test looks at the page
and tries the write, for a caller the rule admits and one it refuses."""

from agora_harness import PASSWORD, ServerTestCase, make_board, make_thread, reply, unique

BAN_FORM = 'name="days"'
REPLY_FORM = 'name="body"'
REPORT_BUTTON = 'class="report"'
CREATE_ASSOCIATION = 'name="join_policy"'


class Rights(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("radmin")
        cls.smod = cls.staff("rsmod", "moderator")
        cls.lect = cls.staff("rlect", "lecturer")
        cls.alice = cls.server.member("ralice")
        cls.board = make_board(cls.admin)["slug"]
        cls.thread, cls.first = make_thread(cls.alice, cls.board, "Rights thread", "alice asks")

    def browser(self, name):
        """A cookie-jar client signed in through the login form."""
        c = self.server.client()
        self.assertStatus(c.form("/login", {"username": name, "password": PASSWORD}), 303)
        return c

    def page(self, name, path):
        return self.assertHtml(self.browser(name).page(path)).text

    def test_ban_form_only_where_the_ban_is_allowed(self):
        # a site moderator may ban a member, but not an admin, another moderator or themself
        self.assertIn(BAN_FORM, self.page("rsmod", "/u/ralice"))
        for target in ("radmin", "rsmod"):
            with self.subTest(target=target):
                self.assertNotIn(BAN_FORM, self.page("rsmod", f"/u/{target}"))
                self.assertError(self.smod.post(f"users/{target}/ban", {"days": 1}), 403)
        # an admin may ban the moderator
        self.assertIn(BAN_FORM, self.page("radmin", "/u/rsmod"))
        self.assertNotIn(BAN_FORM, self.page("ralice", "/u/rlect"), "members ban nobody")

    def test_banned_member_is_offered_no_reply_box(self):
        name = unique("rban")
        c = self.server.member(name)
        self.assertIn(REPLY_FORM, self.page(name, f"/t/{self.thread['id']}"))
        self.assertStatus(self.admin.post(f"users/{name}/ban", {"days": 3, "reason": "rights test"}), 201)
        self.assertNotIn(REPLY_FORM, self.page(name, f"/t/{self.thread['id']}"))
        self.assertError(c.post(f"threads/{self.thread['id']}/posts", {"body": "still here"}), 403, "banned")

    def test_locked_thread_offers_a_reply_box_to_moderators_only(self):
        t, _ = make_thread(self.alice, self.board, "Locked rights thread")
        self.assertStatus(self.admin.post(f"mod/threads/{t['id']}", {"action": "lock"}), 200)
        self.assertNotIn(REPLY_FORM, self.page("ralice", f"/t/{t['id']}"))
        self.assertError(self.alice.post(f"threads/{t['id']}/posts", {"body": "x"}), 403, "thread_locked")
        self.assertIn(REPLY_FORM, self.page("rsmod", f"/t/{t['id']}"))
        self.assertStatus(self.smod.post(f"threads/{t['id']}/posts", {"body": "moderator's word"}), 201)

    def test_no_report_button_on_ones_own_post(self):
        t, p = make_thread(self.alice, self.board, "Own post report")
        self.assertNotIn(REPORT_BUTTON, self.page("ralice", f"/t/{t['id']}"))
        self.assertError(self.alice.post(f"posts/{p['id']}/reports", {"reason": "me"}), 403, "own_post")
        self.assertIn(REPORT_BUTTON, self.page("rlect", f"/t/{t['id']}"))
        self.assertStatus(self.lect.post(f"posts/{p['id']}/reports", {"reason": "off topic"}), 201)

    def test_edit_links_follow_the_change_rule(self):
        t, p = make_thread(self.alice, self.board, "Edit rights")
        edit = f'href="/posts/{p["id"]}/edit"'
        self.assertIn(edit, self.page("ralice", f"/t/{t['id']}"))
        self.assertNotIn(edit, self.page("rlect", f"/t/{t['id']}"))
        self.assertError(self.lect.patch(f"posts/{p['id']}", {"body": "not mine"}), 403, "not_your_post")
        # locked: the author may no longer change it, a moderator still may
        self.assertStatus(self.admin.post(f"mod/threads/{t['id']}", {"action": "lock"}), 200)
        self.assertNotIn(edit, self.page("ralice", f"/t/{t['id']}"))
        self.assertError(self.alice.patch(f"posts/{p['id']}", {"body": "late"}), 403, "thread_locked")
        self.assertIn(edit, self.page("rsmod", f"/t/{t['id']}"))

    def test_association_form_for_lecturers_and_admins(self):
        self.assertIn(CREATE_ASSOCIATION, self.page("rlect", "/associations"))
        self.assertNotIn(CREATE_ASSOCIATION, self.page("ralice", "/associations"))
        slug = unique("ra-")
        self.assertError(self.alice.post("associations", {"slug": slug, "name": "Not allowed"}), 403,
                         "lecturers_and_admins_only")
        self.assertStatus(self.lect.post("associations", {"slug": slug, "name": "Allowed"}), 201)


if __name__ == "__main__":
    import unittest

    unittest.main()
