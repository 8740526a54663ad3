"""Whether the AceStream engine is up, from `GET /webui/api/service?method=get_version`, and
how one of its streams does, from the stream's `stat_url`.

The engine answers `{"result": {"code": 3014900, "platform": "linux", "version": "3.1.49"},
"error": null}`; Docker healthchecks of engine images use the same call. A stat answers
`{"response": {"status": "dl", "peers": 17, "speed_down": 812, ...}, "error": null}`.
"""

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.peers import snippet
from app.peers.fetch import PeerReply, Unreachable, fetch_reply
from app.peers.replies import ReplyProblem, json_of


@dataclass(frozen=True)
class EngineStatus:
    """`reachable`: the engine's HTTP server answered, so its process is up.

    `healthy` additionally needs a well-formed version answer: an HTTP error, an `error`
    from the engine or garbage means something answers on the port but it is not a working
    engine, so `version` is None and `error` says what came back.
    """

    reachable: bool
    version: str | None = None
    platform: str | None = None
    code: int | None = None
    error: str | None = None

    @property
    def healthy(self) -> bool:
        return self.version is not None


async def check_engine(
    client: httpx.AsyncClient, base_url: str, *, deadline_seconds: float
) -> EngineStatus:
    """Ask the engine once for its version; never raises (see EngineStatus for the fields)."""
    url = f"{base_url.rstrip('/')}/webui/api/service?method=get_version"
    try:
        reply = await fetch_reply(client, url, deadline_seconds=deadline_seconds)
    except Unreachable as exc:
        return EngineStatus(
            reachable=False, error=f"AceStream engine not reachable at {url}: {exc}"
        )
    return _read_version(url, reply)


def _read_version(url: str, reply: PeerReply) -> EngineStatus:
    def unhealthy(problem: str) -> EngineStatus:
        return EngineStatus(reachable=True, error=f"AceStream engine at {url} {problem}")

    try:
        data = _engine_answer(reply, what="a version")
    except ReplyProblem as problem:
        return unhealthy(str(problem))
    result = data.get("result")
    version = result.get("version") if isinstance(result, dict) else None
    if not isinstance(result, dict) or not isinstance(version, str) or not version:
        return unhealthy(f"sent no version: {snippet(reply.body)}")
    platform = result.get("platform")
    code = result.get("code")
    return EngineStatus(
        reachable=True,
        version=version,
        platform=platform if isinstance(platform, str) and platform else None,
        code=code if isinstance(code, int) and not isinstance(code, bool) else None,
    )


def _engine_answer(reply: PeerReply, *, what: str) -> dict[str, Any]:
    """The engine's JSON object, `{"result" or "response": ..., "error": null}`; ReplyProblem
    for anything else, or for an answer whose `error` is set."""
    data = json_of(reply, what=what)
    if not isinstance(data, dict):
        raise ReplyProblem(f"sent JSON that is not an object: {snippet(reply.body)}")
    if data.get("error") is not None:
        raise ReplyProblem(f"reported an error: {snippet(_as_text(data['error']))}")
    return data


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


@dataclass(frozen=True)
class StreamStat:
    """One stream's figures from the engine; each is None when the stat lacks it (an idle
    session answers `{"response": {"status": "idle"}}`). Speeds in KB/s. `error` set: no
    figures at all."""

    status: str | None = None
    peers: int | None = None
    speed_down: int | None = None
    speed_up: int | None = None
    downloaded: int | None = None
    uploaded: int | None = None
    error: str | None = None


async def read_stat(
    client: httpx.AsyncClient, stat_url: str, *, deadline_seconds: float
) -> StreamStat:
    """Read a stream's stat once; never raises. `stat_url` comes from acexy's answer, so
    only an http(s) URL is followed."""
    if urlsplit(stat_url).scheme not in ("http", "https"):
        return StreamStat(error=f"stat_url {snippet(stat_url)} is not an http(s) URL")
    try:
        reply = await fetch_reply(client, stat_url, deadline_seconds=deadline_seconds)
    except Unreachable as exc:
        return StreamStat(error=f"AceStream engine not reachable at {stat_url}: {exc}")
    return _read_stat(stat_url, reply)


def _read_stat(url: str, reply: PeerReply) -> StreamStat:
    def failed(problem: str) -> StreamStat:
        return StreamStat(error=f"AceStream engine at {url} {problem}")

    try:
        data = _engine_answer(reply, what="a stat")
    except ReplyProblem as problem:
        return failed(str(problem))
    stat = data.get("response")
    if not isinstance(stat, dict):
        return failed(f"sent no stat: {snippet(reply.body)}")
    status = stat.get("status")
    return StreamStat(
        status=status if isinstance(status, str) and status else None,
        peers=_figure(stat.get("peers")),
        speed_down=_figure(stat.get("speed_down")),
        speed_up=_figure(stat.get("speed_up")),
        downloaded=_figure(stat.get("downloaded")),
        uploaded=_figure(stat.get("uploaded")),
    )


def _figure(value: Any) -> int | None:
    """A number of 0 or more, as a whole number; anything else (missing, negative, text,
    NaN) is unknown."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if 0 <= value < float("inf") else None
