"""`cmake --install` into a temporary prefix (issue 15): the installed agorad serves pages from
its own share/agora/web and loads the shipped plugins from its own lib/agora/plugins, with no
flag but --data (the source tree's web folder, which it also knows, is not what it uses); the
man page is installed."""

import os
import shutil
import subprocess
import tempfile
import unittest

from agora_harness import Server, agorad_path, make_board, make_thread


class Install(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.prefix = tempfile.mkdtemp(prefix="agora-prefix-")
        cls.addClassCleanup(shutil.rmtree, cls.prefix, True)
        build = os.path.dirname(agorad_path())
        p = subprocess.run(["cmake", "--install", build, "--prefix", cls.prefix], capture_output=True, text=True,
                           timeout=120)
        if p.returncode != 0:
            raise AssertionError(f"cmake --install failed: {p.stdout}{p.stderr}")
        libdirs = [d for d in os.listdir(cls.prefix) if d.startswith("lib")]
        cls.plugins = next(os.path.join(cls.prefix, d, "agora", "plugins") for d in libdirs
                           if os.path.isdir(os.path.join(cls.prefix, d, "agora", "plugins")))
        cls.web = os.path.join(cls.prefix, "share", "agora", "web")

    def serve(self):
        srv = Server()
        srv.binary = os.path.join(self.prefix, "bin", "agorad")
        self.addCleanup(srv.cleanup)
        srv.start()
        return srv

    def test_what_is_installed(self):
        for rel in ("bin/agorad", "share/agora/web/templates/thread.html", "share/agora/web/static/agora.css",
                    "share/agora/web/i18n/zh-CN.json", "share/man/man8/agorad.8"):
            self.assertTrue(os.path.exists(os.path.join(self.prefix, rel)), rel)
        self.assertEqual(sorted(os.listdir(self.plugins)), ["floodguard.so", "linklimit.so", "wordfilter.so"])

    def test_the_installed_agorad_serves_its_own_web_folder(self):
        marker = "<!-- served from the installed web folder -->"
        foot = os.path.join(self.web, "templates", "foot.html")
        with open(foot, "a", encoding="utf-8") as f:
            f.write(marker + "\n")
        srv = self.serve()
        page = srv.client().page("/")
        self.assertEqual(page.status, 200)
        self.assertIn(marker, page.text)
        css = srv.client().request("GET", "/static/agora.css")
        self.assertEqual((css.status, css.body), (200, open(os.path.join(self.web, "static", "agora.css"), "rb").read()))

    def test_the_installed_agorad_loads_the_shipped_plugins(self):
        with open(os.path.join(self.plugins, "wordfilter.conf"), "w", encoding="utf-8") as f:
            f.write("reject installedforbidden\n")
        self.addCleanup(os.remove, os.path.join(self.plugins, "wordfilter.conf"))
        srv = self.serve()
        admin = srv.admin()
        slug = make_board(admin)["slug"]
        t, _ = make_thread(admin, slug)
        r = admin.post(f"threads/{t['id']}/posts", {"body": "this says installedforbidden"})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(admin.post(f"threads/{t['id']}/posts", {"body": "this is fine"}).status, 201)
