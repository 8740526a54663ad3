"""Fetching outside pages for the tasks: bounded in time, size and concurrency."""

import io
from typing import IO

import httpx

from app.utils.text_decoding import decode_text

USER_AGENT = "acestream-scraper/2 (+https://github.com/Pipepito/acestream-scraper)"
DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=5.0)
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A page could not be fetched; the message is the reason, for a person to read."""


def http_client() -> httpx.Client:
    return httpx.Client(
        timeout=DEFAULT_TIMEOUT,
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT},
    )


def download(
    client: httpx.Client,
    url: str,
    into: IO[bytes],
    *,
    max_bytes: int,
    headers: dict[str, str] | None = None,
) -> int:
    """Stream `url` into `into`, stopping at `max_bytes`; return the byte count. `headers`,
    when given, receives the response's headers (lower-case names).

    Raises FetchError for an HTTP error status, a network failure, or a body over the cap
    (read no further than the cap, so a hostile endless body costs nothing more).
    """
    size = 0
    try:
        with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}")
            if headers is not None:
                headers.update(response.headers)
            for chunk in response.iter_bytes():
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


def fetch_text(client: httpx.Client, url: str, *, max_bytes: int) -> str:
    """`url` decoded as text: by its BOM, HTTP charset, `<meta charset>` or XML declaration,
    else as UTF-8 when valid, else in the encoding detected (see `decode_text`)."""
    buffer, headers = io.BytesIO(), dict[str, str]()
    download(client, url, buffer, max_bytes=max_bytes, headers=headers)
    return decode_text(buffer.getvalue(), headers.get("content-type"))
