"""Clients for the peers the dashboard watches: acexy, the AceStream engine and warp-cli.

Each check makes one attempt and never raises; what went wrong comes back as a sentence in
the result's `error`. The HTTP checks share `fetch_capped` here, so both read at most
MAX_BODY_BYTES and give up after `total_timeout`.
"""

import asyncio
import socket
from dataclasses import dataclass

import httpx

MAX_BODY_BYTES = 64 * 1024
DEFAULT_TOTAL_TIMEOUT = 5.0


@dataclass(frozen=True)
class PeerReply:
    status_code: int
    body: bytes
    truncated: bool  # the peer sent more than MAX_BODY_BYTES; `body` holds the first ones


class PeerUnreachable(Exception):
    """No complete HTTP answer came back; the message says why in a few words."""


async def fetch_capped(client: httpx.AsyncClient, url: str, *, total_timeout: float) -> PeerReply:
    """GET `url` once and read at most MAX_BODY_BYTES of the body, then hang up.

    The client's own timeouts bound each network wait; `total_timeout` bounds the whole
    exchange, because a peer trickling a byte per read timeout would otherwise hold the
    call for hours. Raises PeerUnreachable for every transport failure.
    """
    try:
        async with asyncio.timeout(total_timeout), client.stream("GET", url) as response:
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    return PeerReply(response.status_code, bytes(body[:MAX_BODY_BYTES]), True)
            return PeerReply(response.status_code, bytes(body), False)
    except TimeoutError as exc:
        raise PeerUnreachable(f"no complete answer within {total_timeout:g} s") from exc
    except httpx.InvalidURL as exc:
        raise PeerUnreachable(f"invalid URL ({exc})") from exc
    except httpx.HTTPError as exc:
        raise PeerUnreachable(_describe(exc)) from exc


def snippet(data: bytes | str, limit: int = 120) -> str:
    """A short, quoted, single-line excerpt of what a peer sent, safe to put in a message."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


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
