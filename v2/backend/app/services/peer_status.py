"""The peer status store: filled by `status_check`, read by the API and /metrics.

Peers are polled only here, once per run, with short timeouts and no retries, so however
many dashboards watch, acexy and the engine see one request per interval. Readers never
wait on a peer. Each peer's latest check is written through to its `peer_status` row, so
every replica (and a restarted one) serves the same answer, whichever replica ran it.
"""

import asyncio
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from time import monotonic
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from app.models import PeerStatus
from app.peers.acexy import AcexyStatus, StreamDetail, check_acexy
from app.peers.engine import EngineStatus, check_engine
from app.peers.fetch import tls_context
from app.peers.warp import WarpStatus, check_warp
from app.repositories import peer_status as peer_status_repository
from app.schemas.peers import ActiveStreams, StreamRead, WarpStatusRead
from app.services.state_changes import Observation, StateChangeRecorder
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType
from app.utils.redaction import redact

# How long a replica trusts its in-memory copy before re-reading the shared one.
_RELOAD_AFTER_SECONDS = 2.0
PEER_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class PeerSnapshot:
    """The latest check of each peer, keyed "acexy", "engine" and "warp" where per peer."""

    checked_at: datetime | None = None
    acexy: AcexyStatus | None = None
    engine: EngineStatus | None = None
    warp: WarpStatus | None = None
    # When each peer was last polled, for acestream_peer_check_timestamp_seconds.
    peer_checked_at: dict[str, datetime] = field(default_factory=dict)
    # When each peer was last seen up (see `_is_up`); carried over while it is down.
    last_up: dict[str, datetime] = field(default_factory=dict)


PeerCheck = AcexyStatus | EngineStatus | WarpStatus


def _is_up(check: PeerCheck) -> bool:
    """Whether a check found its peer up: acexy answering, the engine answering its version
    (one that answers garbage is no better than one that does not answer), WARP connected."""
    if isinstance(check, AcexyStatus):
        return check.reachable
    if isinstance(check, EngineStatus):
        return check.healthy
    return check.status == "connected"


def _snapshot(rows: Iterable[PeerStatus]) -> PeerSnapshot:
    """The snapshot the stored rows make; empty (checked_at None) without rows."""
    by_peer = {row.peer: row for row in rows}
    if not by_peer:
        return PeerSnapshot()
    states = {peer: row.state for peer, row in by_peer.items()}
    acexy = states.get("acexy")
    return PeerSnapshot(
        checked_at=max(row.checked_at for row in by_peer.values()),
        acexy=None
        if acexy is None
        else AcexyStatus(
            **(acexy | {"streams": tuple(StreamDetail(**s) for s in acexy.get("streams", ()))})
        ),
        engine=EngineStatus(**states["engine"]) if "engine" in states else None,
        warp=WarpStatus(**states["warp"]) if "warp" in states else None,
        peer_checked_at={peer: row.checked_at for peer, row in by_peer.items()},
        last_up={
            peer: row.last_up_at for peer, row in by_peer.items() if row.last_up_at is not None
        },
    )


def _observations(snapshot: PeerSnapshot) -> list[Observation]:
    """Each checked peer's uptime state, from its redacted check: acexy and the engine `up`
    or `down`, WARP its status word; the reason is the peer's error (WARP's own reason)."""
    checks: dict[str, PeerCheck | None] = {
        "acexy": snapshot.acexy,
        "engine": snapshot.engine,
        "warp": snapshot.warp,
    }
    observations = []
    for peer, check in checks.items():
        if isinstance(check, WarpStatus):
            observations.append(
                Observation("peer", peer, check.status, check.error or check.reason)
            )
        elif check is not None:
            state = "up" if _is_up(check) else "down"
            observations.append(Observation("peer", peer, state, check.error))
    return observations


def _peer_states(snapshot: PeerSnapshot) -> dict[str, tuple[str, bool, str | None]]:
    """(state label, healthy, reason) of each peer the snapshot has seen."""
    states: dict[str, tuple[str, bool, str | None]] = {}
    if snapshot.acexy is not None:
        up = _is_up(snapshot.acexy)
        states["acexy"] = ("reachable" if up else "not reachable", up, snapshot.acexy.error)
    if snapshot.engine is not None:
        up = _is_up(snapshot.engine)
        states["AceStream engine"] = (
            "reachable" if up else "not reachable",
            up,
            snapshot.engine.error,
        )
    if snapshot.warp is not None:
        warp = snapshot.warp
        states["WARP"] = (warp.status, _is_up(warp), warp.error or warp.reason)
    return states


class PeerStatusService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: ActivityRecorder,
        state_changes: StateChangeRecorder,
        *,
        acexy_url: str,
        engine_url: str,
        warp_cli: str,
    ) -> None:
        self._sessions = session_factory
        self._recorder = recorder
        self._state_changes = state_changes
        self._acexy_url = acexy_url.rstrip("/")
        self._engine_url = engine_url.rstrip("/")
        self._warp_cli = warp_cli
        self._lock = threading.Lock()
        self._snapshot = PeerSnapshot()
        self._loaded_at = float("-inf")

    # -- writing (status_check only) -----------------------------------------------------

    def refresh(self, now: datetime) -> dict[str, Any]:
        """Poll every peer once, store the result, and with it each peer's state change and
        the heartbeat (`StateChangeRecorder`); record the changes as activity."""
        acexy, engine, warp = asyncio.run(self._poll())
        previous = self.current()
        polled: dict[str, PeerCheck] = {"acexy": acexy, "engine": engine, "warp": warp}
        # Peers' errors quote the configured URLs, credentials included: each check is
        # redacted once, here, so the stored copy, the API, the activity and /metrics all
        # read the redacted one.
        checks = [
            PeerStatus(
                peer=peer,
                checked_at=now,
                state=redact(asdict(check)),
                last_up_at=now if _is_up(check) else previous.last_up.get(peer),
            )
            for peer, check in polled.items()
        ]
        snapshot = _snapshot(checks)
        with self._sessions.begin() as session:
            peer_status_repository.store(session, checks)
            observations = _observations(snapshot)
            self._state_changes.record(session, now, lambda _: observations, watched=True)
        with self._lock:
            self._snapshot = snapshot
            self._loaded_at = monotonic()
        self._record_changes(previous, snapshot)
        return {
            "acexy": "up" if acexy.reachable else "down",
            "active_streams": acexy.count,
            "engine": "up" if engine.healthy else "down",
            "warp": warp.status,
        }

    async def _poll(self) -> tuple[AcexyStatus, EngineStatus, WarpStatus]:
        timeout = httpx.Timeout(PEER_TIMEOUT_SECONDS)
        async with httpx.AsyncClient(timeout=timeout, verify=tls_context()) as client:
            return await asyncio.gather(
                check_acexy(client, self._acexy_url, deadline_seconds=PEER_TIMEOUT_SECONDS),
                check_engine(client, self._engine_url, deadline_seconds=PEER_TIMEOUT_SECONDS),
                check_warp(self._warp_cli, timeout_seconds=PEER_TIMEOUT_SECONDS),
            )

    def _record_changes(self, before: PeerSnapshot, after: PeerSnapshot) -> None:
        """One activity per change of state; none for a check that changed nothing, nor
        for the first sight of a healthy peer."""
        old = _peer_states(before)
        for peer, (label, healthy, reason) in _peer_states(after).items():
            previous = old.get(peer)
            if (previous is None and healthy) or (previous is not None and previous[0] == label):
                continue
            self._recorder.record(
                ActivityType.SYSTEM_EVENT,
                f"{peer} is {label}",
                details={"peer": peer, "reason": reason},
                level=ActivityLevel.INFO if healthy else ActivityLevel.WARNING,
            )

    # -- reading ---------------------------------------------------------------------------

    def current(self) -> PeerSnapshot:
        """The latest snapshot any replica stored (re-read at most every couple of seconds)."""
        with self._lock:
            if monotonic() - self._loaded_at < _RELOAD_AFTER_SECONDS:
                return self._snapshot
        with self._sessions() as session:
            loaded = _snapshot(peer_status_repository.latest(session))
        with self._lock:
            if loaded.checked_at is not None and (
                self._snapshot.checked_at is None or loaded.checked_at >= self._snapshot.checked_at
            ):
                self._snapshot = loaded
            self._loaded_at = monotonic()
            return self._snapshot

    def warp_status(self) -> WarpStatusRead:
        return warp_status_view(self.current())


def active_streams_view(snapshot: PeerSnapshot) -> ActiveStreams:
    """acexy counts; failing that the engine says streaming works but cannot count."""
    acexy, engine = snapshot.acexy, snapshot.engine
    if acexy is None or engine is None:
        return ActiveStreams(
            count=None,
            source=None,
            available=False,
            checked_at=None,
            error="The peers have not been checked yet",
            streams=[],
            total_clients=None,
        )
    if acexy.reachable:
        return ActiveStreams(
            count=acexy.count,
            source="acexy",
            available=True,
            checked_at=snapshot.checked_at,
            error=acexy.error,
            # Channels and viewers are joined by `StreamPlayService` for the API.
            streams=[
                StreamRead(**asdict(stream), channel=None, viewers=[]) for stream in acexy.streams
            ],
            total_clients=acexy.total_clients,
        )
    if engine.healthy:
        return ActiveStreams(
            count=None,
            source="acestream",
            available=True,
            checked_at=snapshot.checked_at,
            error=f"{acexy.error}; the AceStream engine is up but cannot count streams",
            streams=[],
            total_clients=None,
        )
    return ActiveStreams(
        count=None,
        source=None,
        available=False,
        checked_at=snapshot.checked_at,
        error=f"{acexy.error}; {engine.error}",
        streams=[],
        total_clients=None,
    )


def warp_status_view(snapshot: PeerSnapshot) -> WarpStatusRead:
    warp = snapshot.warp
    if warp is None:
        return WarpStatusRead(
            status="unavailable",
            last_connected=snapshot.last_up.get("warp"),
            error="WARP has not been checked yet",
            details={},
            checked_at=None,
        )
    details: dict[str, Any] = dict(warp.details)
    if warp.reason:
        details["reason"] = warp.reason
    return WarpStatusRead(
        status=warp.status,
        last_connected=snapshot.last_up.get("warp"),
        error=warp.error,
        details=details,
        checked_at=snapshot.checked_at,
    )
