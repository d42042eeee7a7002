"""Announcements (API.md Round 2, "E-mail, password reset, announcements"): who may send to
whom (admins by industry, position and region; organisers to their trainees; officers to their
association's members), the recipients counted at once and reached in background batches exactly
once (across a restart too), one notification each and none for the author, what GET lists and
shows to whom, bad input, the page and its form in both languages, and the e-mail a recipient who
wants notifications at once receives."""

import datetime
import time
import unittest

from agora_harness import PASSWORD, ServerTestCase, db, restart, unique, wait_for
from test_mail import MailCase, link_in, text_part

CN = datetime.timezone(datetime.timedelta(hours=8))


def day(offset=0):
    return (datetime.datetime.now(CN) + datetime.timedelta(days=offset)).strftime("%Y-%m-%d")


def notified(server, announcement_id):
    """Usernames notified of the announcement, with repeats."""
    with db(server) as conn:
        return sorted(r[0] for r in conn.execute(
            "SELECT u.username FROM notifications n JOIN users u ON u.id=n.user_id"
            " WHERE n.kind='announcement' AND n.detail=?", (str(announcement_id),)))


def done(server, announcement_id):
    with db(server) as conn:
        return conn.execute("SELECT done_at IS NOT NULL FROM announcements WHERE id=?",
                            (announcement_id,)).fetchone()[0]


class Audiences(ServerTestCase):
    env = {"AGORA_FANOUT_BATCH": "3"}  # several runs of the fan-out for a handful of members

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin("admin")
        cls.people = {}
        for name, ind, reg in (("ann1", "agriculture", "zhejiang"), ("ann2", "agriculture", "hebei"),
                               ("ann3", "education", "zhejiang"), ("ann4", "agriculture", "zhejiang"),
                               ("ann5", "health", "jiangsu"), ("ann6", "agriculture", None)):
            fields = {"industry": ind, **({"region": reg} if reg else {})}
            cls.people[name] = cls.server.member(name, **fields)

    def send(self, client, status=201, **body):
        body = {"title": "春耕备耕工作通知", "body": "请各地**按时**报送。", **body}
        r = client.post("announcements", body)
        self.assertStatus(r, status)
        return r

    def expected(self, where, args=()):
        with db(self.server) as conn:
            return sorted(r[0] for r in conn.execute(
                "SELECT u.username FROM users u LEFT JOIN terms i ON i.id=u.industry_id"
                " LEFT JOIN terms g ON g.id=u.region_id WHERE u.username<>'admin' AND " + where, args))

    def test_admin_by_industry_and_region_reaches_exactly_those(self):
        r = self.send(self.admin, audience={"industries": ["agriculture"], "regions": ["zhejiang", "hebei"]})
        a = r.data["announcement"]
        want = self.expected("i.slug='agriculture' AND g.slug IN ('zhejiang','hebei')")
        self.assertEqual(want, ["ann1", "ann2", "ann4"])
        self.assertEqual(r.data["recipients"], len(want))
        wait_for("the fan-out", lambda: done(self.server, a["id"]))
        self.assertEqual(notified(self.server, a["id"]), want, "each recipient once, nobody else")
        self.assertEqual(self.people["ann1"].get("announcements").data["announcements"][0]["id"], a["id"])
        self.assertEqual(self.people["ann3"].get("announcements").data["announcements"], [])
        self.assertError(self.people["ann3"].get(f"announcements/{a['id']}"), 404)
        got = self.people["ann2"].get(f"announcements/{a['id']}").data["announcement"]
        self.assertIn("<strong>按时</strong>", got["body_html"])
        self.assertEqual(got["audience"]["industries"], ["agriculture"])
        self.assertEqual(got["reached"], 3)
        note = [n for n in self.people["ann4"].get("notifications").data["notifications"] if n["kind"] == "announcement"]
        self.assertEqual(note[0]["thread_title"], "春耕备耕工作通知")

    def test_everyone_in_several_batches_and_once_across_a_restart(self):
        r = self.send(self.admin, audience={})
        a = r.data["announcement"]
        self.server.stop()  # perhaps mid-way through the batches of 3
        restart(self.server, int(time.time()) + 5)
        want = self.expected("1")
        self.assertGreaterEqual(len(want), 3 * 2)  # two runs at least, and the empty third
        wait_for("the fan-out", lambda: done(self.server, a["id"]))
        self.assertEqual(r.data["recipients"], len(want))
        self.assertEqual(notified(self.server, a["id"]), want)
        self.assertNotIn("admin", notified(self.server, a["id"]))

    def test_who_may_send(self):
        lect = self.staff("lectx", "lecturer")
        x = lect.post("trainings", {"slug": unique("tr-"), "title": "乡村振兴专题培训", "starts_on": day(-1),
                                    "ends_on": day(5), "hours": 8, "enrolment": "open"})
        slug = self.assertStatus(x, 201).data["training"]["slug"]
        self.assertStatus(self.people["ann5"].post(f"trainings/{slug}/trainees"), 201)
        r = self.send(lect, audience={"training": slug})
        self.assertEqual(r.data["recipients"], 1)
        wait_for("the trainees", lambda: done(self.server, r.data["announcement"]["id"]))
        self.assertEqual(notified(self.server, r.data["announcement"]["id"]), ["ann5"])
        self.assertError(self.people["ann5"].post("announcements", {"title": "t", "body": "b",
                                                                  "audience": {"training": slug}}), 403)
        assoc = unique("as-")
        self.assertStatus(lect.post("associations", {"slug": assoc, "name": "基层治理协会"}), 201)
        self.assertStatus(self.people["ann6"].post(f"associations/{assoc}/members"), 201)
        r = self.send(lect, audience={"association": assoc})
        wait_for("the members", lambda: done(self.server, r.data["announcement"]["id"]))
        self.assertEqual(notified(self.server, r.data["announcement"]["id"]), ["ann6"])
        self.assertError(self.people["ann6"].post("announcements", {"title": "t", "body": "b",
                                                                  "audience": {"association": assoc}}), 403)
        self.assertError(lect.post("announcements", {"title": "t", "body": "b", "audience": {}}), 403, "admin_only")
        self.assertError(self.people["ann1"].post("announcements", {"title": "t", "body": "b"}), 403)
        self.assertError(self.anon().post("announcements", {"title": "t", "body": "b"}), 401)

    def test_bad_input(self):
        a = self.admin
        self.assertError(a.post("announcements", {"title": "", "body": "b"}), 400, "invalid_title")
        self.assertError(a.post("announcements", {"title": "t", "body": ""}), 400)
        self.assertError(a.post("announcements", {"title": "t", "body": "b", "audience": {"industries": ["nope"]}}),
                         400, "unknown_industry")
        self.assertError(a.post("announcements", {"title": "t", "body": "b", "audience": {"regions": "zhejiang"}}),
                         400)
        self.assertError(a.post("announcements", {"title": 5, "body": "b"}), 400)
        self.assertError(a.post("announcements", {"title": "t", "body": "b",
                                                  "audience": {"training": "x", "association": "y"}}),
                         400, "one_audience")
        self.assertError(a.post("announcements", {"title": "t", "body": "b", "audience": {"training": "nope"}}), 404)
        r = a.request("POST", "/api/v1/announcements", body=b'{"title": "t",', content_type="application/json")
        self.assertError(r, 400)
        with db(self.server) as conn:
            self.assertEqual(conn.execute("SELECT count(*) FROM announcements WHERE title='t'").fetchone()[0], 0)

    def test_page_and_form(self):
        c = self.server.client()
        c.form("/login", {"username": "admin", "password": PASSWORD}, page="/login")
        for lang, word in (("en", "New announcement"), ("zh-CN", "发布通知")):
            page = c.page("/announcements", headers={"Accept-Language": lang})
            self.assertStatus(page, 200)
            self.assertIn(word, page.text)
        r = c.form("/announcements", {"title": "页面发布的通知", "body": "正文", "to": "site", "regions": "jiangsu"},
                   page="/announcements")
        self.assertEqual(r.status, 303, r)
        path = r.header("Location")
        self.assertRegex(path, r"^/announcements/\d+$")
        self.assertIn("页面发布的通知", c.page(path).text)
        wait_for("the fan-out", lambda: done(self.server, int(path.rsplit("/", 1)[1])))
        self.assertEqual(notified(self.server, int(path.rsplit("/", 1)[1])), ["ann5"])
        member = self.server.client()
        member.form("/login", {"username": "ann3", "password": PASSWORD}, page="/login")
        self.assertNotIn('action="/announcements"', member.page("/announcements").text)
        self.assertEqual(c.form("/announcements", {"title": "x", "body": "y", "to": "site"}, csrf="forged").status,
                         403)


class AnnouncementMail(MailCase):
    def test_a_recipient_who_wants_it_at_once_is_mailed(self):
        m = self.new_member("am")
        addr = self.confirmed(m)
        self.assertStatus(m.patch("me/preferences", {"email_notifications": "immediate"}), 200)
        daily = self.new_member("ad")
        daily_addr = self.confirmed(daily)
        r = self.admin.post("announcements", {"title": "防汛值班安排", "body": "请注意值班。", "audience": {}})
        self.assertStatus(r, 201)
        msg = self.wait_mail(addr, 2)
        self.assertIn("防汛值班安排", msg.msg["Subject"])
        self.assertIn(f"/announcements/{r.data['announcement']['id']}", link_in(msg, "/announcements/"))
        self.assertIsNotNone(msg.msg["List-Unsubscribe"])
        time.sleep(0.5)
        self.assertEqual(len(self.mails_to(daily_addr)), 1, "a daily member waits for the summary")


if __name__ == "__main__":
    unittest.main()
