"""Associations (API.md "Associations"; issue 4): creating them, the directory and its
filters, one association's view for visitors, members and officers, joining open and
approval associations, the officers' actions (approve, remove, promote), leaving and the
last-officer rule, boards of an association, and — the heart of it — boards of a
members-only association hidden from everyone who is not a member or officer (admins and
site moderators included) in every reader: the board list, board, thread, post, revisions,
reports, the review queue, moderator actions, the pages /b, /t, the home page and the
association itself; then the /associations and /a/SLUG pages with their forms.

Questionnaires attached to hidden boards and associations are covered in
test_questionnaires.py."""

import unittest
import urllib.parse

from agora_harness import (BOARD_KEYS, RFC3339, PASSWORD, ServerTestCase, make_board, make_thread, reply,
                           unique)

ASSOC_KEYS = {"slug", "name", "description", "industry", "position", "join_policy", "visibility",
              "member_count"}


def location_path(resp):
    loc = resp.header("Location") or ""
    parts = urllib.parse.urlsplit(loc)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# ---- the shared fixture ------------------------------------------------------------------------


class AssocCase(ServerTestCase):
    """A server with an admin, two lecturers, a site moderator and four members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_staff("asadmin")
        cls.add_members("alice", "bob", "carol", "dave")
        cls.setUpMore()

    @classmethod
    def setUpMore(cls):
        pass

    # -- helpers --
    def create(self, client, slug=None, **fields):
        body = {"slug": slug or unique("as-"), "name": fields.pop("name", "An association"), **fields}
        return client.post("associations", body)

    def make_assoc(self, client=None, **fields):
        r = self.assertStatus(self.create(client or self.lect, **fields), 201)
        return r.data["association"]

    def info(self, slug, client=None):
        return self.assertStatus((client or self.anon()).get(f"associations/{slug}"), 200).data

    def membership(self, slug, client):
        return self.info(slug, client)["membership"]

    def join(self, client, slug):
        return client.post(f"associations/{slug}/members")

    def leave(self, client, slug):
        return client.delete(f"associations/{slug}/members")

    def act(self, client, slug, name, action):
        return client.post(f"associations/{slug}/members/{name}", {"action": action})

    def names(self, users):
        return [u["username"] for u in users]

    def member_of(self, slug, *clients, policy="open"):
        """Makes each client a member (approved by the creator lect when needed)."""
        for c in clients:
            r = self.join(c, slug)
            if policy == "open":
                self.assertStatus(r, 201)
            else:
                self.assertStatus(r, 202)
                self.assertStatus(self.act(self.lect, slug, c.user["username"], "approve"), 200)

    def browser(self, name=None):
        c = self.server.client()
        if name:
            self.assertStatus(c.form("/login", {"username": name, "password": PASSWORD}), 303)
        return c


# ---- creating ------------------------------------------------------------------------------------


class Create(AssocCase):
    def test_lecturer_creates_and_becomes_officer(self):
        slug = unique("as-")
        r = self.assertStatus(self.create(self.lect, slug, name="乡村振兴研究会 Rural Society",
                                          description="交流 *乡村* 振兴经验", industry="agriculture",
                                          position="village-secretary", join_policy="approval",
                                          visibility="members"), 201)
        x = r.data["association"]
        self.assertTrue(ASSOC_KEYS <= set(x), x)
        self.assertEqual((x["slug"], x["name"], x["description"], x["industry"], x["position"],
                          x["join_policy"], x["visibility"], x["member_count"]),
                         (slug, "乡村振兴研究会 Rural Society", "交流 *乡村* 振兴经验", "agriculture",
                          "village-secretary", "approval", "members", 1))
        self.assertRegex(x.get("created_at") or "", RFC3339)
        got = self.info(slug, self.lect)
        self.assertEqual(got["membership"], "officer")
        self.assertEqual(self.names(got["officers"]), ["lect"])
        self.assertEqual(got["association"], {**got["association"], **{k: x[k] for k in ASSOC_KEYS}})
        self.assertEqual(got["boards"], [])
        self.assertIn(slug, [a["slug"] for a in self.anon().get("associations").data["associations"]])

    def test_admin_creates_and_defaults(self):
        slug = unique("as-")
        x = self.assertStatus(self.create(self.admin, slug, name="Defaults"), 201).data["association"]
        self.assertEqual((x["description"], x["industry"], x["position"], x["join_policy"], x["visibility"],
                          x["member_count"]), ("", None, None, "open", "public", 1))
        got = self.info(slug, self.admin)
        self.assertEqual(got["membership"], "officer")
        self.assertEqual(self.names(got["officers"]), ["asadmin"])

    def test_others_are_refused(self):
        for c in (self.alice, self.smod):
            with self.subTest(user=c.user["username"]):
                self.assertError(self.create(c), 403, "lecturers_and_admins_only")
        self.assertError(self.create(self.anon()), 401, "not_signed_in")

    def test_slug_taken_409(self):
        x = self.make_assoc()
        self.assertError(self.create(self.lect2, x["slug"], name="Again"), 409, "slug_taken")
        self.assertError(self.create(self.admin, x["slug"], name="Again"), 409, "slug_taken")
        self.assertEqual(self.names(self.info(x["slug"])["officers"]), ["lect"])

    def test_validation(self):
        cases = [
            ({"slug": ""}, "invalid_slug"),
            ({"slug": "Upper"}, "invalid_slug"),
            ({"slug": "has space"}, "invalid_slug"),
            ({"slug": "x" * 65}, "invalid_slug"),
            ({"slug": "点"}, "invalid_slug"),
            ({"name": ""}, "invalid_name"),
            ({"name": "   "}, "invalid_name"),
            ({"name": "长" * 101}, "invalid_name"),
            ({"join_policy": "closed"}, "invalid_join_policy"),
            ({"join_policy": "OPEN"}, "invalid_join_policy"),
            ({"visibility": "secret"}, "invalid_visibility"),
            ({"visibility": ""}, "invalid_visibility"),
            ({"industry": "piracy"}, "unknown_industry"),
            ({"position": "pirate-captain"}, "unknown_position"),
        ]
        for fields, code in cases:
            with self.subTest(fields=fields):
                body = {"slug": unique("as-"), "name": "N", **fields}
                self.assertError(self.lect.post("associations", body), 400, code)
        with self.subTest("no slug"):
            self.assertError(self.lect.post("associations", {"name": "N"}), 400, "invalid_slug")
        with self.subTest("no name"):
            self.assertError(self.lect.post("associations", {"slug": unique("as-")}), 400, "invalid_name")
        for field in ("slug", "name", "join_policy", "visibility"):
            with self.subTest(wrong_type=field):
                body = {"slug": unique("as-"), "name": "N", field: 7}
                self.assertError(self.lect.post("associations", body), 400)
        self.assertError(self.lect.post("associations", "{not json", content_type="application/json"), 400)
        # the limits themselves are fine
        self.make_assoc(name="长" * 100, slug="x" * 64)

    def test_nothing_created_by_refusals(self):
        before = len(self.anon().get("associations").data["associations"])
        slug = unique("as-")
        self.create(self.alice, slug)
        self.create(self.lect, slug, visibility="secret")
        self.create(self.anon(), slug)
        self.assertError(self.anon().get(f"associations/{slug}"), 404, "association_not_found")
        self.assertEqual(len(self.anon().get("associations").data["associations"]), before)


# ---- the directory and one association ----------------------------------------------------------


class Directory(AssocCase):
    @classmethod
    def setUpMore(cls):
        def make(**fields):
            r = cls.lect.post("associations", {"slug": unique("dir-"), "name": "Dir", **fields})
            if r.status != 201:
                raise AssertionError(f"association not created: {r!r}")
            return r.data["association"]["slug"]

        cls.agri = make(industry="agriculture", position="village-secretary")
        cls.agri_head = make(industry="agriculture", position="township-head")
        cls.edu = make(industry="education", visibility="members", join_policy="approval")
        cls.plain = make()

    def slugs(self, query="", client=None):
        r = self.assertStatus((client or self.anon()).get(f"associations{query}"), 200)
        self.assertIsInstance(r.data["associations"], list)
        return {a["slug"] for a in r.data["associations"]}

    def test_everything_is_listed_members_only_too(self):
        for c in (self.anon(), self.alice, self.admin):
            with self.subTest(user=(c.user or {}).get("username")):
                self.assertTrue({self.agri, self.agri_head, self.edu, self.plain} <= self.slugs(client=c))
        listed = {a["slug"]: a for a in self.anon().get("associations").data["associations"]}
        for a in listed.values():
            self.assertTrue(ASSOC_KEYS <= set(a), a)
        self.assertEqual((listed[self.edu]["visibility"], listed[self.edu]["join_policy"]), ("members", "approval"))
        self.assertEqual(listed[self.edu]["member_count"], 1)

    def test_filters(self):
        self.assertEqual(self.slugs("?industry=agriculture"), {self.agri, self.agri_head})
        self.assertEqual(self.slugs("?industry=education"), {self.edu})
        self.assertEqual(self.slugs("?position=township-head"), {self.agri_head})
        self.assertEqual(self.slugs("?industry=agriculture&position=village-secretary"), {self.agri})
        self.assertEqual(self.slugs("?industry=education&position=township-head"), set())
        self.assertTrue({self.agri, self.agri_head, self.edu, self.plain} <= self.slugs("?industry=&position="))

    def test_one_association_for_a_visitor(self):
        got = self.info(self.agri)
        self.assertTrue({"association", "boards", "officers", "membership"} <= set(got), got)
        self.assertEqual(got["membership"], "none")
        self.assertEqual(self.names(got["officers"]), ["lect"])
        self.assertNotIn("pending", got)
        self.assertNotIn("members", got)
        self.assertEqual(self.membership(self.agri, self.alice), "none")

    def test_unknown_association_404(self):
        self.assertError(self.anon().get("associations/no-such-assoc"), 404, "association_not_found")
        self.assertError(self.join(self.alice, "no-such-assoc"), 404, "association_not_found")
        self.assertError(self.leave(self.alice, "no-such-assoc"), 404, "association_not_found")
        self.assertError(self.act(self.admin, "no-such-assoc", "alice", "approve"), 404, "association_not_found")

    def test_members_and_pending_lists_for_officers_and_admins(self):
        slug = self.make_assoc(join_policy="approval")["slug"]
        self.assertStatus(self.join(self.alice, slug), 202)
        self.assertStatus(self.join(self.bob, slug), 202)
        self.assertStatus(self.act(self.lect, slug, "bob", "approve"), 200)
        for c in (self.lect, self.admin):
            with self.subTest(user=c.user["username"]):
                got = self.info(slug, c)
                self.assertEqual(self.names(got["pending"]), ["alice"])
                self.assertEqual(self.names(got["members"]), ["bob"])
                self.assertEqual(self.names(got["officers"]), ["lect"])
        for c in (self.anon(), self.alice, self.bob, self.smod, self.lect2):
            with self.subTest(user=(c.user or {}).get("username")):
                got = self.info(slug, c)
                self.assertNotIn("pending", got)
                self.assertNotIn("members", got)
                self.assertNotIn("alice", c.get(f"associations/{slug}").text)


# ---- joining, officers' actions, leaving -------------------------------------------------------------


class Membership(AssocCase):
    def test_open_join(self):
        slug = self.make_assoc()["slug"]
        r = self.assertStatus(self.join(self.alice, slug), 201)
        self.assertEqual(r.data, {**r.data, "membership": "member"})
        self.assertEqual(self.membership(slug, self.alice), "member")
        self.assertEqual(self.info(slug)["association"]["member_count"], 2)
        self.assertError(self.join(self.alice, slug), 409, "already_a_member")
        self.assertError(self.join(self.lect, slug), 409, "already_a_member")
        self.assertError(self.join(self.anon(), slug), 401, "not_signed_in")
        self.assertEqual(self.names(self.info(slug, self.lect)["members"]), ["alice"])
        self.assertEqual(self.info(slug)["association"]["member_count"], 2)

    def test_approval_flow(self):
        slug = self.make_assoc(join_policy="approval")["slug"]
        r = self.assertStatus(self.join(self.alice, slug), 202)
        self.assertEqual(r.data, {**r.data, "membership": "pending"})
        self.assertEqual(self.membership(slug, self.alice), "pending")
        self.assertEqual(self.info(slug)["association"]["member_count"], 1, "a request is not a member")
        self.assertError(self.join(self.alice, slug), 409, "already_a_member")
        self.assertEqual(self.names(self.info(slug, self.lect)["pending"]), ["alice"])
        # only officers and admins decide
        for c in (self.alice, self.bob, self.lect2, self.smod):
            with self.subTest(user=c.user["username"]):
                self.assertError(self.act(c, slug, "alice", "approve"), 403, "officers_only")
        self.assertError(self.act(self.anon(), slug, "alice", "approve"), 401)
        self.assertEqual(self.membership(slug, self.alice), "pending")
        r = self.assertStatus(self.act(self.lect, slug, "alice", "approve"), 200)
        self.assertEqual(self.membership(slug, self.alice), "member")
        got = self.info(slug, self.lect)
        self.assertEqual((self.names(got["pending"]), self.names(got["members"])), ([], ["alice"]))
        self.assertEqual(got["association"]["member_count"], 2)
        self.assertError(self.act(self.lect, slug, "alice", "approve"), 409, "not_applicable")
        self.assertError(self.act(self.lect, slug, "lect", "approve"), 409, "not_applicable")
        self.assertError(self.act(self.lect, slug, "carol", "approve"), 404, "not_a_member")

    def test_admin_approves_without_being_a_member(self):
        slug = self.make_assoc(join_policy="approval")["slug"]
        self.assertStatus(self.join(self.bob, slug), 202)
        self.assertStatus(self.act(self.admin, slug, "bob", "approve"), 200)
        self.assertEqual(self.membership(slug, self.bob), "member")
        self.assertEqual(self.membership(slug, self.admin), "none")

    def test_remove_declines_a_request_and_expels_a_member(self):
        slug = self.make_assoc(join_policy="approval")["slug"]
        self.assertStatus(self.join(self.alice, slug), 202)
        self.assertStatus(self.act(self.lect, slug, "alice", "remove"), 200)
        self.assertEqual(self.membership(slug, self.alice), "none")
        self.assertEqual(self.info(slug, self.lect)["pending"], [])
        # may ask again
        self.assertStatus(self.join(self.alice, slug), 202)
        self.assertStatus(self.act(self.lect, slug, "alice", "approve"), 200)
        self.assertEqual(self.info(slug)["association"]["member_count"], 2)
        self.assertStatus(self.act(self.lect, slug, "alice", "remove"), 200)
        self.assertEqual(self.membership(slug, self.alice), "none")
        self.assertEqual(self.info(slug)["association"]["member_count"], 1)
        self.assertError(self.act(self.lect, slug, "alice", "remove"), 404, "not_a_member")

    def test_promote(self):
        slug = self.make_assoc(join_policy="approval")["slug"]
        self.member_of(slug, self.alice, policy="approval")
        self.assertStatus(self.join(self.bob, slug), 202)
        # promote needs a member
        self.assertError(self.act(self.lect, slug, "bob", "promote"), 409, "not_applicable")
        self.assertError(self.act(self.lect, slug, "lect", "promote"), 409, "not_applicable")
        self.assertError(self.act(self.lect, slug, "carol", "promote"), 404, "not_a_member")
        self.assertError(self.act(self.lect, slug, "no-such-user", "promote"), 404)
        self.assertError(self.act(self.alice, slug, "alice", "promote"), 403, "officers_only")
        self.assertStatus(self.act(self.lect, slug, "alice", "promote"), 200)
        got = self.info(slug, self.alice)
        self.assertEqual(got["membership"], "officer")
        self.assertEqual(sorted(self.names(got["officers"])), ["alice", "lect"])
        self.assertEqual(self.names(got["members"]), [], "an officer is not listed twice")
        self.assertEqual(got["association"]["member_count"], 2)
        # the new officer (a plain member by role) has the officers' powers
        self.assertEqual(self.names(got["pending"]), ["bob"])
        self.assertStatus(self.act(self.alice, slug, "bob", "approve"), 200)
        self.assertEqual(self.membership(slug, self.bob), "member")
        self.assertStatus(self.act(self.alice, slug, "bob", "promote"), 200)
        self.assertEqual(self.membership(slug, self.bob), "officer")
        # an officer may remove another officer
        self.assertStatus(self.act(self.alice, slug, "bob", "remove"), 200)
        self.assertEqual(self.membership(slug, self.bob), "none")

    def test_invalid_action(self):
        slug = self.make_assoc()["slug"]
        self.member_of(slug, self.alice)
        for action in ("ban", "APPROVE", ""):
            with self.subTest(action=action):
                self.assertError(self.act(self.lect, slug, "alice", action), 400, "invalid_action")
        self.assertError(self.lect.post(f"associations/{slug}/members/alice", {}), 400)
        self.assertError(self.lect.post(f"associations/{slug}/members/alice", {"action": 1}), 400)
        self.assertEqual(self.membership(slug, self.alice), "member")

    def test_leave(self):
        slug = self.make_assoc()["slug"]
        self.member_of(slug, self.alice)
        r = self.assertStatus(self.leave(self.alice, slug), 204)
        self.assertEqual(r.body, b"")
        self.assertEqual(self.membership(slug, self.alice), "none")
        self.assertEqual(self.info(slug)["association"]["member_count"], 1)
        self.assertError(self.leave(self.alice, slug), (404, 409))
        self.assertError(self.leave(self.anon(), slug), 401)
        # join again
        self.assertStatus(self.join(self.alice, slug), 201)

    def test_pending_request_can_be_withdrawn(self):
        slug = self.make_assoc(join_policy="approval")["slug"]
        self.assertStatus(self.join(self.alice, slug), 202)
        self.assertStatus(self.leave(self.alice, slug), 204)
        self.assertEqual(self.membership(slug, self.alice), "none")
        self.assertEqual(self.info(slug, self.lect)["pending"], [])

    def test_last_officer_cannot_leave(self):
        slug = self.make_assoc()["slug"]
        self.assertError(self.leave(self.lect, slug), 409, "last_officer")
        self.assertError(self.act(self.lect, slug, "lect", "remove"), 409, "last_officer")
        self.assertEqual(self.membership(slug, self.lect), "officer")
        self.member_of(slug, self.alice)
        self.assertError(self.leave(self.lect, slug), 409, "last_officer")
        self.assertStatus(self.act(self.lect, slug, "alice", "promote"), 200)
        self.assertStatus(self.leave(self.lect, slug), 204)
        self.assertEqual(self.membership(slug, self.lect), "none")
        self.assertEqual(self.names(self.info(slug)["officers"]), ["alice"])
        self.assertError(self.leave(self.alice, slug), 409, "last_officer")
        # nor can an admin remove the last one
        self.assertError(self.act(self.admin, slug, "alice", "remove"), 409, "last_officer")
        self.assertEqual(self.membership(slug, self.alice), "officer")

    def test_banned_member_cannot_join(self):
        name = unique("banned")
        m = self.server.member(name)
        self.assertStatus(self.smod.post(f"users/{name}/ban", {"days": 1, "reason": "tests"}), 201)
        slug = self.make_assoc()["slug"]
        self.assertError(self.join(m, slug), 403)
        self.assertEqual(self.membership(slug, m), "none")


# ---- boards of an association ---------------------------------------------------------------------------


class AssociationBoards(AssocCase):
    def board_body(self, slug, **fields):
        return {"slug": unique("ab-"), "title": "Association board", "association": slug, **fields}

    def test_officer_creates_a_board(self):
        slug = self.make_assoc()["slug"]
        r = self.assertStatus(self.lect.post("boards", self.board_body(slug, title="研究会讨论区")), 201)
        b = r.data["board"]
        self.assertTrue(BOARD_KEYS <= set(b), b)
        self.assertEqual((b["association"], b["title"]), (slug, "研究会讨论区"))
        self.assertEqual([x["slug"] for x in self.info(slug)["boards"]], [b["slug"]])
        self.assertEqual(self.anon().get(f"boards/{b['slug']}").data["board"]["association"], slug)
        # a public association's board is open to everyone
        t, p = make_thread(self.alice, b["slug"], "Anyone may post here")
        self.assertStatus(self.anon().get(f"threads/{t['id']}"), 200)
        self.assertIn(b["slug"], [x["slug"] for x in self.anon().get("boards").data["boards"]])

    def test_admin_creates_a_board_for_any_association(self):
        slug = self.make_assoc()["slug"]
        b = self.assertStatus(self.admin.post("boards", self.board_body(slug)), 201).data["board"]
        self.assertEqual(b["association"], slug)

    def test_promoted_member_creates_a_board(self):
        slug = self.make_assoc()["slug"]
        self.member_of(slug, self.carol)
        self.assertStatus(self.act(self.lect, slug, "carol", "promote"), 200)
        self.assertStatus(self.carol.post("boards", self.board_body(slug)), 201)

    def test_others_cannot(self):
        slug = self.make_assoc()["slug"]
        other = self.make_assoc(client=self.lect2)["slug"]
        self.member_of(slug, self.alice)
        for c, target in ((self.alice, slug), (self.bob, slug), (self.smod, slug), (self.lect2, slug),
                          (self.lect, other)):
            with self.subTest(user=c.user["username"], association=target):
                self.assertError(c.post("boards", self.board_body(target)), 403)
        # an officer cannot make a board outside associations either
        self.assertError(self.lect.post("boards", {"slug": unique("ab-"), "title": "T"}), 403)
        self.assertError(self.anon().post("boards", self.board_body(slug)), 401)
        self.assertEqual(self.info(slug)["boards"], [])

    def test_unknown_association_400(self):
        self.assertError(self.admin.post("boards", self.board_body("no-such-assoc")), 400)


# ---- members-only content -----------------------------------------------------------------------------------


class MembersOnly(AssocCase):
    """A members-only association `hush` (approval, officer lect) with a board holding a
    thread by its member alice, a reply by lect that alice reported, an edited post; a site
    moderator `insider` who is a member. Outsiders: visitors, bob, smod, the admin."""

    @classmethod
    def setUpMore(cls):
        srv = cls.server
        r = cls.lect.post("associations", {"slug": "hush", "name": "The Quiet Circle", "join_policy": "approval",
                                           "visibility": "members", "industry": "agriculture"})
        if r.status != 201:
            raise AssertionError(f"hush not created: {r!r}")
        cls.insider = cls.staff("insider", "moderator")
        for c in (cls.alice, cls.insider):
            if c.post("associations/hush/members").status != 202:
                raise AssertionError("join request failed")
            if cls.lect.post(f"associations/hush/members/{c.user['username']}", {"action": "approve"}).status != 200:
                raise AssertionError("approval failed")
        r = cls.lect.post("boards", {"slug": "hush-board", "title": "Whisper Board", "industry": "agriculture",
                                     "position": "village-secretary", "association": "hush"})
        if r.status != 201:
            raise AssertionError(f"hush-board not created: {r!r}")
        cls.board = "hush-board"
        cls.thread, cls.root = make_thread(cls.alice, cls.board, "Secret harvest plan 秘密", "only for members")
        cls.reply = reply(cls.lect, cls.thread["id"], "officer's hidden reply")
        r = cls.alice.patch(f"posts/{cls.root['id']}", {"body": "only for members, edited"})
        if r.status != 200:
            raise AssertionError(f"edit failed: {r!r}")
        r = cls.alice.post(f"posts/{cls.reply['id']}/reports", {"reason": "reported inside the circle"})
        if r.status != 201:
            raise AssertionError(f"report failed: {r!r}")
        # a public board and thread beside it, to be sure outsiders see the rest
        cls.open_board = make_board(cls.admin, industry="agriculture")["slug"]
        cls.open_thread, cls.open_root = make_thread(cls.bob, cls.open_board, "Open harvest plan")

    def outsiders(self):
        return {"visitor": self.anon(), "bob": self.bob, "smod": self.smod, "admin": self.admin}

    def insiders(self):
        return {"alice": self.alice, "lect": self.lect, "insider": self.insider}

    def each(self, group):
        for name, c in group.items():
            with self.subTest(user=name):
                yield c

    def browser_of(self, name):
        return self.anon() if name == "visitor" else self.browser({"admin": "asadmin"}.get(name, name))

    # -- API readers --
    def test_board_list(self):
        for query in ("", "?industry=agriculture", "?position=village-secretary",
                      "?industry=agriculture&position=village-secretary"):
            for c in self.each(self.outsiders()):
                slugs = [b["slug"] for b in self.assertStatus(c.get(f"boards{query}"), 200).data["boards"]]
                self.assertNotIn(self.board, slugs, query)
                if "position" not in query:
                    self.assertIn(self.open_board, slugs, query)
            for c in self.each(self.insiders()):
                slugs = [b["slug"] for b in self.assertStatus(c.get(f"boards{query}"), 200).data["boards"]]
                self.assertIn(self.board, slugs, query)
        self.assertNotIn("Whisper Board", self.admin.get("boards").text)

    def test_board(self):
        for c in self.each(self.outsiders()):
            self.assertError(c.get(f"boards/{self.board}"), 404, "board_not_found")
        for c in self.each(self.insiders()):
            got = self.assertStatus(c.get(f"boards/{self.board}"), 200).data
            self.assertEqual(got["board"]["association"], "hush")
            self.assertIn(self.thread["id"], [t["id"] for t in got["threads"]])

    def test_thread(self):
        for c in self.each(self.outsiders()):
            r = self.assertError(c.get(f"threads/{self.thread['id']}"), 404, "thread_not_found")
            self.assertNotIn("Secret harvest", r.text)
        for c in self.each(self.insiders()):
            got = self.assertStatus(c.get(f"threads/{self.thread['id']}"), 200).data
            self.assertEqual(got["thread"]["title"], "Secret harvest plan 秘密")

    def test_post(self):
        for pid in (self.root["id"], self.reply["id"]):
            for c in self.each(self.outsiders()):
                self.assertError(c.get(f"posts/{pid}"), 404, "post_not_found")
            for c in self.each(self.insiders()):
                self.assertStatus(c.get(f"posts/{pid}"), 200)

    def test_revisions(self):
        for c in self.each(self.outsiders()):
            r = self.assertError(c.get(f"posts/{self.root['id']}/revisions"), 404, "post_not_found")
            self.assertNotIn("only for members", r.text)
        for c in self.each(self.insiders()):
            revs = self.assertStatus(c.get(f"posts/{self.root['id']}/revisions"), 200).data["revisions"]
            self.assertEqual([x["body"] for x in revs], ["only for members"])

    def test_reports(self):
        p = reply(self.alice, self.thread["id"], "a reply for the report test")
        for c in self.each({k: v for k, v in self.outsiders().items() if k != "visitor"}):
            self.assertError(c.post(f"posts/{p['id']}/reports", {"reason": "from outside"}), 404, "post_not_found")
        self.assertError(self.anon().post(f"posts/{p['id']}/reports", {"reason": "x"}), (401, 404))
        self.assertStatus(self.lect.post(f"posts/{p['id']}/reports", {"reason": "from inside"}), 201)
        item = [i for i in self.insider.get("mod/queue?per_page=200").data["items"] if i["post"]["id"] == p["id"]]
        self.assertEqual(len(item), 1)
        # lect is the officer, who moderates the board: the report counts fully and hides it
        self.assertEqual(len(item[0]["reasons"]), 2, item)
        self.assertIn("from inside", item[0]["reasons"][0])
        self.assertEqual(item[0]["post"]["state"], "pending")

    def test_review_queue(self):
        for name in ("smod", "admin"):
            c = self.outsiders()[name]
            with self.subTest(user=name):
                r = self.assertStatus(c.get("mod/queue?per_page=200"), 200)
                self.assertNotIn(self.reply["id"], [i["post"]["id"] for i in r.data["items"]])
                self.assertNotIn(self.board, [i["board"] for i in r.data["items"]])
                self.assertNotIn("reported inside the circle", r.text)
                page = self.browser_of(name).page("/mod")
                self.assertHtml(page)
                self.assertNotIn("reported inside the circle", page.text)
                self.assertNotIn(f'action="/mod/posts/{self.reply["id"]}"', page.text)
        items = self.insider.get("mod/queue?per_page=200").data["items"]
        got = [i for i in items if i["post"]["id"] == self.reply["id"]]
        self.assertEqual(len(got), 1, items)
        self.assertEqual(got[0]["board"], self.board)
        self.assertTrue(any("reported inside the circle" in x for x in got[0]["reasons"]), got[0])
        self.assertIn("reported inside the circle", self.browser("insider").page("/mod").text)

    def test_moderator_actions(self):
        t, p = make_thread(self.alice, self.board, "Thread for moderator actions")
        for name in ("smod", "admin"):
            c = self.outsiders()[name]
            with self.subTest(user=name):
                for action in ("delete", "reject", "approve"):
                    self.assertError(c.post(f"mod/posts/{p['id']}", {"action": action, "reason": "x"}),
                                     404, "post_not_found")
                for action in ("pin", "lock"):
                    self.assertError(c.post(f"mod/threads/{t['id']}", {"action": action, "reason": "x"}),
                                     404, "thread_not_found")
                self.assertError(c.post(f"mod/threads/{t['id']}", {"action": "move", "board": self.open_board}),
                                 404, "thread_not_found")
                # nor can a thread be moved into the hidden board
                mt, _ = make_thread(self.bob, self.open_board, "Not to be moved")
                self.assertError(c.post(f"mod/threads/{mt['id']}", {"action": "move", "board": self.board}),
                                 404, "board_not_found")
                self.assertEqual(self.anon().get(f"threads/{mt['id']}").data["thread"]["board"], self.open_board)
        got = self.alice.get(f"threads/{t['id']}").data
        self.assertEqual((got["thread"]["pinned"], got["thread"]["locked"], got["posts"][0]["state"]),
                         (False, False, "published"))
        # a site moderator who is a member acts as anywhere else
        self.assertStatus(self.insider.post(f"mod/threads/{t['id']}", {"action": "lock", "reason": "x"}), 200)
        self.assertStatus(self.insider.post(f"mod/posts/{p['id']}", {"action": "delete", "reason": "x"}), 200)
        self.assertEqual(self.alice.get(f"posts/{p['id']}").data["post"]["state"], "deleted")

    def test_writes_from_outside(self):
        for name in ("bob", "smod", "admin"):
            c = self.outsiders()[name]
            with self.subTest(user=name):
                self.assertError(c.post(f"boards/{self.board}/threads", {"title": "t", "body": "b"}), 404,
                                 "board_not_found")
                self.assertError(c.post(f"threads/{self.thread['id']}/posts", {"body": "b"}), 404,
                                 "thread_not_found")
                self.assertError(c.patch(f"posts/{self.root['id']}", {"body": "b"}), 404, "post_not_found")
                self.assertError(c.delete(f"posts/{self.reply['id']}"), 404, "post_not_found")
        self.assertEqual(self.alice.get(f"posts/{self.reply['id']}").data["post"]["state"], "published")
        self.assertNotIn('"b"', self.alice.get(f"threads/{self.thread['id']}").text)
        # members write as usual
        make_thread(self.alice, self.board, "Members post here")
        reply(self.insider, self.thread["id"], "the insider answers")

    def test_association_view(self):
        for c in self.each(self.outsiders()):
            got = self.info("hush", c)
            self.assertEqual(got["boards"], [], "the association is shown, its boards are not")
            self.assertEqual(got["association"]["name"], "The Quiet Circle")
        for c in self.each(self.insiders()):
            self.assertIn(self.board, [b["slug"] for b in self.info("hush", c)["boards"]])

    # -- pages --
    def test_board_and_thread_pages(self):
        paths = (f"/b/{self.board}", f"/t/{self.thread['id']}", f"/posts/{self.root['id']}/revisions")
        for name in self.outsiders():
            c = self.browser_of(name)
            with self.subTest(user=name):
                for path in paths:
                    r = self.assertHtml(c.page(path), 404)
                    self.assertNotIn("Secret harvest", r.text, path)
                    self.assertNotIn("Whisper Board", r.text, path)
        for name in ("bob", "admin"):
            c = self.browser_of(name)
            with self.subTest(user=name, forms=True):
                self.assertHtml(c.form(f"/t/{self.thread['id']}", {"body": "form reply from outside"},
                                       page="/"), 404)
                self.assertHtml(c.form(f"/b/{self.board}", {"title": "outside", "body": "form thread"},
                                       page="/"), 404)
        self.assertNotIn("from outside", self.alice.get(f"threads/{self.thread['id']}").text)
        for name in self.insiders():
            c = self.browser(name)
            with self.subTest(user=name):
                for path in paths:
                    self.assertHtml(c.page(path))
                self.assertIn("Secret harvest plan 秘密", c.page(f"/t/{self.thread['id']}").text)

    def test_home_page(self):
        t, _ = make_thread(self.alice, self.board, "Fresh members-only news 新闻")
        for name in self.outsiders():
            with self.subTest(user=name):
                page = self.assertHtml(self.browser_of(name).page("/")).text
                self.assertNotIn(f'href="/b/{self.board}"', page)
                self.assertNotIn("Whisper Board", page)
                self.assertNotIn(f'href="/t/{t["id"]}"', page)
                self.assertNotIn("Fresh members-only news", page)
                self.assertIn(f'href="/b/{self.open_board}"', page)
        for name in self.insiders():
            with self.subTest(user=name):
                page = self.assertHtml(self.browser(name).page("/")).text
                self.assertIn(f'href="/b/{self.board}"', page)
                self.assertIn(f'href="/t/{t["id"]}"', page)
                self.assertIn("Fresh members-only news 新闻", page)

    def test_association_page(self):
        for name in self.outsiders():
            with self.subTest(user=name):
                page = self.assertHtml(self.browser_of(name).page("/a/hush")).text
                self.assertIn("The Quiet Circle", page)
                self.assertNotIn(f'href="/b/{self.board}"', page)
                self.assertNotIn("Whisper Board", page)
        page = self.assertHtml(self.browser("alice").page("/a/hush")).text
        self.assertIn(f'href="/b/{self.board}"', page)
        self.assertIn("The Quiet Circle", self.anon().page("/associations").text)

    # -- membership changes what one sees --
    def test_joining_shows_and_removal_hides(self):
        name = unique("eve")
        eve = self.server.member(name)
        browser = self.browser(name)

        def sees():
            api = {
                "boards": self.board in [b["slug"] for b in eve.get("boards").data["boards"]],
                "board": eve.get(f"boards/{self.board}").status == 200,
                "thread": eve.get(f"threads/{self.thread['id']}").status == 200,
                "post": eve.get(f"posts/{self.root['id']}").status == 200,
                "revisions": eve.get(f"posts/{self.root['id']}/revisions").status == 200,
                "association": bool(self.info("hush", eve)["boards"]),
                "board page": browser.page(f"/b/{self.board}").status == 200,
                "thread page": browser.page(f"/t/{self.thread['id']}").status == 200,
                "home page": f'href="/b/{self.board}"' in browser.page("/").text,
            }
            return api

        none = {k: False for k in sees()}
        everything = {k: True for k in none}
        self.assertEqual(sees(), none)
        self.assertStatus(self.join(eve, "hush"), 202)
        self.assertEqual(sees(), none, "a pending request shows nothing yet")
        self.assertStatus(self.act(self.lect, "hush", name, "approve"), 200)
        self.assertEqual(sees(), everything)
        self.assertStatus(self.act(self.lect, "hush", name, "remove"), 200)
        self.assertEqual(sees(), none, "removal hides it again")
        self.assertStatus(self.join(eve, "hush"), 202)
        self.assertStatus(self.act(self.admin, "hush", name, "approve"), 200)
        self.assertEqual(sees(), everything)
        self.assertStatus(self.leave(eve, "hush"), 204)
        self.assertEqual(sees(), none, "leaving hides it again")


# ---- pages and forms -----------------------------------------------------------------------------------------


class Pages(AssocCase):
    @classmethod
    def setUpMore(cls):
        r = cls.lect.post("associations", {"slug": "page-agri", "name": "Agri <b>Circle</b> 农业",
                                           "description": "desc <script>alert(1)</script>",
                                           "industry": "agriculture", "position": "village-secretary"})
        if r.status != 201:
            raise AssertionError(repr(r))
        r = cls.lect.post("associations", {"slug": "page-edu", "name": "Teachers Guild",
                                           "industry": "education", "join_policy": "approval",
                                           "visibility": "members"})
        if r.status != 201:
            raise AssertionError(repr(r))

    def test_directory_page(self):
        page = self.assertHtml(self.anon().page("/associations")).text
        self.assertIn('href="/a/page-agri"', page)
        self.assertIn('href="/a/page-edu"', page)
        self.assertIn("Teachers Guild", page)
        self.assertIn("Agri &lt;b&gt;Circle&lt;/b&gt; 农业", page)
        self.assertNotIn("<b>Circle</b>", page)
        self.assertNotIn("<script>alert(1)", page)
        page = self.assertHtml(self.anon().page("/associations?industry=education")).text
        self.assertIn('href="/a/page-edu"', page)
        self.assertNotIn('href="/a/page-agri"', page)
        page = self.assertHtml(self.anon().page("/associations?position=village-secretary")).text
        self.assertIn('href="/a/page-agri"', page)
        self.assertNotIn('href="/a/page-edu"', page)

    def test_create_form_only_for_lecturers_and_admins(self):
        for name in ("lect", "asadmin"):
            with self.subTest(user=name):
                self.assertIn('method="post" action="/associations"', self.browser(name).page("/associations").text)
        for name in ("alice", "smod", None):
            with self.subTest(user=name):
                self.assertNotIn('method="post" action="/associations"', self.browser(name).page("/associations").text)

    def test_create_through_the_form(self):
        c = self.browser("lect2")
        slug = unique("form-")
        r = c.form("/associations", {"slug": slug, "name": "表单研究会", "description": "made by form",
                                     "industry": "health", "position": "", "join_policy": "approval",
                                     "visibility": "members"}, page="/associations")
        self.assertStatus(r, 303)
        self.assertEqual(location_path(r), f"/a/{slug}")
        got = self.info(slug, self.lect2)
        self.assertEqual(got["membership"], "officer")
        x = got["association"]
        self.assertEqual((x["name"], x["industry"], x["position"], x["join_policy"], x["visibility"]),
                         ("表单研究会", "health", None, "approval", "members"))
        page = self.assertHtml(c.page(f"/a/{slug}")).text
        self.assertIn("表单研究会", page)
        # refusals
        r = c.form("/associations", {"slug": slug, "name": "Again"}, page="/associations")
        self.assertHtml(r, 409)
        r = c.form("/associations", {"slug": "Bad Slug", "name": "x"}, page="/associations")
        self.assertHtml(r, 400)
        r = self.browser("alice").form("/associations", {"slug": unique("form-"), "name": "x"},
                                       page="/associations")
        self.assertHtml(r, 403)
        r = c.form("/associations", {"slug": unique("form-"), "name": "no csrf"}, csrf=False)
        self.assertStatus(r, 403)

    def test_association_page(self):
        page = self.assertHtml(self.anon().page("/a/page-agri")).text
        self.assertIn("Agri &lt;b&gt;Circle&lt;/b&gt; 农业", page)
        self.assertIn("&lt;script&gt;", page)
        self.assertNotIn("<script>alert(1)", page)
        self.assertIn('href="/u/lect"', page, "officers are listed")
        self.assertNotIn('action="/a/page-agri/join"', page)
        self.assertHtml(self.anon().page("/a/no-such-assoc"), 404)
        page = self.browser("carol").page("/a/page-agri").text
        self.assertIn('action="/a/page-agri/join"', page)
        self.assertNotIn('action="/a/page-agri/leave"', page)

    def test_join_and_leave_forms(self):
        c = self.browser("dave")
        r = c.form("/a/page-agri/join", {}, csrf=False)
        self.assertStatus(r, 403)
        self.assertEqual(self.membership("page-agri", self.dave), "none")
        r = c.form("/a/page-agri/join", {}, page="/a/page-agri")
        self.assertStatus(r, 303)
        self.assertEqual(location_path(r), "/a/page-agri")
        self.assertEqual(self.membership("page-agri", self.dave), "member")
        page = c.page("/a/page-agri").text
        self.assertIn('action="/a/page-agri/leave"', page)
        self.assertNotIn('action="/a/page-agri/join"', page)
        self.assertHtml(c.form("/a/page-agri/join", {}, page="/a/page-agri"), 409)
        r = c.form("/a/page-agri/leave", {}, page="/a/page-agri")
        self.assertStatus(r, 303)
        self.assertEqual(location_path(r), "/a/page-agri")
        self.assertEqual(self.membership("page-agri", self.dave), "none")
        self.assertHtml(self.browser("lect").form("/a/page-agri/leave", {}, page="/a/page-agri"), 409)

    def test_officer_forms(self):
        name = unique("req")
        m = self.server.member(name)
        self.assertStatus(self.join(m, "page-edu"), 202)
        officer = self.browser("lect")
        page = self.assertHtml(officer.page("/a/page-edu")).text
        self.assertIn(f'action="/a/page-edu/members/{name}"', page)
        self.assertIn('value="approve"', page)
        # the requester and outsiders see no such forms
        for who in (name, "alice"):
            self.assertNotIn(f'action="/a/page-edu/members/', self.browser(who).page("/a/page-edu").text)
        r = self.browser("alice").form(f"/a/page-edu/members/{name}", {"action": "approve"}, page="/a/page-edu")
        self.assertHtml(r, 403)
        self.assertEqual(self.membership("page-edu", m), "pending")
        r = officer.form(f"/a/page-edu/members/{name}", {"action": "approve"}, page="/a/page-edu")
        self.assertStatus(r, 303)
        self.assertEqual(location_path(r), "/a/page-edu")
        self.assertEqual(self.membership("page-edu", m), "member")
        page = officer.page("/a/page-edu").text
        self.assertIn('value="promote"', page)
        r = officer.form(f"/a/page-edu/members/{name}", {"action": "promote"}, page="/a/page-edu")
        self.assertStatus(r, 303)
        self.assertEqual(self.membership("page-edu", m), "officer")
        r = officer.form(f"/a/page-edu/members/{name}", {"action": "remove"}, page="/a/page-edu")
        self.assertStatus(r, 303)
        self.assertEqual(self.membership("page-edu", m), "none")
        self.assertHtml(officer.form(f"/a/page-edu/members/{name}", {"action": "explode"}, page="/a/page-edu"), 400)
        # the admin's page lists the requests too
        self.assertStatus(self.join(m, "page-edu"), 202)
        self.assertIn(f'action="/a/page-edu/members/{name}"', self.browser("asadmin").page("/a/page-edu").text)

    def test_pending_notice(self):
        name = unique("req")
        m = self.server.member(name)
        self.assertStatus(self.join(m, "page-edu"), 202)
        page = self.browser(name).page("/a/page-edu").text
        self.assertNotIn('action="/a/page-edu/join"', page, "no second request while pending")


if __name__ == "__main__":
    unittest.main()
