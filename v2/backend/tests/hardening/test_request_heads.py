"""A request head that never ends is cut off at a bounded size, against the real server."""

import socket
from collections.abc import Iterator

import httpx
import pytest

from app.core.server import MAX_HEAD_BYTES
from tests.conftest import build_test_settings
from tests.live import serve_app

REQUEST_LINE = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("heads")
    with serve_app(build_test_settings(f"sqlite:///{data_dir / 'app.db'}", data_dir)) as url:
        yield url


def _exchange(url: str, request: bytes) -> bytes:
    """Send `request` on a fresh connection and read until the server closes it."""
    host, port = url.removeprefix("http://").split(":")
    # The timeout only turns a server that never answers into a failure.
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def _padding(size: int) -> bytes:
    """Header lines adding up to exactly `size` bytes."""
    lines = []
    while size > 0:
        value = min(size, 4096) - len(b"X-Pad: \r\n")
        lines.append(b"X-Pad: " + b"a" * max(value, 0) + b"\r\n")
        size -= len(lines[-1])
    return b"".join(lines)


def test_a_head_that_never_ends_is_answered_431_and_the_server_serves_others(
    live_url: str,
) -> None:
    # One byte past the cap and no blank line: a head that would go on for ever.
    endless = REQUEST_LINE + _padding(MAX_HEAD_BYTES + 1 - len(REQUEST_LINE))

    answer = _exchange(live_url, endless)

    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert b"\r\nconnection: close\r\n" in answer
    assert answer.endswith(b"Request header fields too large: at most 64 KiB")
    assert httpx.get(f"{live_url}/healthz").status_code == 200


def test_a_large_head_under_the_cap_is_served(live_url: str) -> None:
    head = REQUEST_LINE + b"Connection: close\r\n"
    request = head + _padding(MAX_HEAD_BYTES - 4096 - len(head)) + b"\r\n"

    answer = _exchange(live_url, request)

    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
