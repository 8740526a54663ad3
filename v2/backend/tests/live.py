"""The real service on a loopback port (uvicorn in a thread), for clients that need a socket:
Prometheus scraping it, a browser loading the page, event streams read as they come."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

import uvicorn

from app.core.config import Settings
from app.core.server import HeadLimitedHttpToolsProtocol, Server
from app.main import create_app, end_streams


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass(frozen=True)
class LiveService:
    url: str
    server: Server
    thread: threading.Thread

    def stop(self, timeout: float | None = None) -> bool:
        """Stop the server as a signal would; True once it has stopped within `timeout`."""
        self.server.should_exit = True
        self.thread.join(timeout)
        return not self.thread.is_alive()


@contextmanager
def serve(settings: Settings, *, log_level: str = "warning") -> Iterator[LiveService]:
    """Serve `create_app(settings)` until the block ends (or `stop()`).

    uvicorn sets `started` once its lifespan has run and the socket listens, so the
    caller can use the URL at once.
    """
    port = free_port()
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level=log_level,
        lifespan="on",
        http=HeadLimitedHttpToolsProtocol,  # as `python -m app` serves it
    )
    server = Server(config, before_stopping=partial(end_streams, app))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    service = LiveService(f"http://127.0.0.1:{port}", server, thread)
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the service failed to start; see the log above")
            thread.join(0.05)
        yield service
    finally:
        service.stop()


@contextmanager
def serve_app(settings: Settings, *, log_level: str = "warning") -> Iterator[str]:
    """`serve`, yielding only the base URL."""
    with serve(settings, log_level=log_level) as service:
        yield service.url
