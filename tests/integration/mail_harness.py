"""A real SMTP server for the integration tests (aiosmtpd, Debian's python3-aiosmtpd), in a
thread of the test process:

    smtp = SmtpServer()          # port=0: a free loopback port, chosen on the first start
    smtp.start()
    ... agorad --smtp smtp.url ...
    mail = smtp.wait_for(1)[0]   # Mail: .msg (email.message.EmailMessage), .mail_from, .rcpt_tos, .raw
    smtp.reject.add("nobody@example.org")    # RCPT TO answered 550 5.1.1
    smtp.tempfail.add("later@example.org")   # RCPT TO answered 451 4.3.0
    smtp.data_reply = "554 5.7.1 spam"       # the answer to the data, instead of 250 (None: 250)
    smtp.stop(); smtp.start()    # the server gone for a while, back on the same port

A message is kept only when the server accepted it (250 after the data), as a client would
count it delivered. SmtpServer(auth=("user", "password")) offers AUTH PLAIN and LOGIN over
plain text (a test has no TLS) and answers 535 to other credentials; without auth it offers
none. Every method is safe to call from any thread.
"""

import email
import email.policy
import socket
import threading
import logging
import time

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
except ImportError:  # Debian's python3-aiosmtpd (agora.sh) under another python3, e.g. pyenv's
    import sys
    sys.path.append("/usr/lib/python3/dist-packages")
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

# aiosmtpd 1.4 logs a warning of a deprecation inside itself on each successful AUTH.
logging.getLogger("mail.log").addFilter(lambda record: "login_data is deprecated" not in record.getMessage())

REJECT_REPLY = "550 5.1.1 no such user"
TEMPFAIL_REPLY = "451 4.3.0 try later"


class Mail:
    """One accepted message: its envelope and its text, parsed with email.policy.default."""

    def __init__(self, mail_from, rcpt_tos, raw):
        self.mail_from = mail_from
        self.rcpt_tos = list(rcpt_tos)
        self.raw = raw
        self.msg = email.message_from_bytes(raw, policy=email.policy.default)

    def __getitem__(self, name):  # mail["Subject"], as on the message itself
        return self.msg[name]

    def body(self, subtype="plain"):
        """The decoded text of the text/SUBTYPE part (or of the message when it is one part),
        with "\n" line ends (MIME text travels with CRLF); None when there is no such part."""
        part = self.msg.get_body(preferencelist=(subtype,))
        return part.get_content().replace("\r\n", "\n") if part is not None else None

    def __repr__(self):
        return f"<Mail from {self.mail_from} to {self.rcpt_tos}: {self.msg['Subject']!r}>"


class _Handler:
    """aiosmtpd's hooks, answering from the SmtpServer's sets at the time of each command."""

    def __init__(self, server):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        answer = self.server._rcpt_answer(address)
        if answer is None:
            envelope.rcpt_tos.append(address)
            return "250 OK"
        return answer

    async def handle_DATA(self, smtp, session, envelope):
        return self.server._accept(envelope.mail_from, envelope.rcpt_tos, envelope.original_content)


class SmtpServer:
    def __init__(self, port=0, auth=None):
        self.port = port
        self.auth = auth
        self.reject = set()
        self.tempfail = set()
        self.data_reply = None
        self._messages = []
        self._changed = threading.Condition()
        self._controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self):
        """The accepted messages so far, oldest first (a copy of the list)."""
        with self._changed:
            return list(self._messages)

    def start(self):
        with self._changed:
            if self._controller is not None:
                return self
            if not self.port:
                self.port = _free_port()
            kwargs = {}
            if self.auth is not None:
                kwargs = {"authenticator": self._authenticate, "auth_require_tls": False}
            # A new controller each time: a stopped one has closed its event loop.
            self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                          server_hostname="smtp.test", **kwargs)
        deadline = time.monotonic() + 10
        while True:  # the port of a server just stopped may be a moment in coming back
            try:
                self._controller.start()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self):
        with self._changed:
            controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def clear(self):
        """Forgets the messages received (not the sets of refused addresses)."""
        with self._changed:
            self._messages.clear()

    def reset(self):
        """Forgets the messages and answers everyone 250 again."""
        with self._changed:
            self._messages.clear()
            self.reject.clear()
            self.tempfail.clear()
            self.data_reply = None

    def wait_for(self, count, timeout=10):
        """The messages once there are at least count of them; AssertionError after timeout
        seconds naming how many came."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self._messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self._messages)} of {count} e-mails arrived within {timeout} s: "
                                         f"{self._messages!r}")
                self._changed.wait(left)
            return list(self._messages)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- called in the server's thread --
    def _rcpt_answer(self, address):
        with self._changed:
            if address in self.reject:
                return REJECT_REPLY
            if address in self.tempfail:
                return TEMPFAIL_REPLY
        return None

    def _accept(self, mail_from, rcpt_tos, raw):
        with self._changed:
            if self.data_reply is not None:
                return self.data_reply
            self._messages.append(Mail(mail_from, rcpt_tos, raw))
            self._changed.notify_all()
        return "250 Message accepted for delivery"

    def _authenticate(self, smtp, session, envelope, mechanism, auth_data):
        login = getattr(auth_data, "login", None)
        password = getattr(auth_data, "password", None)
        if isinstance(login, bytes):
            login = login.decode("utf-8", "replace")
        if isinstance(password, bytes):
            password = password.decode("utf-8", "replace")
        if (login, password) == tuple(self.auth):
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False, message="535 5.7.8 authentication failed")


def _free_port():
    """A loopback port nobody listens on now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
