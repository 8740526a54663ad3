"""A socketserver server serving from a daemon thread, as every fake here runs its server."""

import threading
from socketserver import BaseServer

# `serve_forever` looks at its shutdown flag only between waits of this length, so `stop()`
# waits up to this long; socketserver's default (0.5 s) cost every test with a fake that much.
SHUTDOWN_POLL_SECONDS = 0.02


class ServerThread:
    """Serves `server` from `start()` until `stop()`, which returns once it has closed."""

    def __init__(self, server: BaseServer) -> None:
        self.server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            daemon=True,
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()
