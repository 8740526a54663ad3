"""What plays and how well: one session per stream from the first status check that finds
it playing to the first that finds it gone, a sample of its figures at every check, and
"started", "stalled", "recovered" and "ended" recorded once each, whichever replica sees it.
Each recording also stores the streams' state changes (kind `stream`, named by the stream's
id: `playing`, `stalled`, `ended`) through the state-change recorder, in its transaction and
under the recorder's lock, so uptime and notifications see every stream once.

The streams asked about are the open sessions, the channels our redirect sent a player to
in the last minutes and the streams a fork of acexy lists; the sweep (`sweep`) finds those
started some other way, checking our channels a few at a time. Each stream costs one
`GET /ace/status?id=` to acexy and, while it plays, one read of the engine's `stat_url`,
all within the peers' limits (3 s, 64 KiB) and at most `MAX_CONCURRENT_CHECKS` at once.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from time import monotonic
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from app.exceptions import NotFound
from app.models import StreamPlay, StreamSample, StreamSession
from app.peers.acexy import AcexyStatus, StreamCheck, check_stream
from app.peers.engine import StreamStat, read_stat
from app.peers.fetch import tls_context
from app.repositories import channels as channels_repository
from app.repositories import settings as settings_repository
from app.repositories import stream_plays as plays_repository
from app.repositories import stream_sessions as sessions_repository
from app.repositories.channels import ChannelKey
from app.repositories.stream_sessions import NewSession
from app.schemas.peers import (
    ActiveStreams,
    ConcurrentBucket,
    StreamHistory,
    StreamRead,
    StreamSamples,
    StreamSessionRead,
)
from app.schemas.peers import (
    StreamSample as StreamSampleRead,
)
from app.services.activity import bucket_seconds, bucket_start
from app.services.peer_status import PEER_TIMEOUT_SECONDS
from app.services.state_changes import Observation as StateObservation
from app.services.state_changes import StateChangeRecorder
from app.services.stream_plays import channel_view, stream_key
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType
from app.utils.cancel import CancelToken

# A redirect makes its channel worth asking about for this long.
PLAY_WINDOW = timedelta(minutes=10)
# No peers or no download for this long makes a stream stalled.
STALL_AFTER = timedelta(minutes=2)
MAX_CONCURRENT_CHECKS = 16
# Each sweep checks at most this many seconds' worth of ids at STREAM_SWEEP_RATE.
SWEEP_RUN_SECONDS = 20
# The sweep spaces its requests 5 % wider than 1/rate: the network's jitter can bring two
# closer at acexy than they left, and acexy's count of a second is the one that matters
# (at exactly 1/rate, acexy saw 21 in one second; bench/bench_stream_status.py).
SWEEP_SPACING_MARGIN = 1.05
# Downsampling: samples older than the age become averages over the resolution.
DOWNSAMPLING = ((timedelta(days=1), 300), (timedelta(days=7), 3600))

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Observation:
    """What acexy said of one stream and, while it plays, what the engine said."""

    key: ChannelKey
    check: StreamCheck
    stat: StreamStat | None


class _Pacer:
    """Lets one caller through at a time, each `interval` seconds after the previous;
    raises Interrupted instead once `cancel` is set (the sweep stops within a request)."""

    def __init__(
        self, interval: float, clock: Clock, sleep: Sleep, cancel: CancelToken | None
    ) -> None:
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._cancel = cancel
        self._lock = asyncio.Lock()
        self._last: float | None = None

    async def wait(self) -> None:
        async with self._lock:
            if self._last is not None:
                await self._sleep(max(0.0, self._last + self._interval - self._clock()))
            if self._cancel is not None:
                self._cancel.raise_if_cancelled()
            self._last = self._clock()


def healthy(stat: StreamStat | None) -> bool | None:
    """Whether a stat shows the stream getting data: False with no peers or no download,
    None when the stat says neither (unread, failed, or an idle session's bare status)."""
    if stat is None or stat.error is not None:
        return None
    if stat.peers is None and stat.speed_down is None:
        return None
    return stat.peers != 0 and stat.speed_down != 0


def next_stall(
    trouble_since: datetime | None, stalled: bool, is_healthy: bool | None, now: datetime
) -> tuple[datetime | None, bool]:
    """(trouble_since, stalled) after a sample: a healthy one clears both; an unhealthy one
    starts or continues the trouble, which is a stall once it lasts STALL_AFTER; an unknown
    one changes nothing."""
    if is_healthy is None:
        return trouble_since, stalled
    if is_healthy:
        return None, False
    since = trouble_since or now
    return since, stalled or now - since >= STALL_AFTER


def _key_fields(key: ChannelKey) -> dict[str, str | None]:
    """The `id` / `infohash` pair the API shows for a stream key."""
    content_id, kind = key
    return {
        "id": content_id if kind == "content_id" else None,
        "infohash": content_id if kind == "infohash" else None,
    }


@dataclass
class _Changes:
    """What one recording changed, for the activity written after its commit."""

    started: list[tuple[ChannelKey, StreamSession]]
    stalled: list[ChannelKey]
    recovered: list[ChannelKey]
    ended: list[StreamSession]


class StreamSessionService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: ActivityRecorder,
        state_changes: StateChangeRecorder,
        *,
        acexy_url: str,
        sample_seconds: int,
        sweep_rate: int = 20,
        clock: Clock = monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._sessions = session_factory
        self._recorder = recorder
        self._state_changes = state_changes
        self._acexy_url = acexy_url.rstrip("/")
        self._sample_seconds = sample_seconds
        self._sweep_rate = sweep_rate
        self._clock = clock
        self._sleep = sleep

    # -- tracking (status_check and stream_sweep) ---------------------------------------------

    def track(self, now: datetime, acexy: AcexyStatus | None) -> dict[str, Any]:
        """Ask about every stream worth asking about, after the status check polled acexy
        (`acexy`, its global status): store a sample of each playing one, open a session
        for a new one, end the session of one acexy no longer has. With acexy unreachable
        nothing changes: a stream nobody can see is not known to have ended."""
        if acexy is None or not acexy.reachable:
            return {"streams_checked": 0}
        with self._sessions() as session:
            keys = [
                (row.content_id, row.id_kind) for row in sessions_repository.open_sessions(session)
            ]
            keys += plays_repository.keys_played_since(session, now - PLAY_WINDOW)
        keys += [key for detail in acexy.streams if (key := stream_key(detail.id, detail.infohash))]
        candidates = list(dict.fromkeys(keys))
        if not candidates:
            return {"streams_checked": 0}
        observations = asyncio.run(self._observe(candidates))
        return {"streams_checked": len(candidates), **self._record(now, observations)}

    def sweep(self, now: datetime, cancel: CancelToken | None = None) -> dict[str, Any]:
        """Check the next of our channels (from where the last sweep stopped, in any
        replica) that have no open session, at most STREAM_SWEEP_RATE a second and
        SWEEP_RUN_SECONDS' worth; a playing one opens its session as in `track`. Raises
        Interrupted, between two requests, once `cancel` is set."""
        per_run = self._sweep_rate * SWEEP_RUN_SECONDS
        with self._sessions() as session:
            cursor = sessions_repository.sweep_cursor(session)
            picked = sessions_repository.channels_after(session, cursor, per_run)
            if len(picked) < per_run:  # wrap around to the first channels
                wrapped = sessions_repository.channels_after(session, 0, per_run - len(picked))
                picked += [(row_id, key) for row_id, key in wrapped if row_id <= cursor]
            open_keys = {
                (row.content_id, row.id_kind) for row in sessions_repository.open_sessions(session)
            }
        keys = [key for _, key in picked if key not in open_keys]
        observations = asyncio.run(self._observe(keys, rate=self._sweep_rate, cancel=cancel))
        found = [o for o in observations if o.check.state == "playing"]
        changes = self._record(now, found)
        # A run whose every answer was unknown (acexy down or confused throughout) leaves
        # the cursor where it was: those channels are checked again by the next run.
        blind = bool(observations) and all(o.check.state == "unknown" for o in observations)
        if picked and not blind:
            with self._sessions.begin() as session:
                settings_repository.upsert_values(
                    session, {sessions_repository.SWEEP_CURSOR_KEY: picked[-1][0]}, now=now
                )
        return {"channels_checked": len(keys), "found_playing": len(found), **changes}

    async def _observe(
        self,
        keys: Sequence[ChannelKey],
        *,
        rate: int | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Observation]:
        """Ask acexy (and the engine) about each key, concurrently; with `rate`, each
        request to acexy waits until 1/rate s (and SWEEP_SPACING_MARGIN) after the previous
        one went, on the injected clock, so no burst ever catches up on a slow stretch."""
        if not keys:
            return []
        limit = asyncio.Semaphore(MAX_CONCURRENT_CHECKS)
        pacer = (
            None
            if rate is None
            else _Pacer(SWEEP_SPACING_MARGIN / rate, self._clock, self._sleep, cancel)
        )
        timeout = httpx.Timeout(PEER_TIMEOUT_SECONDS)
        async with httpx.AsyncClient(timeout=timeout, verify=tls_context()) as client:

            async def observe(key: ChannelKey) -> Observation:
                async with limit:
                    if pacer is not None:
                        await pacer.wait()
                    return await self._observe_one(client, key)

            return await asyncio.gather(*(observe(key) for key in keys))

    async def _observe_one(self, client: httpx.AsyncClient, key: ChannelKey) -> Observation:
        check = await check_stream(
            client, self._acexy_url, key, deadline_seconds=PEER_TIMEOUT_SECONDS
        )
        stat = None
        if check.state == "playing" and check.stat_url:
            stat = await read_stat(client, check.stat_url, deadline_seconds=PEER_TIMEOUT_SECONDS)
        return Observation(key, check, stat)

    def _record(self, now: datetime, observations: Sequence[Observation]) -> dict[str, int]:
        """Store what was observed, and the streams' state changes, in one transaction; then
        record, as activity, each change this replica's write made (a write another replica
        made first changes no row here, so it is recorded once)."""
        changes = _Changes([], [], [], [])
        samples: list[dict[str, Any]] = []

        def store(session: Session) -> list[StateObservation]:
            # Called with the state-change lock held: replicas store their sessions in
            # turn, and each stream's state is read after the previous writer's commit.
            open_by_key = {
                (row.content_id, row.id_kind): row
                for row in sessions_repository.open_sessions(session)
            }
            new_keys = [
                seen.key
                for seen in observations
                if seen.check.state == "playing" and seen.key not in open_by_key
            ]
            open_by_key |= self._open(session, new_keys, now, changes)
            states: list[StateObservation] = []
            for seen in observations:
                row = open_by_key.get(seen.key)
                if seen.check.state == "not_playing" and row is not None:
                    if sessions_repository.end_session(session, row.id):
                        session.refresh(row)
                        changes.ended.append(row)
                    states.append(_stream_state(seen.key, "ended"))
                elif seen.check.state == "playing" and row is not None:
                    samples.append(self._sample(session, row, seen, now, changes))
                    states.append(_stream_state(seen.key, "stalled" if row.stalled else "playing"))
            sessions_repository.add_samples(session, samples)
            return states

        with self._sessions.begin() as session:
            self._state_changes.record(session, now, store, watched=False)
            names = self._channel_names(session, changes)
        self._record_activity(changes, names)
        return {
            "playing": len(samples),
            "started": len(changes.started),
            "ended": len(changes.ended),
            "stalled": len(changes.stalled),
            "recovered": len(changes.recovered),
        }

    def _open(
        self, session: Session, keys: Sequence[ChannelKey], now: datetime, changes: _Changes
    ) -> dict[ChannelKey, StreamSession]:
        """The open sessions of these streams, opened now unless another replica just did.

        In key order, as every replica does: two that open the same sessions at once wait
        on each other's inserts in one order, never in a cycle.
        """
        if not keys:
            return {}
        first_plays: dict[ChannelKey, StreamPlay] = {}
        for recent in plays_repository.plays_since(session, keys, now - PLAY_WINDOW):
            first_plays.setdefault((recent.content_id, recent.id_kind), recent)  # newest first
        opened: dict[ChannelKey, StreamSession] = {}
        for key in sorted(keys):
            play = first_plays.get(key)
            new = NewSession(
                key=key,
                started_at=now,
                client_address=play.client_address if play else None,
                client_agent=play.user_agent if play else None,
            )
            session_id = sessions_repository.open_session(session, new)
            row = (
                session.get(StreamSession, session_id)
                if session_id is not None
                else sessions_repository.open_session_of(session, key)
            )
            if row is None:  # opened and already ended by another replica
                continue
            if session_id is not None:
                changes.started.append((key, row))
            opened[key] = row
        if changes.started:
            sessions_repository.count_started(session, len(changes.started), now=now)
        return opened

    def _sample(
        self,
        session: Session,
        row: StreamSession,
        seen: Observation,
        now: datetime,
        changes: _Changes,
    ) -> dict[str, Any]:
        """Fold one observation into its session's figures; the sample row to store."""
        stat = seen.stat if seen.stat is not None and seen.stat.error is None else None
        clients = seen.check.clients
        row.last_seen_at = now
        if clients is not None:
            row.peak_clients = max(row.peak_clients or 0, clients)
        if stat is not None and stat.speed_down is not None:
            row.speed_down_sum += stat.speed_down
            row.speed_samples += 1
        was_stalled = row.stalled
        row.trouble_since, stalled = next_stall(row.trouble_since, was_stalled, healthy(stat), now)
        if stalled != was_stalled:
            session.flush()
            if sessions_repository.set_stalled(session, row.id, stalled):
                (changes.stalled if stalled else changes.recovered).append(seen.key)
            session.expire(row, ["stalled"])
        return {
            "session_id": row.id,
            "at": now,
            "resolution_seconds": self._sample_seconds,
            "clients": clients,
            "engine_status": stat.status if stat else None,
            "peers": stat.peers if stat else None,
            "speed_down_kbps": stat.speed_down if stat else None,
            "speed_up_kbps": stat.speed_up if stat else None,
            "downloaded_bytes": stat.downloaded if stat else None,
            "uploaded_bytes": stat.uploaded if stat else None,
            "stalled": stalled,
        }

    def _channel_names(self, session: Session, changes: _Changes) -> dict[ChannelKey, str]:
        keys = [key for key, _ in changes.started] + changes.stalled + changes.recovered
        keys += [(row.content_id, row.id_kind) for row in changes.ended]
        if not keys:
            return {}
        channels = channels_repository.channels_by_key(session, keys)
        return {key: channel.name for key, channel in channels.items() if channel.name}

    def _record_activity(self, changes: _Changes, names: dict[ChannelKey, str]) -> None:
        def about(key: ChannelKey) -> dict[str, Any]:
            return {**_key_fields(key), "channel": names.get(key)}

        for key, row in changes.started:
            self._recorder.record(
                ActivityType.STREAM,
                f"Started {names.get(key, key[0])}",
                details={
                    **about(key),
                    "client_address": row.first_client_address,
                    "user_agent": row.first_client_agent,
                },
            )
        for key in changes.stalled:
            self._recorder.record(
                ActivityType.STREAM,
                f"Stalled {names.get(key, key[0])}: no peers or no download for "
                f"{STALL_AFTER.seconds // 60} minutes",
                details=about(key),
                level=ActivityLevel.WARNING,
            )
        for key in changes.recovered:
            self._recorder.record(
                ActivityType.STREAM, f"Recovered {names.get(key, key[0])}", details=about(key)
            )
        for row in changes.ended:
            key = (row.content_id, row.id_kind)
            self._recorder.record(
                ActivityType.STREAM,
                f"Ended {names.get(key, key[0])}",
                details={
                    **about(key),
                    "duration_seconds": _duration(row),
                    "peak_clients": row.peak_clients,
                    "avg_speed_down_kbps": _average_speed(row),
                },
            )

    # -- reading ------------------------------------------------------------------------------

    def with_open_sessions(self, active: ActiveStreams) -> ActiveStreams:
        """`active` (acexy's answer) with every open session among its streams, each with
        its start and the figures of its latest sample; a stream only the fork lists keeps
        its own fields. Unchanged when acexy did not answer: its sessions are not known to
        play."""
        if active.source != "acexy":
            return active
        with self._sessions() as session:
            rows = sessions_repository.open_sessions(session)
            latest = sessions_repository.latest_samples(session, [row.id for row in rows])
        listed = [(stream_key(stream.id, stream.infohash), stream) for stream in active.streams]
        by_key = {key: stream for key, stream in listed if key is not None}
        tracked: dict[ChannelKey, StreamRead] = {}
        for row in rows:
            key = (row.content_id, row.id_kind)
            base = by_key.get(key) or StreamRead(
                **_key_fields(key), clients=None, channel=None, viewers=[]
            )
            tracked[key] = base.model_copy(update=_stream_figures(row, latest.get(row.id)))
        streams = [tracked.pop(key, stream) if key else stream for key, stream in listed]
        streams += tracked.values()
        return active.model_copy(update={"streams": streams})

    def sessions_started(self) -> int:
        """How many sessions were ever started (retention never lowers it)."""
        with self._sessions() as session:
            return sessions_repository.sessions_started(session)

    def history(self, days: int, now: datetime) -> StreamHistory:
        """The sessions that played in the last `days` days, newest first, and the most
        streams and clients at once per bucket (as the activity histogram's)."""
        since = now - timedelta(days=days)
        seconds = bucket_seconds(days)
        with self._sessions() as session:
            rows = sessions_repository.sessions_between(session, since, now)
            moments = sessions_repository.concurrency_since(session, since)
            channels = channels_repository.channels_by_key(
                session, [(row.content_id, row.id_kind) for row in rows]
            )
        buckets: dict[datetime, tuple[int, int]] = {}
        for at, streams, clients in moments:
            start = bucket_start(at, seconds)
            most = buckets.get(start, (0, 0))
            buckets[start] = (max(most[0], streams), max(most[1], int(clients)))
        return StreamHistory(
            sessions=[
                StreamSessionRead(
                    **_key_fields((row.content_id, row.id_kind)),
                    channel=channel_view(channels.get((row.content_id, row.id_kind))),
                    started_at=row.started_at,
                    ended_at=row.ended_at,
                    duration_seconds=_duration(row, now),
                    peak_clients=row.peak_clients,
                    avg_speed_down_kbps=_average_speed(row),
                )
                for row in rows
            ],
            bucket_seconds=seconds,
            concurrent=[
                ConcurrentBucket(start=start, streams=streams, clients=clients)
                for start, (streams, clients) in sorted(buckets.items())
            ],
        )

    def samples(self, content_id: str, hours: int, now: datetime) -> StreamSamples:
        """The samples of the last `hours` hours of the stream with this 40-hex id (content
        id or infohash), oldest first. NotFound when it is neither a stream we saw nor one
        of our channels."""
        content_id = content_id.lower()
        keys: list[ChannelKey] = [(content_id, "content_id"), (content_id, "infohash")]
        with self._sessions() as session:
            channels = channels_repository.channels_by_key(session, keys)
            if not channels and not sessions_repository.has_session_with_id(session, content_id):
                raise NotFound(f"No stream or channel has the id {content_id}")
            rows = sessions_repository.samples_of_id(
                session, content_id, now - timedelta(hours=hours)
            )
        channel = next((channels[key] for key in keys if key in channels), None)
        return StreamSamples(
            id=content_id,
            channel=channel_view(channel),
            samples=[_sample_view(row) for row in rows],
        )

    # -- retention (activity_cleanup) ---------------------------------------------------------

    def compact(self, now: datetime, cutoff: datetime) -> dict[str, int]:
        """Downsample aged samples (older than a day: 5-minute averages; older than a week:
        hourly), then delete samples from before `cutoff` and the sessions that ended
        before it. Returns how many rows each step took away."""
        merged = 0
        for age, resolution in DOWNSAMPLING:
            before = _floor(now - age, resolution)
            with self._sessions.begin() as session:
                rows = sessions_repository.samples_to_downsample(
                    session, finer_than=resolution, before=before
                )
                averaged = _downsample(rows, resolution)
                sessions_repository.delete_samples(session, [row.id for row in rows])
                sessions_repository.add_samples(session, averaged)
            merged += len(rows) - len(averaged)
        with self._sessions.begin() as session:
            sessions, samples = sessions_repository.delete_before(session, cutoff)
        return {"samples_merged": merged, "sessions_deleted": sessions, "samples_deleted": samples}


_STATE_REASONS = {
    "stalled": f"No peers or no download for {STALL_AFTER.seconds // 60} minutes",
    "ended": "acexy no longer serves it",
}


def _stream_state(key: ChannelKey, state: str) -> StateObservation:
    """A stream's state for the state changes, named by its id (content id or infohash)."""
    return StateObservation("stream", key[0], state, _STATE_REASONS.get(state))


def _duration(row: StreamSession, now: datetime | None = None) -> float:
    end = row.ended_at or now or row.last_seen_at
    return max(0.0, (end - row.started_at).total_seconds())


def _average_speed(row: StreamSession) -> float | None:
    return round(row.speed_down_sum / row.speed_samples, 1) if row.speed_samples else None


def _stream_figures(row: StreamSession, sample: StreamSample | None) -> dict[str, Any]:
    figures: dict[str, Any] = {"started_at": row.started_at, "stalled": row.stalled}
    if sample is None:
        return figures
    return figures | {
        "clients": sample.clients,
        "engine_status": sample.engine_status,
        "peers": sample.peers,
        "speed_down_kbps": _whole(sample.speed_down_kbps),
        "speed_up_kbps": _whole(sample.speed_up_kbps),
        "downloaded_bytes": sample.downloaded_bytes,
        "uploaded_bytes": sample.uploaded_bytes,
    }


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def _sample_view(row: StreamSample) -> StreamSampleRead:
    return StreamSampleRead(
        at=row.at,
        resolution_seconds=row.resolution_seconds,
        clients=row.clients,
        peers=row.peers,
        speed_down_kbps=row.speed_down_kbps,
        speed_up_kbps=row.speed_up_kbps,
        downloaded_bytes=row.downloaded_bytes,
        uploaded_bytes=row.uploaded_bytes,
        stalled=row.stalled,
    )


def _floor(moment: datetime, seconds: int) -> datetime:
    """`moment` rounded down to a multiple of `seconds` since the epoch (UTC)."""
    stamp = int(moment.timestamp())
    return datetime.fromtimestamp(stamp - stamp % seconds, UTC)


def _downsample(rows: Sequence[Any], resolution: int) -> list[dict[str, Any]]:
    """One row per session and `resolution`-second bucket: clients, peers and bytes the
    most, speeds averaged over the time each row covers, stalled if any was, the engine's
    status the latest."""
    groups: dict[tuple[int, datetime], list[Any]] = {}
    for row in rows:
        groups.setdefault((row.session_id, _floor(row.at, resolution)), []).append(row)
    return [
        {
            "session_id": session_id,
            "at": start,
            "resolution_seconds": resolution,
            "clients": _most(row.clients for row in group),
            "engine_status": group[-1].engine_status,
            "peers": _most(row.peers for row in group),
            "speed_down_kbps": _weighted([(row.speed_down_kbps, row) for row in group]),
            "speed_up_kbps": _weighted([(row.speed_up_kbps, row) for row in group]),
            "downloaded_bytes": _most(row.downloaded_bytes for row in group),
            "uploaded_bytes": _most(row.uploaded_bytes for row in group),
            "stalled": any(row.stalled for row in group),
        }
        for (session_id, start), group in groups.items()
    ]


def _most(values: Any) -> int | None:
    known = [value for value in values if value is not None]
    return max(known) if known else None


def _weighted(values: list[tuple[float | None, Any]]) -> float | None:
    known = [(value, row.resolution_seconds) for value, row in values if value is not None]
    total = sum(weight for _, weight in known)
    return sum(value * weight for value, weight in known) / total if total else None
