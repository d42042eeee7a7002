"""Running agorad as a system service (issue 15): deploy/agorad.service verified by
`systemd-analyze verify` and scored by `systemd-analyze security` (its exposure is recorded in
docs/OPERATIONS.md); readiness and stopping told to systemd through sd_notify (a notify socket
of our own stands in for systemd); SIGHUP does not stop the site; the man page agorad(8)
names every command and flag `agorad --help` lists, and every key of the configuration file."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest

from agora_harness import Server, agorad_path

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
UNIT = os.path.join(ROOT, "deploy", "agorad.service")
MAN = os.path.join(ROOT, "deploy", "man", "agorad.8")
EXPOSURE_MAX = 2.0  # "OK" is below 4; ours was 1.2 when written


class Unit(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="agora-unit-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        os.makedirs(os.path.join(self.tmp, "man", "man8"))
        shutil.copy(MAN, os.path.join(self.tmp, "man", "man8"))
        with open(UNIT, encoding="utf-8") as f:  # the binary where this build has it
            text = f.read().replace("ExecStart=/usr/bin/agorad", f"ExecStart={agorad_path()}")
        self.unit = os.path.join(self.tmp, "agorad.service")
        with open(self.unit, "w", encoding="utf-8") as f:
            f.write(text)
        self.env = dict(os.environ, MANPATH=os.path.join(self.tmp, "man"), SYSTEMD_LOG_LEVEL="notice")

    def test_the_unit_verifies(self):
        p = subprocess.run(["systemd-analyze", "verify", self.unit], capture_output=True, text=True, timeout=60,
                           env=self.env)
        self.assertEqual((p.returncode, p.stderr.strip()), (0, ""), p.stderr)

    def test_the_sandbox_is_tight(self):
        p = subprocess.run(["systemd-analyze", "security", "--offline=true", self.unit], capture_output=True,
                           text=True, timeout=60, env=self.env)
        m = re.search(r"Overall exposure level for agorad.service: ([0-9.]+)", p.stdout + p.stderr)
        self.assertIsNotNone(m, p.stdout + p.stderr)
        self.assertLessEqual(float(m.group(1)), EXPOSURE_MAX, p.stdout)
        text = open(UNIT, encoding="utf-8").read()
        for line in ("Type=notify", "User=agora", "StateDirectory=agora", "ProtectSystem=strict",
                     "NoNewPrivileges=yes", "PrivateTmp=yes", "RestrictAddressFamilies=", "SystemCallFilter=", "ExecReload="):
            self.assertIn(line, text)


class Notify(unittest.TestCase):
    def test_ready_when_serving_and_stopping_on_sigterm(self):
        tmp = tempfile.mkdtemp(prefix="agora-notify-")
        self.addCleanup(shutil.rmtree, tmp, True)
        path = os.path.join(tmp, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.addCleanup(sock.close)
        sock.bind(path)
        sock.settimeout(10)
        srv = Server(env={"NOTIFY_SOCKET": path})
        self.addCleanup(srv.cleanup)
        srv.start()
        ready = sock.recv(4096).decode()
        self.assertIn("READY=1", ready)
        self.assertIn(f"serving on 127.0.0.1:{srv.port}", ready)
        srv.send_signal(signal.SIGHUP)  # a reload: systemd hears it begin and end
        self.assertIn("RELOADING=1", sock.recv(4096).decode())
        self.assertIn("READY=1", sock.recv(4096).decode())
        self.assertTrue(srv.healthy())
        srv.send_signal(signal.SIGTERM)
        self.assertIn("STOPPING=1", sock.recv(4096).decode())
        self.assertEqual(srv.wait(), 0)


class ManPage(unittest.TestCase):
    def test_every_command_flag_and_key_is_in_the_man_page(self):
        usage = subprocess.run([agorad_path(), "--help"], capture_output=True, text=True, timeout=10).stdout
        page = open(MAN, encoding="utf-8").read().replace("\\-", "-")
        flags = set(re.findall(r"--[a-z][a-z-]+", usage))
        self.assertGreater(len(flags), 15, usage)
        for flag in sorted(flags):
            self.assertIn(flag, page, f"{flag} of agorad --help is not in agorad(8)")
        for command in ("serve", "user add", "seed", "backup", "restore", "migrate", "check"):
            self.assertIn(command, page)
        options = open(os.path.join(ROOT, "daemon", "cli", "options.c"), encoding="utf-8").read()
        keys = re.search(r"config_keys\[\] = \{(.*?)\};", options, re.S).group(1)
        for key in re.findall(r'"([a-z-]+)"', keys):
            self.assertTrue(f"--{key}" in page or key.replace("-", "_") in page, f"key {key} not in agorad(8)")

    def test_the_man_page_formats_without_warnings(self):
        p = subprocess.run(["groff", "-man", "-ww", "-z", MAN], capture_output=True, text=True, timeout=30)
        self.assertEqual((p.returncode, p.stderr), (0, ""))
