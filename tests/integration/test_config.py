"""The configuration file (API.md "Command line and configuration"; issue 15): `--config FILE`
of `key = value` lines with `#` comments, every long flag of serve a key, flags winning over
the file; an unknown key, a bad value or a line that is no setting stops agorad with
`FILE:LINE: message` on stderr and exit status 2, before it listens."""

import os
import subprocess
import tempfile
import unittest

from agora_harness import Server, agorad_path, make_board, make_thread, web_path

EVERY_KEY = """# agora.conf: every key there is
listen = 127.0.0.1:0
data = {data}
web = {web}
workers = 2
demo = false
max-upload-mb = 64
base_url = "https://file.example.org/"
smtp = smtp://127.0.0.1:9
mail-from = agora@file.example.org
smtp_user = agora
smtp_password = "a secret # with a hash"
mail-rate = 30
trusted-proxy = 127.0.0.9
trusted-proxy = ::1
registrations-per-hour = 0
rate-limits = 0,0,0
"""


class ConfigCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="agora-conf-")

    def tearDown(self):
        subprocess.run(["rm", "-rf", self.tmp], check=False)

    def write(self, text, name="agora.conf"):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def refused(self, text, *flags):
        """agorad serve with this file: asserts exit 2 before listening; returns stderr."""
        path = self.write(text)
        p = subprocess.run([agorad_path(), "serve", "--config", path, "--data", os.path.join(self.tmp, "d"),
                            "--web", web_path(), *flags], capture_output=True, text=True, timeout=20)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertNotIn("listening", p.stdout)
        return path, p.stderr.strip()

    def serve(self, text, *flags):
        srv = Server(extra_args=["--config", self.write(text), *flags])
        self.addCleanup(srv.cleanup)
        srv.start()
        return srv


class Keys(ConfigCase):
    def test_every_key_is_taken(self):
        srv = self.serve(EVERY_KEY.format(data=os.path.join(self.tmp, "ignored"), web=web_path()))
        admin = srv.admin()
        slug = make_board(admin)["slug"]
        make_thread(admin, slug)
        feed = srv.client().request("GET", f"/boards/{slug}/feed.atom").text
        self.assertIn("https://file.example.org/b/", feed, "the file's base-url is not used")
        self.assertNotIn("https://file.example.org//", feed)
        self.assertNotIn("a secret", open(srv.stderr_path, encoding="utf-8", errors="replace").read())

    def test_flags_win_over_the_file(self):
        srv = self.serve("base-url = https://file.example.org\n", "--base-url", "https://flag.example.org")
        admin = srv.admin()
        slug = make_board(admin)["slug"]
        make_thread(admin, slug)
        feed = srv.client().request("GET", f"/boards/{slug}/feed.atom").text
        self.assertIn("https://flag.example.org/b/", feed)
        self.assertNotIn("file.example.org", feed)

    def test_demo_from_the_file(self):
        srv = self.serve("demo = true\n")
        self.assertEqual(srv.client().get("boards/spring-farming").status, 200)


class Refusals(ConfigCase):
    def test_each_bad_value_names_its_line(self):
        for line, message in (
            ("listen = localhost", "--listen localhost: expected HOST:PORT"),
            ("workers = 0", "--workers: expected a positive number"),
            ("workers = many", "--workers: expected a positive number"),
            ("max-upload-mb = 99999", "--max-upload-mb: expected a positive number"),
            ("base-url = ftp://x", "--base-url ftp://x: expected http://HOST or https://HOST"),
            ("smtp = mail.example.org", "--smtp (URL): expected smtp://HOST:PORT"),
            ("mail-from = not an address", "--mail-from not an address: expected an address"),
            ("mail-rate = -1", "--mail-rate: expected a positive number"),
            ("trusted-proxy = proxy.example.org", "--trusted-proxy proxy.example.org: expected an IPv4 or IPv6"),
            ("registrations-per-hour = lots", "--registrations-per-hour lots: expected a number"),
            ("rate-limits = 1,2", "--rate-limits 1,2: expected three counts"),
            ("demo = yes", "demo = yes: expected true or false"),
            ("threads = 5", "unknown key threads"),
            ("config = /etc/other.conf", "unknown key config"),
            ("colour = blue", "unknown key colour"),
        ):
            with self.subTest(line=line):
                path, err = self.refused(f"# line one\n\n{line}\n")
                self.assertTrue(err.startswith(f"{path}:3: "), err)
                self.assertIn(message, err)

    def test_lines_that_are_no_setting(self):
        for text, line, message in (("listen 127.0.0.1:80\n", 1, "expected key = value"),
                                    ("workers = 2\nWorkers = 2\n", 2, "bad key"),
                                    ('base-url = "https://x\n', 1, "unterminated quote"),
                                    ("workers = 2\x07\n", 1, "not UTF-8 text")):
            with self.subTest(text=text):
                path, err = self.refused(text)
                self.assertEqual(err, f"{path}:{line}: {message}")

    def test_a_bad_line_is_refused_even_when_a_flag_covers_it(self):
        path, err = self.refused("listen = nowhere\nbogus = 1\n", "--listen", "127.0.0.1:0")
        self.assertEqual(err, f"{path}:2: unknown key bogus")

    def test_a_missing_or_unreadable_file(self):
        p = subprocess.run([agorad_path(), "--config", os.path.join(self.tmp, "none.conf")], capture_output=True,
                           text=True, timeout=20)
        self.assertEqual(p.returncode, 2)
        self.assertIn("none.conf: cannot read it", p.stderr)
        big = self.write("# " + "x" * (1 << 20) + "\n", "big.conf")
        p = subprocess.run([agorad_path(), "--config", big], capture_output=True, text=True, timeout=20)
        self.assertEqual((p.returncode, "larger than 1 MiB" in p.stderr), (2, True), p.stderr)

    def test_other_commands_read_it_too(self):
        data = os.path.join(self.tmp, "cmd-data")
        path = self.write(f"data = {data}\n")
        env = dict(os.environ, AGORA_PASSWORD="a long enough password")
        p = subprocess.run([agorad_path(), "user", "add", "fromconf", "--config", path], capture_output=True,
                           text=True, timeout=30, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(os.path.join(data, "agora.db")))
