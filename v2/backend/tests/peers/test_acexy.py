import asyncio
import time

import httpx
import pytest

from app.peers.acexy import AcexyStatus, StreamDetail, check_acexy
from tests.fakes.http_peer import (
    AIOHTTP_JSON,
    GO_JSON,
    GO_TEXT,
    FakePeer,
    FakeStream,
    Mode,
    closed_port_url,
)

INFOHASH = "b" * 40
STREAMS = [FakeStream("a" * 40, "c" * 40, clients=2), FakeStream("", INFOHASH, clients=1)]


def check(base_url: str, *, timeout: float = 2.0, deadline_seconds: float = 5.0) -> AcexyStatus:
    async def run() -> AcexyStatus:
        async with httpx.AsyncClient(timeout=timeout) as client:
            return await check_acexy(client, base_url, deadline_seconds=deadline_seconds)

    return asyncio.run(run())


def status_url(peer: FakePeer) -> str:
    return f"{peer.base_url}/ace/status"


def test_upstream_count_is_the_number_of_streams(fake_peer: FakePeer) -> None:
    fake_peer.streams = STREAMS

    assert check(fake_peer.base_url) == AcexyStatus(reachable=True, count=2)
    assert fake_peer.requests == ["/ace/status"]


def test_upstream_with_nothing_playing_counts_zero(fake_peer: FakePeer) -> None:
    assert check(fake_peer.base_url) == AcexyStatus(reachable=True, count=0)


def test_trailing_slash_in_base_url_is_ignored(fake_peer: FakePeer) -> None:
    check(fake_peer.base_url + "/")

    assert fake_peer.requests == ["/ace/status"]


def test_meikkun_fork_gives_clients_and_each_stream(fake_peer: FakePeer) -> None:
    fake_peer.mode = "acexy-meikkun"
    fake_peer.streams = STREAMS

    assert check(fake_peer.base_url) == AcexyStatus(
        reachable=True,
        count=2,
        streams=(
            StreamDetail(id="a" * 40, infohash=None, clients=2),
            StreamDetail(id=None, infohash=INFOHASH, clients=1),
        ),
        total_clients=3,
    )


def test_meikkun_fork_idle(fake_peer: FakePeer) -> None:
    fake_peer.mode = "acexy-meikkun"

    assert check(fake_peer.base_url) == AcexyStatus(reachable=True, count=0, total_clients=0)


def test_pyacexy_json_with_charset(fake_peer: FakePeer) -> None:
    fake_peer.mode = "pyacexy"
    fake_peer.streams = STREAMS[:1]

    assert check(fake_peer.base_url) == AcexyStatus(reachable=True, count=1)


def test_plain_number_body_counts(fake_peer: FakePeer) -> None:
    fake_peer.set_reply(200, b"5")

    assert check(fake_peer.base_url) == AcexyStatus(reachable=True, count=5)


def test_acexy_before_0_1_2_is_reachable_without_count_and_says_upgrade(
    fake_peer: FakePeer,
) -> None:
    fake_peer.mode = "acexy-0.1.1"

    assert check(fake_peer.base_url) == AcexyStatus(
        reachable=True,
        count=None,
        error=f"acexy at {status_url(fake_peer)} has no /ace/status (acexy before 0.1.2); "
        "upgrade acexy to 0.1.2 or later to see the number of streams",
    )


def test_krinkuto11_fork_reports_no_count(fake_peer: FakePeer) -> None:
    fake_peer.mode = "acexy-krinkuto11"

    assert check(fake_peer.base_url) == AcexyStatus(
        reachable=True,
        count=None,
        error=f'acexy at {status_url(fake_peer)} reports no stream count (\'{{"status":"ok"}}\'); '
        "stateless forks such as krinkuto11/acexy do not count streams",
    )


def test_html_page_is_not_a_count(fake_peer: FakePeer) -> None:
    fake_peer.mode = "html"

    assert check(fake_peer.base_url) == AcexyStatus(
        reachable=True,
        count=None,
        error=f"acexy at {status_url(fake_peer)} sent something that is not a JSON status: "
        "'<!DOCTYPE html> <html><head><title>Welcome</title></head><body>Hi</body></html>'",
    )


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b'{"streams":-1}\n', "sent a stream count that is not a whole number of 0 or more: '-1'"),
        (
            b'{"streams":"3"}',
            "sent a stream count that is not a whole number of 0 or more: '\"3\"'",
        ),
        (b'{"streams":1.5}', "sent a stream count that is not a whole number of 0 or more: '1.5'"),
        (
            b'{"streams":true}',
            "sent a stream count that is not a whole number of 0 or more: 'true'",
        ),
        (
            b'{"streams":null}',
            "sent a stream count that is not a whole number of 0 or more: 'null'",
        ),
        (b"-2", "sent a stream count that is not a whole number of 0 or more: '-2'"),
        (b'{"clients":1}', "sent JSON without a 'streams' count: '{\"clients\":1}'"),
        (b"[1, 2]", "sent JSON that is not a status object: '[1, 2]'"),
        (b'"3"', "sent JSON that is not a status object: '\"3\"'"),
        (b"[" * 5000, "sent something that is not a JSON status: '" + "[" * 119 + "…'"),
        (b"\xff\xfe{", "sent something that is not a JSON status: '\ufffd\ufffd{'"),
        (b"", "sent something that is not a JSON status: ''"),
    ],
)
def test_invalid_counts_are_unknown_never_zero(
    fake_peer: FakePeer, body: bytes, problem: str
) -> None:
    fake_peer.set_reply(200, body, GO_JSON)

    assert check(fake_peer.base_url) == AcexyStatus(
        reachable=True, count=None, error=f"acexy at {status_url(fake_peer)} {problem}"
    )


def test_http_error_is_reported_once_without_retry(fake_peer: FakePeer) -> None:
    fake_peer.set_reply(503, b"Maximum connections reached, try again later\n")

    assert check(fake_peer.base_url) == AcexyStatus(
        reachable=True,
        count=None,
        error=f"acexy at {status_url(fake_peer)} answered HTTP 503: "
        "'Maximum connections reached, try again later'",
    )
    assert fake_peer.requests == ["/ace/status"]


@pytest.mark.parametrize("mode", ["huge", "endless"])
def test_oversized_body_is_cut_at_64_kib(fake_peer: FakePeer, mode: Mode) -> None:
    fake_peer.mode = mode

    assert check(fake_peer.base_url) == AcexyStatus(
        reachable=True,
        count=None,
        error=f"acexy at {status_url(fake_peer)} sent more than 64 KiB, which is not a status",
    )


def test_peer_that_never_answers_is_unreachable_after_the_client_timeout(
    fake_peer: FakePeer,
) -> None:
    fake_peer.mode = "hang"
    started = time.monotonic()

    result = check(fake_peer.base_url, timeout=0.5)

    assert result == AcexyStatus(
        reachable=False,
        count=None,
        error=f"acexy not reachable at {status_url(fake_peer)}: no answer within 0.5 s",
    )
    assert time.monotonic() - started < 2


def test_trickling_body_is_cut_off_by_the_deadline(fake_peer: FakePeer) -> None:
    fake_peer.mode = "trickle"

    assert check(fake_peer.base_url, deadline_seconds=0.3) == AcexyStatus(
        reachable=False,
        count=None,
        error=f"acexy not reachable at {status_url(fake_peer)}: no complete answer within 0.3 s",
    )


def test_connection_refused() -> None:
    base_url = closed_port_url()

    assert check(base_url) == AcexyStatus(
        reachable=False,
        count=None,
        error=f"acexy not reachable at {base_url}/ace/status: connection refused",
    )


def test_fake_per_stream_answers_match_each_acexy(fake_peer: FakePeer) -> None:
    """The fake's per-stream shapes, so later clients of them can trust it."""
    fake_peer.streams = STREAMS
    stat_url = f"http://127.0.0.1:6878/ace/stat/{'c' * 40}/{'0' * 40}"
    with httpx.Client(base_url=fake_peer.base_url) as client:
        known = client.get("/ace/status", params={"id": "a" * 40})
        unknown = client.get("/ace/status", params={"id": "nope"})
        both = client.get("/ace/status", params={"id": "", "infohash": ""})
        fake_peer.mode = "pyacexy"
        py_known = client.get("/ace/status", params={"id": "a" * 40})
        fake_peer.mode = "acexy-meikkun"
        meikkun_both = client.get("/ace/status", params={"id": "x", "infohash": "y"})

    assert (known.status_code, known.headers["content-type"]) == (200, GO_JSON)
    assert known.content == (
        b'{"clients":2,"stream_id":{},"stat_url":"' + stat_url.encode() + b'"}\n'
    )
    assert (unknown.status_code, unknown.headers["content-type"]) == (404, GO_TEXT)
    assert unknown.content == b"Stream not found\n"
    assert both.content == b'{"streams":2}\n'
    assert py_known.headers["content-type"] == AIOHTTP_JSON
    assert py_known.json() == {"clients": 2, "stream_id": "a" * 40, "stat_url": stat_url}
    assert meikkun_both.status_code == 400
