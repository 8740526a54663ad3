"""How many streams acexy is serving, from its `GET /ace/status` (acexy 0.1.2 and later).

Understood answers, as read in the sources of Javinator9889/acexy and its forks: upstream
and lucio-modrono `{"streams":N}`, pyacexy (the same with `application/json;
charset=utf-8`), the Meikkun fork (adds `total_clients` and per-stream `active_streams`) and
a bare number, which older consumers also accept. acexy before 0.1.2 and the stateless
krinkuto11 fork answer without a count; that is reported in `error`, never as zero streams.
"""

import json
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

import httpx

from app.peers import snippet
from app.peers.fetch import PeerReply, Unreachable, fetch_reply
from app.peers.replies import ReplyProblem, json_of

_GO_NOT_FOUND = b"404 page not found"


@dataclass(frozen=True)
class StreamDetail:
    """One entry of a fork's `active_streams`; `id` is None for a stream started by infohash."""

    id: str | None
    infohash: str | None
    clients: int | None


@dataclass(frozen=True)
class AcexyStatus:
    """`reachable`: acexy sent a complete HTTP answer. `count` is None whenever it is unknown."""

    reachable: bool
    count: int | None
    streams: tuple[StreamDetail, ...] = ()
    total_clients: int | None = None
    error: str | None = None


StreamState = Literal["playing", "not_playing", "unknown"]
_STREAM_NOT_FOUND = b"Stream not found"


@dataclass(frozen=True)
class StreamCheck:
    """One stream as acexy sees it: "playing" (with its `clients` and the engine's
    `stat_url` when given), "not_playing" (acexy's 404 "Stream not found") or "unknown"
    (acexy unreachable or its answer not understood; `error` says which). Unknown is never
    taken for not playing."""

    state: StreamState
    clients: int | None = None
    stat_url: str | None = None
    error: str | None = None


async def check_stream(
    client: httpx.AsyncClient,
    base_url: str,
    key: tuple[str, str],
    *,
    deadline_seconds: float,
) -> StreamCheck:
    """Ask acexy once about one stream, `GET /ace/status?id=` (or `infohash=` for a key of
    kind "infohash"; `key` is (40-hex id, "content_id" or "infohash")); never raises.

    Understands upstream's `{"clients":K,"stream_id":{},"stat_url":"..."}` and pyacexy's
    (`stream_id` a string).
    """
    value, kind = key
    query = urlencode({"infohash" if kind == "infohash" else "id": value})
    url = f"{base_url.rstrip('/')}/ace/status?{query}"
    try:
        reply = await fetch_reply(client, url, deadline_seconds=deadline_seconds)
    except Unreachable as exc:
        return StreamCheck("unknown", error=f"acexy not reachable at {url}: {exc}")
    return _read_stream(url, reply)


def _read_stream(url: str, reply: PeerReply) -> StreamCheck:
    def unknown(problem: str) -> StreamCheck:
        return StreamCheck("unknown", error=f"acexy at {url} {problem}")

    if reply.status_code == 404 and reply.body.strip() == _STREAM_NOT_FOUND:
        return StreamCheck("not_playing")
    try:
        data = json_of(reply, what="a status", json_name="a JSON status")
    except ReplyProblem as problem:
        return unknown(str(problem))
    if not isinstance(data, dict) or _count(data.get("clients")) is None:
        return unknown(f"sent no stream status: {snippet(reply.body)}")
    return StreamCheck(
        "playing", clients=_count(data["clients"]), stat_url=_text(data.get("stat_url"))
    )


async def check_acexy(
    client: httpx.AsyncClient, base_url: str, *, deadline_seconds: float
) -> AcexyStatus:
    """Ask acexy once for its global status; never raises.

    Unreachable (refused, timed out, broken answer): reachable=False. Any HTTP answer:
    reachable=True, with `count` set only when the answer holds a valid count (a whole
    number, not negative); otherwise `error` says what came back and, when it is a known
    acexy version or fork, what to do about it.
    """
    url = f"{base_url.rstrip('/')}/ace/status"
    try:
        reply = await fetch_reply(client, url, deadline_seconds=deadline_seconds)
    except Unreachable as exc:
        return AcexyStatus(
            reachable=False, count=None, error=f"acexy not reachable at {url}: {exc}"
        )
    return _read_status(url, reply)


def _read_status(url: str, reply: PeerReply) -> AcexyStatus:
    def no_count(problem: str) -> AcexyStatus:
        return AcexyStatus(reachable=True, count=None, error=f"acexy at {url} {problem}")

    if reply.status_code == 404 and reply.body.strip() == _GO_NOT_FOUND:
        return no_count(
            "has no /ace/status (acexy before 0.1.2); upgrade acexy to 0.1.2 or later "
            "to see the number of streams"
        )
    try:
        data = json_of(reply, what="a status", json_name="a JSON status")
    except ReplyProblem as problem:
        return no_count(str(problem))
    if isinstance(data, dict):
        if "streams" not in data:
            if "status" in data:
                return no_count(
                    f"reports no stream count ({snippet(reply.body)}); stateless forks "
                    "such as krinkuto11/acexy do not count streams"
                )
            return no_count(f"sent JSON without a 'streams' count: {snippet(reply.body)}")
        raw_count = data["streams"]
    elif _is_int(data):
        raw_count = data
    else:
        return no_count(f"sent JSON that is not a status object: {snippet(reply.body)}")
    count = _count(raw_count)
    if count is None:
        return no_count(
            f"sent a stream count that is not a whole number of 0 or more: "
            f"{snippet(json.dumps(raw_count))}"
        )
    if not isinstance(data, dict):
        return AcexyStatus(reachable=True, count=count)
    return AcexyStatus(
        reachable=True,
        count=count,
        streams=_stream_details(data.get("active_streams")),
        total_clients=_count(data.get("total_clients")),
    )


def _stream_details(entries: Any) -> tuple[StreamDetail, ...]:
    """Meikkun's `active_streams`; entries of another shape are skipped, not fatal."""
    if not isinstance(entries, list):
        return ()
    return tuple(
        StreamDetail(
            id=_text(entry.get("id")),
            infohash=_text(entry.get("infohash")),
            clients=_count(entry.get("clients")),
        )
        for entry in entries
        if isinstance(entry, dict)
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any) -> int | None:
    return value if _is_int(value) and value >= 0 else None
