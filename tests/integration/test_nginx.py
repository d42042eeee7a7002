"""agorad behind nginx with TLS (issue 15): deploy/nginx/agora.conf itself, with only its
ports, names and certificate paths replaced, run by a real nginx on loopback in front of agorad
(--trusted-proxy 127.0.0.1), over a self-signed certificate: pages over HTTPS with HSTS and
Secure cookies, the client named from X-Forwarded-For, nginx's request id kept by agorad, the
plain-HTTP server redirecting to HTTPS, a body over the limit refused by nginx, and a live
update stream passing through nginx unbuffered."""

import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from agora_harness import PASSWORD, Server, make_board, make_thread, reply, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = os.path.join(HERE, "..", "..", "deploy", "nginx", "agora.conf")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="agora-nginx-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.log = os.path.join(cls.tmp, "access.log")
        cls.agorad = Server(extra_args=["--trusted-proxy", "127.0.0.1", "--access-log", cls.log])
        cls.addClassCleanup(cls.agorad.cleanup)
        cls.agorad.start()
        cls.https, cls.http = free_port(), free_port()
        cert, key = os.path.join(cls.tmp, "cert.pem"), os.path.join(cls.tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=localhost", "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
        site = open(SITE, encoding="utf-8").read()
        for old, new in (("server 127.0.0.1:8080;", f"server 127.0.0.1:{cls.agorad.port};"),
                         ("listen 80;", f"listen 127.0.0.1:{cls.http};"),
                         ("listen 443 ssl;", f"listen 127.0.0.1:{cls.https} ssl;"),
                         ("client_max_body_size 50m;", "client_max_body_size 1m;"),
                         ("/etc/ssl/certs/forum.example.org.pem", cert),
                         ("/etc/ssl/private/forum.example.org.key", key)):
            assert old in site, old
            site = site.replace(old, new)
        t = cls.tmp
        conf = os.path.join(t, "nginx.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write(f"""daemon off; worker_processes 1; pid {t}/nginx.pid; error_log {t}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log {t}/nginx-access.log; client_body_temp_path {t}/body; proxy_temp_path {t}/proxy;
  fastcgi_temp_path {t}/fcgi; uwsgi_temp_path {t}/uwsgi; scgi_temp_path {t}/scgi;
{site}
}}
""")
        cls.nginx = subprocess.Popen(["nginx", "-p", t, "-c", conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        cls.addClassCleanup(cls.stop_nginx)
        wait_for("nginx to listen", cls.listening, timeout=15)

    @classmethod
    def stop_nginx(cls):
        cls.nginx.send_signal(signal.SIGQUIT)
        try:
            cls.nginx.wait(10)
        except subprocess.TimeoutExpired:
            cls.nginx.kill()
            cls.nginx.wait()

    @classmethod
    def listening(cls):
        if cls.nginx.poll() is not None:
            raise AssertionError(f"nginx exited: {cls.nginx.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", cls.https), timeout=1).close()
            return True
        except OSError:
            return False

    def request(self, method, path, body=None, headers=None):
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
        c = http.client.HTTPSConnection("127.0.0.1", self.https, context=ctx, timeout=10)
        c.request(method, path, body=json.dumps(body) if body is not None else None,
                  headers={"Content-Type": "application/json", **(headers or {})})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r, data

    def test_pages_over_https_with_hsts(self):
        r, data = self.request("GET", "/")
        self.assertEqual(r.status, 200)
        self.assertIn(b"<html", data)
        self.assertEqual(r.getheader("Strict-Transport-Security"), "max-age=31536000")

    def test_session_cookies_are_secure(self):
        self.agorad.add_user("tlsuser")
        r, data = self.request("POST", "/api/v1/session", {"username": "tlsuser", "password": PASSWORD},
                               headers={"Accept": "text/html"})
        self.assertEqual(r.status, 201, data)
        cookies = [v for k, v in r.getheaders() if k.lower() == "set-cookie"]
        self.assertTrue(cookies)
        self.assertTrue(all("; Secure" in c for c in cookies), cookies)

    def test_the_client_is_named_and_the_request_id_kept(self):
        r, _ = self.request("GET", "/healthz?via=nginx", headers={"X-Forwarded-For": "203.0.113.9"})
        rid = r.getheader("X-Request-Id")
        self.assertRegex(rid, r"^[0-9a-f]{32}$", "nginx's $request_id")
        line = wait_for("agorad's log line", lambda: [l for l in open(self.log, encoding="utf-8") if "via=nginx" in l])
        self.assertTrue(line[0].startswith("203.0.113.9 - - ["), line[0])
        self.assertTrue(line[0].rstrip().endswith(" " + rid), line[0])

    def test_plain_http_redirects_to_https(self):
        c = http.client.HTTPConnection("127.0.0.1", self.http, timeout=10)
        c.request("GET", "/t/1", headers={"Host": "forum.example.org"})
        r = c.getresponse()
        self.assertEqual((r.status, r.getheader("Location")), (301, "https://forum.example.org/t/1"))
        c.close()

    def test_a_body_over_the_limit_stops_at_nginx(self):
        r, _ = self.request("POST", "/api/v1/session", {"username": "x", "password": "y" * (2 << 20)})
        self.assertEqual(r.status, 413)

    def test_live_updates_pass_unbuffered(self):
        admin = self.agorad.admin()
        t, _ = make_thread(admin, make_board(admin)["slug"])
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        raw = ctx.wrap_socket(socket.create_connection(("127.0.0.1", self.https), timeout=10))
        try:
            raw.sendall(f"GET /live/threads/{t['id']} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
                        .encode())
            got = b""
            while b"agora live" not in got:
                got += raw.recv(4096)
            self.assertTrue(got.startswith(b"HTTP/1.1 200"), got[:200])
            p = reply(admin, t["id"], "through nginx, at once")
            deadline = time.monotonic() + 5
            while f"id: {p['id']}".encode() not in got and time.monotonic() < deadline:
                got += raw.recv(65536)
            self.assertIn(f"id: {p['id']}".encode(), got, "the event was held in nginx's buffer")
        finally:
            raw.close()
