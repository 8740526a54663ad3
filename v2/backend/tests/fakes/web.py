"""A small real web server on loopback serving pages the tests choose, per path.

    with serve_pages({"/list.m3u": Page(body=b"#EXTM3U...")}) as site:
        url = site.url("/list.m3u")

A page with `hold` set waits on that event before answering, so a test can keep a task
busy for exactly as long as it needs (stopping the server releases every held page); its
`requested` event tells the test that the task got that far.
"""

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.fakes.server_thread import ServerThread


@dataclass
class Page:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    hold: threading.Event | None = None
    requests: int = field(default=0)
    headers: dict[str, str] = field(default_factory=dict)
    requested: threading.Event = field(default_factory=threading.Event)


class Site:
    def __init__(self, pages: Mapping[str, Page]) -> None:
        self.pages = dict(pages)
        self._stopping = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = site.pages.get(self.path)
                if page is None:
                    page = Page(body=b"not found", status=404, content_type="text/plain")
                page.requests += 1
                page.requested.set()
                if page.hold is not None:
                    while not (page.hold.wait(0.05) or site._stopping.is_set()):
                        pass
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                for name, value in page.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._serving = ServerThread(self._server)

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def start(self) -> None:
        self._serving.start()

    def stop(self) -> None:
        self._stopping.set()
        self._serving.stop()


@contextmanager
def serve_pages(pages: Mapping[str, Page]) -> Iterator[Site]:
    site = Site(pages)
    site.start()
    try:
        yield site
    finally:
        site.stop()
