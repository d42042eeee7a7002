"""Shared helpers of the black-box integration tests.

Everything here talks to a real agorad process over HTTP on 127.0.0.1: a Server starts one
in a temporary data folder and stops it (asserting exit status 0), a Client keeps cookies
and an optional bearer token, and raw_request() sends hand-made bytes for the framing
tests. Python 3.11 standard library only.
"""

import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

# Filled by run.py; the environment serves when a module is run on its own.
CONFIG = {
    "agorad": os.environ.get("AGORAD", "build/agorad"),
    "web": os.environ.get("AGORA_WEB", "web"),
}

PASSWORD = "correct horse battery"  # long enough for every account the tests make
START_TIMEOUT = 15
STOP_TIMEOUT = 20
HTTP_TIMEOUT = 15


def agorad_path():
    return os.path.abspath(CONFIG["agorad"])


def web_path():
    return os.path.abspath(CONFIG["web"])


_sanitized = {}


def agorad_sanitized():
    """True when agorad is built with AddressSanitizer, whose quarantine keeps freed memory
    resident on purpose: a bound on resident memory measures ASan there, not agorad."""
    path = agorad_path()
    if path not in _sanitized:
        with open(path, "rb") as f:
            _sanitized[path] = b"__asan_init" in f.read()
    return _sanitized[path]


def run_cli(*args, password=None, stdin=None, timeout=30):
    """Runs `agorad ARGS...`; returns the CompletedProcess (text mode)."""
    env = dict(os.environ)
    env.pop("AGORA_PASSWORD", None)
    if password is not None:
        env["AGORA_PASSWORD"] = password
    feed = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
    return subprocess.run([agorad_path(), *args], capture_output=True, text=True, env=env,
                          timeout=timeout, **feed)


def add_user_cli(data_dir, name, role="member", password=PASSWORD):
    """Creates an account with `agorad user add`; fails the caller's test when it cannot."""
    p = run_cli("user", "add", name, "--role", role, "--data", data_dir, password=password)
    if p.returncode != 0:
        raise AssertionError(f"agorad user add {name} failed ({p.returncode}): {p.stderr.strip()}")
    return p


# ---- HTTP ------------------------------------------------------------------------------------


class Response:
    """One answer: status, headers (case-insensitive access), parsed JSON or text, raw body.

    Unpacks as (status, headers, data) so tests can write `st, h, data = c.api(...)`."""

    def __init__(self, status, header_list, body):
        self.status = status
        self.header_list = header_list  # [(name, value)], repeated names kept
        self.body = body
        self.headers = {}
        for k, v in header_list:
            self.headers.setdefault(k.lower(), v)
        ctype = self.headers.get("content-type", "")
        self.text = body.decode("utf-8", "replace")
        self.data = self.text
        if ctype.startswith("application/json") and body:
            try:
                self.data = json.loads(self.text)
            except ValueError:
                self.data = self.text

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)

    def all_headers(self, name):
        return [v for k, v in self.header_list if k.lower() == name.lower()]

    @property
    def error_code(self):
        if isinstance(self.data, dict) and isinstance(self.data.get("error"), dict):
            return self.data["error"].get("code")
        return None

    @property
    def error_message(self):
        if isinstance(self.data, dict) and isinstance(self.data.get("error"), dict):
            return self.data["error"].get("message")
        return None

    def __iter__(self):
        return iter((self.status, self.headers, self.data))

    def __repr__(self):
        snippet = self.text if len(self.text) < 400 else self.text[:400] + "..."
        return f"<HTTP {self.status} {self.headers.get('content-type', '')} {snippet!r}>"


_UNSET = object()


class Client:
    """An HTTP client of one agorad with a cookie jar, a bearer token and a CSRF token.

    token: sent as `Authorization: Bearer` when set. csrf: sent as `X-CSRF-Token` on
    state-changing requests when set (the cookie-session way)."""

    def __init__(self, server, token=None, source=None):
        self.server = server
        self.source = source  # another loopback address to connect from, e.g. "127.0.0.2"
        self.token = token
        self.csrf = None
        self.cookies = {}
        self.user = None

    # -- plumbing --
    def _cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep_cookies(self, resp):
        for line in resp.all_headers("Set-Cookie"):
            first, _, attrs = line.partition(";")
            name, _, value = first.strip().partition("=")
            if re.search(r"(?i)max-age=0\b", attrs) or value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def request(self, method, path, body=None, headers=None, token=_UNSET, csrf=_UNSET,
                content_type=None, cookies=True):
        """Sends one request on a fresh connection and returns a Response.

        body: dict/list (sent as JSON), str or bytes (sent as is, with content_type)."""
        hdrs = {"Host": f"127.0.0.1:{self.server.port}", "Accept-Language": "en"}
        data = None
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        elif isinstance(body, str):
            data = body.encode()
        elif isinstance(body, bytes):
            data = body
        if content_type is not None:
            hdrs["Content-Type"] = content_type
        tok = self.token if token is _UNSET else token
        if tok:
            hdrs["Authorization"] = f"Bearer {tok}"
        csrf_value = self.csrf if csrf is _UNSET else csrf
        if csrf_value and method not in ("GET", "HEAD"):
            hdrs["X-CSRF-Token"] = csrf_value
        if cookies and self.cookies:
            hdrs["Cookie"] = self._cookie_header()
        hdrs.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=HTTP_TIMEOUT,
                                          source_address=(self.source, 0) if self.source else None)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            r = conn.getresponse()
            resp = Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()
        if cookies:
            self._keep_cookies(resp)
        return resp

    def api(self, method, path, body=None, token=_UNSET, headers=None, **kw):
        """An API call: path is relative to /api/v1 unless it starts with '/'."""
        if not path.startswith("/"):
            path = "/api/v1/" + path
        return self.request(method, path, body=body, headers=headers, token=token, **kw)

    def get(self, path, **kw):
        return self.api("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.api("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.api("PATCH", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.api("PUT", path, body, **kw)

    def delete(self, path, **kw):
        return self.api("DELETE", path, **kw)

    # -- sessions --
    def login(self, username, password=PASSWORD, bearer=True):
        """Signs in through the API. bearer=True keeps the token for Authorization; with
        bearer=False the client relies on the session cookie and sends X-CSRF-Token."""
        r = self.post("session", {"username": username, "password": password}, token=None, csrf=None)
        if r.status != 201:
            raise AssertionError(f"login of {username} failed: {r!r}")
        self.user = r.data["user"]
        if bearer:
            self.token = r.data["token"]
            self.csrf = None
        else:
            self.token = None
            self.csrf = r.data["csrf_token"]
        return r

    # -- pages and forms --
    def page(self, path, **kw):
        return self.request("GET", path, csrf=None, token=None, **kw)

    def form(self, path, fields, csrf=True, page=None, **kw):
        """Posts an HTML form (urlencoded, through the cookie jar, no bearer, no header
        CSRF). csrf=True adds the `csrf` field as the form's page (page, else the form's own
        path, else "/") carries it; a string sends that string; False sends none."""
        fields = dict(fields)
        if csrf is True:
            fields["csrf"] = self.form_csrf(page or path)
        elif csrf:
            fields["csrf"] = csrf
        return self.request("POST", path, body=urllib.parse.urlencode(fields), token=None,
                            csrf=None, content_type="application/x-www-form-urlencoded", **kw)

    def form_csrf(self, page="/"):
        """The hidden csrf field of a page as this client would see it (falling back to the
        home page when that page has no form)."""
        for candidate in dict.fromkeys((page, "/")):
            r = self.page(candidate)
            token = hidden_csrf(r.text)
            if token:
                return token
        raise AssertionError(f"no csrf field on {page} nor on /: {r!r}")


def hidden_csrf(html):
    m = re.search(r'name="csrf" value="([^"]*)"', html)
    return m.group(1) if m else None


def read_until_closed(sock, timeout=5.0, enough=None):
    """Reads from sock until the server closes the connection (or resets it), the timeout
    passes, or enough(bytes read so far) is true. Returns (bytes, closed)."""
    sock.settimeout(timeout)
    chunks, closed = [], False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        chunks.append(chunk)
        if enough and enough(b"".join(chunks)):
            break
    return b"".join(chunks), closed


def parse_answer(raw):
    """(status or None, {lowercased header: first value}, body) of the raw bytes of an answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = None
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0]) if lines and lines[0] else None
    if m:
        status = int(m.group(1))
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.setdefault(k.strip().lower(), v.strip())
    return status, headers, body


def raw_request(port, data, timeout=5.0, read_all=True):
    """Sends raw bytes on a new connection and reads the answer until the server closes
    the connection (or the timeout). Returns (status, {lowercased header: value}, body, closed)
    where closed tells whether the server closed the connection."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        raw, closed = read_until_closed(s, timeout, None if read_all else lambda got: b"\r\n\r\n" in got)
    finally:
        s.close()
    return (*parse_answer(raw), closed)


# ---- the server process -----------------------------------------------------------------------


class Server:
    """One agorad serving a temporary data folder on 127.0.0.1 with a free port."""

    def __init__(self, demo=False, workers=2, data_dir=None, extra_args=(), env=None):
        """env: variables to set for agorad ({"AGORA_NOW": "1700000000"}); a value of None
        removes the variable. AGORA_NOW is removed unless given, so no test inherits a clock."""
        self.own_dir = data_dir is None
        self.tmp = tempfile.mkdtemp(prefix="agora-it-")
        self.data_dir = data_dir or os.path.join(self.tmp, "data")
        self.demo = demo
        self.workers = workers
        self.extra_args = list(extra_args)
        self.env = {"AGORA_NOW": None, **(env or {})}
        self.preexec = None  # a function the child runs before agorad starts (resource limits)
        self.binary = None  # another agorad than the build's, run without --web
        self.proc = None
        self.port = None
        self.stdout_lines = []
        self.stderr_path = os.path.join(self.tmp, "stderr.log")
        self._lines = queue.Queue()

    # -- life --
    def start(self):
        """Starts agorad and waits until it listens."""
        return self.spawn().wait_ready()

    def process_env(self):
        env = dict(os.environ)
        for k, v in self.env.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = str(v)
        return env

    def spawn(self):
        """Starts agorad without waiting for it (several may then start at once); wait_ready
        waits until it listens."""
        args = [self.binary or agorad_path(), "serve", "--listen", "127.0.0.1:0", "--data", self.data_dir,
                "--workers", str(self.workers)]
        if self.binary is None:  # an installed agorad finds its own (test_install.py)
            args += ["--web", web_path()]
        # every test client registers from 127.0.0.1: the per-address limit would stop them
        # (test_throttle.py tests it, giving its own value, which wins as the later flag)
        args += ["--registrations-per-hour", "0"]
        if self.demo:
            args.append("--demo")
        # The built-in rates (10 posts a minute...) would trip tests that write a lot as one
        # member; the tests of the rates ask for them (test_content.py).
        if "--rate-limits" not in self.extra_args:
            args += ["--rate-limits", "0,0,0"]
        args += self.extra_args
        self.stdout_lines = []
        self._lines = queue.Queue()
        self._stderr = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._stderr,
                                     stdin=subprocess.DEVNULL, env=self.process_env(),
                                     preexec_fn=self.preexec)
        threading.Thread(target=self._pump, args=(self.proc, self._lines), daemon=True).start()
        return self

    def wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            if line is None:
                break
            m = re.match(r"listening on 127\.0\.0\.1:(\d+)$", line.strip())
            if m:
                self.port = int(m.group(1))
                return self
        rc = self.proc.poll()
        if rc is None:
            self.proc.kill()
            self.proc.wait()
        raise AssertionError(f"agorad did not start (exit {rc}): stdout={self.stdout_lines!r} "
                             f"stderr={self.stderr_text()!r}")

    def _pump(self, proc, lines):
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace")
            self.stdout_lines.append(line.rstrip("\n"))
            lines.put(line)
        lines.put(None)

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def send_signal(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)

    def wait(self, timeout=STOP_TIMEOUT):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"agorad did not stop within {timeout}s of the signal")

    def stop(self, sig=signal.SIGTERM):
        """Stops the server; raises AssertionError unless it exits with status 0."""
        if self.proc is None:
            return
        rc = self.proc.poll()
        if rc is None:
            self.send_signal(sig)
            rc = self.wait()
        self.proc.stdout.close()
        self._stderr.close()
        proc, self.proc = self.proc, None
        if rc != 0:
            raise AssertionError(f"agorad exited with status {rc} (pid {proc.pid}); "
                                 f"stderr: {self.stderr_text()[-2000:]!r}")

    def cleanup(self):
        """Stops (asserting exit 0) and always removes the temporary folder."""
        try:
            self.stop()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- people --
    def client(self, token=None, source=None):
        return Client(self, token, source)

    def add_user(self, name, role="member", password=PASSWORD):
        return add_user_cli(self.data_dir, name, role, password)

    def admin(self, name="admin"):
        """An admin account made with the command line, signed in with a bearer token."""
        self.add_user(name, "admin")
        c = self.client()
        c.login(name)
        return c

    def register(self, name, password=PASSWORD, **fields):
        """POST /api/v1/users; returns the Response."""
        body = {"username": name, "password": password, **fields}
        return self.client().post("users", body)

    def member(self, name, login=True, **fields):
        """A member registered through the API, signed in with a bearer token."""
        r = self.register(name, **fields)
        if r.status != 201:
            raise AssertionError(f"registration of {name} failed: {r!r}")
        c = self.client()
        if login:
            c.login(name)
        return c

    def healthy(self):
        try:
            r = self.client().request("GET", "/healthz")
        except OSError:
            return False
        return r.status == 200 and r.data == {"status": "ok"}


class ServerTestCase(unittest.TestCase):
    """One agorad per test class, stopped (exit status asserted) and removed afterwards."""

    demo = False
    workers = 2
    extra_args = ()
    env = None  # variables for agorad, as Server's env

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = Server(demo=cls.demo, workers=cls.workers, extra_args=cls.extra_args, env=cls.env)
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()

    # -- shortcuts used by many tests --
    @staticmethod
    def expect(r, status):
        """For class set-up, where assertions are not available: the response, or an error."""
        if r.status != status:
            raise AssertionError(f"expected {status}: {r!r}")
        return r

    @classmethod
    def staff(cls, name, role):
        """A signed-in client of a new account with this role, made with `agorad user add`."""
        cls.server.add_user(name, role)
        c = cls.server.client()
        c.login(name)
        return c

    @classmethod
    def add_staff(cls, admin_name):
        """The cast most suites start from: cls.admin (named admin_name), lecturers cls.lect and
        cls.lect2, and a site moderator cls.smod, all signed in."""
        cls.admin = cls.server.admin(admin_name)
        cls.lect = cls.staff("lect", "lecturer")
        cls.lect2 = cls.staff("lect2", "lecturer")
        cls.smod = cls.staff("smod", "moderator")

    @classmethod
    def add_members(cls, *names):
        """Signed-in members, each kept as the class attribute of its name (cls.alice, ...)."""
        for name in names:
            setattr(cls, name, cls.server.member(name))

    def new_member(self, prefix="m", **fields):
        """A signed-in client of a new member with a unique name, kept in its .name. A field may
        be a function of the name (display_name=lambda name: ...)."""
        name = unique(prefix)
        c = self.server.member(name, **{k: v(name) if callable(v) else v for k, v in fields.items()})
        c.name = name
        return c

    @property
    def srv(self):
        return self.server

    def anon(self):
        return self.server.client()

    def assertStatus(self, resp, status, code=None, msg=None):
        """Asserts the status (an int or a tuple of ints) and, when given, the error code."""
        allowed = status if isinstance(status, tuple) else (status,)
        self.assertIn(resp.status, allowed, msg or f"expected {status}, got {resp!r}")
        if code is not None:
            self.assertEqual(resp.error_code, code, msg or f"expected error code {code}, got {resp!r}")
        return resp

    def assertError(self, resp, status, code=None):
        """An error answer: the status, the JSON error shape, and the code when given."""
        self.assertStatus(resp, status, code)
        self.assertIsInstance(resp.data, dict, f"error body is not JSON: {resp!r}")
        err = resp.data.get("error")
        self.assertIsInstance(err, dict, f"no error object: {resp!r}")
        self.assertIsInstance(err.get("code"), str)
        self.assertRegex(err["code"], r"^[a-z0-9_]+$")
        self.assertIsInstance(err.get("message"), str)
        self.assertTrue(err["message"].strip(), f"empty error message: {resp!r}")
        return resp

    def assertHtml(self, resp, status=200):
        self.assertStatus(resp, status)
        self.assertTrue(resp.header("Content-Type", "").startswith("text/html"), repr(resp))
        self.assertRegex(resp.text, r"<html lang=\"[a-zA-Z-]+\"")
        return resp


class BoardCase(ServerTestCase):
    """A server with an admin (named admin_name) and one board (titled board_title): cls.admin
    and cls.board, the board as the API gave it, or only its slug when board_as_slug."""

    admin_name = "admin"
    board_title = "Board"
    board_as_slug = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin(cls.admin_name)
        board = make_board(cls.admin, title=cls.board_title)
        cls.board = board["slug"] if cls.board_as_slug else board


# ---- small data helpers ------------------------------------------------------------------------


def csv_rows(resp):
    """The rows of a CSV answer as dicts by its header, after checking its byte-order mark
    (the exports start with one so that spreadsheets read them as UTF-8)."""
    import csv
    import io
    text = resp.body.decode("utf-8")
    assert text.startswith("\ufeff"), f"no byte-order mark: {text[:40]!r}"
    return list(csv.DictReader(io.StringIO(text[1:])))


USER_KEYS = {"username", "display_name", "role", "region", "position", "industry", "created_at"}
POST_KEYS = {"id", "thread_id", "parent_id", "depth", "author", "body_html", "created_at",
             "edited_at", "state"}
THREAD_KEYS = {"id", "board", "title", "author", "created_at", "pinned", "locked", "reply_count"}
BOARD_KEYS = {"slug", "title", "description", "industry", "position", "association",
              "thread_count", "post_count", "last_post_at"}
RFC3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"

_counter = [0]
_counter_lock = threading.Lock()


def unique(prefix="u"):
    """A short unique name for this run (usernames, slugs)."""
    with _counter_lock:
        _counter[0] += 1
        return f"{prefix}{os.getpid() % 1000}{_counter[0]}"


def make_board(admin, slug=None, **fields):
    slug = slug or unique("board-")
    body = {"slug": slug, "title": fields.pop("title", f"Board {slug}"), **fields}
    r = admin.post("boards", body)
    if r.status != 201:
        raise AssertionError(f"board {slug} not created: {r!r}")
    return r.data["board"]


def make_thread(client, board_slug, title="A thread", body="The first post."):
    r = client.post(f"boards/{board_slug}/threads", {"title": title, "body": body})
    if r.status != 201:
        raise AssertionError(f"thread not created: {r!r}")
    return r.data["thread"], r.data["post"]


def reply(client, thread_id, body="A reply.", parent_id=None):
    payload = {"body": body}
    if parent_id is not None:
        payload["parent_id"] = parent_id
    r = client.post(f"threads/{thread_id}/posts", payload)
    if r.status != 201:
        raise AssertionError(f"reply not created: {r!r}")
    return r.data["post"]

# ---- reading state and moving time (scheduled work) ---------------------------------------

def db(server):
    """A connection to the server's database, for reading what background work did."""
    conn = sqlite3.connect(f"{server.data_dir}/agora.db", timeout=30)
    conn.row_factory = sqlite3.Row
    return conn


def wait_for(what, predicate, timeout=10.0):
    """The first true value of predicate(), polled; fails the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def restart(server, now):
    """Stops the server and starts it again with its clock at now (AGORA_NOW): time moves."""
    server.stop()
    server.env["AGORA_NOW"] = str(now)
    return server.start()
