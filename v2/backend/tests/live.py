"""The real service on a loopback port (uvicorn in a thread), for clients that need a socket:
Prometheus scraping it, a browser loading the page."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from app.core.config import Settings
from app.core.server import HeadLimitedHttpToolsProtocol
from app.main import create_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def serve_app(settings: Settings, *, log_level: str = "warning") -> Iterator[str]:
    """Serve `create_app(settings)` until the block ends; yields its base URL.

    uvicorn sets `started` once its lifespan has run and the socket listens, so the
    caller can use the URL at once.
    """
    port = free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        log_level=log_level,
        lifespan="on",
        http=HeadLimitedHttpToolsProtocol,  # as `python -m app` serves it
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the service failed to start; see the log above")
            thread.join(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
