"""SIGHUP reloads agorad without dropping anything (issue 15): the templates, message catalogs and
static files of the web folder, the plugins and their configuration files, and the reloadable
keys of the configuration file (trusted-proxy, rate-limits, registrations-per-hour) are read
again; requests in flight finish on what they started with; keep-alive connections stay open.
A reload that fails (a template that does not parse, an unknown key) leaves the site as it was.
Keys only a start can apply are said to wait for the next start."""

import http.client
import os
import shutil
import signal
import tempfile
import threading
import time
import unittest

from agora_harness import Server, agorad_path, make_board, make_thread, web_path, wait_for
from test_moderation import plugin_so

FOOT = "foot.html"


class ReloadCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="agora-reload-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.web = os.path.join(self.tmp, "web")
        shutil.copytree(web_path(), self.web)
        self.plugins = os.path.join(self.tmp, "plugins")
        os.mkdir(self.plugins)
        shutil.copy(plugin_so("wordfilter"), self.plugins)
        self.write_plugin_conf("")
        self.conf = os.path.join(self.tmp, "agora.conf")
        self.write_conf("max-upload-mb = 40\n")
        self.log = os.path.join(self.tmp, "access.log")
        srv = Server(extra_args=["--config", self.conf, "--web", self.web, "--plugins", self.plugins,
                                 "--access-log", self.log])
        self.addCleanup(srv.cleanup)
        self.srv = srv.start()
        self.admin = srv.admin()
        self.board = make_board(self.admin)["slug"]
        self.member = srv.member("reloader")

    # -- the files a reload reads --
    def write_conf(self, text):
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write(text)

    def write_plugin_conf(self, text):
        with open(os.path.join(self.plugins, "wordfilter.conf"), "w", encoding="utf-8") as f:
            f.write(text)

    def mark_footer(self, mark):
        """Puts mark into the footer template of the served web folder (replacing an earlier one)."""
        path = os.path.join(self.web, "templates", FOOT)
        with open(os.path.join(web_path(), "templates", FOOT), encoding="utf-8") as f:
            text = f.read()
        self.assertIn("</footer>", text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("</footer>", f"<p class=\"mark\">{mark}</p></footer>", 1))

    def reload(self):
        def ends():
            text = self.srv.stderr_text()
            return text.count("agorad: reloaded: ") + text.count("agorad: reload failed")
        before = ends()
        self.srv.send_signal(signal.SIGHUP)
        wait_for("the reload to end", lambda: ends() > before)
        return self.srv.stderr_text()

    def generations_alive(self):
        for line in self.srv.client().get("/metrics").text.splitlines():
            if line.startswith("agora_generations_alive "):
                return int(line.split()[1])
        self.fail("no agora_generations_alive in /metrics")

    def home(self):
        r = self.srv.client().get("/")
        self.assertEqual(r.status, 200)
        return r.text

    # -- the tests --
    def test_templates_reload_under_load_without_errors(self):
        errors, served = [], [0]
        stop = threading.Event()
        thread = make_thread(self.member, self.board)[0]["id"]

        def load(path):
            # one keep-alive connection per thread: a reload must not close it
            conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=20)
            sock = None
            while not stop.is_set():
                try:
                    conn.request("GET", path, headers={"Host": f"127.0.0.1:{self.srv.port}"})
                    r = conn.getresponse()
                    r.read()
                    if r.status != 200:
                        errors.append(f"{path}: {r.status}")
                    served[0] += 1
                    if sock is not None and conn.sock is not sock:
                        errors.append(f"{path}: the connection was reopened")
                    sock = conn.sock
                except (OSError, http.client.HTTPException) as e:
                    errors.append(f"{path}: {e!r}")
                    conn.close()
            conn.close()

        paths = ["/", f"/t/{thread}", "/static/agora.css", "/api/v1/boards"]
        workers = [threading.Thread(target=load, args=(p,)) for p in paths]
        for w in workers:
            w.start()
        try:
            for k in range(8):
                mark = f"generation-mark-{k}"
                self.mark_footer(mark)
                log = self.reload()
                self.assertNotIn("reload failed", log)
                self.assertIn(mark, self.home())
        finally:
            stop.set()
            for w in workers:
                w.join(30)
        self.assertEqual(errors, [], "requests failed or connections dropped during reloads")
        self.assertGreater(served[0], 40, "the load did not run")
        self.assertIn("agorad: reloaded: generation 9", self.srv.stderr_text())
        metrics = self.srv.client().get("/metrics").text
        self.assertIn("agora_reloads_total 8", metrics)
        # the old generations are freed once their requests are answered: one is left
        wait_for("the retired generations to be freed", lambda: self.generations_alive() == 1)

    def test_static_files_and_catalogs_reload(self):
        css = os.path.join(self.web, "static", "agora.css")
        with open(css, "a", encoding="utf-8") as f:
            f.write("\n/* reloaded-css-mark */\n")
        self.reload()
        self.assertIn("reloaded-css-mark", self.srv.client().get("/static/agora.css").text)

    def test_plugin_configuration_reloads(self):
        thread = make_thread(self.member, self.board)[0]["id"]
        r = self.member.post(f"threads/{thread}/posts", {"body": "A word: reloadbanned."})
        self.assertEqual(r.status, 201, r)
        self.write_plugin_conf("reject reloadbanned\n")
        self.assertIn("1 plugin)", self.reload())
        r = self.member.post(f"threads/{thread}/posts", {"body": "Again: reloadbanned."})
        self.assertEqual(r.status, 422, r)

    def test_reloadable_key_takes_effect(self):
        client = self.srv.client()
        hdr = {"X-Forwarded-For": "203.0.113.7"}
        client.get("/healthz", headers=hdr)
        wait_for("the access log line", lambda: os.path.exists(self.log) and "/healthz" in open(self.log).read())
        self.assertNotIn("203.0.113.7", open(self.log).read(), "an untrusted peer's X-Forwarded-For was taken")
        self.write_conf("max-upload-mb = 40\ntrusted-proxy = 127.0.0.1\n")
        self.assertNotIn("reload failed", self.reload())
        client.get("/healthz?after", headers=hdr)
        wait_for("the access log line", lambda: "/healthz?after" in open(self.log).read())
        last = [line for line in open(self.log) if "/healthz?after" in line][-1]
        self.assertTrue(last.startswith("203.0.113.7 "), last)

    def test_failed_reload_keeps_the_site(self):
        self.mark_footer("first-good-mark")
        self.reload()
        with open(os.path.join(self.web, "templates", FOOT), "a", encoding="utf-8") as f:
            f.write("{{#unclosed\n")
        log = self.reload()
        self.assertIn("agorad: templates: ", log)
        self.assertIn("reload failed; still serving generation 2", log)
        self.assertIn("first-good-mark", self.home())

        self.mark_footer("second-good-mark")
        self.write_conf("max-upload-mb = 40\nno-such-key = 1\n")
        log = self.reload()
        self.assertIn(f"{self.conf}:2: unknown key no-such-key", log)
        self.assertIn("first-good-mark", self.home())
        self.assertEqual(self.srv.client().get("/healthz").status, 200)

        self.write_conf("max-upload-mb = 40\n")
        self.assertNotIn("failed", self.reload().splitlines()[-1])
        self.assertIn("second-good-mark", self.home())
        self.assertIn("agora_reload_failures_total 2", self.srv.client().get("/metrics").text)

    def test_keys_read_at_start_wait_for_the_next_start(self):
        self.write_conf("max-upload-mb = 80\nbase-url = https://agora.example.org\n")
        log = self.reload()
        self.assertIn("agorad: reload: max-upload-mb changed; it takes effect at the next start", log)
        self.assertIn("agorad: reload: base-url changed; it takes effect at the next start", log)
        self.assertIn("agorad: reloaded", log)
        # the running site keeps the address it started with: links still follow the request's Host
        feed = self.srv.client().get(f"/boards/{self.board}/feed.atom").text
        self.assertIn(f"http://127.0.0.1:{self.srv.port}/", feed)
        self.assertNotIn("agora.example.org", feed)


class HangUpWhileStopping(unittest.TestCase):
    def test_a_hang_up_during_the_drain_does_not_cut_it_short(self):
        srv = Server()
        self.addCleanup(srv.cleanup)
        srv.start()
        srv.send_signal(signal.SIGTERM)
        time.sleep(0.05)  # the main loop has stopped listening for signals: the drain runs
        srv.send_signal(signal.SIGHUP)
        self.assertEqual(srv.wait(), 0)


if __name__ == "__main__":
    unittest.main()
