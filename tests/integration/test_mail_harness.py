"""The SMTP fixture itself (mail_harness.SmtpServer), driven by Python's smtplib: a message
arrives parsed with its envelope, refused and deferred recipients get their replies, the data
can be refused, the server stops and comes back on the same port, and AUTH checks the
credentials. Needs no agorad."""

import smtplib
import unittest
from email.message import EmailMessage

from mail_harness import REJECT_REPLY, TEMPFAIL_REPLY, SmtpServer


def message(subject="春耕通知", to="alice@example.org"):
    m = EmailMessage()
    m["From"] = "农业培训平台 <noreply@agora.example>"
    m["To"] = to
    m["Subject"] = subject
    m.set_content("您好，\n.\n报名已通过。\n")
    return m


class SmtpServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.smtp = SmtpServer().start()

    @classmethod
    def tearDownClass(cls):
        cls.smtp.stop()

    def setUp(self):
        self.smtp.reset()

    def send(self, to="alice@example.org", **kw):
        with smtplib.SMTP("127.0.0.1", self.smtp.port, timeout=10) as c:
            return c.send_message(message(to=to, **kw), from_addr="bounce@agora.example", to_addrs=[to])

    def test_receives_a_message_with_its_envelope(self):
        self.assertTrue(self.smtp.url.startswith("smtp://127.0.0.1:"))
        self.assertEqual(self.smtp.url, f"smtp://127.0.0.1:{self.smtp.port}")
        self.send()
        [mail] = self.smtp.wait_for(1)
        self.assertEqual(mail.mail_from, "bounce@agora.example")
        self.assertEqual(mail.rcpt_tos, ["alice@example.org"])
        self.assertEqual(mail.msg["Subject"], "春耕通知")
        self.assertEqual(mail["To"], "alice@example.org")
        self.assertEqual(mail.msg["From"].addresses[0].display_name, "农业培训平台")
        self.assertEqual(mail.body(), "您好，\n.\n报名已通过。\n")  # the dot un-stuffed
        self.assertIn(b"Subject: =?utf-8?", mail.raw)
        self.smtp.clear()
        self.assertEqual(self.smtp.messages, [])

    def test_refused_recipient(self):
        self.smtp.reject.add("nobody@example.org")
        with self.assertRaises(smtplib.SMTPRecipientsRefused) as e:
            self.send(to="nobody@example.org")
        code, text = e.exception.recipients["nobody@example.org"]
        self.assertEqual(f"{code} {text.decode()}", REJECT_REPLY)
        self.send()  # others still pass
        self.assertEqual([m.rcpt_tos for m in self.smtp.wait_for(1)], [["alice@example.org"]])

    def test_deferred_recipient(self):
        self.smtp.tempfail.add("later@example.org")
        with self.assertRaises(smtplib.SMTPRecipientsRefused) as e:
            self.send(to="later@example.org")
        code, text = e.exception.recipients["later@example.org"]
        self.assertEqual(f"{code} {text.decode()}", TEMPFAIL_REPLY)
        self.smtp.tempfail.clear()
        self.send(to="later@example.org")
        self.assertEqual(len(self.smtp.wait_for(1)), 1)

    def test_refused_data_is_not_kept(self):
        self.smtp.data_reply = "554 5.7.1 rejected as spam"
        with self.assertRaises(smtplib.SMTPDataError) as e:
            self.send()
        self.assertEqual(e.exception.smtp_code, 554)
        self.assertEqual(self.smtp.messages, [])

    def test_wait_for_says_how_many_came(self):
        self.send()
        with self.assertRaisesRegex(AssertionError, "1 of 2 e-mails"):
            self.smtp.wait_for(2, timeout=0.3)


class RestartTest(unittest.TestCase):
    def test_stop_and_start_on_the_same_port(self):
        smtp = SmtpServer().start()
        port = smtp.port
        try:
            smtp.stop()
            with self.assertRaises(OSError):
                smtplib.SMTP("127.0.0.1", port, timeout=5)
            smtp.start()
            self.assertEqual(smtp.port, port)
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
                c.send_message(message(subject="back"), to_addrs=["bob@example.org"])
            self.assertEqual(smtp.wait_for(1)[0].msg["Subject"], "back")
        finally:
            smtp.stop()
        smtp.stop()  # stopping twice is harmless

    def test_given_port_and_context_manager(self):
        first = SmtpServer().start()
        port = first.port
        first.stop()
        with SmtpServer(port=port) as smtp:
            self.assertEqual(smtp.port, port)
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as c:
                c.noop()


class AuthTest(unittest.TestCase):
    def test_credentials_are_checked(self):
        with SmtpServer(auth=("agora", "s3cret")) as smtp:
            with smtplib.SMTP("127.0.0.1", smtp.port, timeout=10) as c:
                with self.assertRaises(smtplib.SMTPAuthenticationError) as e:
                    c.login("agora", "wrong")
                self.assertEqual(e.exception.smtp_code, 535)
            with smtplib.SMTP("127.0.0.1", smtp.port, timeout=10) as c:
                c.login("agora", "s3cret")
                c.send_message(message(), to_addrs=["alice@example.org"])
            self.assertEqual(len(smtp.wait_for(1)), 1)


if __name__ == "__main__":
    unittest.main()
