"""The access log and request ids (issue 15): --access-log FILE (or - for stderr) in the
combined format plus duration and request id; secrets in query strings never written; client
text escaped so that no line can be forged; signed-in users named; guards' refusals, static
files and live streams logged too; SIGUSR1 reopens the file (logrotate); every answer carries
X-Request-Id, a trusted proxy's own id is kept, anyone else's ignored; an error answer's line
on stderr carries the same id."""

import os
import re
import shutil
import signal
import socket
import tempfile

from agora_harness import Server, ServerTestCase, make_board, make_thread, raw_request, unique, wait_for
from test_data import set_write_version

LINE = re.compile(r'^(?P<addr>\S+) - (?P<user>\S+) \[(?P<time>\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000)\] '
                  r'"(?P<method>[A-Z]+) (?P<uri>\S+) HTTP/1\.[01]" (?P<status>\d{3}) (?P<bytes>\d+|-) '
                  r'"(?P<referer>[^"]*)" "(?P<agent>[^"]*)" (?P<seconds>\d+\.\d{6}) (?P<id>\S+)$')


class LogCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        cls.logdir = tempfile.mkdtemp(prefix="agora-log-")
        cls.addClassCleanup(shutil.rmtree, cls.logdir, True)
        cls.log = os.path.join(cls.logdir, "access.log")
        cls.extra_args = ("--access-log", cls.log, "--trusted-proxy", "127.0.0.2")
        super().setUpClass()
        cls.admin = cls.server.admin("logadmin")
        cls.board = make_board(cls.admin)["slug"]

    def lines(self, path=None):
        with open(path or self.log, encoding="utf-8") as f:
            return [l.rstrip("\n") for l in f]

    def line_for(self, needle, path=None):
        """The parsed line whose request target holds needle (waited for: the line is written
        as the answer goes out)."""
        def find():
            for l in self.lines(path):
                m = LINE.match(l)
                if m and needle in m.group("uri"):
                    return m
            return None
        return wait_for(f"a log line for {needle}", find, timeout=5)


class Format(LogCase):
    def test_every_line_is_combined_with_duration_and_id(self):
        word = unique("fmt")
        r = self.anon().request("GET", f"/search?q={word}", headers={"Referer": "https://example.org/x",
                                                                      "User-Agent": "Test/1.0"})
        m = self.line_for(word)
        self.assertEqual((m["addr"], m["user"], m["method"], m["status"]), ("127.0.0.1", "-", "GET", "200"))
        self.assertEqual((m["referer"], m["agent"]), ("https://example.org/x", "Test/1.0"))
        self.assertEqual(int(m["bytes"]), len(r.body))
        self.assertLess(float(m["seconds"]), 5)
        self.assertEqual(m["id"], r.header("X-Request-Id"))
        self.assertRegex(m["id"], r"^[0-9a-f]{16}$")
        for l in self.lines():
            self.assertRegex(l, LINE, "every line parses")

    def test_the_signed_in_user_is_named(self):
        self.admin.get(f"boards/{self.board}?who=me")
        self.assertEqual(self.line_for("who=me")["user"], "logadmin")

    def test_secrets_in_queries_are_not_written(self):
        secret = "S3cr3t" + unique("t")
        self.anon().request("GET", f"/unsubscribe?token={secret}&kind=digest")
        self.anon().request("GET", f"/search?q=x&csrf={secret}&code={secret}&password={secret}&key={secret}")
        text = open(self.log, encoding="utf-8").read()
        self.assertNotIn(secret, text)
        self.assertIn("/unsubscribe?token=-&kind=digest", text)
        self.assertIn("&csrf=-&code=-&password=-&key=-", text)

    def test_client_text_cannot_forge_a_line(self):
        agent = 'evil" 200 0 "-" "x\\'
        self.anon().request("GET", "/healthz?forge=1", headers={"User-Agent": agent})
        m = self.line_for("forge=1")
        self.assertEqual(m["agent"], "evil\\x22 200 0 \\x22-\\x22 \\x22x\\x5C")

    def test_errors_refusals_static_files_and_streams_are_logged(self):
        self.anon().request("GET", "/no/such/page?miss=1")
        self.assertEqual(self.line_for("miss=1")["status"], "404")
        self.anon().request("GET", "/static/agora.css?static=1")
        self.assertEqual(self.line_for("/static/agora.css")["status"], "200")
        raw_request(self.server.port, b"GET /%2e%2e/etc/passwd?bad=1 HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertEqual(self.line_for("bad=1")["status"], "400")
        t, _ = make_thread(self.admin, self.board)
        s = socket.create_connection(("127.0.0.1", self.server.port))
        s.sendall(f"GET /live/threads/{t['id']}?stream=1 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        try:
            m = self.line_for("stream=1")
            self.assertEqual((m["status"], m["bytes"]), ("200", "-"))
        finally:
            s.close()


class Ids(LogCase):
    def test_a_trusted_proxys_id_is_kept_and_no_one_elses(self):
        given = "nginx-" + unique("rid")
        r = self.server.client(source="127.0.0.2").request("GET", "/healthz?proxied=1",
                                                            headers={"X-Request-Id": given})
        self.assertEqual(r.header("X-Request-Id"), given)
        self.assertEqual(self.line_for("proxied=1")["id"], given)
        r = self.anon().request("GET", "/healthz?direct=1", headers={"X-Request-Id": given})
        self.assertNotEqual(r.header("X-Request-Id"), given)
        bad = self.server.client(source="127.0.0.2").request("GET", "/healthz", headers={"X-Request-Id": "a b"})
        self.assertRegex(bad.header("X-Request-Id"), r"^[0-9a-f]{16}$")

    def test_each_answer_has_its_own_id(self):
        ids = {self.anon().request("GET", "/healthz").header("X-Request-Id") for _ in range(5)}
        self.assertEqual(len(ids), 5)


class Rotation(LogCase):
    def test_sigusr1_reopens_the_file(self):
        self.anon().request("GET", "/healthz?before=1")
        self.line_for("before=1")
        rotated = self.log + ".1"
        os.rename(self.log, rotated)
        self.server.send_signal(signal.SIGUSR1)
        def reopened():
            self.anon().request("GET", "/healthz?after=1")
            return os.path.exists(self.log) and "after=1" in open(self.log, encoding="utf-8").read()
        wait_for("the log reopened", reopened, timeout=5)
        self.assertIn("before=1", open(rotated, encoding="utf-8").read())
        self.assertTrue(self.server.healthy())


class ToStderr(ServerTestCase):
    extra_args = ("--access-log", "-")

    def test_dash_writes_to_stderr(self):
        self.anon().request("GET", "/healthz?stderr=1")
        line = wait_for("the line on stderr", lambda: [l for l in self.server.stderr_text().splitlines()
                                                       if "stderr=1" in l])
        self.assertRegex(line[0], LINE)


class ErrorLog(ServerTestCase):
    """A 5xx answer's line on stderr names the request by the id the client got."""

    @classmethod
    def setUpClass(cls):
        cls.server = None

    def test_the_error_line_carries_the_request_id(self):
        first = Server()
        self.addCleanup(first.cleanup)
        first.add_user("keeper", "admin")
        first.start()
        admin = first.client()
        admin.login("keeper")
        t, _ = make_thread(admin, make_board(admin)["slug"])
        first.stop()
        set_write_version(os.path.join(first.data_dir, "agora.db"), 3)  # read-only: writes answer 503
        first.start()
        admin.server = first
        r = admin.post(f"threads/{t['id']}/posts", {"body": "refused"})
        self.assertEqual(r.status, 503, r)
        rid = r.header("X-Request-Id")
        wait_for("the error line", lambda: f"request {rid}: 503 storage_read_only on /api/v1/threads/" in
                 first.stderr_text())
        self.assertNotIn("refused", first.stderr_text(), "a post's text is no log's business")
