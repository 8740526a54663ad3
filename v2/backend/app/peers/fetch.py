"""Fetching outside pages for the tasks: bounded in time, size and concurrency.

A fetch is bounded three ways in time: httpx's connect and per-read timeouts (a source that
goes silent), and an overall deadline (FETCH_DEADLINE_SECONDS), because a source trickling a
byte every few seconds never trips a per-read timeout and would hold its task for hours. The
exchange runs on an event loop of its own so that the deadline and the run's cancellation end
it at once, whatever it waits for (DNS, connect, headers or body) — a blocking socket read
could not be interrupted from another thread.
"""

import asyncio
import io
from typing import IO

import httpx

from app.utils.cancel import CancelToken
from app.utils.text_decoding import decode_text

USER_AGENT = "acestream-scraper/2 (+https://github.com/Pipepito/acestream-scraper)"
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A page could not be fetched; the message is the reason, for a person to read."""


class Fetcher:
    """Fetches for the tasks, each within `deadline_seconds` from start to end."""

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
    ) -> int:
        """Stream `url` into `into`, stopping at `max_bytes`; return the byte count. `headers`,
        when given, receives the response's headers (lower-case names).

        Raises FetchError for an HTTP error status, a network failure, a body over the cap
        (read no further than the cap, so a hostile endless body costs nothing more) or the
        deadline passing; Interrupted as soon as `cancel` is set.
        """
        cancel.raise_if_cancelled()
        return asyncio.run(
            self._download(url, into, max_bytes=max_bytes, cancel=cancel, headers=headers)
        )

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
    ) -> int:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        try:
            with cancel.on_cancel(lambda: loop.call_soon_threadsafe(task.cancel)):
                async with asyncio.timeout(self._deadline):
                    return await _stream(url, into, max_bytes=max_bytes, headers=headers)
        except asyncio.CancelledError:
            cancel.raise_if_cancelled()
            raise
        except TimeoutError:
            raise FetchError(
                f"no complete answer within {self._deadline:g} s (FETCH_DEADLINE_SECONDS)"
            ) from None


async def _stream(
    url: str, into: IO[bytes], *, max_bytes: int, headers: dict[str, str] | None
) -> int:
    size = 0
    try:
        async with (
            httpx.AsyncClient(
                timeout=DEFAULT_TIMEOUT,
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                headers={"User-Agent": USER_AGENT},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
            if headers is not None:
                headers.update(response.headers)
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"larger than the {max_bytes // 1_000_000} MB limit")
                into.write(chunk)
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.TimeoutException:
        raise FetchError("timed out") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from None
    return size
