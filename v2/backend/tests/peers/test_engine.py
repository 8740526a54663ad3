import asyncio

import httpx
import pytest

from app.peers.engine import EngineStatus, check_engine
from tests.fakes.http_peer import FakePeer, closed_port_url

VERSION_PATH = "/webui/api/service?method=get_version"


def check(base_url: str, *, timeout: float = 2.0) -> EngineStatus:
    async def run() -> EngineStatus:
        async with httpx.AsyncClient(timeout=timeout) as client:
            return await check_engine(client, base_url, deadline_seconds=5.0)

    return asyncio.run(run())


def version_url(peer: FakePeer) -> str:
    return peer.base_url + VERSION_PATH


def test_version_answer_makes_a_healthy_engine(fake_peer: FakePeer) -> None:
    fake_peer.mode = "engine"

    result = check(fake_peer.base_url)

    assert result == EngineStatus(reachable=True, version="3.1.49", platform="linux", code=3014900)
    assert result.healthy
    assert fake_peer.requests == [VERSION_PATH]


def test_engine_error_field_is_reachable_but_unhealthy(fake_peer: FakePeer) -> None:
    fake_peer.mode = "engine-error"

    result = check(fake_peer.base_url)

    assert result == EngineStatus(
        reachable=True,
        error=f"AceStream engine at {version_url(fake_peer)} reported an error: "
        "'engine is starting'",
    )
    assert not result.healthy


def test_version_without_platform_or_code_is_still_healthy(fake_peer: FakePeer) -> None:
    fake_peer.set_reply(200, b'{"result": {"version": "3.2.3"}, "error": null}', "application/json")

    assert check(fake_peer.base_url) == EngineStatus(reachable=True, version="3.2.3")


@pytest.mark.parametrize(
    ("status", "body", "problem"),
    [
        (
            200,
            b"<html>Not an engine</html>",
            "sent something that is not JSON: '<html>Not an engine</html>'",
        ),
        (200, b"[]", "sent JSON that is not an object: '[]'"),
        (
            200,
            b'{"result": {"code": 1}, "error": null}',
            'sent no version: \'{"result": {"code": 1}, "error": null}\'',
        ),
        (200, b'{"result": {"version": 3}}', 'sent no version: \'{"result": {"version": 3}}\''),
        (200, b'{"result": null, "error": {"code": 5}}', "reported an error: '{\"code\": 5}'"),
        (500, b"Internal Server Error", "answered HTTP 500: 'Internal Server Error'"),
    ],
)
def test_garbage_answer_is_reachable_but_unhealthy(
    fake_peer: FakePeer, status: int, body: bytes, problem: str
) -> None:
    fake_peer.set_reply(status, body, "application/json")

    result = check(fake_peer.base_url)

    assert result == EngineStatus(
        reachable=True, error=f"AceStream engine at {version_url(fake_peer)} {problem}"
    )
    assert not result.healthy


def test_oversized_answer_is_cut_at_64_kib(fake_peer: FakePeer) -> None:
    fake_peer.mode = "endless"

    assert check(fake_peer.base_url) == EngineStatus(
        reachable=True,
        error=f"AceStream engine at {version_url(fake_peer)} sent more than 64 KiB, "
        "which is not a version",
    )


def test_engine_that_never_answers_is_unreachable(fake_peer: FakePeer) -> None:
    fake_peer.mode = "hang"

    assert check(fake_peer.base_url, timeout=0.5) == EngineStatus(
        reachable=False,
        error=f"AceStream engine not reachable at {version_url(fake_peer)}: no answer within 0.5 s",
    )


def test_connection_refused_is_unreachable() -> None:
    base_url = closed_port_url()

    result = check(base_url)

    assert result == EngineStatus(
        reachable=False,
        error=f"AceStream engine not reachable at {base_url}{VERSION_PATH}: connection refused",
    )
    assert not result.healthy
