"""The Debian package (issue 15): `cpack -G DEB` from the build folder makes agora_VERSION.deb
with its library dependencies declared (read from the binaries), adduser and systemd, the
unit, the configuration file as a conffile and the scripts that make the agora user and enable
the unit; unpacked into a throw-away root (`dpkg -x`), its agorad serves with no flag but
--data, finding its web folder and plugins inside that root, and its unit verifies."""

import glob
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from agora_harness import Server, agorad_path
from test_deploy import MAN


def run(*args, **kw):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=kw.pop("timeout", 180), **kw)
    if p.returncode != 0:
        raise AssertionError(f"{args[0]} failed: {p.stdout}{p.stderr}")
    return p.stdout


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="agora-deb-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        run("cpack", "-G", "DEB", "-B", cls.tmp, cwd=os.path.dirname(agorad_path()))
        [cls.deb] = glob.glob(os.path.join(cls.tmp, "agora_*_*.deb"))
        cls.root = os.path.join(cls.tmp, "root")
        run("dpkg-deb", "-x", cls.deb, cls.root)
        cls.control = os.path.join(cls.tmp, "control")
        run("dpkg-deb", "-e", cls.deb, cls.control)

    def test_dependencies_are_declared(self):
        depends = run("dpkg-deb", "-f", self.deb, "Depends")
        for lib in ("adduser", "systemd", "libevent-2.1-7", "libsqlite3-0", "libsodium23", "libmd4c0",
                    "libjansson4", "libical3", "libzip4", "libcurl4", "libmagic1", "libsystemd0"):
            self.assertRegex(depends, rf"(^|, ){re.escape(lib)}( \(|,|$)", depends)
        self.assertEqual(run("dpkg-deb", "-f", self.deb, "Package").strip(), "agora")

    def test_what_it_installs(self):
        for rel in ("usr/bin/agorad", "usr/share/agora/web/templates/thread.html", "usr/share/man/man8/agorad.8",
                    "usr/lib/systemd/system/agorad.service", "etc/agora/agora.conf"):
            self.assertTrue(os.path.exists(os.path.join(self.root, rel)), rel)
        self.assertTrue(glob.glob(os.path.join(self.root, "usr/lib*/agora/plugins/wordfilter.so")))
        unit = open(os.path.join(self.root, "usr/lib/systemd/system/agorad.service"), encoding="utf-8").read()
        self.assertIn("ExecStart=/usr/bin/agorad serve", unit)
        with open(os.path.join(self.control, "conffiles"), encoding="utf-8") as f:
            self.assertEqual(f.read().split(), ["/etc/agora/agora.conf"])

    def test_its_scripts_make_the_user_and_enable_the_unit(self):
        postinst = os.path.join(self.control, "postinst")
        self.assertTrue(os.access(postinst, os.X_OK))
        text = open(postinst, encoding="utf-8").read()
        self.assertIn("adduser --system --group", text)
        self.assertIn("systemctl enable agorad.service", text)
        run("sh", "-n", postinst)
        run("sh", "-n", os.path.join(self.control, "prerm"))

    def test_the_unpacked_agorad_serves(self):
        srv = Server()
        srv.binary = os.path.join(self.root, "usr", "bin", "agorad")
        self.addCleanup(srv.cleanup)
        srv.start()
        page = srv.client().page("/")
        self.assertEqual(page.status, 200)
        self.assertIn('href="/static/agora.css', page.text)

    def test_the_packaged_unit_verifies(self):
        unit = os.path.join(self.tmp, "agorad.service")
        text = open(os.path.join(self.root, "usr/lib/systemd/system/agorad.service"), encoding="utf-8").read()
        with open(unit, "w", encoding="utf-8") as f:
            f.write(text.replace("/usr/bin/agorad", os.path.join(self.root, "usr/bin/agorad")))
        man = os.path.join(self.tmp, "man", "man8")
        os.makedirs(man, exist_ok=True)
        shutil.copy(MAN, man)
        p = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, MANPATH=os.path.dirname(man)))
        self.assertEqual((p.returncode, p.stderr.strip()), (0, ""))
