"""The HTTP server side of the service: uvicorn's server, told to end endless answers when it
stops and to freeze its start-up objects, and its httptools protocol with a cap on request heads.

httptools (llhttp) puts no limit on a request's line and headers, and uvicorn sets none for
it (its `h11_max_incomplete_event_size` is for h11 only): a client whose headers never end
grew the process by about 20 MB per connection. Counting the bytes of an unfinished head in
`data_received` bounds that at MAX_HEAD_BYTES plus one read, whatever the header layout.
"""

import gc
import logging
import socket
from collections.abc import Awaitable, Callable

import uvicorn
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

# Generous next to common servers (nginx 32 KiB, Node 16 KiB): cookies of other apps on the
# same LAN host reach this service too (cookies ignore ports).
MAX_HEAD_BYTES = 64 * 1024

logger = logging.getLogger(__name__)


class HeadLimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, answering 431 and closing once a head outgrows the cap.

    A read counts towards the current head only when that head was still open after it and
    no request finished inside it: then every byte of the read belongs to the head, so a
    pipelined request's body is never mistaken for header bytes. A head that began within
    such a mixed read is counted from the next read on.
    """

    max_head_bytes = MAX_HEAD_BYTES
    _head_open = False
    _head_bytes = 0
    _finished_in_read = False

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_open = True
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        self._head_open = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._finished_in_read = True
        super().on_message_complete()

    def data_received(self, data: bytes) -> None:
        self._finished_in_read = False
        super().data_received(data)
        if not self._head_open or self._finished_in_read or self.transport.is_closing():
            return
        self._head_bytes += len(data)
        if self._head_bytes > self.max_head_bytes:
            self._refuse_head()

    def _refuse_head(self) -> None:
        logger.warning(
            "Request head over %d bytes from %s; answered 431", self.max_head_bytes, self.client
        )
        body = f"Request header fields too large: at most {self.max_head_bytes // 1024} KiB"
        head = [STATUS_LINE[431]]
        for name, value in self.server_state.default_headers:
            head.extend([name, b": ", value, b"\r\n"])
        head.extend(
            [
                b"content-type: text/plain; charset=utf-8\r\n",
                b"content-length: %d\r\n" % len(body),
                b"connection: close\r\n\r\n",
                body.encode(),
            ]
        )
        self.transport.write(b"".join(head))
        self.transport.close()


class Server(uvicorn.Server):
    """uvicorn's server, which calls `before_stopping` before it waits for open answers.

    On a stop uvicorn closes idle connections, then waits for every open answer to finish
    before it runs the app's lifespan shutdown: an endless answer (an event stream) would
    keep it waiting for ever. `before_stopping` is where the app ends them.

    Once the app has started, the objects built so far live as long as the process serves:
    `gc.freeze()` moves them out of the collector's reach, which cut full-collection pauses
    under load from ~100 ms to ~11 ms (docs/performance.md, load). It is done here, once per
    serving process, not in the app's lifespan: the full collection before it takes a few
    hundred milliseconds in a big process, and the tests start an app for nearly every test.
    """

    def __init__(
        self, config: uvicorn.Config, *, before_stopping: Callable[[], Awaitable[None]]
    ) -> None:
        super().__init__(config)
        self._before_stopping = before_stopping

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        gc.collect()
        gc.freeze()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await self._before_stopping()
        await super().shutdown(sockets)
        # Hand the frozen objects back to the collector: a process that serves again (the
        # tests do) would otherwise keep each old app's cycles for good.
        gc.unfreeze()
