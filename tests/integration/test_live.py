"""Live updates (API.md "Search, notifications, feeds, live updates"; DESIGN-NOTES.md "Live
updates"): GET /live/threads/ID as Server-Sent Events. Visibility like the API, each published
post as an event `post` on every stream of its thread whichever worker took the reply, held
posts only once approved, the keepalive comment, catching up after Last-Event-ID, a client that
leaves or misbehaves freeing what it held, and shutdown with streams open.

The streams are read with raw sockets: the answer is chunked, and the events are parsed from
the decoded text. The server runs three workers, so that streams and replies spread over them;
a hidden environment variable shortens the 25 s keepalive."""

import json
import os
import re
import shutil
import signal
import socket
import time
import unittest

from agora_harness import Server, agorad_sanitized, ServerTestCase, make_board, make_thread, reply, unique
from test_moderation import HOLD_WORD, plugin_folder

WAIT = 5.0  # seconds a test waits for what should come within one


class Stream:
    """One open GET /live/threads/ID: the status, headers, and the events and comments read."""

    def __init__(self, port, thread_id, token=None, headers=None, query=""):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        if token:
            extra += f"Authorization: Bearer {token}\r\n"
        self.sock.sendall(f"GET /live/threads/{thread_id}{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          f"Accept: text/event-stream\r\n{extra}\r\n".encode())
        self.raw = b""
        self.text = ""
        self.closed = False
        while b"\r\n\r\n" not in self.raw and not self.closed:
            self._recv()
        head, _, self.raw = self.raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
        self.chunked = self.headers.get("transfer-encoding", "").lower() == "chunked"
        self._decode()

    def _recv(self, timeout=WAIT):
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            data = b""
        if not data:
            self.closed = True
            return False
        self.raw += data
        return True

    def _decode(self):
        if not self.chunked:
            self.text += self.raw.decode("utf-8")
            self.raw = b""
            return
        while True:
            size_line, sep, rest = self.raw.partition(b"\r\n")
            if not sep:
                return
            size = int(size_line, 16)
            if len(rest) < size + 2:
                return
            self.text += rest[:size].decode("utf-8")
            self.raw = rest[size + 2:]

    def blocks(self):
        """The complete blocks of the stream so far, each a list of lines."""
        return [b.split("\n") for b in self.text.split("\n\n")[:-1]]

    def events(self):
        out = []
        for block in self.blocks():
            fields = {}
            for line in block:
                if line and not line.startswith(":"):
                    k, _, v = line.partition(":")
                    fields[k] = v[1:] if v.startswith(" ") else v
            if "data" in fields:
                out.append({"id": fields.get("id"), "event": fields.get("event"), "data": json.loads(fields["data"])})
        return out

    def comments(self):
        return [line for block in self.blocks() for line in block if line.startswith(":")]

    def wait_for(self, predicate, timeout=WAIT):
        """Reads until predicate(self) holds or the time is up; returns whether it holds."""
        deadline = time.monotonic() + timeout
        while not predicate(self):
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                return predicate(self)
            if self._recv(min(left, 0.5)):
                self._decode()
        return True

    def post_ids(self):
        return [e["data"]["id"] for e in self.events() if e["event"] == "post"]

    def close(self):
        self.sock.close()


class LiveCase(ServerTestCase):
    """Three workers, the wordfilter plugin (to hold posts), a 300 ms keepalive; an admin, a
    board with a thread, and members alice and bob."""

    workers = 3

    @classmethod
    def setUpClass(cls):
        super(ServerTestCase, cls).setUpClass()
        folder = plugin_folder({"wordfilter": f"hold {HOLD_WORD}\n"})
        cls.addClassCleanup(shutil.rmtree, folder, True)
        os.environ["AGORA_LIVE_KEEPALIVE_MS"] = "300"
        try:
            cls.server = Server(workers=cls.workers, extra_args=["--plugins", folder])
            cls.addClassCleanup(cls.server.cleanup)
            cls.server.start()
        finally:
            del os.environ["AGORA_LIVE_KEEPALIVE_MS"]
        cls.admin = cls.server.admin()
        cls.board = make_board(cls.admin)["slug"]
        cls.alice = cls.server.member("alice")
        cls.bob = cls.server.member("bob")

    def setUp(self):
        self.streams = []
        self.thread, self.root = make_thread(self.alice, self.board, "Spring sowing 春耕")

    def tearDown(self):
        for s in self.streams:
            s.close()

    def open(self, thread_id=None, **kw):
        s = Stream(self.server.port, thread_id or self.thread["id"], **kw)
        self.streams.append(s)
        return s

    def listeners(self):
        r = self.anon().request("GET", "/metrics")
        m = re.search(r"^agora_live_listeners (\d+)$", r.text, re.M)
        self.assertIsNotNone(m, r.text[:500])
        return int(m.group(1))

    def wait_listeners(self, n):
        deadline = time.monotonic() + WAIT
        while self.listeners() != n and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.listeners()

    def rss_kib(self):
        with open(f"/proc/{self.server.proc.pid}/status") as f:
            return int(re.search(r"^VmRSS:\s+(\d+) kB", f.read(), re.M).group(1))


class Visibility(LiveCase):
    def test_stream_opens_with_event_stream_headers(self):
        s = self.open()
        self.assertEqual(s.status, 200)
        self.assertEqual(s.headers.get("content-type"), "text/event-stream")
        self.assertEqual(s.headers.get("cache-control"), "no-cache")
        self.assertEqual(s.headers.get("x-accel-buffering"), "no")
        self.assertTrue(s.wait_for(lambda s: s.blocks()), "the stream sends nothing before the first post")
        self.assertRegex(s.text, r"^retry: \d+\n")
        self.assertEqual(s.events(), [], "no post was published yet")

    def test_head_answers_the_streams_headers_and_no_body(self):
        r = self.anon().request("HEAD", f"/live/threads/{self.thread['id']}")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "text/event-stream")
        self.assertEqual(r.header("Cache-Control"), "no-cache")
        self.assertEqual(r.body, b"")

    def test_missing_thread_is_404(self):
        r = self.anon().request("GET", "/live/threads/987654")
        self.assertError(r, 404, "thread_not_found")
        self.assertError(self.anon().request("GET", "/live/threads/nope"), 404)

    def test_members_only_thread_is_404_to_outsiders(self):
        slug = unique("hush")
        self.expect(self.admin.post("associations", {"slug": slug, "name": "Quiet circle", "join_policy": "approval",
                                                     "visibility": "members"}), 201)
        board = make_board(self.admin, association=slug)["slug"]
        t, _ = make_thread(self.admin, board, "Members only")
        self.assertError(self.anon().request("GET", f"/live/threads/{t['id']}"), 404, "thread_not_found")
        self.assertError(self.bob.request("GET", f"/live/threads/{t['id']}"), 404, "thread_not_found")
        s = self.open(t["id"], token=self.admin.token)
        self.assertEqual(s.status, 200, "the association's own officer may listen")

    def test_held_thread_is_404_to_others(self):
        r = self.expect(self.alice.post(f"boards/{self.board}/threads",
                                        {"title": "Held", "body": f"about {HOLD_WORD}"}), 202)
        tid = r.data["post"]["thread_id"]
        self.assertError(self.bob.request("GET", f"/live/threads/{tid}"), 404, "thread_not_found")
        self.assertError(self.anon().request("GET", f"/live/threads/{tid}"), 404, "thread_not_found")

    def test_thread_page_points_at_its_stream(self):
        r = self.assertHtml(self.anon().page(f"/t/{self.thread['id']}"))
        self.assertIn(f'data-live="/live/threads/{self.thread["id"]}"', r.text)

    def test_only_the_last_page_listens_from_the_threads_newest_post(self):
        t, root = make_thread(self.alice, self.board, "Two pages of posts")
        first = [reply(self.alice, t["id"], f"early {i}") for i in range(55)]
        # in tree order this late answer sits on page 1, but it is the thread's newest post
        late = reply(self.bob, t["id"], "a late answer", parent_id=first[0]["id"])
        page1 = self.assertHtml(self.anon().page(f"/t/{t['id']}")).text
        self.assertNotIn("data-live=", page1)
        page2 = self.assertHtml(self.anon().page(f"/t/{t['id']}?page=2")).text
        self.assertIn(f'data-live="/live/threads/{t["id"]}" data-live-after="{late["id"]}"', page2)


class Delivery(LiveCase):
    def test_every_stream_gets_each_reply_as_the_api_shows_it(self):
        streams = [self.open() for _ in range(9)]
        if self.server.workers > 1:
            streams.append(self.open(token=self.bob.token))
        writers = [self.alice, self.bob, self.admin]
        posted = []
        for i in range(6):
            # each reply on a fresh connection, so the replies too land on different workers
            posted.append(reply(writers[i % 3], self.thread["id"], f"reply {i} 第{i}条", parent_id=self.root["id"]))
        want = [p["id"] for p in posted]
        for s in streams:
            self.assertTrue(s.wait_for(lambda s: len(s.post_ids()) >= len(want)), f"got {s.post_ids()}")
            self.assertEqual(sorted(s.post_ids()), want)
        for e in streams[0].events():
            self.assertEqual(e["event"], "post")
            self.assertEqual(e["id"], str(e["data"]["id"]))
            shown = self.anon().get(f"posts/{e['data']['id']}").data["post"]
            self.assertEqual(e["data"], shown, "the event is the post object of the API")

    def test_other_threads_are_not_sent(self):
        other, _ = make_thread(self.bob, self.board, "Another thread")
        s = self.open()
        reply(self.bob, other["id"], "elsewhere")
        mine = reply(self.bob, self.thread["id"], "here")
        self.assertTrue(s.wait_for(lambda s: s.post_ids()))
        self.assertEqual(s.post_ids(), [mine["id"]])

    def test_held_reply_is_sent_once_approved(self):
        s = self.open()
        r = self.expect(self.bob.post(f"threads/{self.thread['id']}/posts", {"body": f"{HOLD_WORD} 在村里"}), 202)
        held = r.data["post"]
        after = reply(self.alice, self.thread["id"], "published after the held one")
        self.assertTrue(s.wait_for(lambda s: s.post_ids()))
        self.assertEqual(s.post_ids(), [after["id"]], "a held post is not sent")
        self.expect(self.admin.post(f"mod/posts/{held['id']}", {"action": "approve"}), 200)
        self.assertTrue(s.wait_for(lambda s: len(s.post_ids()) == 2))
        self.assertEqual(s.post_ids(), [after["id"], held["id"]])
        self.assertEqual(s.events()[-1]["data"]["state"], "published")

    def test_keepalive_comment(self):
        s = self.open()
        self.assertTrue(s.wait_for(lambda s: ": keepalive" in s.comments()), s.text)

    def test_last_event_id_catches_up_with_published_posts(self):
        first = reply(self.bob, self.thread["id"], "one")
        self.expect(self.bob.post(f"threads/{self.thread['id']}/posts", {"body": f"held {HOLD_WORD}"}), 202)
        missed = [reply(self.alice, self.thread["id"], f"missed {i}")["id"] for i in range(3)]
        s = self.open(headers={"Last-Event-ID": str(first["id"])})
        self.assertTrue(s.wait_for(lambda s: len(s.post_ids()) >= 3))
        self.assertEqual(s.post_ids(), missed, "published posts after the last one seen, oldest first")
        # the page's own way in, for the very first connection
        s2 = self.open(query=f"?after={missed[1]}")
        self.assertTrue(s2.wait_for(lambda s: s.post_ids()))
        self.assertEqual(s2.post_ids(), [missed[2]])
        # then new ones as usual
        new = reply(self.bob, self.thread["id"], "new")
        self.assertTrue(s.wait_for(lambda s: len(s.post_ids()) == 4))
        self.assertEqual(s.post_ids()[-1], new["id"])


class Revocation(LiveCase):
    """A stream shows what its reader could see when it opened; when that changes, the streams
    opened under the old rule are closed and the reconnection is checked afresh."""

    def members_only_board(self):
        slug = unique("circle")
        self.expect(self.admin.post("associations", {"slug": slug, "name": "Circle", "join_policy": "open",
                                                     "visibility": "members"}), 201)
        return slug, make_board(self.admin, association=slug)["slug"]

    def closes(self, stream):
        return stream.wait_for(lambda s: s.closed)

    def test_member_removed_from_the_association_loses_its_streams(self):
        assoc, board = self.members_only_board()
        bob = self.server.member(unique("bo"))
        self.expect(bob.post(f"associations/{assoc}/members"), 201)
        t, _ = make_thread(self.admin, board, "Circle business")
        inside = self.open(t["id"], token=bob.token)
        public = self.open(token=bob.token)
        self.assertEqual((inside.status, public.status), (200, 200))
        self.assertTrue(inside.wait_for(lambda s: s.blocks()))
        self.expect(self.admin.post(f"associations/{assoc}/members/{bob.user['username']}", {"action": "remove"}), 200)
        self.assertTrue(self.closes(inside), "the removed member still holds the members-only stream")
        self.assertError(bob.request("GET", f"/live/threads/{t['id']}"), 404, "thread_not_found")
        p = reply(self.alice, self.thread["id"], "still public")
        self.assertTrue(public.wait_for(lambda s: p["id"] in s.post_ids()), "a public stream was closed too")

    def test_leaving_the_association_ends_its_streams(self):
        assoc, board = self.members_only_board()
        bob = self.server.member(unique("bo"))
        self.expect(bob.post(f"associations/{assoc}/members"), 201)
        t, _ = make_thread(self.admin, board, "Circle news")
        inside = self.open(t["id"], token=bob.token)
        self.assertEqual(inside.status, 200)
        self.assertStatus(bob.delete(f"associations/{assoc}/members"), 204)
        self.assertTrue(self.closes(inside))

    def test_thread_moved_to_a_members_only_board_closes_its_streams(self):
        _, board = self.members_only_board()
        s = self.open()
        self.assertTrue(s.wait_for(lambda s: s.blocks()))
        self.expect(self.admin.post(f"mod/threads/{self.thread['id']}", {"action": "move", "board": board}), 200)
        self.assertTrue(self.closes(s), "a visitor still follows a thread moved out of sight")
        self.assertError(self.anon().request("GET", f"/live/threads/{self.thread['id']}"), 404, "thread_not_found")

    def test_signing_out_ends_the_readers_streams(self):
        name = unique("so")
        self.server.add_user(name)
        c = self.server.client()
        c.login(name)
        mine, other = self.open(token=c.token), self.open()
        self.assertTrue(mine.wait_for(lambda s: s.blocks()) and other.wait_for(lambda s: s.blocks()))
        self.assertStatus(c.delete("session"), 204)
        self.assertTrue(self.closes(mine), "the stream outlived the session it was opened with")
        p = reply(self.alice, self.thread["id"], "after a sign-out")
        self.assertTrue(other.wait_for(lambda s: p["id"] in s.post_ids()))


class Resources(LiveCase):
    def test_clients_that_leave_are_forgotten(self):
        base = self.wait_listeners(0)
        self.assertEqual(base, 0)
        streams = [self.open() for _ in range(6)]
        self.assertEqual(self.wait_listeners(6), 6)
        for s in streams[:4]:
            s.close()
        self.assertEqual(self.wait_listeners(2), 2, "closed streams are removed at once, not at the next write")
        for s in streams[4:]:
            s.close()
        self.assertEqual(self.wait_listeners(0), 0)
        # a reply now reaches nobody, and the server is fine
        reply(self.bob, self.thread["id"], "to an empty room")
        self.assertTrue(self.server.healthy())

    def test_client_that_keeps_sending_is_cut_off(self):
        s = self.open()
        other = self.open()
        self.assertTrue(s.wait_for(lambda s: s.blocks()))
        rss_before = self.rss_kib()
        junk = b"GET / HTTP/1.1\r\nX: " + b"x" * 65536
        sent = 0
        try:
            while sent < 16 * 1024 * 1024:
                s.sock.sendall(junk)
                sent += len(junk)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        self.assertLess(sent, 16 * 1024 * 1024, "the server kept taking bytes")
        self.assertTrue(s.wait_for(lambda s: s.closed), "the stream of a client that sends is closed")
        # under ASan what was read and freed stays quarantined: the bound there is what was sent
        bound = 4096 if not agorad_sanitized() else sent // 1024 + 8192
        self.assertLess(self.rss_kib() - rss_before, bound, "the server's memory grew with what the client sent")
        # the others are unaffected
        self.assertTrue(self.server.healthy())
        p = reply(self.bob, self.thread["id"], "still live")
        self.assertTrue(other.wait_for(lambda o: o.post_ids()))
        self.assertEqual(other.post_ids(), [p["id"]])

    def test_long_catch_up_sends_the_newest_posts_that_fit(self):
        # ten posts of about 30 KB each: the whole catch-up would be 300 KB queued for a
        # client that may never read it
        ids = [reply(self.bob, self.thread["id"], "长" * 10000 + f" {i}")["id"] for i in range(10)]
        s = self.open(headers={"Last-Event-ID": str(self.root["id"])})
        marker = reply(self.alice, self.thread["id"], "marker")
        self.assertTrue(s.wait_for(lambda s: marker["id"] in s.post_ids()), s.post_ids())
        caught = s.post_ids()[:-1]
        self.assertTrue(2 <= len(caught) < len(ids), f"caught up with {len(caught)} of {len(ids)}")
        self.assertEqual(caught, ids[-len(caught):], "the newest ones, oldest first")
        self.assertLess(len(s.text.encode()), 200 * 1024)

    def test_a_few_stray_bytes_are_forgiven(self):
        s = self.open()
        s.sock.sendall(b"\r\n")
        p = reply(self.bob, self.thread["id"], "still there")
        self.assertTrue(s.wait_for(lambda s: s.post_ids()))
        self.assertEqual(s.post_ids(), [p["id"]])


class Shutdown(unittest.TestCase):
    def test_sigterm_with_open_streams_exits_promptly(self):
        srv = Server(workers=2).start()
        self.addCleanup(srv.cleanup)
        admin = srv.admin()
        t, _ = make_thread(admin, make_board(admin)["slug"])
        streams = [Stream(srv.port, t["id"]) for _ in range(5)]
        for s in streams:
            self.assertEqual(s.status, 200)
        srv.send_signal(signal.SIGTERM)
        self.assertEqual(srv.wait(timeout=10), 0, "agorad ends its streams and exits")
        for s in streams:
            self.assertTrue(s.wait_for(lambda s: s.closed, timeout=2), "a stream stayed open after exit")
            s.close()


if __name__ == "__main__":
    unittest.main()
