"""Moderation (API.md "Moderation", DESIGN-NOTES.md "Moderation", PLUGINS.md): the review
queue and its scoping, actions on posts and threads with their effect on visibility and on
the counters, reports, bans, the public log, the shipped plugins end to end (wordfilter,
linklimit, floodguard), plugin start-up refusals, and the /mod and /mod/log pages with their
forms.

The plugin servers run with a plugin folder of their own: the .so files are copied from the
build (beside the agorad binary: plugins/ and test-plugins/badabi/) into a temporary folder
where the tests write the NAME.conf files."""

import os
import re
import shutil
import tempfile
import time
import unittest

from agora_harness import (POST_KEYS, RFC3339, THREAD_KEYS, PASSWORD, Server, ServerTestCase, agorad_path,
                           make_board, make_thread, reply, run_cli, unique, web_path)

DAY = 86400

HOLD_WORD = "赌博"
HOLD_REASON = f"contains a word that needs review: {HOLD_WORD}"
REJECT_REASON = "contains a blocked word"
LINK_REASON = "new accounts may post at most 2 links before review"

WORDFILTER_CONF = f"""# words of the moderation tests
reject spam
reject 代开发票
hold {HOLD_WORD}
hold casino
"""
LINKLIMIT_CONF = "# new accounts: two links at most\nmax_links_new_user 2\nnew_user_days 3\n"
THREE_LINKS = ("See [one](https://one.example.org/), [two](https://two.example.org/) "
               "and [three](https://three.example.org/).")
ONE_LINK = "See [one](https://one.example.org/) for the notes."


# ---- plugin folders ------------------------------------------------------------------------------


def build_dir():
    return os.path.dirname(agorad_path())


def plugin_so(name):
    """The built .so of a shipped plugin, or of the test plugin `badabi`."""
    if name == "badabi":
        path = os.path.join(build_dir(), "test-plugins", "badabi", "badabi.so")
    else:
        path = os.path.join(build_dir(), "plugins", f"{name}.so")
    if not os.path.isfile(path):
        raise AssertionError(f"{path} is missing: build the plugins beside agorad first")
    return path


def plugin_folder(plugins):
    """A new temporary folder holding a copy of each named plugin and its NAME.conf.

    plugins: {name: config text (str or bytes), or None for no config file}."""
    folder = tempfile.mkdtemp(prefix="agora-plugins-")
    for name, conf in plugins.items():
        shutil.copy(plugin_so(name), os.path.join(folder, f"{name}.so"))
        if conf is not None:
            with open(os.path.join(folder, f"{name}.conf"), "wb") as f:
                f.write(conf.encode() if isinstance(conf, str) else conf)
    return folder


# ---- the shared fixture ------------------------------------------------------------------------


class ModCase(ServerTestCase):
    """A server with wordfilter and linklimit, an admin, two boards A and B, a board moderator
    of A (a member), a site moderator, a lecturer and four members."""

    plugins = {"wordfilter": WORDFILTER_CONF, "linklimit": LINKLIMIT_CONF}

    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()  # unittest's own: the server starts here
        args = []
        if cls.plugins is not None:
            folder = plugin_folder(cls.plugins)
            cls.addClassCleanup(shutil.rmtree, folder, True)
            args = ["--plugins", folder]
        cls.server = Server(workers=cls.workers, extra_args=args)
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.setUpPeople()

    @classmethod
    def setUpPeople(cls):
        srv = cls.server
        cls.admin = srv.admin("modadmin")
        cls.board_a = make_board(cls.admin, title="Board A")
        cls.board_b = make_board(cls.admin, title="Board B")
        cls.a, cls.b = cls.board_a["slug"], cls.board_b["slug"]
        cls.bmod = srv.member("bmod")
        r = cls.admin.post(f"boards/{cls.a}/moderators", {"username": "bmod"})
        if r.status != 201:
            raise AssertionError(f"appointing bmod failed: {r!r}")
        srv.add_user("smod", "moderator")
        cls.smod = srv.client()
        cls.smod.login("smod")
        srv.add_user("lect", "lecturer")
        cls.alice = srv.member("alice")
        cls.bob = srv.member("bob")
        cls.carol = srv.member("carol")
        cls.dave = srv.member("dave")

    # -- helpers --
    def mod_post(self, client, post_id, action, reason="checked by the tests", **extra):
        body = {"action": action, **extra}
        if reason is not None:
            body["reason"] = reason
        return client.post(f"mod/posts/{post_id}", body)

    def mod_thread(self, client, thread_id, action, reason="checked by the tests", board=None):
        body = {"action": action, "reason": reason}
        if board is not None:
            body["board"] = board
        return client.post(f"mod/threads/{thread_id}", body)

    def report(self, client, post_id, reason="spam-like"):
        return client.post(f"posts/{post_id}/reports", {"reason": reason})

    def queue(self, client):
        r = self.assertStatus(client.get("mod/queue?per_page=200"), 200)
        self.assertIsInstance(r.data.get("items"), list, repr(r))
        return r.data["items"]

    def queue_item(self, client, post_id):
        found = [i for i in self.queue(client) if i["post"]["id"] == post_id]
        self.assertLessEqual(len(found), 1, f"post {post_id} is in the queue more than once: {found}")
        return found[0] if found else None

    def assertQueued(self, client, post_id, *reason_parts):
        item = self.queue_item(client, post_id)
        self.assertIsNotNone(item, f"post {post_id} is not in the queue")
        self.assertTrue({"post", "thread_id", "board", "reasons"} <= set(item), item)
        self.assertTrue(all(isinstance(x, str) for x in item["reasons"]), item)
        for part in reason_parts:
            self.assertTrue(any(part in x for x in item["reasons"]),
                            f"no reason mentions {part!r}: {item['reasons']!r}")
        return item

    def assertNotQueued(self, client, post_id):
        self.assertIsNone(self.queue_item(client, post_id), f"post {post_id} is still in the queue")

    def counts(self, slug):
        b = self.assertStatus(self.anon().get(f"boards/{slug}"), 200).data["board"]
        return b["thread_count"], b["post_count"]

    def reply_count(self, thread_id):
        return self.assertStatus(self.anon().get(f"threads/{thread_id}"), 200).data["thread"]["reply_count"]

    def post_ids(self, thread_id, client=None):
        r = self.assertStatus((client or self.anon()).get(f"threads/{thread_id}?per_page=200"), 200)
        return [p["id"] for p in r.data["posts"]]

    def listed(self, slug, client=None):
        r = self.assertStatus((client or self.anon()).get(f"boards/{slug}?per_page=200"), 200)
        return [t["id"] for t in r.data["threads"]]

    def held(self, client, thread_id, body=f"我们村里最近有人在搞{HOLD_WORD}活动，大家注意。"):
        """A reply a plugin holds: 202 with a pending post."""
        r = self.assertStatus(client.post(f"threads/{thread_id}/posts", {"body": body}), 202)
        self.assertEqual(r.data["post"]["state"], "pending", repr(r))
        return r.data["post"]

    def log_entries(self, per_page=200):
        r = self.assertStatus(self.anon().get(f"mod/log?per_page={per_page}"), 200)
        return r.data["entries"]

    def assertLogged(self, action, target_type, target_id, actor, reason=None):
        """The newest log entry of (action, target) was written by actor with reason."""
        found = [e for e in self.log_entries()
                 if (e["action"], e["target_type"], e["target_id"]) == (action, target_type, target_id)]
        self.assertTrue(found, f"no {action} entry for {target_type} {target_id} in the log")
        e = found[0]
        self.assertEqual(e["actor"], actor, e)
        if reason is not None:
            self.assertEqual(e["reason"], reason, e)
        self.assertRegex(e["created_at"], RFC3339)
        return e


# ---- the queue and reports ------------------------------------------------------------------------


class Queue(ModCase):
    def test_anonymous_401(self):
        self.assertError(self.anon().get("mod/queue"), 401, "not_signed_in")

    def test_member_without_boards_is_refused(self):
        # the queue is for moderators: one rule for the API and the /mod page
        t, p = make_thread(self.alice, self.a)
        self.assertStatus(self.report(self.bob, p["id"], "off topic"), 201)
        self.held(self.carol, t["id"])
        for c in (self.alice, self.dave, self.bob):
            with self.subTest(user=c.user["username"]):
                self.assertError(c.get("mod/queue"), 403, "not_a_moderator")

    def test_board_moderator_sees_only_their_board(self):
        ta, pa = make_thread(self.alice, self.a, "on A")
        tb, pb = make_thread(self.alice, self.b, "on B")
        self.assertStatus(self.report(self.carol, pa["id"], "reported on A"), 201)
        self.assertStatus(self.report(self.carol, pb["id"], "reported on B"), 201)
        ha = self.held(self.bob, ta["id"])
        hb = self.held(self.bob, tb["id"])
        # the board moderator: board A only
        item = self.assertQueued(self.bmod, pa["id"], "reported on A")
        self.assertEqual((item["board"], item["thread_id"]), (self.a, ta["id"]))
        self.assertTrue(POST_KEYS <= set(item["post"]), item["post"])
        self.assertEqual(item["post"]["state"], "published")
        item = self.assertQueued(self.bmod, ha["id"], HOLD_REASON)
        self.assertEqual((item["board"], item["thread_id"], item["post"]["state"]), (self.a, ta["id"], "pending"))
        self.assertIn(HOLD_WORD, item["post"]["body_html"], "moderators see the held text")
        self.assertNotQueued(self.bmod, pb["id"])
        self.assertNotQueued(self.bmod, hb["id"])
        self.assertTrue(all(i["board"] == self.a for i in self.queue(self.bmod)))
        # the site moderator and the admin: every board
        for c in (self.smod, self.admin):
            with self.subTest(user=c.user["username"]):
                self.assertEqual(self.assertQueued(c, pb["id"], "reported on B")["board"], self.b)
                self.assertEqual(self.assertQueued(c, hb["id"], HOLD_REASON)["board"], self.b)
                self.assertQueued(c, pa["id"])
                self.assertQueued(c, ha["id"])

    def test_several_reports_gather_into_one_item(self):
        t, p = make_thread(self.alice, self.a, "Reported twice")
        self.assertStatus(self.report(self.bob, p["id"], "off topic here"), 201)
        self.assertStatus(self.report(self.carol, p["id"], "rude words 粗话"), 201)
        item = self.assertQueued(self.bmod, p["id"], "off topic here", "rude words 粗话")
        self.assertEqual(len(item["reasons"]), 2, item["reasons"])
        # two reports stay below the threshold of 3: still public
        got = self.assertStatus(self.anon().get(f"posts/{p['id']}"), 200).data["post"]
        self.assertEqual(got["state"], "published")

    def test_report_refusals(self):
        t, p = make_thread(self.alice, self.a)
        r = self.assertStatus(self.report(self.bob, p["id"], "first"), 201)
        self.assertError(self.report(self.bob, p["id"], "second"), 409, "already_reported")
        self.assertError(self.bob.post(f"posts/{p['id']}/reports", {}), 400)
        self.assertError(self.carol.post(f"posts/{p['id']}/reports", {}), 400)
        self.assertError(self.carol.post(f"posts/{p['id']}/reports", {"reason": ""}), 400)
        self.assertError(self.carol.post(f"posts/{p['id']}/reports", {"reason": 7}), 400, "wrong_type")
        self.assertError(self.report(self.anon(), p["id"]), 401, "not_signed_in")
        self.assertError(self.report(self.carol, 987654321), 404, "post_not_found")
        self.assertEqual(len(self.assertQueued(self.bmod, p["id"], "first")["reasons"]), 1)

# ---- weighted reports: a few new accounts cannot take a post down ----------------------------------------------------


class ReportWeights(ModCase):
    """Reports weigh by the reporter's standing (DESIGN-NOTES.md "Reports"). The cast is made
    ten days in the past (AGORA_NOW), then agorad restarts on the real clock: vet1..vet3 are
    established members (ten days old, three published posts each), the others of ModCase are
    ten days old without posts. lect is the officer of the public association `wclub` whose
    board is `wclub-board`."""

    plugins = None

    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()
        cls.server = Server(workers=cls.workers, env={"AGORA_NOW": str(int(time.time()) - 10 * DAY)})
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.setUpPeople()
        cls.veterans = [cls.server.member(n) for n in ("vet1", "vet2", "vet3")]
        for v in cls.veterans:
            for i in range(3):
                make_thread(v, cls.b, f"{v.user['username']} writes {i}")
        cls.lect = cls.server.client()
        cls.lect.login("lect")
        cls.expect(cls.lect.post("associations", {"slug": "wclub", "name": "Weights club"}), 201)
        cls.expect(cls.admin.post("boards", {"slug": "wclub-board", "title": "Club board", "association": "wclub"}), 201)
        cls.server.stop()  # ten days later
        cls.server.env["AGORA_NOW"] = None
        cls.server.start()

    def fresh(self):
        return self.new_member("fresh")

    def visible(self, post_id):
        r = self.anon().get(f"posts/{post_id}")
        return r.status == 200 and r.data["post"]["state"] == "published"

    def test_three_new_accounts_only_send_it_to_the_queue(self):
        t, p = make_thread(self.alice, self.a, "Disliked by newcomers")
        for i, c in enumerate((self.fresh(), self.fresh(), self.fresh())):
            self.assertStatus(self.report(c, p["id"], f"newcomer {i}"), 201)
        # still public, but the moderators are asked
        self.assertTrue(self.visible(p["id"]))
        item = self.assertQueued(self.bmod, p["id"], "newcomer 0", "newcomer 1", "newcomer 2")
        self.assertEqual(item["post"]["state"], "published")
        # old accounts that never posted weigh nothing either
        for c in (self.carol, self.dave, self.fresh()):
            self.assertStatus(self.report(c, p["id"], "me too"), 201)
        self.assertTrue(self.visible(p["id"]))

    def test_three_established_members_hide_a_post_until_approved(self):
        t, root = make_thread(self.bob, self.a, "Hide after reports")
        p = reply(self.alice, t["id"], "a reply some find offensive")
        before = self.counts(self.a)
        self.assertEqual(self.reply_count(t["id"]), 1)
        v1, v2, v3 = self.veterans
        for c, why in ((v1, "insulting"), (v2, "off topic")):
            self.assertStatus(self.report(c, p["id"], why), 201)
        self.assertTrue(self.visible(p["id"]), "two reports weigh 2, below the threshold of 3")
        self.assertStatus(self.report(v3, p["id"], "spam-like"), 201)
        # hidden from everyone but the author and the moderators
        self.assertError(self.anon().get(f"posts/{p['id']}"), 404, "post_not_found")
        self.assertError(self.carol.get(f"posts/{p['id']}"), 404, "post_not_found")
        self.assertNotIn(p["id"], self.post_ids(t["id"]))
        self.assertEqual(self.alice.get(f"posts/{p['id']}").data["post"]["state"], "pending")
        self.assertEqual(self.bmod.get(f"posts/{p['id']}").data["post"]["state"], "pending")
        self.assertEqual(self.reply_count(t["id"]), 0, "a hidden reply is not counted")
        self.assertEqual(self.counts(self.a), (before[0], before[1] - 1))
        self.assertQueued(self.bmod, p["id"], "insulting", "off topic", "spam-like")
        # approval brings it back and dismisses the reports
        r = self.assertStatus(self.mod_post(self.bmod, p["id"], "approve", "harmless"), 200)
        self.assertEqual(r.data["post"]["state"], "published")
        self.assertIn(p["id"], self.post_ids(t["id"]))
        self.assertEqual(self.reply_count(t["id"]), 1)
        self.assertEqual(self.counts(self.a), before)
        self.assertNotQueued(self.bmod, p["id"])
        # a dismissed report is closed: the same member may report again
        self.assertStatus(self.report(v2, p["id"], "again, new reason"), 201)
        item = self.assertQueued(self.bmod, p["id"], "again, new reason")
        self.assertEqual(len(item["reasons"]), 1, item["reasons"])
        self.assertTrue(self.visible(p["id"]))

    def test_staff_posts_are_never_hidden(self):
        posts = {
            "board moderator": make_thread(self.bmod, self.a, "By the board's moderator")[1],
            "site moderator": make_thread(self.smod, self.b, "By a site moderator")[1],
            "admin": make_thread(self.admin, self.b, "By the admin")[1],
            "officer": make_thread(self.lect, "wclub-board", "By the club's officer")[1],
        }
        for who, p in posts.items():
            with self.subTest(author=who):
                for v in self.veterans:
                    self.assertStatus(self.report(v, p["id"], f"against the {who}"), 201)
                self.assertTrue(self.visible(p["id"]), f"a post of the {who} was hidden by reports")
                self.assertQueued(self.admin, p["id"], f"against the {who}")

    def test_a_moderator_report_hides_at_once(self):
        t, p = make_thread(self.alice, self.a, "Seen by the moderator")
        self.assertStatus(self.report(self.bmod, p["id"], "clearly abusive"), 201)
        self.assertFalse(self.visible(p["id"]))
        self.assertQueued(self.bmod, p["id"], "clearly abusive")


# ---- association officers moderate their boards, members-only ones too ----------------------------------------------


class OfficerModeration(ModCase):
    """lect founds the members-only association `circle` (approval) and its boards
    `circle-board` and `circle-two`; alice and carol are members. The admin and the site
    moderator are not members: the circle's boards stay 404 to them."""

    plugins = None
    SECRET = "the secret plan of the circle"

    @classmethod
    def setUpPeople(cls):
        super().setUpPeople()
        cls.lect = cls.server.client()
        cls.lect.login("lect")
        cls.expect(cls.lect.post("associations", {"slug": "circle", "name": "Circle", "join_policy": "approval",
                                                 "visibility": "members"}), 201)
        for name, c in (("alice", cls.alice), ("carol", cls.carol)):
            cls.expect(c.post("associations/circle/members"), 202)
            cls.expect(cls.lect.post(f"associations/circle/members/{name}", {"action": "approve"}), 200)
        for slug in ("circle-board", "circle-two"):
            cls.expect(cls.lect.post("boards", {"slug": slug, "title": slug, "association": "circle"}), 201)
        cls.insmod = cls.staff("insmod", "moderator")  # a site moderator who is a member
        cls.expect(cls.insmod.post("associations/circle/members"), 202)
        cls.expect(cls.lect.post("associations/circle/members/insmod", {"action": "approve"}), 200)

    def test_officer_sees_the_queue_of_their_boards(self):
        t, p = make_thread(self.alice, "circle-board", "Inside the circle", self.SECRET)
        self.assertStatus(self.report(self.carol, p["id"], "reported inside"), 201)
        item = self.assertQueued(self.lect, p["id"], "reported inside")
        self.assertEqual(item["board"], "circle-board")
        # the admin and the site moderator are no members: they do not see it
        for c in (self.admin, self.smod):
            self.assertNotQueued(c, p["id"])
        page = self.browser("lect").page("/mod")
        self.assertStatus(page, 200)
        self.assertIn(self.SECRET, page.text)

    def test_officer_acts_on_posts_and_threads(self):
        t, p = make_thread(self.alice, "circle-board", "To be moderated", self.SECRET)
        r2 = reply(self.carol, t["id"], "a reply to take down")
        self.assertEqual(self.assertStatus(self.mod_post(self.lect, r2["id"], "reject"), 200).data["post"]["state"],
                         "rejected")
        self.assertEqual(self.assertStatus(self.mod_post(self.lect, p["id"], "delete"), 200).data["post"]["state"],
                         "deleted")
        self.assertEqual(self.assertStatus(self.mod_post(self.lect, p["id"], "restore"), 200).data["post"]["state"],
                         "published")
        for action in ("pin", "lock"):
            self.assertStatus(self.mod_thread(self.lect, t["id"], action), 200)
        logged = [(e["action"], e["actor"]) for e in self.alice.get("mod/log?per_page=200").data["entries"]
                  if (e["target_type"], e["target_id"]) == ("thread", t["id"])]
        self.assertEqual(logged, [("lock", "lect"), ("pin", "lect")])
        got = self.assertStatus(self.alice.get(f"threads/{t['id']}"), 200).data["thread"]
        self.assertEqual((got["pinned"], got["locked"]), (True, True))
        r = self.assertStatus(self.mod_thread(self.lect, t["id"], "move", board="circle-two"), 200)
        self.assertEqual(r.data["thread"]["board"], "circle-two")
        # not beyond the association: out of its boards, or on a board of another
        self.assertError(self.mod_thread(self.lect, t["id"], "move", board=self.a), 403, "not_a_moderator")
        ta, pa = make_thread(self.alice, self.a, "On a public board")
        self.assertError(self.mod_post(self.lect, pa["id"], "delete"), 403, "not_a_moderator")
        self.assertError(self.mod_thread(self.lect, ta["id"], "pin"), 403, "not_a_moderator")

    def test_admins_stay_outside(self):
        t, p = make_thread(self.alice, "circle-board", "Still members only", self.SECRET)
        for c in (self.admin, self.smod):
            self.assertError(self.mod_post(c, p["id"], "delete"), 404, "post_not_found")
            self.assertError(self.mod_thread(c, t["id"], "lock"), 404)
            self.assertError(c.get(f"threads/{t['id']}"), 404)

    def test_public_log_keeps_members_only_reasons_inside(self):
        t, p = make_thread(self.alice, "circle-board", "Logged inside", self.SECRET)
        why = f"it repeats {self.SECRET}"
        self.assertStatus(self.mod_thread(self.insmod, t["id"], "lock", why), 200)
        # a member sees the whole entry
        mine = [e for e in self.alice.get("mod/log?per_page=200").data["entries"]
                if (e["target_type"], e["target_id"]) == ("thread", t["id"])]
        self.assertEqual([(e["action"], e["actor"], e["reason"]) for e in mine], [("lock", "insmod", why)])
        # others see that a moderator acted, but not the reason
        for name, c in (("visitor", self.anon()), ("admin", self.admin), ("bob", self.bob)):
            with self.subTest(viewer=name):
                r = self.assertStatus(c.get("mod/log?per_page=200"), 200)
                entries = [e for e in r.data["entries"] if (e["target_type"], e["target_id"]) == ("thread", t["id"])]
                self.assertEqual([(e["action"], e["actor"]) for e in entries], [("lock", "insmod")])
                self.assertIsNone(entries[0]["reason"])
                self.assertIs(entries[0]["restricted"], True)
                self.assertNotIn(self.SECRET, r.text)
                self.assertNotIn("Logged inside", r.text)
        page = self.anon().page("/mod/log")
        self.assertStatus(page, 200)
        self.assertNotIn(self.SECRET, page.text)
        self.assertIn("Members-only content", page.text)

    def test_admin_approving_themself_is_logged(self):
        self.assertStatus(self.lect.post("associations", {"slug": "vault2", "name": "Vault", "join_policy": "approval",
                                                         "visibility": "members"}), 201)
        self.assertStatus(self.admin.post("associations/vault2/members"), 202)
        total = self.anon().get("mod/log").data["total"]
        self.assertStatus(self.admin.post("associations/vault2/members/modadmin", {"action": "approve"}), 200)
        log = self.assertStatus(self.anon().get("mod/log?per_page=1"), 200).data
        self.assertEqual(log["total"], total + 1)
        e = log["entries"][0]
        self.assertEqual((e["action"], e["actor"], e["target_type"]), ("approve_member", "modadmin", "association"))
        self.assertRegex(e["created_at"], RFC3339)
        # the admin, now a member, sees whom it concerned
        e = self.admin.get("mod/log?per_page=1").data["entries"][0]
        self.assertEqual((e["action"], e["reason"]), ("approve_member", "modadmin"))

    def browser(self, name):
        c = self.server.client()
        self.assertStatus(c.form("/login", {"username": name, "password": PASSWORD}), 303)
        return c


# ---- actions on posts ------------------------------------------------------------------------------


class PostActions(ModCase):
    def test_approve_a_held_reply(self):
        t, root = make_thread(self.bob, self.a, "Held reply approved")
        before = self.counts(self.a)
        p = self.held(self.alice, t["id"])
        # invisible to others, visible to the author and the moderators
        self.assertError(self.anon().get(f"posts/{p['id']}"), 404, "post_not_found")
        self.assertError(self.bob.get(f"posts/{p['id']}"), 404, "post_not_found")
        self.assertNotIn(p["id"], self.post_ids(t["id"]))
        self.assertNotIn(p["id"], self.post_ids(t["id"], self.bob))
        self.assertEqual(self.alice.get(f"posts/{p['id']}").data["post"]["state"], "pending")
        self.assertIn(p["id"], self.post_ids(t["id"], self.alice))
        for c in (self.bmod, self.smod):
            self.assertEqual(self.assertStatus(c.get(f"posts/{p['id']}"), 200).data["post"]["state"], "pending")
        self.assertEqual(self.reply_count(t["id"]), 0)
        self.assertEqual(self.counts(self.a), before)
        self.assertQueued(self.bmod, p["id"], HOLD_REASON)
        # approve
        r = self.assertStatus(self.mod_post(self.bmod, p["id"], "approve", "fine after all"), 200)
        self.assertTrue(POST_KEYS <= set(r.data["post"]))
        self.assertEqual((r.data["post"]["id"], r.data["post"]["state"]), (p["id"], "published"))
        got = self.assertStatus(self.anon().get(f"posts/{p['id']}"), 200).data["post"]
        self.assertEqual(got["state"], "published")
        self.assertIn(HOLD_WORD, got["body_html"])
        self.assertIn(p["id"], self.post_ids(t["id"]))
        self.assertEqual(self.reply_count(t["id"]), 1)
        self.assertEqual(self.counts(self.a), (before[0], before[1] + 1))
        self.assertNotQueued(self.bmod, p["id"])
        self.assertLogged("approve", "post", p["id"], "bmod", "fine after all")

    def test_reject_a_held_reply(self):
        t, root = make_thread(self.bob, self.a, "Held reply rejected")
        before = self.counts(self.a)
        p = self.held(self.alice, t["id"])
        r = self.assertStatus(self.mod_post(self.bmod, p["id"], "reject", "not here please"), 200)
        self.assertEqual(r.data["post"]["state"], "rejected")
        self.assertError(self.anon().get(f"posts/{p['id']}"), 404, "post_not_found")
        self.assertError(self.bob.get(f"posts/{p['id']}"), 404, "post_not_found")
        self.assertNotIn(p["id"], self.post_ids(t["id"]))
        self.assertEqual(self.alice.get(f"posts/{p['id']}").data["post"]["state"], "rejected",
                         "the author still sees the rejected post")
        self.assertEqual(self.smod.get(f"posts/{p['id']}").data["post"]["state"], "rejected")
        self.assertEqual(self.reply_count(t["id"]), 0)
        self.assertEqual(self.counts(self.a), before)
        self.assertNotQueued(self.bmod, p["id"])
        self.assertLogged("reject", "post", p["id"], "bmod", "not here please")

    def test_held_new_thread_and_its_approval(self):
        before = self.counts(self.a)
        r = self.alice.post(f"boards/{self.a}/threads", {"title": f"关于{HOLD_WORD}的问题", "body": "请大家讨论。"})
        self.assertStatus(r, 202)
        p = r.data["post"]
        self.assertEqual((p["state"], p["depth"]), ("pending", 0))
        tid = p["thread_id"]
        self.assertError(self.anon().get(f"threads/{tid}"), 404, "thread_not_found")
        self.assertError(self.bob.get(f"threads/{tid}"), 404, "thread_not_found")
        self.assertNotIn(tid, self.listed(self.a))
        self.assertEqual(self.counts(self.a), before)
        self.assertStatus(self.alice.get(f"threads/{tid}"), 200)
        self.assertStatus(self.bmod.get(f"threads/{tid}"), 200)
        self.assertQueued(self.bmod, p["id"], HOLD_REASON)
        self.assertStatus(self.mod_post(self.bmod, p["id"], "approve"), 200)
        got = self.assertStatus(self.anon().get(f"threads/{tid}"), 200).data
        self.assertEqual(got["thread"]["title"], f"关于{HOLD_WORD}的问题")
        self.assertIn(tid, self.listed(self.a))
        self.assertEqual(self.counts(self.a), (before[0] + 1, before[1] + 1))

    def test_rejected_new_thread_stays_out_of_the_board(self):
        before = self.counts(self.a)
        r = self.assertStatus(self.alice.post(f"boards/{self.a}/threads",
                                              {"title": "casino night", "body": "come along"}), 202)
        p = r.data["post"]
        self.assertStatus(self.mod_post(self.smod, p["id"], "reject", "no gambling"), 200)
        self.assertError(self.anon().get(f"threads/{p['thread_id']}"), 404)
        self.assertNotIn(p["thread_id"], self.listed(self.a))
        self.assertEqual(self.counts(self.a), before)
        self.assertStatus(self.alice.get(f"threads/{p['thread_id']}"), 200)

    def test_delete_and_restore(self):
        t, root = make_thread(self.alice, self.a, "Delete and restore")
        p = reply(self.bob, t["id"], "words a moderator takes down")
        before = self.counts(self.a)
        self.assertEqual(self.reply_count(t["id"]), 1)
        self.assertError(self.mod_post(self.bmod, p["id"], "restore"), 409)
        r = self.assertStatus(self.mod_post(self.bmod, p["id"], "delete", "insulting"), 200)
        self.assertEqual((r.data["post"]["state"], r.data["post"]["body_html"]), ("deleted", ""))
        got = self.assertStatus(self.anon().get(f"posts/{p['id']}"), 200).data["post"]
        self.assertEqual((got["state"], got["body_html"]), ("deleted", ""))
        self.assertNotIn("takes down", self.anon().get(f"threads/{t['id']}").text)
        self.assertEqual(self.reply_count(t["id"]), 0, "a deleted reply is not counted")
        self.assertEqual(self.counts(self.a), (before[0], before[1] - 1))
        self.assertLogged("delete", "post", p["id"], "bmod", "insulting")
        r = self.assertStatus(self.mod_post(self.bmod, p["id"], "restore", "on second thought"), 200)
        self.assertEqual(r.data["post"]["state"], "published")
        got = self.anon().get(f"posts/{p['id']}").data["post"]
        self.assertEqual(got["state"], "published")
        self.assertIn("words a moderator takes down", got["body_html"])
        self.assertEqual(self.reply_count(t["id"]), 1)
        self.assertEqual(self.counts(self.a), before)
        self.assertLogged("restore", "post", p["id"], "bmod", "on second thought")
        self.assertError(self.mod_post(self.bmod, p["id"], "restore"), 409)

    def test_reject_takes_down_a_reported_post(self):
        t, root = make_thread(self.bob, self.a, "Reported then rejected")
        p = reply(self.alice, t["id"], "a reply to take down")
        before = self.counts(self.a)
        self.assertStatus(self.report(self.carol, p["id"], "advertising"), 201)
        self.assertQueued(self.bmod, p["id"], "advertising")
        r = self.assertStatus(self.mod_post(self.bmod, p["id"], "reject", "advertising indeed"), 200)
        self.assertEqual(r.data["post"]["state"], "rejected")
        self.assertError(self.anon().get(f"posts/{p['id']}"), 404)
        self.assertError(self.carol.get(f"posts/{p['id']}"), 404)
        self.assertNotIn(p["id"], self.post_ids(t["id"]))
        self.assertEqual(self.alice.get(f"posts/{p['id']}").data["post"]["state"], "rejected")
        self.assertEqual(self.reply_count(t["id"]), 0)
        self.assertEqual(self.counts(self.a), (before[0], before[1] - 1))
        self.assertNotQueued(self.bmod, p["id"])

    def test_approve_dismisses_reports(self):
        t, p = make_thread(self.alice, self.a, "Reported then approved")
        self.assertStatus(self.report(self.dave, p["id"], "I disagree"), 201)
        self.assertQueued(self.smod, p["id"], "I disagree")
        r = self.assertStatus(self.mod_post(self.smod, p["id"], "approve", "disagreeing is fine"), 200)
        self.assertEqual(r.data["post"]["state"], "published")
        self.assertNotQueued(self.smod, p["id"])
        self.assertNotQueued(self.bmod, p["id"])
        self.assertEqual(self.anon().get(f"posts/{p['id']}").data["post"]["state"], "published")
        self.assertLogged("approve", "post", p["id"], "smod", "disagreeing is fine")

    def test_refusals(self):
        t, p = make_thread(self.alice, self.a, "Refusals")
        h = self.held(self.bob, t["id"])
        tb, pb = make_thread(self.alice, self.b, "On the other board")
        hb = self.held(self.bob, tb["id"])
        self.assertError(self.mod_post(self.bmod, p["id"], "ban"), 400, "invalid_action")
        self.assertError(self.mod_post(self.bmod, p["id"], "APPROVE"), 400, "invalid_action")
        self.assertError(self.bmod.post(f"mod/posts/{p['id']}", {"reason": "no action"}), 400)
        self.assertError(self.bmod.post(f"mod/posts/{p['id']}", {"action": 1}), 400, "wrong_type")
        self.assertError(self.mod_post(self.anon(), p["id"], "delete"), 401, "not_signed_in")
        self.assertError(self.mod_post(self.bmod, 987654321, "approve"), 404, "post_not_found")
        # a member: 403 for a post they can see, 404 for one they cannot
        self.assertError(self.mod_post(self.carol, p["id"], "delete"), 403, "not_a_moderator")
        self.assertError(self.mod_post(self.carol, h["id"], "approve"), 404, "post_not_found")
        # even the author of a held post cannot approve it
        self.assertError(self.mod_post(self.bob, h["id"], "approve"), 403, "not_a_moderator")
        # the moderator of board A has no power on board B
        self.assertError(self.mod_post(self.bmod, pb["id"], "delete"), 403, "not_a_moderator")
        self.assertError(self.mod_post(self.bmod, hb["id"], "approve"), 404, "post_not_found")
        # nothing changed
        self.assertEqual(self.anon().get(f"posts/{p['id']}").data["post"]["state"], "published")
        self.assertEqual(self.anon().get(f"posts/{pb['id']}").data["post"]["state"], "published")
        self.assertEqual(self.bob.get(f"posts/{h['id']}").data["post"]["state"], "pending")
        self.assertEqual(self.bob.get(f"posts/{hb['id']}").data["post"]["state"], "pending")

    def test_reason_is_optional_and_bounded(self):
        t, p = make_thread(self.alice, self.a, "Reasons")
        self.assertError(self.mod_post(self.bmod, p["id"], "delete", "x" * 501), 400, "invalid_reason")
        self.assertError(self.mod_thread(self.bmod, t["id"], "pin", "x" * 501), 400, "invalid_reason")
        self.assertEqual(self.anon().get(f"posts/{p['id']}").data["post"]["state"], "published")
        self.assertStatus(self.mod_post(self.bmod, p["id"], "delete", "长" * 500), 200)
        self.assertStatus(self.mod_post(self.bmod, p["id"], "restore", None), 200)
        e = self.assertLogged("restore", "post", p["id"], "bmod")
        self.assertIn(e["reason"], ("", None))

    def test_author_edit_of_a_pending_post_stays_pending(self):
        t, root = make_thread(self.bob, self.a, "Pending edit")
        h = self.held(self.alice, t["id"])
        r = self.alice.patch(f"posts/{h['id']}", {"body": "rewritten without the word"})
        self.assertStatus(r, (200, 202))
        got = self.alice.get(f"posts/{h['id']}").data["post"]
        self.assertEqual(got["state"], "pending")
        self.assertIn("rewritten without the word", got["body_html"])
        self.assertError(self.anon().get(f"posts/{h['id']}"), 404)
        self.assertQueued(self.bmod, h["id"])


class HeldEdits(ModCase):
    def approved_post(self):
        """A post that was held, then approved: alice's reply in bob's thread."""
        t, root = make_thread(self.bob, self.a, "Edits")
        h = self.held(self.alice, t["id"], f"原来的内容 first text {HOLD_WORD}")
        self.assertStatus(self.mod_post(self.bmod, h["id"], "approve"), 200)
        return t, h

    def test_held_edit_waits_while_the_old_text_stays(self):
        t, p = self.approved_post()
        new = f"修改后的内容 second text about {HOLD_WORD} again"
        r = self.assertStatus(self.alice.patch(f"posts/{p['id']}", {"body": new}), 202)
        with self.subTest("the 202 answer carries the post as readers see it"):
            self.assertIsInstance(r.data, dict)
            self.assertIn("post", r.data, repr(r))
            self.assertEqual(r.data["post"]["state"], "published")
            self.assertIn("first text", r.data["post"]["body_html"])
            self.assertNotIn("second text", r.data["post"]["body_html"])
        for c in (self.anon(), self.bob, self.alice):
            got = self.assertStatus(c.get(f"posts/{p['id']}"), 200)
            self.assertEqual(got.data["post"]["state"], "published")
            self.assertIn("first text", got.data["post"]["body_html"])
            self.assertNotIn("second text", got.text)
            self.assertNotIn("second text", c.get(f"threads/{t['id']}").text)
            self.assertNotIn("second text", c.page(f"/t/{t['id']}").text)
        item = self.assertQueued(self.bmod, p["id"], HOLD_REASON)
        self.assertIn("first text", item["post"]["body_html"])
        self.assertIn("second text", item["post"].get("pending_html") or "", item)
        self.assertEqual(self.anon().get(f"posts/{p['id']}/revisions").data["revisions"], [])
        # approval applies it; the old text becomes a revision
        r = self.assertStatus(self.mod_post(self.bmod, p["id"], "approve", "edit is fine"), 200)
        self.assertIn("second text", r.data["post"]["body_html"])
        got = self.anon().get(f"posts/{p['id']}").data["post"]
        self.assertIn("second text", got["body_html"])
        self.assertNotIn("first text", got["body_html"])
        self.assertRegex(got["edited_at"] or "", RFC3339)
        revs = self.anon().get(f"posts/{p['id']}/revisions").data["revisions"]
        self.assertEqual([x["body"] for x in revs], [f"原来的内容 first text {HOLD_WORD}"])
        self.assertNotQueued(self.bmod, p["id"])
        self.assertLogged("approve", "post", p["id"], "bmod", "edit is fine")

    def test_rejected_edit_is_dropped(self):
        t, p = self.approved_post()
        self.assertStatus(self.alice.patch(f"posts/{p['id']}", {"body": f"dropped text {HOLD_WORD}"}), 202)
        r = self.assertStatus(self.mod_post(self.bmod, p["id"], "reject", "keep the old one"), 200)
        self.assertEqual(r.data["post"]["state"], "published", "rejecting an edit keeps the post")
        got = self.anon().get(f"posts/{p['id']}")
        self.assertEqual(got.data["post"]["state"], "published")
        self.assertIn("first text", got.data["post"]["body_html"])
        self.assertNotIn("dropped text", got.text)
        self.assertEqual(self.anon().get(f"posts/{p['id']}/revisions").data["revisions"], [])
        self.assertNotQueued(self.bmod, p["id"])
        self.assertIn(p["id"], self.post_ids(t["id"]))

    def test_edit_of_a_plain_post_into_held_text(self):
        t, root = make_thread(self.bob, self.a, "Plain post edited")
        p = reply(self.alice, t["id"], "plain words")
        before = (self.reply_count(t["id"]), self.counts(self.a))
        self.assertStatus(self.alice.patch(f"posts/{p['id']}", {"body": "now about casino games"}), 202)
        self.assertIn("plain words", self.anon().get(f"posts/{p['id']}").data["post"]["body_html"])
        self.assertEqual((self.reply_count(t["id"]), self.counts(self.a)), before,
                         "a held edit does not hide the post")
        self.assertQueued(self.bmod, p["id"], "contains a word that needs review: casino")

    def test_edit_into_refused_text_422(self):
        t, root = make_thread(self.bob, self.a, "Refused edit")
        p = reply(self.alice, t["id"], "harmless words")
        r = self.assertError(self.alice.patch(f"posts/{p['id']}", {"body": "buy spam here"}), 422, "refused")
        self.assertIn(REJECT_REASON, r.error_message)
        self.assertIn("harmless words", self.anon().get(f"posts/{p['id']}").data["post"]["body_html"])
        self.assertNotQueued(self.bmod, p["id"])


# ---- actions on threads ------------------------------------------------------------------------------


class ThreadActions(ModCase):
    def test_pin_and_unpin(self):
        board = make_board(self.admin)["slug"]
        old = make_thread(self.alice, board, "old but pinned")[0]
        new = make_thread(self.alice, board, "newer")[0]
        self.assertEqual(self.listed(board), [new["id"], old["id"]])
        r = self.assertStatus(self.mod_thread(self.smod, old["id"], "pin", "read this first"), 200)
        self.assertTrue(THREAD_KEYS <= set(r.data["thread"]), r.data)
        self.assertTrue(r.data["thread"]["pinned"])
        listed = self.anon().get(f"boards/{board}").data["threads"]
        self.assertEqual([(x["id"], x["pinned"]) for x in listed], [(old["id"], True), (new["id"], False)])
        self.assertTrue(self.anon().get(f"threads/{old['id']}").data["thread"]["pinned"])
        self.assertLogged("pin", "thread", old["id"], "smod", "read this first")
        r = self.assertStatus(self.mod_thread(self.smod, old["id"], "unpin", "done"), 200)
        self.assertFalse(r.data["thread"]["pinned"])
        self.assertEqual(self.listed(board), [new["id"], old["id"]])
        self.assertLogged("unpin", "thread", old["id"], "smod", "done")

    def test_lock_and_unlock(self):
        t, p = make_thread(self.alice, self.a, "To be locked")
        r = self.assertStatus(self.mod_thread(self.bmod, t["id"], "lock", "heated"), 200)
        self.assertTrue(r.data["thread"]["locked"])
        self.assertTrue(self.anon().get(f"threads/{t['id']}").data["thread"]["locked"])
        self.assertError(self.bob.post(f"threads/{t['id']}/posts", {"body": "late"}), 403, "thread_locked")
        self.assertError(self.alice.post(f"threads/{t['id']}/posts", {"body": "mine too"}), 403, "thread_locked")
        self.assertStatus(self.bmod.post(f"threads/{t['id']}/posts", {"body": "closing note"}), 201)
        self.assertStatus(self.smod.post(f"threads/{t['id']}/posts", {"body": "site note"}), 201)
        self.assertLogged("lock", "thread", t["id"], "bmod", "heated")
        r = self.assertStatus(self.mod_thread(self.bmod, t["id"], "unlock", "calm again"), 200)
        self.assertFalse(r.data["thread"]["locked"])
        self.assertStatus(self.bob.post(f"threads/{t['id']}/posts", {"body": "open again"}), 201)
        self.assertLogged("unlock", "thread", t["id"], "bmod", "calm again")

    def test_move_changes_board_and_counters(self):
        src, dst = make_board(self.admin)["slug"], make_board(self.admin)["slug"]
        t, p = make_thread(self.alice, src, "Wrong board")
        reply(self.bob, t["id"], "r1")
        reply(self.carol, t["id"], "r2")
        held = self.held(self.dave, t["id"])  # not counted anywhere until approved
        self.assertEqual((self.counts(src), self.counts(dst)), ((1, 3), (0, 0)))
        r = self.assertStatus(self.mod_thread(self.smod, t["id"], "move", "belongs there", board=dst), 200)
        self.assertEqual(r.data["thread"]["board"], dst)
        self.assertEqual(self.anon().get(f"threads/{t['id']}").data["thread"]["board"], dst)
        self.assertEqual(self.listed(src), [])
        self.assertEqual(self.listed(dst), [t["id"]])
        self.assertEqual((self.counts(src), self.counts(dst)), ((0, 0), (1, 3)))
        self.assertLogged("move", "thread", t["id"], "smod", "belongs there")
        # the held reply moved with its thread: it waits in the new board's queue
        self.assertEqual(self.assertQueued(self.smod, held["id"], HOLD_REASON)["board"], dst)
        self.assertStatus(self.mod_post(self.smod, held["id"], "approve"), 200)
        self.assertEqual((self.counts(src), self.counts(dst)), ((0, 0), (1, 4)))

    def test_move_needs_powers_on_both_boards(self):
        t, p = make_thread(self.alice, self.a, "Move me")
        tb, pb = make_thread(self.alice, self.b, "Move me back")
        self.assertError(self.mod_thread(self.bmod, t["id"], "move", board=self.b), 403, "not_a_moderator")
        self.assertError(self.mod_thread(self.bmod, tb["id"], "move", board=self.a), 403, "not_a_moderator")
        self.assertEqual(self.anon().get(f"threads/{t['id']}").data["thread"]["board"], self.a)
        self.assertEqual(self.anon().get(f"threads/{tb['id']}").data["thread"]["board"], self.b)
        # a member moderating both boards may
        name = unique("both")
        both = self.server.member(name)
        for slug in (self.a, self.b):
            self.assertStatus(self.admin.post(f"boards/{slug}/moderators", {"username": name}), 201)
        r = self.assertStatus(self.mod_thread(both, t["id"], "move", board=self.b), 200)
        self.assertEqual(r.data["thread"]["board"], self.b)
        self.assertLogged("move", "thread", t["id"], name)

    def test_move_refusals(self):
        t, p = make_thread(self.alice, self.a, "Stays put")
        self.assertError(self.mod_thread(self.smod, t["id"], "move"), 400, "missing_board")
        self.assertError(self.mod_thread(self.smod, t["id"], "move", board="no-such-board"), 404,
                         "board_not_found")
        self.assertEqual(self.anon().get(f"threads/{t['id']}").data["thread"]["board"], self.a)

    def test_refusals(self):
        t, p = make_thread(self.alice, self.a, "Thread refusals")
        tb, pb = make_thread(self.alice, self.b, "Board B thread")
        self.assertError(self.mod_thread(self.smod, t["id"], "freeze"), 400, "invalid_action")
        self.assertError(self.smod.post(f"mod/threads/{t['id']}", {"reason": "no action"}), 400)
        self.assertError(self.mod_thread(self.anon(), t["id"], "pin"), 401, "not_signed_in")
        self.assertError(self.mod_thread(self.smod, 987654321, "pin"), 404, "thread_not_found")
        for action in ("pin", "lock", "unpin", "unlock"):
            with self.subTest(action=action):
                self.assertError(self.mod_thread(self.alice, t["id"], action), 403, "not_a_moderator")
                self.assertError(self.mod_thread(self.bmod, tb["id"], action), 403, "not_a_moderator")
        got = self.anon().get(f"threads/{tb['id']}").data["thread"]
        self.assertEqual((got["pinned"], got["locked"]), (False, False))


# ---- bans ------------------------------------------------------------------------------------------


def expected_date(days):
    """The UTC dates (YYYY-MM-DD) a ban of `days` made around now may end on."""
    now = time.time()
    return {time.strftime("%Y-%m-%d", time.gmtime(now + days * 86400 + d)) for d in (-120, 0, 120)}


class Bans(ModCase):
    plugins = None

    def ban(self, client, name, **body):
        return client.post(f"users/{name}/ban", body)

    def test_banned_member_reads_but_cannot_write(self):
        name = unique("ban")
        c = self.server.member(name)
        t, p = make_thread(c, self.a, "before the ban", "written before the ban")
        other, op = make_thread(self.alice, self.a, "someone else's")
        self.assertStatus(self.ban(self.smod, name, days=2, reason="flooding"), 201)
        e = self.log_entries(per_page=1)[0]
        self.assertEqual((e["action"], e["actor"], e["target_type"], e["reason"]), ("ban", "smod", "user", "flooding"))
        # reading works, signing in works
        self.assertStatus(c.get("me"), 200)
        self.assertStatus(c.get(f"threads/{t['id']}"), 200)
        self.assertStatus(c.get(f"boards/{self.a}"), 200)
        self.server.client().login(name)
        # every write answers 403 banned, naming the date
        writes = {
            "new thread": lambda: c.post(f"boards/{self.a}/threads", {"title": "t", "body": "b"}),
            "reply": lambda: c.post(f"threads/{other['id']}/posts", {"body": "reply"}),
            "edit": lambda: c.patch(f"posts/{p['id']}", {"body": "edit"}),
            "delete": lambda: c.delete(f"posts/{p['id']}"),
            "report": lambda: self.report(c, op["id"], "while banned"),
        }
        dates = expected_date(2)
        for what, write in writes.items():
            with self.subTest(write=what):
                r = self.assertError(write(), 403, "banned")
                self.assertTrue(any(d in r.error_message for d in dates),
                                f"the message names the date ({dates}): {r.error_message!r}")
        self.assertIn("written before the ban", self.anon().get(f"posts/{p['id']}").data["post"]["body_html"])
        # lifting
        self.assertStatus(self.smod.delete(f"users/{name}/ban"), 204)
        self.assertLogged("unban", "user", e["target_id"], "smod")
        self.assertStatus(c.post(f"threads/{other['id']}/posts", {"body": "free again"}), 201)

    def test_ban_until_lifted(self):
        name = unique("ban")
        c = self.server.member(name)
        self.assertStatus(self.ban(self.admin, name, days=0, reason="for good"), 201)
        r = self.assertError(c.post(f"boards/{self.a}/threads", {"title": "t", "body": "b"}), 403, "banned")
        self.assertRegex(r.error_message, r"(?i)until\b.*\blifts it")
        self.assertStatus(c.get("me"), 200)
        self.assertStatus(self.admin.delete(f"users/{name}/ban"), 204)
        make_thread(c, self.a)

    def test_who_may_ban(self):
        target = unique("tgt")
        self.server.member(target, login=False)
        self.assertError(self.ban(self.anon(), target, days=1), 401, "not_signed_in")
        self.assertError(self.ban(self.alice, target, days=1, reason="x"), 403, "not_a_moderator")
        self.assertError(self.ban(self.bmod, target, days=1, reason="x"), 403, "not_a_moderator")
        self.assertError(self.alice.delete(f"users/{target}/ban"), 403, "not_a_moderator")
        self.assertError(self.ban(self.smod, "nobody-at-all", days=1), 404, "user_not_found")
        self.assertError(self.ban(self.smod, target, days=-1), 400, "invalid_days")
        self.assertError(self.ban(self.smod, target, days=36501), 400, "invalid_days")
        self.assertError(self.ban(self.smod, target, days="1"), 400, "wrong_type")
        # moderators ban members and lecturers
        self.assertStatus(self.ban(self.smod, target, days=1, reason="cool down"), 201)
        self.assertStatus(self.smod.delete(f"users/{target}/ban"), 204)
        self.assertStatus(self.ban(self.smod, "lect", days=1, reason="cool down"), 201)
        self.assertStatus(self.smod.delete("users/lect/ban"), 204)
        # but not other moderators, admins, or themselves
        other_mod = unique("mod")
        self.server.add_user(other_mod, "moderator")
        self.assertError(self.ban(self.smod, other_mod, days=1), 403, "cannot_ban")
        self.assertError(self.ban(self.smod, "modadmin", days=1), 403, "cannot_ban")
        self.assertError(self.ban(self.smod, "smod", days=1), 403, "cannot_ban")
        # admins also ban moderators, but no admin
        self.assertStatus(self.ban(self.admin, other_mod, days=1, reason="abuse of powers"), 201)
        self.assertStatus(self.admin.delete(f"users/{other_mod}/ban"), 204)
        other_admin = unique("adm")
        self.server.add_user(other_admin, "admin")
        self.assertError(self.ban(self.admin, other_admin, days=1), 403, "cannot_ban")
        self.assertError(self.ban(self.admin, "modadmin", days=1), 403, "cannot_ban")

    def test_banned_moderator_cannot_moderate(self):
        name = unique("mod")
        self.server.add_user(name, "moderator")
        m = self.server.client()
        m.login(name)
        t, p = make_thread(self.alice, self.a, "Moderated by a banned moderator")
        self.assertStatus(self.ban(self.admin, name, days=1, reason="on leave"), 201)
        self.assertError(self.mod_thread(m, t["id"], "pin"), 403, "banned")
        self.assertError(self.mod_post(m, p["id"], "delete"), 403, "banned")
        self.assertError(self.ban(m, "alice", days=1), 403, "banned")
        got = self.anon().get(f"threads/{t['id']}").data
        self.assertFalse(got["thread"]["pinned"])
        self.assertEqual(got["posts"][0]["state"], "published")


# ---- the public log ---------------------------------------------------------------------------------


class Log(ModCase):
    plugins = None

    def newest(self):
        entries = self.log_entries(per_page=1)
        self.assertEqual(len(entries), 1)
        return entries[0]

    def test_public_paged_newest_first(self):
        t, p = make_thread(self.alice, self.a, "Logged")
        for action in ("pin", "lock", "unpin", "unlock"):
            self.assertStatus(self.mod_thread(self.smod, t["id"], action, f"reason {action}"), 200)
        r = self.assertStatus(self.anon().get("mod/log"), 200)
        data = r.data
        self.assertTrue({"entries", "page", "pages", "total"} <= set(data), data)
        self.assertGreaterEqual(data["total"], 4)
        for e in data["entries"]:
            self.assertTrue({"id", "actor", "action", "target_type", "target_id", "reason", "created_at"} <= set(e), e)
            self.assertRegex(e["created_at"], RFC3339)
        ids = [e["id"] for e in data["entries"]]
        self.assertEqual(ids, sorted(ids, reverse=True), "newest first")
        mine = [(e["action"], e["reason"], e["actor"]) for e in data["entries"]
                if e["target_type"] == "thread" and e["target_id"] == t["id"]]
        self.assertEqual(mine, [("unlock", "reason unlock", "smod"), ("unpin", "reason unpin", "smod"),
                                ("lock", "reason lock", "smod"), ("pin", "reason pin", "smod")])
        total = data["total"]
        r = self.assertStatus(self.anon().get("mod/log?per_page=2&page=2"), 200).data
        self.assertEqual((r["page"], r["pages"], r["total"]), (2, (total + 1) // 2, total))
        self.assertEqual([e["id"] for e in r["entries"]], ids[2:4])

    def test_appointment_is_logged(self):
        name = unique("appt")
        self.server.member(name, login=False)
        self.assertStatus(self.admin.post(f"boards/{self.b}/moderators", {"username": name}), 201)
        e = self.newest()
        self.assertEqual((e["action"], e["actor"], e["target_type"]), ("appoint_moderator", "modadmin", "user"))

    def test_ban_and_unban_are_logged(self):
        name = unique("lb")
        self.server.member(name, login=False)
        self.assertStatus(self.smod.post(f"users/{name}/ban", {"days": 3, "reason": "spamming 刷屏"}), 201)
        e = self.newest()
        self.assertEqual((e["action"], e["actor"], e["target_type"], e["reason"]),
                         ("ban", "smod", "user", "spamming 刷屏"))
        self.assertStatus(self.smod.delete(f"users/{name}/ban"), 204)
        u = self.newest()
        self.assertEqual((u["action"], u["actor"], u["target_type"], u["target_id"]),
                         ("unban", "smod", "user", e["target_id"]))

    def test_moderator_edit_and_delete_of_others_are_logged(self):
        t, p = make_thread(self.alice, self.a, "Moderator edits")
        total = self.anon().get("mod/log").data["total"]
        # the author's own changes are not moderation
        self.assertStatus(self.alice.patch(f"posts/{p['id']}", {"body": "my own edit"}), 200)
        self.assertEqual(self.anon().get("mod/log").data["total"], total)
        self.assertStatus(self.bmod.patch(f"posts/{p['id']}", {"body": "fixed by the moderator"}), 200)
        e = self.newest()
        self.assertEqual((e["action"], e["actor"], e["target_type"], e["target_id"]), ("edit", "bmod", "post", p["id"]))
        r2 = reply(self.bob, t["id"], "to be removed")
        self.assertStatus(self.smod.delete(f"posts/{r2['id']}"), 204)
        e = self.newest()
        self.assertEqual((e["action"], e["actor"], e["target_type"], e["target_id"]), ("delete", "smod", "post", r2["id"]))
        own = reply(self.bob, t["id"], "my own mistake")
        total = self.anon().get("mod/log").data["total"]
        self.assertStatus(self.bob.delete(f"posts/{own['id']}"), 204)
        self.assertEqual(self.anon().get("mod/log").data["total"], total)

    def test_refused_actions_are_not_logged(self):
        t, p = make_thread(self.alice, self.a, "Not logged")
        total = self.anon().get("mod/log").data["total"]
        self.mod_thread(self.alice, t["id"], "pin")
        self.mod_thread(self.smod, t["id"], "freeze")
        self.mod_post(self.bmod, p["id"], "restore")
        self.mod_post(self.carol, p["id"], "delete")
        self.assertEqual(self.anon().get("mod/log").data["total"], total)


# ---- plugins end to end --------------------------------------------------------------------------------


class Plugins(ModCase):
    def test_hold_word_inside_chinese_running_text(self):
        t, root = make_thread(self.bob, self.a, "村务公开")
        body = "我们村里最近发现有人在搞赌博活动，请大家注意安全。"
        r = self.assertStatus(self.alice.post(f"threads/{t['id']}/posts", {"body": body}), 202)
        p = r.data["post"]
        self.assertEqual(p["state"], "pending")
        self.assertError(self.anon().get(f"posts/{p['id']}"), 404)
        self.assertError(self.bob.get(f"posts/{p['id']}"), 404)
        self.assertNotIn(p["id"], self.post_ids(t["id"]))
        mine = self.assertStatus(self.alice.get(f"posts/{p['id']}"), 200).data["post"]
        self.assertEqual(mine["state"], "pending")
        self.assertIn("赌博活动", mine["body_html"])
        item = self.assertQueued(self.bmod, p["id"], HOLD_REASON)
        self.assertEqual(item["board"], self.a)

    def test_reject_word_422_with_reason(self):
        t, root = make_thread(self.bob, self.a, "Rejections")
        before = self.counts(self.a)
        r = self.assertError(self.alice.post(f"threads/{t['id']}/posts", {"body": "cheap SPAM for sale"}),
                             422, "refused")
        self.assertIn(REJECT_REASON, r.error_message)
        self.assertNotIn("spam", r.error_message.lower().replace(REJECT_REASON, ""),
                         "a reject does not repeat the word")
        r = self.assertError(self.alice.post(f"boards/{self.a}/threads", {"title": "代开发票", "body": "联系我"}),
                             422, "refused")
        self.assertIn(REJECT_REASON, r.error_message)
        self.assertEqual(self.post_ids(t["id"]), [root["id"]])
        self.assertEqual(self.counts(self.a), before, "nothing stored")
        self.assertEqual([i for i in self.queue(self.admin) if i["thread_id"] == t["id"]], [],
                         "a refused post does not wait in the queue")

    def test_plugins_judge_moderators_too(self):
        t, root = make_thread(self.bob, self.a, "Staff words")
        r = self.assertStatus(self.admin.post(f"threads/{t['id']}/posts", {"body": f"admin on {HOLD_WORD}"}), 202)
        self.assertEqual(r.data["post"]["state"], "pending")
        self.assertError(self.smod.post(f"threads/{t['id']}/posts", {"body": "spam"}), 422, "refused")

    def test_linklimit_holds_a_new_account_with_many_links(self):
        t, root = make_thread(self.bob, self.a, "Links")
        r = self.assertStatus(self.alice.post(f"threads/{t['id']}/posts", {"body": THREE_LINKS}), 202)
        p = r.data["post"]
        self.assertEqual(p["state"], "pending")
        self.assertQueued(self.bmod, p["id"], LINK_REASON)
        self.assertError(self.anon().get(f"posts/{p['id']}"), 404)
        r = self.assertStatus(self.alice.post(f"threads/{t['id']}/posts", {"body": ONE_LINK}), 201)
        self.assertEqual(r.data["post"]["state"], "published")
        r = self.assertStatus(self.alice.post(f"threads/{t['id']}/posts",
                                              {"body": "[a](https://a.example.org/) [b](https://b.example.org/)"}), 201)
        # staff are never held by linklimit
        r = self.assertStatus(self.smod.post(f"threads/{t['id']}/posts", {"body": THREE_LINKS}), 201)
        self.assertEqual(r.data["post"]["state"], "published")
        # a new thread is screened too
        r = self.assertStatus(self.carol.post(f"boards/{self.a}/threads", {"title": "Links", "body": THREE_LINKS}), 202)
        self.assertEqual(r.data["post"]["state"], "pending")

    def test_holds_of_two_plugins_list_both_reasons(self):
        t, root = make_thread(self.bob, self.a, "Two holds")
        r = self.assertStatus(self.dave.post(f"threads/{t['id']}/posts", {"body": f"{HOLD_WORD} {THREE_LINKS}"}), 202)
        item = self.assertQueued(self.bmod, r.data["post"]["id"], HOLD_REASON, LINK_REASON)
        self.assertEqual(len(item["reasons"]), 2, item["reasons"])

    def test_reject_beats_hold_and_keeps_every_reason(self):
        t, root = make_thread(self.bob, self.a, "Reject and hold")
        r = self.assertError(self.dave.post(f"threads/{t['id']}/posts", {"body": f"spam {THREE_LINKS}"}),
                             422, "refused")
        self.assertIn(REJECT_REASON, r.error_message)
        self.assertIn(LINK_REASON, r.error_message)
        self.assertEqual(self.post_ids(t["id"], self.dave), [root["id"]])


class FloodGuard(ModCase):
    plugins = {"floodguard": "max_posts_per_minute 3\n", "wordfilter": "reject spam\n"}

    @classmethod
    def setUpPeople(cls):
        srv = cls.server
        cls.admin = srv.admin("floodadmin")
        cls.board = make_board(cls.admin)["slug"]
        cls.thread, _ = make_thread(cls.admin, cls.board, "Flood target")
        srv.add_user("smod", "moderator")
        cls.smod = srv.client()
        cls.smod.login("smod")

    def test_fourth_post_in_a_minute_429(self):
        c = self.server.member(unique("fast"))
        t, p = make_thread(c, self.board, "mine")  # 1
        reply(c, self.thread["id"], "two")  # 2
        reply(c, t["id"], "three")  # 3
        r = self.assertError(c.post(f"threads/{self.thread['id']}/posts", {"body": "four"}), 429,
                             "posting_too_fast")
        self.assertRegex(r.header("Retry-After") or "", r"^\d+$", repr(r))
        self.assertTrue(1 <= int(r.header("Retry-After")) <= 60, r.header("Retry-After"))
        self.assertIn("posting too fast", r.error_message)
        self.assertError(c.post(f"boards/{self.board}/threads", {"title": "t", "body": "five"}), 429,
                         "posting_too_fast")
        self.assertNotIn("four", self.anon().get(f"threads/{self.thread['id']}?per_page=200").text)
        # edits are neither counted nor limited
        self.assertStatus(c.patch(f"posts/{p['id']}", {"body": "edited once"}), 200)
        self.assertStatus(c.patch(f"posts/{p['id']}", {"body": "edited twice"}), 200)

    def test_a_post_another_plugin_refuses_still_counts(self):
        c = self.server.member(unique("fast"))
        reply(c, self.thread["id"], "one")
        reply(c, self.thread["id"], "two")
        self.assertError(c.post(f"threads/{self.thread['id']}/posts", {"body": "buy spam"}), 422, "refused")
        self.assertError(c.post(f"threads/{self.thread['id']}/posts", {"body": "four"}), 429, "posting_too_fast")

    def test_authors_are_counted_apart_and_moderators_not_at_all(self):
        one, two = self.server.member(unique("fast")), self.server.member(unique("fast"))
        for i in range(3):
            reply(one, self.thread["id"], f"one {i}")
        self.assertStatus(two.post(f"threads/{self.thread['id']}/posts", {"body": "two is fine"}), 201)
        for i in range(5):
            self.assertStatus(self.smod.post(f"threads/{self.thread['id']}/posts", {"body": f"mod {i}"}), 201)


# ---- plugin start-up refusals ----------------------------------------------------------------------------


class PluginStartup(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="agora-pstart-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def folder(self, plugins):
        folder = plugin_folder(plugins)
        self.addCleanup(shutil.rmtree, folder, True)
        return folder

    def serve(self, folder):
        return run_cli("serve", "--listen", "127.0.0.1:0", "--data", os.path.join(self.tmp, "data"),
                       "--web", web_path(), "--workers", "1", "--plugins", folder, timeout=20)

    def one_line(self, proc):
        self.assertEqual(proc.returncode, 2, f"stdout={proc.stdout!r} stderr={proc.stderr!r}")
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, f"expected one line on stderr, got {proc.stderr!r}")
        self.assertNotIn("listening on", proc.stdout)
        return lines[0]

    def test_abi_mismatch_refused(self):
        folder = self.folder({"badabi": None, "wordfilter": None})
        line = self.one_line(self.serve(folder))
        path = os.path.join(folder, "badabi.so")
        self.assertIn(path, line)
        numbers = re.findall(r"\d+", line.replace(path, ""))
        self.assertIn("2", numbers, f"the plugin's version: {line!r}")
        self.assertIn("1", numbers, f"agorad's version: {line!r}")
        self.assertIn("ABI", line.upper())

    def test_bad_config_lines_refused(self):
        cases = [
            ("linklimit", "# comment\n\nmax_links_new_user lots\n", 3),
            ("linklimit", "new_user_days 3\nfrobnicate 1\n", 2),
            ("linklimit", "max_links_new_user -1\n", 1),
            ("floodguard", "max_posts_per_minute 0\n", 1),
            ("floodguard", "# ok\nmax_posts_per_minute 3 extra\n", 2),
            ("wordfilter", b"hold fine\nreject \xff\xfe\n", 2),
            ("wordfilter", "hold fine\nblock word\n", 2),
        ]
        for name, conf, line_no in cases:
            with self.subTest(plugin=name, conf=conf):
                folder = self.folder({name: conf})
                line = self.one_line(self.serve(folder))
                conf_path = os.path.join(folder, f"{name}.conf")
                self.assertIn(f"{conf_path}:{line_no}:", line)

    def test_missing_configs_use_the_defaults(self):
        folder = self.folder({"wordfilter": None, "linklimit": None, "floodguard": None})
        srv = Server(workers=1, extra_args=["--plugins", folder])
        self.addCleanup(srv.cleanup)
        srv.start()
        self.assertTrue(srv.healthy())
        admin = srv.admin("padmin")
        board = make_board(admin)["slug"]
        m = srv.member("newbie")
        r = m.post(f"boards/{board}/threads", {"title": "links", "body": THREE_LINKS})
        self.assertEqual(r.status, 202, f"linklimit's default holds 3 links: {r!r}")
        r = m.post(f"boards/{board}/threads", {"title": "words", "body": "spam and 赌博 are fine here"})
        self.assertEqual(r.status, 201, f"no words without a config: {r!r}")


# ---- pages and forms --------------------------------------------------------------------------------------


class Pages(ModCase):
    def browser(self, name):
        c = self.server.client()
        r = c.form("/login", {"username": name, "password": PASSWORD})
        self.assertStatus(r, 303)
        return c

    def location(self, resp):
        loc = resp.header("Location") or ""
        return re.sub(r"^https?://[^/]+", "", loc)

    def test_mod_page_is_for_moderators(self):
        self.assertNotEqual(self.anon().page("/mod").status, 200)
        self.assertHtml(self.browser("alice").page("/mod"), 403)
        for name in ("bmod", "smod", "modadmin"):
            with self.subTest(user=name):
                self.assertHtml(self.browser(name).page("/mod"))

    def test_mod_page_lists_items_and_escapes_reasons(self):
        t, root = make_thread(self.bob, self.a, "Page queue")
        p = reply(self.alice, t["id"], "reported on the page")
        evil = '<script>alert("x")</script> & <b>bold</b>'
        self.assertStatus(self.report(self.carol, p["id"], evil), 201)
        h = self.held(self.dave, t["id"])
        page = self.assertHtml(self.browser("bmod").page("/mod")).text
        self.assertIn(f'action="/mod/posts/{p["id"]}"', page)
        self.assertIn(f'action="/mod/posts/{h["id"]}"', page)
        self.assertIn(HOLD_REASON, page)
        self.assertIn("&lt;script&gt;", page)
        self.assertNotIn('<script>alert("x")', page)
        self.assertNotIn("<b>bold</b>", page)

    def test_mod_page_shows_a_held_edit(self):
        t, root = make_thread(self.bob, self.a, "Page held edit")
        p = reply(self.alice, t["id"], "the published words")
        self.assertStatus(self.alice.patch(f"posts/{p['id']}", {"body": "the casino words"}), 202)
        page = self.assertHtml(self.browser("bmod").page("/mod")).text
        self.assertIn(f'action="/mod/posts/{p["id"]}"', page)
        self.assertIn("the published words", page)
        self.assertIn("the casino words", page)
        self.assertNotIn("the casino words", self.anon().page(f"/t/{t['id']}").text)

    def test_held_edit_through_the_edit_form(self):
        t, root = make_thread(self.bob, self.a, "Form held edit")
        p = reply(self.alice, t["id"], "words before the form")
        c = self.browser("alice")
        r = c.form(f"/posts/{p['id']}/edit", {"body": f"form words about {HOLD_WORD}"}, page=f"/posts/{p['id']}/edit")
        self.assertStatus(r, 303, msg=f"a held edit is no error: {r!r}")
        self.assertRegex(self.location(r), rf"^/p/{p['id']}$")
        self.assertIn("words before the form", self.anon().get(f"posts/{p['id']}").data["post"]["body_html"])
        item = self.assertQueued(self.bmod, p["id"], HOLD_REASON)
        self.assertIn("form words", item["post"].get("pending_html") or "")

    def test_held_reply_through_the_reply_form(self):
        t, root = make_thread(self.bob, self.a, "Form held reply")
        c = self.browser("alice")
        r = c.form(f"/t/{t['id']}", {"body": f"form reply about {HOLD_WORD}"})
        self.assertStatus(r, 303, msg=f"a held reply is no error: {r!r}")
        self.assertNotIn("form reply about", self.anon().page(f"/t/{t['id']}").text)
        held = [i for i in self.queue(self.bmod) if i["thread_id"] == t["id"]]
        self.assertEqual(len(held), 1, held)
        self.assertEqual(held[0]["post"]["state"], "pending")

    def test_mod_log_page_is_public_and_escaped(self):
        t, root = make_thread(self.alice, self.a, "Log page")
        evil = "<img src=x onerror=alert(1)> 置顶"
        self.assertStatus(self.mod_thread(self.smod, t["id"], "pin", evil), 200)
        page = self.assertHtml(self.anon().page("/mod/log")).text
        self.assertIn("smod", page)
        self.assertIn("&lt;img src=x onerror=alert(1)&gt; 置顶", page)
        self.assertNotIn("<img src=x", page)
        self.assertHtml(self.anon().page("/mod/log?page=2"))

    def test_mod_post_form(self):
        t, root = make_thread(self.bob, self.a, "Form approve")
        h = self.held(self.alice, t["id"])
        c = self.browser("bmod")
        r = c.form(f"/mod/posts/{h['id']}", {"action": "approve", "reason": "ok via form"}, csrf=False)
        self.assertStatus(r, 403, msg=f"no csrf, no action: {r!r}")
        self.assertEqual(self.bmod.get(f"posts/{h['id']}").data["post"]["state"], "pending")
        r = c.form(f"/mod/posts/{h['id']}", {"action": "approve", "reason": "ok via form"}, page="/mod")
        self.assertStatus(r, 303)
        self.assertEqual(self.location(r), "/mod")
        self.assertEqual(self.anon().get(f"posts/{h['id']}").data["post"]["state"], "published")
        self.assertLogged("approve", "post", h["id"], "bmod", "ok via form")
        # a member's form is refused
        r = self.browser("carol").form(f"/mod/posts/{root['id']}", {"action": "delete", "reason": "x"})
        self.assertHtml(r, 403)
        self.assertEqual(self.anon().get(f"posts/{root['id']}").data["post"]["state"], "published")

    def test_mod_thread_form(self):
        t, root = make_thread(self.alice, self.a, "Form lock")
        c = self.browser("bmod")
        r = c.form(f"/mod/threads/{t['id']}", {"action": "lock", "reason": "via form"}, page=f"/t/{t['id']}")
        self.assertStatus(r, 303)
        self.assertEqual(self.location(r), f"/t/{t['id']}")
        self.assertTrue(self.anon().get(f"threads/{t['id']}").data["thread"]["locked"])
        r = c.form(f"/mod/threads/{t['id']}", {"action": "move", "board": self.b, "reason": "x"}, page=f"/t/{t['id']}")
        self.assertHtml(r, 403)
        self.assertEqual(self.anon().get(f"threads/{t['id']}").data["thread"]["board"], self.a)

    def test_report_form(self):
        t, root = make_thread(self.bob, self.a, "Form report")
        c = self.browser("dave")
        r = c.form(f"/posts/{root['id']}/report", {"reason": "reported through the page"}, page=f"/t/{t['id']}")
        self.assertStatus(r, 303)
        self.assertRegex(self.location(r), rf"^/p/{root['id']}$")
        self.assertQueued(self.bmod, root["id"], "reported through the page")
        r = c.form(f"/posts/{root['id']}/report", {"reason": "again"}, page=f"/t/{t['id']}")
        self.assertStatus(r, 303)  # back on the thread, with a polite flash (test_feedback)
        self.assertEqual(c.cookies.get("agora_flash"), "flash.error.already_reported")

    def test_ban_forms(self):
        name = unique("fb")
        m = self.server.member(name)
        c = self.browser("smod")
        r = c.form(f"/u/{name}/ban", {"days": "1", "reason": "via the profile"}, page=f"/u/{name}")
        self.assertStatus(r, 303)
        self.assertEqual(self.location(r), f"/u/{name}")
        self.assertError(m.post(f"boards/{self.a}/threads", {"title": "t", "body": "b"}), 403, "banned")
        r = c.form(f"/u/{name}/unban", {}, page=f"/u/{name}")
        self.assertStatus(r, 303)
        self.assertEqual(self.location(r), f"/u/{name}")
        make_thread(m, self.a)
        r = self.browser("alice").form(f"/u/{name}/ban", {"days": "1", "reason": "x"}, page=f"/u/{name}")
        self.assertHtml(r, 403)


if __name__ == "__main__":
    unittest.main()
