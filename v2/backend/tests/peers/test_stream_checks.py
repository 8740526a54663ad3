"""One stream through acexy (`check_stream`) and its stat through the engine (`read_stat`),
against the fake peers on loopback."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from app.peers.acexy import StreamCheck, check_stream
from app.peers.engine import StreamStat, read_stat
from tests.fakes.http_peer import (
    GO_JSON,
    FakePeer,
    FakeStat,
    FakeStream,
    closed_port_url,
    serve_fake_peer,
)

ID = "a" * 40
HASH = "b" * 40


@pytest.fixture
def engine() -> Iterator[FakePeer]:
    with serve_fake_peer("engine") as peer:
        yield peer


def ask(base_url: str, key: tuple[str, str]) -> StreamCheck:
    async def run() -> StreamCheck:
        async with httpx.AsyncClient(timeout=2.0) as client:
            return await check_stream(client, base_url, key, deadline_seconds=5.0)

    return asyncio.run(run())


def stat(url: str) -> StreamStat:
    async def run() -> StreamStat:
        async with httpx.AsyncClient(timeout=2.0) as client:
            return await read_stat(client, url, deadline_seconds=5.0)

    return asyncio.run(run())


@pytest.mark.parametrize("mode", ["acexy", "pyacexy"])
def test_a_playing_stream_gives_its_clients_and_stat_url(
    fake_peer: FakePeer, engine: FakePeer, mode: str
) -> None:
    fake_peer.mode = mode  # type: ignore[assignment]
    stream = FakeStream(ID, HASH, clients=3, engine_url=engine.base_url)
    fake_peer.streams = [stream]

    assert ask(fake_peer.base_url, (ID, "content_id")) == StreamCheck(
        "playing", clients=3, stat_url=f"{engine.base_url}/ace/stat/{HASH}/{'0' * 40}"
    )
    assert ask(fake_peer.base_url, (HASH, "infohash")).state == "playing"
    assert fake_peer.requests == [f"/ace/status?id={ID}", f"/ace/status?infohash={HASH}"]


@pytest.mark.parametrize("mode", ["acexy", "pyacexy"])
def test_a_stream_acexy_does_not_have_is_not_playing(fake_peer: FakePeer, mode: str) -> None:
    fake_peer.mode = mode  # type: ignore[assignment]

    assert ask(fake_peer.base_url, (ID, "content_id")) == StreamCheck("not_playing")


@pytest.mark.parametrize(
    ("status", "body", "problem"),
    [
        (200, b"<html>hi</html>", "not a JSON status"),
        (200, b'{"streams":1}', "sent no stream status"),
        (200, b'{"clients":-1,"stat_url":"http://e/"}', "sent no stream status"),
        (500, b"Failed to start stream", "answered HTTP 500"),
        (404, b"404 page not found\n", "answered HTTP 404"),
    ],
)
def test_garbage_is_unknown_never_not_playing(
    fake_peer: FakePeer, status: int, body: bytes, problem: str
) -> None:
    fake_peer.set_reply(status, body, GO_JSON)

    check = ask(fake_peer.base_url, (ID, "content_id"))

    assert check.state == "unknown"
    assert check.error is not None
    assert problem in check.error


def test_a_truncated_answer_is_unknown(fake_peer: FakePeer) -> None:
    fake_peer.mode = "huge"

    check = ask(fake_peer.base_url, (ID, "content_id"))

    assert check.state == "unknown"
    assert check.error is not None
    assert "more than 64 KiB" in check.error


def test_unreachable_acexy_is_unknown() -> None:
    check = ask(closed_port_url(), (ID, "content_id"))

    assert check.state == "unknown"
    assert check.error is not None
    assert "connection refused" in check.error


def test_a_stat_gives_the_engine_s_figures(engine: FakePeer) -> None:
    engine.stats[HASH] = FakeStat(peers=5, speed_down=640, speed_up=12)
    stream = FakeStream(ID, HASH, clients=1, engine_url=engine.base_url)

    assert stat(stream.stat_url) == StreamStat(
        status="dl",
        peers=5,
        speed_down=640,
        speed_up=12,
        downloaded=104_857_600,
        uploaded=12_582_912,
    )


def test_an_idle_stat_is_valid_with_its_figures_unknown(engine: FakePeer) -> None:
    engine.stats[HASH] = FakeStat(idle=True)

    assert stat(FakeStream(ID, HASH, 1, engine_url=engine.base_url).stat_url) == StreamStat(
        status="idle"
    )


def test_an_unknown_session_is_the_engine_s_error(engine: FakePeer) -> None:
    result = stat(FakeStream(ID, HASH, 1, engine_url=engine.base_url).stat_url)

    assert result.error is not None
    assert "reported an error: 'unknown playback session'" in result.error
    assert result.peers is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://engine/ace/stat/x", "javascript:1"])
def test_a_stat_url_that_is_not_http_is_not_followed(url: str) -> None:
    result = stat(url)

    assert result.error is not None

    assert "is not an http(s) URL" in result.error


def test_an_unreachable_engine_gives_an_error() -> None:
    result = stat(f"{closed_port_url()}/ace/stat/{HASH}/0")

    assert result.error is not None

    assert "not reachable" in result.error


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<html>busy</html>", "not JSON"),
        (b'["dl"]', "not an object"),
        (b'{"response": "ok", "error": null}', "sent no stat"),
    ],
)
def test_a_stat_that_is_not_one_gives_an_error(
    fake_peer: FakePeer, body: bytes, problem: str
) -> None:
    fake_peer.set_reply(200, body, GO_JSON)

    result = stat(f"{fake_peer.base_url}/ace/stat/{HASH}/0")

    assert result.error is not None
    assert problem in result.error
