"""A fake acexy / AceStream engine: a real HTTP server on 127.0.0.1, answering byte for byte
what the real peers send (read from their sources), in a mode a test can switch at run time.

    with serve_fake_peer("acexy") as peer:
        peer.streams = [FakeStream("abc", "a" * 40, clients=2)]
        ...  # GET f"{peer.base_url}/ace/status" -> {"streams":1}\\n
        peer.mode = "acexy-0.1.1"

    with serve_fake_peer("engine") as engine:
        stream = FakeStream("abc", "a" * 40, clients=1, engine_url=engine.base_url)
        engine.stats["a" * 40] = FakeStat(peers=0)  # served at stream.stat_url

Misbehaving modes ("hang", "endless", "trickle") wait on an event that `stop()` sets, so
stopping the server never waits for a handler that would otherwise run forever.
"""

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Literal, cast
from urllib.parse import parse_qs, urlsplit

from tests.fakes.server_thread import ServerThread

Mode = Literal[
    "acexy",  # upstream Javinator9889/acexy 0.1.2+ (and lucio-modrono)
    "acexy-meikkun",  # Meikkun/acexy: total_clients and active_streams
    "acexy-krinkuto11",  # krinkuto11/acexy, stateless: {"status":"ok"}
    "pyacexy",  # wafy80/pyacexy (aiohttp)
    "acexy-0.1.1",  # before /ace/status existed: Go's 404 for every path
    "engine",  # AceStream engine get_version
    "engine-error",  # the engine answering with a non-null "error"
    "html",  # something else on the port: an HTML page for every path
    "huge",  # 10 MB body with a Content-Length
    "endless",  # chunked body that never ends
    "trickle",  # chunked body, one byte every 50 ms, never ending
    "hang",  # reads the request, never answers
    "fixed",  # `set_reply()`'s status, content type and body for every path
]

GO_JSON = "application/json"
GO_TEXT = "text/plain; charset=utf-8"
AIOHTTP_JSON = "application/json; charset=utf-8"
ENGINE_JSON = "application/json"
HUGE_BODY_BYTES = 10 * 1024 * 1024
ENGINE_VERSION = {"code": 3014900, "platform": "linux", "version": "3.1.49"}


@dataclass(frozen=True)
class FakeStream:
    """A stream acexy is serving; `id` is "" for one started by infohash (as in Meikkun).
    Its `stat_url` points at the engine at `engine_url` (a fake one's `base_url`)."""

    id: str
    infohash: str
    clients: int
    engine_url: str = "http://127.0.0.1:6878"
    session: str = "0" * 40

    @property
    def stat_url(self) -> str:
        return f"{self.engine_url}/ace/stat/{self.infohash}/{self.session}"


@dataclass
class FakeStat:
    """What the fake engine's stat of one stream says; `idle` answers the minimal
    `{"response":{"status":"idle"}}` of a session that stopped."""

    status: str = "dl"
    peers: int = 17
    speed_down: int = 812
    speed_up: int = 96
    downloaded: int = 104_857_600
    uploaded: int = 12_582_912
    idle: bool = False

    def response(self, infohash: str, session: str) -> dict[str, object]:
        """The `response` object, with the fields the engine sends (peers.md §2)."""
        if self.idle:
            return {"status": "idle"}
        return {
            "status": self.status,
            "peers": self.peers,
            "speed_down": self.speed_down,
            "speed_up": self.speed_up,
            "downloaded": self.downloaded,
            "uploaded": self.uploaded,
            "total_progress": 0,
            "stream_status": 1,
            "selected_stream_index": 0,
            "selected_file_index": 0,
            "is_live": 1,
            "is_encrypted": 0,
            "infohash": infohash,
            "playback_session_id": session,
            "client_session_id": -1,
            "manifest_access_mode": 0,
            "network_monitor_status": 0,
            "network_monitor_started": False,
            "debug_level": 0,
            "disk_cache_stats": {
                "avail": 10_737_418_240,
                "disk_cache_limit": 10_737_418_240,
                "inactive_inuse": 0,
                "active_inuse": 52_428_800,
            },
            "livepos": {
                "last": 1_764_666_000,
                "live_first": 1_764_665_100,
                "pos": 1_764_665_990,
                "first_ts": 1_764_665_100,
                "last_ts": 1_764_666_000,
                "is_live": 1,
                "live_last": 1_764_666_000,
                "buffer_pieces": 15,
            },
        }


class FakePeer:
    """One fake peer server; `mode`, `streams` and `set_reply()` may change while it runs."""

    def __init__(self, mode: Mode) -> None:
        self.mode: Mode = mode
        self.streams: list[FakeStream] = []
        self.stats: dict[str, FakeStat] = {}  # engine modes: each stream's stat, by infohash
        self.requests: list[str] = []  # request targets (path and query), in order
        self.request_times: list[float] = []  # time.monotonic() of each request, in order
        self.stopping = threading.Event()  # set by stop(); misbehaving handlers wait on it
        self.fixed_reply: tuple[int, str, bytes] = (200, GO_TEXT, b"")
        self._server = _Server(self)
        self._serving = ServerThread(self._server)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def set_reply(self, status: int, body: bytes, content_type: str = GO_TEXT) -> None:
        """Answer every request with exactly this (mode "fixed")."""
        self.fixed_reply = (status, content_type, body)
        self.mode = "fixed"

    def start(self) -> None:
        self._serving.start()

    def stop(self) -> None:
        self.stopping.set()
        self._serving.stop()


@contextmanager
def serve_fake_peer(mode: Mode = "acexy") -> Iterator[FakePeer]:
    peer = FakePeer(mode)
    peer.start()
    try:
        yield peer
    finally:
        peer.stop()


def closed_port_url() -> str:
    """A loopback URL where nothing listens (the port was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog is 5: a client opening 16 connections at once would
    # see SYNs dropped and retried a second later. Go listens with the system's maximum.
    request_queue_size = 128

    def __init__(self, peer: FakePeer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.peer = peer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked bodies need it
    # Go's net package sets TCP_NODELAY on every connection; without it the headers and
    # the body, written apart, wait on the client's delayed ACK (40 ms a reply).
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        peer = cast(_Server, self.server).peer
        peer.request_times.append(time.monotonic())
        peer.requests.append(self.path)
        target = urlsplit(self.path)
        query = {
            name: values[0]
            for name, values in parse_qs(target.query, keep_blank_values=True).items()
        }
        try:
            _ROUTES[peer.mode](self, peer, target.path, query)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client hung up on purpose (body cap, timeout)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is not the place for an access log."""

    def answer(self, status: int, content_type: str, body: bytes) -> None:
        # Go and aiohttp send no Server header, so no send_response().
        self.send_response_only(status)
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if content_type == GO_TEXT and status >= 400:
            self.send_header("X-Content-Type-Options", "nosniff")  # Go's http.Error
        self.end_headers()
        self.wfile.write(body)

    def go_json(self, value: object) -> None:
        """Go's json.Encoder: compact, then a newline."""
        self.answer(200, GO_JSON, json.dumps(value, separators=(",", ":")).encode() + b"\n")

    def go_error(self, status: int, message: str) -> None:
        """Go's http.Error: text/plain, the message, a newline."""
        self.answer(status, GO_TEXT, message.encode() + b"\n")

    def start_chunked(self) -> None:
        self.send_response_only(200)
        self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


Route = Callable[[_Handler, FakePeer, str, dict[str, str]], None]


def _find(peer: FakePeer, query: dict[str, str]) -> FakeStream | None:
    return next(
        (
            stream
            for stream in peer.streams
            if ("id" in query and stream.id == query["id"])
            or ("infohash" in query and stream.infohash == query["infohash"])
        ),
        None,
    )


def _one_stream_param(query: dict[str, str]) -> bool:
    """acexy's NewAceID: exactly one of id / infohash, non-empty."""
    return bool(query.get("id")) != bool(query.get("infohash"))


def _acexy(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    if path != "/ace/status":
        handler.go_error(404, "404 page not found")
    elif not _one_stream_param(query):
        handler.go_json({"streams": len(peer.streams)})  # NewAceID's error is swallowed
    elif (stream := _find(peer, query)) is None:
        handler.go_error(404, "Stream not found")
    else:
        handler.go_json({"clients": stream.clients, "stream_id": {}, "stat_url": stream.stat_url})


def _meikkun(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    if path != "/ace/status" or "id" in query or "infohash" in query:
        if path == "/ace/status" and not _one_stream_param(query):
            handler.go_error(400, "Invalid query parameters: provide exactly one of id or infohash")
        else:
            _acexy(handler, peer, path, query)
        return
    status: dict[str, object] = {
        "streams": len(peer.streams),
        "total_clients": sum(stream.clients for stream in peer.streams),
    }
    if peer.streams:
        status["active_streams"] = [
            {"id": s.id, "clients": s.clients}
            if s.id
            else {"id": "", "infohash": s.infohash, "clients": s.clients}
            for s in peer.streams
        ]
    handler.go_json(status)


def _krinkuto11(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    if path == "/ace/status":
        handler.go_json({"status": "ok"})
    else:
        handler.go_error(404, "404 page not found")


def _pyacexy(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    if path != "/ace/status":
        handler.answer(404, "text/plain; charset=utf-8", b"404: Not Found")
        return
    if not _one_stream_param(query):
        body: object = {"streams": len(peer.streams)}
    elif (stream := _find(peer, query)) is None:
        handler.answer(404, "text/plain; charset=utf-8", b"Stream not found")
        return
    else:
        stream_id = query.get("id") or query["infohash"]
        body = {"clients": stream.clients, "stream_id": stream_id, "stat_url": stream.stat_url}
    handler.answer(200, AIOHTTP_JSON, json.dumps(body).encode())  # aiohttp: json.dumps


def _old_acexy(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    handler.go_error(404, "404 page not found")


def _engine(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    if path == "/webui/api/service" and query.get("method") == "get_version":
        body: dict[str, object] = {"result": ENGINE_VERSION, "error": None}
    elif path.startswith("/ace/stat/"):
        infohash, _, session = path.removeprefix("/ace/stat/").partition("/")
        stat = peer.stats.get(infohash)
        body = (
            {"response": None, "error": "unknown playback session"}
            if stat is None
            else {"response": stat.response(infohash, session), "error": None}
        )
    else:
        body = {"result": None, "error": "unknown method"}
    handler.answer(200, ENGINE_JSON, json.dumps(body).encode())


def _engine_error(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    handler.answer(200, ENGINE_JSON, b'{"result": null, "error": "engine is starting"}')


def _html(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    page = b"<!DOCTYPE html>\n<html><head><title>Welcome</title></head><body>Hi</body></html>\n"
    handler.answer(200, "text/html; charset=utf-8", page)


def _huge(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    handler.send_response_only(200)
    handler.send_header("Content-Type", GO_JSON)
    handler.send_header("Content-Length", str(HUGE_BODY_BYTES))
    handler.end_headers()
    piece = b"9" * 65536
    for _ in range(HUGE_BODY_BYTES // len(piece)):
        handler.wfile.write(piece)


def _endless(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    handler.start_chunked()
    while not peer.stopping.is_set():
        handler.chunk(b"x" * 8192)
    handler.close_connection = True


def _trickle(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    handler.start_chunked()
    while not peer.stopping.wait(0.05):
        handler.chunk(b"x")
    handler.close_connection = True


def _hang(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    peer.stopping.wait()
    handler.close_connection = True


def _fixed(handler: _Handler, peer: FakePeer, path: str, query: dict[str, str]) -> None:
    status, content_type, body = peer.fixed_reply
    handler.answer(status, content_type, body)


_ROUTES: dict[Mode, Route] = {
    "acexy": _acexy,
    "acexy-meikkun": _meikkun,
    "acexy-krinkuto11": _krinkuto11,
    "pyacexy": _pyacexy,
    "acexy-0.1.1": _old_acexy,
    "engine": _engine,
    "engine-error": _engine_error,
    "html": _html,
    "huge": _huge,
    "endless": _endless,
    "trickle": _trickle,
    "hang": _hang,
    "fixed": _fixed,
}
