"""Accounts (API.md "Accounts"): registration, sessions, profiles, roles, passwords,
sign-in throttling and the registration modes."""

import threading
import unittest

from agora_harness import PASSWORD, RFC3339, USER_KEYS, ServerTestCase, unique


class Registration(ServerTestCase):
    def test_register_answers_the_user_object(self):
        name = unique("reg")
        r = self.server.register(name, display_name="张伟", region="henan",
                                 position="township-secretary", industry="agriculture")
        self.assertStatus(r, 201)
        user = r.data["user"]
        self.assertTrue(USER_KEYS <= set(user), f"missing keys: {USER_KEYS - set(user)}")
        self.assertEqual(user["username"], name)
        self.assertEqual(user["display_name"], "张伟")
        self.assertEqual(user["role"], "member")
        self.assertEqual(user["region"], "henan")
        self.assertEqual(user["position"], "township-secretary")
        self.assertEqual(user["industry"], "agriculture")
        self.assertRegex(user["created_at"], RFC3339)
        self.assertNotIn("password", r.text)
        self.assertNotIn("pw_hash", r.text)

    def test_optional_fields_are_null(self):
        r = self.assertStatus(self.server.register(unique("bare")), 201)
        user = r.data["user"]
        for key in ("region", "position", "industry"):
            self.assertIn(key, user)
            self.assertIsNone(user[key])
        self.assertEqual(user["display_name"], user["username"])

    def test_duplicate_name_is_409_case_insensitive(self):
        name = unique("Dup")
        self.assertStatus(self.server.register(name), 201)
        self.assertError(self.server.register(name), 409, "username_taken")
        self.assertError(self.server.register(name.upper()), 409, "username_taken")
        self.assertError(self.server.register(name.lower()), 409, "username_taken")

    def test_bad_usernames(self):
        for bad in ("ab", "x" * 33, "has space", "中文名字", "semi;colon", "slash/name", ""):
            with self.subTest(username=bad):
                self.assertError(self.server.register(bad), 400, "invalid_username")

    def test_edge_usernames_accepted(self):
        for good in ("abc", "a.b-c_d", "Z" * 32):
            with self.subTest(username=good):
                self.assertStatus(self.server.register(good), 201)

    def test_short_password(self):
        self.assertError(self.server.register(unique("pw"), password="123456789"), 400,
                         "password_too_short")
        self.assertError(self.anon().post("users", {"username": unique("pw")}), 400,
                         "password_too_short")

    def test_password_length_counts_characters(self):
        # ten Chinese characters are ten characters even though they are 30 bytes
        self.assertStatus(self.server.register(unique("cn"), password="长城长城长城长城长城"), 201)
        self.assertError(self.server.register(unique("cn"), password="长城长城长城长城长"), 400,
                         "password_too_short")

    def test_unknown_taxonomy(self):
        self.assertError(self.server.register(unique("tx"), region="atlantis"), 400, "unknown_region")
        self.assertError(self.server.register(unique("tx"), position="emperor"), 400,
                         "unknown_position")
        self.assertError(self.server.register(unique("tx"), industry="piracy"), 400,
                         "unknown_industry")

    def test_wrong_type_field(self):
        r = self.anon().post("users", {"username": unique("wt"), "password": 1234567890123})
        self.assertError(r, 400, "wrong_type")

    def test_bad_display_name(self):
        self.assertError(self.server.register(unique("dn"), display_name="two\nlines"), 400,
                         "invalid_display_name")
        self.assertError(self.server.register(unique("dn"), display_name="x" * 65), 400,
                         "invalid_display_name")

    def test_registered_user_is_public(self):
        name = unique("pub")
        self.server.register(name, region="guangdong")
        r = self.anon().get(f"users/{name}")
        self.assertStatus(r, 200)
        self.assertEqual(r.data["user"]["username"], name)
        self.assertEqual(r.data["user"]["region"], "guangdong")
        self.assertEqual(r.data["post_count"], 0)
        # names are looked up without regard to case
        self.assertStatus(self.anon().get(f"users/{name.upper()}"), 200)

    def test_unknown_user_404(self):
        self.assertError(self.anon().get("users/nobody-here"), 404, "user_not_found")


class Sessions(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = "sessuser"
        r = cls.server.register(cls.name, display_name="Session User", region="beijing")
        assert r.status == 201, r

    def login(self, username=None, password=PASSWORD):
        return self.anon().post("session", {"username": username or self.name, "password": password})

    def test_login_answers_token_csrf_user_and_cookie(self):
        r = self.assertStatus(self.login(), 201)
        self.assertRegex(r.data["token"], r"^\S{20,}$")
        self.assertRegex(r.data["csrf_token"], r"^\S{20,}$")
        self.assertNotEqual(r.data["token"], r.data["csrf_token"])
        self.assertEqual(r.data["user"]["username"], self.name)
        self.assertTrue(USER_KEYS <= set(r.data["user"]))
        cookies = [c for c in r.all_headers("Set-Cookie") if c.startswith("agora_session=")]
        self.assertEqual(len(cookies), 1, r.header_list)
        self.assertIn("HttpOnly", cookies[0])
        self.assertRegex(cookies[0], r"(?i)SameSite=Lax")

    def test_login_answer_is_not_cached(self):
        # the answer carries a session token: no cache may keep it
        r = self.assertStatus(self.login(), 201)
        self.assertIn("no-store", r.header("Cache-Control", ""), r.header_list)

    def test_login_is_case_insensitive_on_the_name(self):
        self.assertStatus(self.login(self.name.upper()), 201)

    def test_wrong_password_and_unknown_user_look_the_same(self):
        wrong = self.assertError(self.login(password="not the password"), 401, "bad_credentials")
        unknown = self.assertError(self.login("no-such-user-x"), 401, "bad_credentials")
        self.assertEqual(wrong.data, unknown.data)

    def test_missing_credentials(self):
        self.assertStatus(self.anon().post("session", {"username": self.name}), 400)

    def test_me(self):
        c = self.server.client()
        c.login(self.name)
        r = self.assertStatus(c.get("me"), 200)
        self.assertEqual(r.data["user"]["username"], self.name)
        self.assertEqual(r.data["user"]["display_name"], "Session User")
        self.assertEqual(r.data["user"]["region"], "beijing")

    def test_me_anonymous_401(self):
        self.assertError(self.anon().get("me"), 401, "not_signed_in")

    def test_me_with_forged_token_401(self):
        self.assertError(self.anon().get("me", token="A" * 43), 401, "not_signed_in")
        self.assertError(self.anon().get("me", token="garbage"), 401, "not_signed_in")

    def test_me_with_session_cookie(self):
        c = self.server.client()
        c.login(self.name, bearer=False)
        self.assertIn("agora_session", c.cookies)
        r = self.assertStatus(c.get("me"), 200)
        self.assertEqual(r.data["user"]["username"], self.name)

    def test_logout_ends_the_token_at_once(self):
        c = self.server.client()
        c.login(self.name)
        other = self.server.client()
        other.login(self.name)
        self.assertStatus(c.get("me"), 200)
        r = self.assertStatus(c.delete("session"), 204)
        self.assertEqual(r.body, b"")
        self.assertError(c.get("me"), 401, "not_signed_in")
        # only that session: the other one still works
        self.assertStatus(other.get("me"), 200)

    def test_logout_with_cookie_ends_the_cookie_session(self):
        c = self.server.client()
        c.login(self.name, bearer=False)
        token_cookie = c.cookies["agora_session"]
        self.assertStatus(c.delete("session"), 204)
        self.assertNotIn("agora_session", c.cookies, "the cookie is cleared")
        self.assertError(self.anon().get("me", token=token_cookie), 401)

    def test_logout_anonymous_401(self):
        self.assertError(self.anon().delete("session"), 401, "not_signed_in")


class Throttling(ServerTestCase):
    """Failed sign-ins slow down the address that failed (tests/integration/test_throttle.py
    has the rest): five wrong guesses at one account, then each must wait, with 429."""

    def test_429_with_retry_after_after_five_failures(self):
        name = "throttled"
        self.assertStatus(self.server.register(name), 201)
        c = self.anon()
        for i in range(5):
            r = c.post("session", {"username": name, "password": f"wrong password {i}"})
            self.assertError(r, 401, "bad_credentials")
        for i in range(3):  # each second the clock ticks on lets one more through
            r = c.post("session", {"username": name, "password": "wrong again!"})
            if r.status == 429:
                break
        self.assertError(r, 429, "too_many_failures")
        retry = r.header("Retry-After")
        self.assertIsNotNone(retry, r.header_list)
        self.assertRegex(retry, r"^\d+$")
        self.assertTrue(1 <= int(retry) <= 15 * 60, retry)
        self.assertIn(retry, r.error_message)
        # the owner signing in from elsewhere is not held up by a stranger's guesses
        self.server.client(source="127.0.0.2").login(name)


class RegistrationRace(ServerTestCase):
    def test_same_name_at_once_gives_one_account(self):
        answers, gate = [], threading.Barrier(4)

        def go(i):
            gate.wait()
            answers.append(self.server.register("racer", password=f"{PASSWORD} {i}").status)

        threads = [threading.Thread(target=go, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.assertEqual(sorted(answers), [201, 409, 409, 409])


class Profiles(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("siteadmin")

    def test_patch_own_profile(self):
        name = unique("prof")
        c = self.server.member(name)
        r = c.patch(f"users/{name}", {"display_name": "李老师", "region": "sichuan",
                                      "position": "party-school-lecturer", "industry": "education"})
        self.assertStatus(r, 200)
        self.assertEqual(r.data["user"]["display_name"], "李老师")
        self.assertEqual(r.data["user"]["region"], "sichuan")
        got = self.anon().get(f"users/{name}").data["user"]
        self.assertEqual(got["display_name"], "李老师")
        self.assertEqual(got["position"], "party-school-lecturer")
        self.assertEqual(got["industry"], "education")
        # an empty slug clears a field
        r = self.assertStatus(c.patch(f"users/{name}", {"region": ""}), 200)
        self.assertIsNone(r.data["user"]["region"])

    def test_patch_own_profile_unknown_region(self):
        name = unique("prof")
        c = self.server.member(name)
        self.assertError(c.patch(f"users/{name}", {"region": "atlantis"}), 400, "unknown_region")

    def test_patch_other_user_403(self):
        a, b = unique("pa"), unique("pb")
        ca = self.server.member(a)
        self.server.register(b)
        self.assertError(ca.patch(f"users/{b}", {"display_name": "Hijacked"}), 403, "not_your_profile")
        self.assertEqual(self.anon().get(f"users/{b}").data["user"]["display_name"], b)

    def test_patch_anonymous_401(self):
        name = unique("pn")
        self.server.register(name)
        self.assertError(self.anon().patch(f"users/{name}", {"display_name": "x"}), 401,
                         "not_signed_in")

    def test_patch_unknown_user_404(self):
        self.assertError(self.admin.patch("users/nobody-at-all", {"role": "moderator"}), 404,
                         "user_not_found")

    def test_admin_sets_role(self):
        name = unique("promo")
        self.server.register(name)
        r = self.assertStatus(self.admin.patch(f"users/{name}", {"role": "moderator"}), 200)
        self.assertEqual(r.data["user"]["role"], "moderator")
        self.assertEqual(self.anon().get(f"users/{name}").data["user"]["role"], "moderator")
        self.assertError(self.admin.patch(f"users/{name}", {"role": "emperor"}), 400, "invalid_role")

    def test_member_cannot_change_roles(self):
        name, other = unique("self"), unique("oth")
        c = self.server.member(name)
        self.server.register(other)
        self.assertError(c.patch(f"users/{name}", {"role": "admin"}), 403, "admin_only")
        self.assertError(c.patch(f"users/{other}", {"role": "admin"}), 403)
        self.assertEqual(self.anon().get(f"users/{name}").data["user"]["role"], "member")

    def test_admin_cannot_edit_someone_elses_profile(self):
        name = unique("kept")
        self.server.register(name)
        self.assertError(self.admin.patch(f"users/{name}", {"display_name": "Renamed"}), 403,
                         "not_your_profile")

    def test_password_change(self):
        name = unique("pwc")
        c = self.server.member(name)
        other = self.server.client()
        other.login(name)
        new = "a brand new password"
        # the current password is needed, and must be right
        self.assertError(c.patch(f"users/{name}", {"password": new}), 400,
                         "current_password_required")
        self.assertError(c.patch(f"users/{name}", {"password": new, "current_password": "wrong one!!"}),
                         403, "wrong_current_password")
        self.assertStatus(other.get("me"), 200, msg="a refused change ends no session")
        self.assertError(c.patch(f"users/{name}", {"password": "short", "current_password": PASSWORD}),
                         400, "password_too_short")
        r = c.patch(f"users/{name}", {"password": new, "current_password": PASSWORD})
        self.assertStatus(r, 200)
        self.assertNotIn("pw_hash", r.text)
        # the old password no longer works, the new one does
        self.assertError(self.anon().post("session", {"username": name, "password": PASSWORD}), 401,
                         "bad_credentials")
        self.server.client().login(name, new)
        # other sessions ended; the one that made the change goes on
        self.assertError(other.get("me"), 401, "not_signed_in")
        self.assertStatus(c.get("me"), 200)

    def test_post_count(self):
        name = unique("pc")
        c = self.server.member(name)
        slug = unique("pcb-")
        self.assertStatus(self.admin.post("boards", {"slug": slug, "title": "Counting"}), 201)
        r = self.assertStatus(c.post(f"boards/{slug}/threads", {"title": "One", "body": "first"}), 201)
        tid = r.data["thread"]["id"]
        self.assertStatus(c.post(f"threads/{tid}/posts", {"body": "second"}), 201)
        r = self.assertStatus(self.anon().get(f"users/{name}"), 200)
        self.assertEqual(r.data["post_count"], 2)


class RegistrationModes(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("modeadmin")

    def set_mode(self, mode):
        r = self.assertStatus(self.admin.patch("settings", {"registration": mode}), 200)
        self.assertEqual(r.data["registration"], mode)
        self.addCleanup(self.admin.patch, "settings", {"registration": "open"})

    def test_only_admins_change_the_mode(self):
        member = self.server.member(unique("m"))
        self.assertError(member.patch("settings", {"registration": "closed"}), 403, "admin_only")
        self.assertError(self.anon().patch("settings", {"registration": "closed"}), 401,
                         "not_signed_in")
        self.assertError(self.admin.patch("settings", {"registration": "sometimes"}), 400,
                         "invalid_registration_mode")

    def test_closed(self):
        self.set_mode("closed")
        self.assertError(self.server.register(unique("cl")), 403, "registration_closed")
        # the command line still adds accounts
        self.server.add_user(unique("cli"))

    def test_invite(self):
        self.set_mode("invite")
        self.assertError(self.server.register(unique("inv")), 403, "invite_required")
        self.assertError(self.server.register(unique("inv"), invite_code="not-a-real-code"), 403,
                         "invite_invalid")
        r = self.assertStatus(self.admin.post("invites"), 201)
        code = r.data["code"]
        self.assertRegex(code, r"^\S{8,}$")
        first = unique("inv")
        self.assertStatus(self.server.register(first, invite_code=code), 201)
        self.assertError(self.server.register(unique("inv"), invite_code=code), 403, "invite_invalid")
        self.server.client().login(first)

    def test_invites_are_admin_only(self):
        member = self.server.member(unique("m"))
        self.assertError(member.post("invites"), 403, "admin_only")
        self.assertError(self.anon().post("invites"), 401, "not_signed_in")

    def test_open_again(self):
        self.set_mode("closed")
        self.set_mode("open")
        self.assertStatus(self.server.register(unique("op")), 201)


class Taxonomy(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("taxadmin")

    def test_admin_adds_and_removes_a_term(self):
        r = self.admin.put("taxonomy/region/testland", {"name": "测试省"})
        self.assertStatus(r, (200, 201))
        regions = {t["slug"]: t["name"] for t in self.anon().get("taxonomy").data["regions"]}
        self.assertEqual(regions.get("testland"), "测试省")
        self.assertStatus(self.server.register(unique("tl"), region="testland"), 201)
        self.assertStatus(self.admin.delete("taxonomy/region/testland"), 204)
        regions = {t["slug"] for t in self.anon().get("taxonomy").data["regions"]}
        self.assertNotIn("testland", regions)

    def test_members_cannot_change_terms(self):
        member = self.server.member(unique("m"))
        self.assertError(member.put("taxonomy/industry/mining", {"name": "Mining"}), 403, "admin_only")
        self.assertError(member.delete("taxonomy/industry/agriculture"), 403, "admin_only")

    def test_unknown_kind_404(self):
        self.assertError(self.admin.put("taxonomy/planet/mars", {"name": "Mars"}), 404)


if __name__ == "__main__":
    unittest.main()
