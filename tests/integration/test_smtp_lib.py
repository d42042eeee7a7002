"""smtp_send and mime_compose (daemon/lib) against a real SMTP server (mail_harness), through
the build's tests/unit/smtp_probe: a mail with a Chinese subject and names arrives and Python's
email parser reads it back; 550 to RCPT TO and 554 after the data are final (REJECTED), 451,
452, a login refused and a server that is down are worth another try (RETRY); dots at the
start of lines survive (curl stuffs them); and the reason given never shows the password.

The probe is found beside agorad (both are built in the top of the build folder), or at
AGORA_SMTP_PROBE."""

import os
import subprocess
import unittest

from agora_harness import CONFIG
from mail_harness import SmtpServer

LONG_ZH = "乡村振兴战略与基层治理能力提升专题培训班第一讲：如何做好新时代群众工作的方法与案例分析"
FROM = "bounce@agora.example"
TO = "zhangwei@example.cn"
SECRET = "secretpw"


def probe_path():
    path = os.environ.get("AGORA_SMTP_PROBE") or os.path.join(os.path.dirname(CONFIG["agorad"]), "smtp_probe")
    if not os.access(path, os.X_OK):
        raise AssertionError(f"no smtp_probe at {path}: build the smtp_probe target (or set AGORA_SMTP_PROBE)")
    return path


def probe(*args, stdin=None):
    """(result, why) of one smtp_probe run."""
    r = subprocess.run([probe_path(), *args], input=stdin, capture_output=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError(f"smtp_probe {args}: exit {r.returncode}: {r.stderr.decode(errors='replace')}")
    out = r.stdout.decode()
    assert out.endswith("\n") and out.count("\n") == 1, f"not one line: {out!r}"
    result, why = out[:-1].split("\t", 1)
    return result, why


class SmtpLibTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        probe_path()
        cls.smtp = SmtpServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.smtp.stop()

    def setUp(self):
        self.smtp.reset()

    def url(self):
        return f"smtp://u:{SECRET}@127.0.0.1:{self.smtp.port}"

    def send(self, rcpt=TO, subject="报名通过", url=None):
        result, why = probe("send", url or self.url(), FROM, rcpt, subject)
        self.assertNotIn(SECRET, why)
        return result, why

    def test_sent_and_read_back(self):
        self.assertEqual(self.send(subject="Re: " + LONG_ZH), ("SENT", ""))
        [mail] = self.smtp.wait_for(1)
        self.assertEqual(mail.mail_from, FROM)
        self.assertEqual(mail.rcpt_tos, [TO])
        self.assertEqual(mail["Subject"], "Re: " + LONG_ZH)
        self.assertEqual(mail["From"].addresses[0].display_name, "农业培训平台")
        self.assertEqual(mail["To"].addresses[0].display_name, "张伟")
        self.assertEqual(mail["To"].addresses[0].addr_spec, TO)
        self.assertEqual(mail["Content-Language"], "zh-CN")
        self.assertEqual(mail["List-Unsubscribe"], "<https://agora.example/unsubscribe?token=T>")
        self.assertEqual(mail["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        self.assertEqual(mail["Auto-Submitted"], "auto-generated")
        self.assertEqual(mail["Date"].datetime.isoformat(), "2025-11-25T08:30:00+00:00")
        self.assertEqual(mail.msg.get_content_type(), "multipart/alternative")
        self.assertEqual(mail.body(), "您好，\n\n您的报名已通过。\n.\n-- \nAgora\n")
        self.assertEqual(mail.body("html"), "<p>您好，</p>\n<p>您的报名已通过。</p>\n")
        for line in mail.raw.split(b"\r\n"):
            self.assertLessEqual(len(line), 998)
            self.assertNotIn(b"\n", line)

    def test_rejected_recipient_is_final(self):
        self.smtp.reject.add("nobody@example.org")
        self.assertEqual(self.send("nobody@example.org"), ("REJECTED", "RCPT TO: 550 5.1.1 no such user"))
        self.assertEqual(self.smtp.messages, [])

    def test_deferred_recipient_is_retried(self):
        self.smtp.tempfail.add("later@example.org")
        self.assertEqual(self.send("later@example.org"), ("RETRY", "RCPT TO: 451 4.3.0 try later"))

    def test_refused_data_is_final_deferred_data_is_not(self):
        self.smtp.data_reply = "554 5.7.1 rejected as spam"
        self.assertEqual(self.send(), ("REJECTED", "DATA: 554 5.7.1 rejected as spam"))
        self.smtp.data_reply = "452 4.3.1 insufficient storage"
        self.assertEqual(self.send(), ("RETRY", "DATA: 452 4.3.1 insufficient storage"))
        self.assertEqual(self.smtp.messages, [])

    def test_a_reply_that_echoes_the_password_is_starred(self):
        self.smtp.data_reply = f"554 5.7.1 {SECRET} is not welcome"
        self.assertEqual(self.send(), ("REJECTED", "DATA: 554 5.7.1 ******** is not welcome"))

    def test_dots_at_line_starts_survive(self):
        raw = b"Subject: dots\r\n\r\n.\r\n..\r\n.hidden\r\nend"  # no final CRLF: curl adds one
        self.assertEqual(probe("raw", self.url(), FROM, TO, stdin=raw), ("SENT", ""))
        self.assertEqual(self.smtp.wait_for(1)[0].raw, raw + b"\r\n")

    def test_bad_addresses_are_refused_before_connecting(self):
        result, why = probe("raw", self.url(), FROM, "two@example.org>\r\nRCPT TO:<three@example.org", stdin=b"x\r\n")
        self.assertEqual((result, why), ("REJECTED", "the recipient is not an address we send to"))
        result, why = probe("raw", self.url(), "bounce@localhost", TO, stdin=b"x\r\n")
        self.assertEqual((result, why), ("RETRY", "the envelope sender is not an address we send from"))
        result, why = probe("raw", "ftp://127.0.0.1:21/", FROM, TO, stdin=b"x\r\n")
        self.assertEqual((result, why), ("RETRY", "the SMTP server's URL is not an smtp:// or smtps:// URL"))


class ServerDownTest(unittest.TestCase):
    def test_connection_refused_is_retried(self):
        smtp = SmtpServer().start()
        smtp.stop()
        result, why = probe("send", f"smtp://u:{SECRET}@127.0.0.1:{smtp.port}", FROM, TO, "x")
        self.assertEqual(result, "RETRY")
        self.assertIn("connect", why.lower())
        self.assertNotIn(SECRET, why)
        self.assertNotIn("u:", why)
        smtp.start()  # back on the same port: the next try goes through
        try:
            self.assertEqual(probe("send", smtp.url, FROM, TO, "x"), ("SENT", ""))
            self.assertEqual(len(smtp.wait_for(1)), 1)
        finally:
            smtp.stop()


class AuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        probe_path()
        cls.smtp = SmtpServer(auth=("agora", "pa:ss@word")).start()

    @classmethod
    def tearDownClass(cls):
        cls.smtp.stop()

    def test_credentials_from_the_url_or_the_config(self):
        port = self.smtp.port
        self.assertEqual(probe("send", f"smtp://agora:pa%3Ass%40word@127.0.0.1:{port}", FROM, TO, "x"), ("SENT", ""))
        self.assertEqual(probe("-u", "agora", "-p", "pa:ss@word", "send", self.smtp.url, FROM, TO, "x"), ("SENT", ""))
        self.assertEqual(len(self.smtp.wait_for(2)), 2)

    def test_refused_login_is_retried_without_the_password(self):
        # A wrong password is the operator's to fix, not the message's fault: keep the message.
        result, why = probe("send", f"smtp://agora:{SECRET}@127.0.0.1:{self.smtp.port}", FROM, TO, "x")
        self.assertEqual((result, why), ("RETRY", "AUTH: 535 5.7.8 authentication failed"))
        result, why = probe("-p", SECRET, "send", self.smtp.url.replace("smtp://", "smtp://agora@"), FROM, TO, "x")
        self.assertEqual(result, "RETRY")
        self.assertNotIn(SECRET, why)


if __name__ == "__main__":
    unittest.main()
