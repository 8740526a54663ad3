"""Whether the AceStream engine is up, from `GET /webui/api/service?method=get_version`.

The engine answers `{"result": {"code": 3014900, "platform": "linux", "version": "3.1.49"},
"error": null}`; Docker healthchecks of engine images use the same call.
"""

import json
from dataclasses import dataclass
from typing import Any

import httpx

from app.peers import snippet
from app.peers.fetch import MAX_PEER_REPLY_BYTES, PeerReply, Unreachable, fetch_reply


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

    if reply.status_code != 200:
        return unhealthy(f"answered HTTP {reply.status_code}: {snippet(reply.body)}")
    if reply.truncated:
        return unhealthy(
            f"sent more than {MAX_PEER_REPLY_BYTES // 1024} KiB, which is not a version"
        )
    try:
        data = json.loads(reply.body)
    except (ValueError, RecursionError):
        return unhealthy(f"sent something that is not JSON: {snippet(reply.body)}")
    if not isinstance(data, dict):
        return unhealthy(f"sent JSON that is not an object: {snippet(reply.body)}")
    if data.get("error") is not None:
        return unhealthy(f"reported an error: {snippet(_as_text(data['error']))}")
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


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
