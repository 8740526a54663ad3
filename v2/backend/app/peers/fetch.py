"""One bounded HTTP GET for everything the service fetches from outside.

Two kinds of callers share it: the peers' status checks (`fetch_reply`, for `acexy.py` and
`engine.py`: a short reply read into memory whatever its status, cut at
MAX_PEER_REPLY_BYTES) and the tasks' downloads (`Fetcher`, for the scrape and the EPG
refresh: pages and guides streamed into a file, failing on an error status or past the
caller's cap).

Every exchange is bounded in time twice: by the client's connect and per-read timeouts (a
peer that goes silent), and by an overall deadline, because a peer trickling a byte every
few seconds never trips a per-read timeout and would hold its caller for hours. The body is
read no further than the cap, so a hostile endless body costs nothing more.

What goes wrong is one tree of exceptions, each message the reason, for a person to read:

    FetchError          nothing usable came back
    ├── Unreachable     no complete, final HTTP answer: refused, unknown host, timed out,
    │                   past the deadline, a broken answer, too many redirects
    ├── ErrorStatus     an HTTP error status (downloads; a status check reads the error body)
    └── TooLarge        a body over the cap (downloads; a status check gets it cut)
"""

import asyncio
import io
import socket
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from typing import IO

import httpx

from app.utils.cancel import CancelToken
from app.utils.text_decoding import decode_text

# What a peer may answer a status check; a status is a few hundred bytes.
MAX_PEER_REPLY_BYTES = 64 * 1024
USER_AGENT = "acestream-scraper/2 (+https://github.com/Pipepito/acestream-scraper)"
DOWNLOAD_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
MAX_REDIRECTS = 5


@cache
def tls_context() -> ssl.SSLContext:
    """The TLS settings every client shares (httpx's defaults, certifi's CA bundle).

    Built once: a client built without it loads the CA bundle again, ~27 ms of CPU each
    time, and the status check builds a client every 15 s (1.3 ms with this one shared).
    """
    return httpx.create_ssl_context()


class FetchError(Exception):
    """Nothing usable came back; the message is the reason, for a person to read."""


class Unreachable(FetchError):
    """No complete, final HTTP answer came back (network failure, timeout, deadline)."""


class ErrorStatus(FetchError):
    """The answer was an HTTP error status (400 or more)."""


class TooLarge(FetchError):
    """The body went past the cap; no more of it was read."""


@dataclass(frozen=True)
class PeerReply:
    status_code: int
    body: bytes
    truncated: bool  # the peer sent more than MAX_PEER_REPLY_BYTES; `body` holds the first ones


async def fetch_reply(client: httpx.AsyncClient, url: str, *, deadline_seconds: float) -> PeerReply:
    """GET `url` once for a status check: its status and at most MAX_PEER_REPLY_BYTES of its
    body, whatever the status (an error page says what answers on the port).

    The client's own timeouts bound each network wait, `deadline_seconds` the whole
    exchange. Raises Unreachable for every transport failure, never another error.
    """
    async with _bounded_get(client, url, deadline_seconds=deadline_seconds) as response:
        body = io.BytesIO()
        truncated = await _copy_body(response, body, max_bytes=MAX_PEER_REPLY_BYTES)
        return PeerReply(response.status_code, body.getvalue(), truncated)


class Fetcher:
    """The tasks' downloads, each within `deadline_seconds` (FETCH_DEADLINE_SECONDS) from
    start to end.

    A download runs on an event loop of its own so that the deadline and the run's
    cancellation end it at once, whatever it waits for (DNS, connect, headers or body); a
    blocking socket read could not be interrupted from another thread.
    """

    def __init__(self, *, deadline_seconds: float) -> None:
        self._deadline = deadline_seconds

    def download(
        self,
        url: str,
        into: IO[bytes],
        *,
        max_bytes: int,
        cancel: CancelToken,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Stream `url` into `into`, at most `max_bytes` of it. `headers`, when given,
        receives the response's headers (lower-case names).

        Raises ErrorStatus for an HTTP error status (its body is not read), TooLarge for a
        body over the cap, Unreachable for a network failure or the deadline passing;
        Interrupted as soon as `cancel` is set.
        """
        cancel.raise_if_cancelled()
        asyncio.run(self._download(url, into, max_bytes=max_bytes, cancel=cancel, headers=headers))

    def fetch_text(self, url: str, *, max_bytes: int, cancel: CancelToken) -> str:
        """`url` decoded as text: by its BOM, HTTP charset, `<meta charset>` or XML declaration,
        else as UTF-8 when valid, else in the encoding detected (see `decode_text`); raises as
        `download`."""
        buffer, headers = io.BytesIO(), dict[str, str]()
        self.download(url, buffer, max_bytes=max_bytes, cancel=cancel, headers=headers)
        return decode_text(buffer.getvalue(), headers.get("content-type"))

    async def _download(
        self,
        url: str,
        into: IO[bytes],
        *,
        max_bytes: int,
        cancel: CancelToken,
        headers: dict[str, str] | None,
    ) -> None:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        try:
            with cancel.on_cancel(lambda: loop.call_soon_threadsafe(task.cancel)):
                await self._stream(url, into, max_bytes=max_bytes, headers=headers)
        except asyncio.CancelledError:
            cancel.raise_if_cancelled()
            raise

    async def _stream(
        self, url: str, into: IO[bytes], *, max_bytes: int, headers: dict[str, str] | None
    ) -> None:
        async with (
            httpx.AsyncClient(
                verify=tls_context(),
                timeout=DOWNLOAD_TIMEOUT,
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                headers={"User-Agent": USER_AGENT},
            ) as client,
            _bounded_get(
                client,
                url,
                deadline_seconds=self._deadline,
                deadline_setting="FETCH_DEADLINE_SECONDS",
            ) as response,
        ):
            if response.status_code >= 400:
                raise ErrorStatus(f"HTTP {response.status_code} {response.reason_phrase}")
            if headers is not None:
                headers.update(response.headers)
            if await _copy_body(response, into, max_bytes=max_bytes):
                raise TooLarge(f"larger than the {max_bytes // 1_000_000} MB limit")


@asynccontextmanager
async def _bounded_get(
    client: httpx.AsyncClient,
    url: str,
    *,
    deadline_seconds: float,
    deadline_setting: str | None = None,
) -> AsyncIterator[httpx.Response]:
    """The response to one GET of `url`, once its headers are in; the whole exchange, body
    included, must end within `deadline_seconds` (`deadline_setting` names the setting
    that chose it, in the message). Every transport failure becomes Unreachable."""
    try:
        async with asyncio.timeout(deadline_seconds), client.stream("GET", url) as response:
            yield response
    except TimeoutError as exc:
        setting = f" ({deadline_setting})" if deadline_setting else ""
        raise Unreachable(f"no complete answer within {deadline_seconds:g} s{setting}") from exc
    except httpx.InvalidURL as exc:
        raise Unreachable(f"invalid URL ({exc})") from exc
    except httpx.TooManyRedirects as exc:
        raise Unreachable(f"more than {client.max_redirects} redirects") from exc
    except httpx.HTTPError as exc:
        raise Unreachable(_describe(exc)) from exc


async def _copy_body(response: httpx.Response, into: IO[bytes], *, max_bytes: int) -> bool:
    """Copy the body into `into`, at most `max_bytes` of it; True when there was more (the
    rest is left unread: leaving the response hangs up)."""
    size = 0
    async for chunk in response.aiter_bytes():
        room = max_bytes - size
        into.write(chunk[:room])
        size += len(chunk)
        if size > max_bytes:
            return True
    return False


_TIMEOUT_PHASES: dict[type[httpx.TimeoutException], tuple[str, str]] = {
    httpx.ConnectTimeout: ("connect", "could not connect"),
    httpx.ReadTimeout: ("read", "no answer"),
    httpx.WriteTimeout: ("write", "could not send the request"),
    httpx.PoolTimeout: ("pool", "no free connection"),
}


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        key, what = _TIMEOUT_PHASES.get(type(exc), ("read", "timed out"))
        seconds = exc.request.extensions.get("timeout", {}).get(key)
        return f"{what} within {seconds:g} s" if isinstance(seconds, int | float) else what
    if isinstance(exc, httpx.ConnectError):
        # anyio raises "All connection attempts failed" from the ConnectionRefusedError.
        for cause in _causes(exc):
            if isinstance(cause, ConnectionRefusedError):
                return "connection refused"
            if isinstance(cause, socket.gaierror):
                return f"unknown host ({cause.strerror})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken HTTP answer ({exc})"
    return str(exc) or type(exc).__name__


def _causes(exc: BaseException) -> list[BaseException]:
    """`exc` and the exceptions it was raised from, innermost last (cycles cut)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain
