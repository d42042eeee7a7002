"""E-mail (API.md Round 2, "E-mail, password reset, announcements"), against a real SMTP server
(Debian's python3-aiosmtpd on loopback, mail_harness.SmtpServer): addresses confirmed by link,
password resets, notification e-mails with List-Unsubscribe and one-click unsubscribe, both
languages with RFC 2047 subjects, a relay that is down (mail arrives once, late) or refuses
(5xx: failed, not retried), the daily summary and the digest at their local hour (time moved
with AGORA_NOW), and a server without --smtp that queues nothing."""

import datetime
import re
import time
import unittest
import urllib.parse

from agora_harness import (PASSWORD, ServerTestCase, db, make_board, make_thread, reply, restart, unique,
                           wait_for)
from mail_harness import SmtpServer

BASE = "http://agora.test"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def next_local(hour, weekday=None, after=None):
    """Unix seconds of the next hour:30 in Asia/Shanghai (on weekday, 0 = Monday) after `after`."""
    t = datetime.datetime.fromtimestamp(after or time.time(), SHANGHAI).replace(minute=30, second=0, microsecond=0)
    t = t.replace(hour=hour)
    while t.timestamp() <= (after or time.time()) or (weekday is not None and t.weekday() != weekday):
        t += datetime.timedelta(days=1)
    return int(t.timestamp())


def text_part(mail):
    return mail.msg.get_body(preferencelist=("plain",)).get_content()


def html_part(mail):
    return mail.msg.get_body(preferencelist=("html",)).get_content()


def link_in(msg, path):
    """The first link to BASE + path (with its query) in the message's text part."""
    m = re.search(re.escape(BASE + path) + r"\S*", text_part(msg))
    if not m:
        raise AssertionError(f"no link to {path} in:\n{text_part(msg)}")
    return m.group(0)


def token_of(url):
    return urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["token"][0]


class MailCase(ServerTestCase):
    """agorad sending through a real SMTP server started first on a free loopback port."""

    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpServer()
        cls.smtp.start()
        cls.addClassCleanup(cls.smtp.stop)
        cls.extra_args = ("--smtp", cls.smtp.url, "--base-url", BASE + "/", "--mail-from", "noreply@agora.test",
                          "--mail-rate", "6000")
        super().setUpClass()
        cls.admin = cls.server.admin("admin")

    def mails_to(self, addr):
        return [m for m in self.smtp.messages if addr in m.rcpt_tos]

    def wait_mail(self, addr, count=1, timeout=10):
        return wait_for(f"{count} mail(s) to {addr}", lambda: len(self.mails_to(addr)) >= count and
                        self.mails_to(addr), timeout)[count - 1]

    def confirmed(self, client, lang=None):
        """Gives client an address, opens the confirmation link from its mail; the address."""
        addr = f"{client.user['username']}@example.org"
        self.assertStatus(client.patch(f"users/{client.user['username']}", {"email": addr}), 200)
        if lang:
            self.assertStatus(client.patch("me/preferences", {"language": lang}), 200)
        msg = self.wait_mail(addr)
        self.assertStatus(self.anon().post("email/confirm", {"token": token_of(link_in(msg, "/email/confirm"))}),
                          204)
        return addr

    def outbox(self, user):
        with db(self.server) as conn:
            return [dict(r) for r in conn.execute(
                "SELECT o.* FROM outbox o JOIN users u ON u.id=o.user_id WHERE u.username=? ORDER BY o.id",
                (user,))]


class Addresses(MailCase):
    def test_confirmation_link_end_to_end(self):
        m = self.new_member("addr")
        addr = f"{m.name}@example.org"
        r = m.patch(f"users/{m.name}", {"email": addr})
        self.assertStatus(r, 200)
        self.assertIsNone(r.data["user"]["email"], "an address is not used before its link is opened")
        self.assertEqual(r.data["user"]["email_pending"], addr)
        msg = self.wait_mail(addr)
        self.assertEqual(msg.msg["To"].addresses[0].addr_spec, addr)
        self.assertIn("noreply@agora.test", msg.msg["From"])
        self.assertTrue(msg.msg["Message-ID"].startswith("<") and "@agora.test>" in msg.msg["Message-ID"])
        self.assertIsNotNone(msg.msg["Date"])
        self.assertIsNone(msg.msg["List-Unsubscribe"], "a requested link is not a list mail")
        self.assertEqual(msg.msg.get_content_type(), "multipart/alternative")
        url = link_in(msg, "/email/confirm?token=")
        self.assertIn(url.replace("&", "&amp;"), html_part(msg))
        page = self.anon().page(url[len(BASE):])
        self.assertStatus(page, 200)
        self.assertIn('name="token"', page.text)
        self.assertStatus(self.anon().post("email/confirm", {"token": token_of(url)}), 204)
        self.assertEqual(m.get("me").data["user"]["email"], addr)
        self.assertError(self.anon().post("email/confirm", {"token": token_of(url)}), 400, "invalid_token")

    def test_address_shown_only_to_the_member_and_admins(self):
        m = self.new_member("seen")
        addr = self.confirmed(m)
        other = self.new_member("other")
        self.assertNotIn("email", other.get(f"users/{m.name}").data["user"])
        self.assertNotIn(addr, other.page(f"/u/{m.name}").text)
        self.assertNotIn("email", self.anon().get(f"users/{m.name}").data["user"])
        self.assertEqual(self.admin.get(f"users/{m.name}").data["user"]["email"], addr)
        self.assertError(other.patch(f"users/{m.name}", {"email": "x@example.org"}), 403)

    def test_bad_addresses_are_refused_and_change_nothing(self):
        m = self.new_member("bad")
        for bad in ("not an address", "a@b", "x@example.org\r\nBcc: victim@example.org", "<x@example.org>",
                    "a" * 250 + "@example.org"):
            self.assertError(m.patch(f"users/{m.name}", {"email": bad, "display_name": "Changed"}), 400,
                             "invalid_email")
        self.assertEqual(m.get("me").data["user"]["email_pending"], None)
        self.assertNotEqual(m.get("me").data["user"]["display_name"], "Changed")
        self.assertError(m.patch(f"users/{m.name}", {"email": 5}), 400)

    def test_an_address_confirmed_by_another_member_is_taken(self):
        a, b = self.new_member("ta"), self.new_member("tb")
        addr = f"shared-{a.name}@example.org"
        for c in (a, b):
            self.assertStatus(c.patch(f"users/{c.name}", {"email": addr}), 200)
        first, second = self.wait_mail(addr, 2), self.mails_to(addr)[0]
        self.assertStatus(self.anon().post("email/confirm", {"token": token_of(link_in(second, "/email/confirm"))}),
                          204)
        self.assertError(self.anon().post("email/confirm", {"token": token_of(link_in(first, "/email/confirm"))}),
                         409, "email_taken")


class Preferences(MailCase):
    def test_defaults_changes_and_refusals(self):
        m = self.new_member("pref")
        self.assertEqual(m.get("me/preferences").data["preferences"],
                         {"email_notifications": "daily", "digest": "weekly", "language": None})
        r = m.patch("me/preferences", {"email_notifications": "immediate", "digest": "off", "language": "zh-CN"})
        self.assertEqual(r.data["preferences"], {"email_notifications": "immediate", "digest": "off",
                                                 "language": "zh-CN"})
        self.assertEqual(m.patch("me/preferences", {"language": None}).data["preferences"]["language"], None)
        self.assertError(m.patch("me/preferences", {"digest": "hourly"}), 400, "invalid_digest")
        self.assertError(m.patch("me/preferences", {"email_notifications": 1}), 400)
        self.assertError(self.anon().get("me/preferences"), 401)
        self.assertEqual(m.get("me/preferences").data["preferences"]["digest"], "off")

    def test_settings_page_in_both_languages(self):
        m = self.new_member("page", login=False)
        m.form("/login", {"username": m.name, "password": PASSWORD}, page="/login")
        for lang, word in (("en", "E-mail settings"), ("zh-CN", "邮件设置")):
            page = m.page("/settings", headers={"Accept-Language": lang})
            self.assertStatus(page, 200)
            self.assertIn(word, page.text)
        r = m.form("/settings", {"email": f"{m.name}@example.org", "email_notifications": "off", "digest": "daily",
                                 "language": ""})
        self.assertIn(r.status, (303, 200))
        self.assertIn("sent=1", r.header("Location", ""))
        self.wait_mail(f"{m.name}@example.org")
        page = m.page("/settings")
        self.assertIn(f"{m.name}@example.org", page.text)
        self.assertRegex(page.text, r'<option value="off" selected>')

    def test_visitors_get_no_settings(self):
        self.assertError(self.anon().get("me/preferences"), 401)
        r = self.anon().page("/settings")  # visitors are sent to sign in, and back
        self.assertEqual((r.status, r.header("Location")), (303, "/login?next=/settings"))


class Resets(MailCase):
    def test_reset_by_mail_ends_every_session(self):
        m = self.new_member("rs")
        addr = self.confirmed(m)
        stale = self.server.client()
        stale.login(m.name)
        before = len(self.smtp.messages)
        self.assertStatus(self.anon().post("password-reset", {"login": "nobody-" + m.name}), 202)
        self.assertStatus(self.anon().post("password-reset", {"login": addr.upper()}), 202)
        msg = self.wait_mail(addr, 2)
        time.sleep(0.3)
        self.assertEqual(len(self.smtp.messages), before + 1, "an unknown login sends nothing")
        url = link_in(msg, "/reset/confirm?token=")
        token = token_of(url)
        with db(self.server) as conn:
            self.assertEqual(conn.execute("SELECT count(*) FROM tokens WHERE digest=?", (token,)).fetchone()[0], 0,
                             "tokens are stored as digests, never as they are")
        self.assertError(self.anon().post("password-reset/confirm", {"token": token, "password": "short"}), 400,
                         "password_too_short")
        self.assertStatus(self.anon().post("password-reset/confirm", {"token": token,
                                                                      "password": "a brand new password"}), 204)
        self.assertError(stale.get("me"), 401, None)
        self.assertError(m.get("me"), 401, None)
        self.assertError(self.anon().post("password-reset/confirm", {"token": token, "password": "another one here"}),
                         400, "invalid_token")
        c = self.server.client()
        c.login(m.name, password="a brand new password")

    def test_reset_ends_live_streams(self):
        from test_live import Stream
        m = self.new_member("live")
        addr = self.confirmed(m)
        board = make_board(self.admin)
        thread, _ = make_thread(self.admin, board["slug"])
        stream = Stream(self.server.port, thread["id"], token=m.token)
        self.assertEqual(stream.status, 200)
        self.assertStatus(self.anon().post("password-reset", {"login": m.name}), 202)
        token = token_of(link_in(self.wait_mail(addr, 2), "/reset/confirm?token="))
        self.assertStatus(self.anon().post("password-reset/confirm", {"token": token, "password": "live password 1"}),
                          204)
        self.assertTrue(stream.wait_for(lambda s: s.closed), "the reader's stream outlived the reset")
        stream.close()

    def test_admin_link_for_a_member_without_mail(self):
        m = self.new_member("nomail")
        self.assertError(m.post(f"users/{m.name}/reset-link"), 403, "admin_only")
        self.assertError(self.anon().post(f"users/{m.name}/reset-link"), 401)
        self.assertError(self.admin.post("users/nobody-at-all/reset-link"), 404)
        r = self.admin.post(f"users/{m.name}/reset-link")
        self.assertStatus(r, 201)
        self.assertTrue(r.data["url"].startswith(BASE + "/reset/confirm?token="))
        page = self.anon().page(r.data["url"][len(BASE):])
        self.assertIn("password", page.text)
        token = token_of(r.data["url"])
        self.assertStatus(self.anon().post("password-reset/confirm", {"token": token, "password": "given by admin"}),
                          204)
        self.assertError(self.anon().post("password-reset/confirm", {"token": token, "password": "given twice!!"}),
                         400, "invalid_token")
        self.server.client().login(m.name, password="given by admin")

    def test_bad_input(self):
        self.assertError(self.anon().post("password-reset", {}), 400)
        self.assertError(self.anon().post("password-reset", {"login": ["x"]}), 400)
        self.assertError(self.anon().post("password-reset/confirm", {"token": "made-up", "password": "long enough pw"}),
                         400, "invalid_token")
        r = self.anon().request("POST", "/api/v1/password-reset", body=b"{not json", token=None, csrf=None,
                                content_type="application/json")
        self.assertError(r, 400)


class NotificationMail(MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.board = make_board(cls.admin)

    def immediate_member(self, lang=None):
        m = self.new_member("nm")
        addr = self.confirmed(m, lang)
        self.assertStatus(m.patch("me/preferences", {"email_notifications": "immediate"}), 200)
        return m, addr

    def test_a_reply_is_mailed_with_one_click_unsubscribe(self):
        m, addr = self.immediate_member()
        thread, post = make_thread(m, self.board["slug"], title="Spring ploughing & sowing")
        p = reply(self.admin, thread["id"], parent_id=post["id"])
        msg = self.wait_mail(addr, 2)
        self.assertIn("Spring ploughing & sowing", msg.msg["Subject"])
        self.assertIn(f"{BASE}/p/{p['id']}", text_part(msg))
        self.assertIn("Spring ploughing &amp; sowing", html_part(msg))
        unsub = msg.msg["List-Unsubscribe"]
        self.assertEqual(msg.msg["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        url = re.match(r"<(.+)>", unsub).group(1)
        self.assertTrue(url.startswith(BASE + "/unsubscribe?token="))
        path = url[len(BASE):]
        self.assertIn("Stop", self.anon().page(path).text)
        # a mail client's one-click POST: no cookie, no CSRF token
        r = self.anon().request("POST", path, body=b"List-Unsubscribe=One-Click", token=None, csrf=None,
                                content_type="application/x-www-form-urlencoded")
        self.assertStatus(r, 200)
        self.assertEqual(m.get("me/preferences").data["preferences"]["email_notifications"], "off")
        reply(self.admin, thread["id"], parent_id=post["id"])
        time.sleep(0.5)
        self.assertEqual(len(self.mails_to(addr)), 2, "no notification e-mail after unsubscribing")
        forged = path[:-3] + "abc"
        self.assertEqual(self.anon().page(forged).status, 400)

    def test_chinese_member_gets_chinese_mail(self):
        m, addr = self.immediate_member(lang="zh-CN")
        thread, post = make_thread(m, self.board["slug"], title="春耕经验交流")
        self.admin.patch("users/admin", {"display_name": "王主任"})
        reply(self.admin, thread["id"], parent_id=post["id"])
        msg = self.wait_mail(addr, 2)
        self.assertIn("春耕经验交流", msg.msg["Subject"])
        self.assertIn("=?", msg.raw.split(b"\r\n\r\n")[0].decode("ascii"), "non-ASCII headers are RFC 2047 words")
        self.assertIn("王主任", text_part(msg))
        self.assertIn("您好", text_part(msg))
        self.assertEqual(msg.msg["Content-Language"], "zh-CN")

    def test_a_relay_refusal_fails_once_and_for_good(self):
        m, addr = self.immediate_member()
        self.smtp.reject.add(addr)
        try:
            thread, post = make_thread(m, self.board["slug"])
            reply(self.admin, thread["id"], parent_id=post["id"])
            row = wait_for("the refusal recorded", lambda: [o for o in self.outbox(m.name)
                                                           if o["kind"] == "notification" and o["state"] == "failed"])
            self.assertEqual(row[0]["attempts"], 1, "a 5xx is not retried")
            self.assertIn("550", row[0]["last_error"])
            self.assertEqual(row[0]["data"], "")
        finally:
            self.smtp.reject.discard(addr)
        metrics = self.anon().page("/metrics").text
        self.assertRegex(metrics, r"agora_mail_rejected_total [1-9]")
        self.assertRegex(metrics, r"agora_mail_failed [1-9]")


class RelayDown(MailCase):
    """The relay stops mid-run: the message waits, retried with back-off, and arrives once."""

    def test_mail_arrives_once_late(self):
        m = self.new_member("down")
        addr = self.confirmed(m)
        self.assertStatus(m.patch("me/preferences", {"email_notifications": "immediate"}), 200)
        board = make_board(self.admin)
        thread, post = make_thread(m, board["slug"], title="Mail while the relay is down")
        self.smtp.stop()
        try:
            reply(self.admin, thread["id"], parent_id=post["id"])
            row = wait_for("a failed attempt", lambda: [o for o in self.outbox(m.name) if o["kind"] == "notification"
                                                       and o["attempts"] >= 1 and o["state"] == "queued"])[0]
            self.assertIsNotNone(row["last_error"])
            self.assertGreater(row["next_at"], time.time())
            self.assertRegex(self.anon().page("/metrics").text, r"agora_mail_retried_total [1-9]")
            self.assertRegex(self.anon().page("/metrics").text, r"agora_mail_queued [1-9]")
        finally:
            self.smtp.start()
        restart(self.server, int(time.time()) + 3600)  # past the back-off
        self.wait_mail(addr, 2, timeout=15)
        time.sleep(1.0)
        notes = [x for x in self.mails_to(addr) if "Mail while the relay is down" in x.msg["Subject"]]
        self.assertEqual(len(notes), 1, "the message arrives exactly once")
        self.assertEqual([o["state"] for o in self.outbox(m.name) if o["kind"] == "notification"], ["sent"])
        self.assertNotIn(self.smtp.url.split("//")[1], self.server.stderr_text().replace(self.smtp.url, ""))


class Periodic(MailCase):
    """The daily summary and the digest, due at 07:00 in Asia/Shanghai: time moves by restart."""

    def test_daily_summary_and_digest_once_per_period(self):
        admin = self.admin
        pos = unique("pos")
        self.assertStatus(admin.put(f"taxonomy/position/{pos}", {"name": "Township secretary"}), 200)
        board = make_board(admin, position=pos, title="Township secretaries")
        other_board = make_board(admin)
        busy = self.new_member("busy", position=pos)
        busy_addr = self.confirmed(busy)
        quiet = self.new_member("quiet")
        quiet_addr = self.confirmed(quiet)
        author = self.new_member("author")
        followed, fpost = make_thread(author, other_board["slug"], title="Followed: seed selection")
        self.assertStatus(busy.put(f"threads/{followed['id']}/subscription"), 204)
        for i in range(19):
            make_thread(author, board["slug"], title=f"Position thread {i}")
        reply(author, followed["id"], parent_id=fpost["id"])
        own, opost = make_thread(busy, other_board["slug"], title="Asked by busy")
        reply(author, own["id"], parent_id=opost["id"])  # a notification: daily summary by default

        morning = next_local(7)  # the next 07:30 in Shanghai: the daily summary
        restart(self.server, morning)
        summary = wait_for("busy's summary", lambda: [x for x in self.mails_to(busy_addr)
                                                      if "unread notifications" in x.msg["Subject"]], 15)[0]
        self.assertIn("Asked by busy", text_part(summary))
        self.assertIn("List-Unsubscribe", str(summary.msg))
        monday = next_local(7, weekday=0, after=morning - 1)  # the weekly digest
        if monday != morning:
            restart(self.server, monday)
        digest = wait_for("busy's digest", lambda: [x for x in self.mails_to(busy_addr)
                                                    if "new for you" in x.msg["Subject"]], 15)[0]
        text = text_part(digest)
        items = re.findall(r"^\* (.+)$", text, re.M)
        self.assertEqual(len(items), 10, text)
        # followed threads first (its author follows "Asked by busy"), the busier first; then the
        # position's board, the 19 threads cut to 8
        self.assertTrue(items[0].startswith("Followed: seed selection"), text)
        self.assertTrue(items[1].startswith("Asked by busy"), text)
        self.assertTrue(all(i.startswith("Position thread") for i in items[2:]), text)
        self.assertIn(f"{BASE}/t/{followed['id']}", text)
        time.sleep(1.0)
        self.assertEqual([x for x in self.mails_to(quiet_addr) if "new for you" in x.msg["Subject"]], [],
                         "no digest for a member whom nothing new concerns")
        count = len(self.smtp.messages)
        restart(self.server, monday + 600)  # the same periods: nothing again
        time.sleep(1.5)
        self.assertEqual(len(self.smtp.messages), count, "one digest and one summary per period")
        restart(self.server, monday + 86400 + 13 * 3600)  # Tuesday 20:30: past the day's grace
        time.sleep(1.0)
        self.assertEqual(len(self.smtp.messages), count, "a period agorad missed is not sent late")


class WithoutSmtp(ServerTestCase):
    """No --smtp: nothing is queued, and everything else works as before."""

    def test_nothing_is_queued(self):
        admin = self.server.admin("admin")
        m = self.new_member("plain")
        self.assertStatus(m.patch(f"users/{m.name}", {"email": f"{m.name}@example.org"}), 200)
        self.assertStatus(m.patch("me/preferences", {"email_notifications": "immediate"}), 200)
        board = make_board(admin)
        thread, post = make_thread(m, board["slug"])
        reply(admin, thread["id"], parent_id=post["id"])
        self.assertStatus(self.anon().post("password-reset", {"login": m.name}), 202)
        with db(self.server) as conn:
            self.assertEqual(conn.execute("SELECT count(*) FROM outbox").fetchone()[0], 0)
        self.assertIn("does not send e-mail", self.login_page(m.name).page("/settings").text)

    def login_page(self, name):
        c = self.server.client()
        c.form("/login", {"username": name, "password": PASSWORD}, page="/login")
        return c


if __name__ == "__main__":
    unittest.main()
