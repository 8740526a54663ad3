"""What to notify, as a pure function of the state-change history, the time, the settings and
the messages already decided (`decide`).

An *incident* of an entity (a peer, a task, a stream, or a service-wide condition) is a run of
bad states (`down`, `disconnected`, `failing`, `overdue`, `stalled`, `spiking`, `dropping`),
where a spell of any other state shorter than the grace is a blip inside it, not its end. Its
start is its id, so every message about it has a key that stays the same from one decision to
the next: storing messages under a unique key (the outbox) makes "each message once" hold
across decisions and replicas alike.

Rules, per entity:
- *grace*: an incident is told once it has lasted `grace`; one shorter than that sends nothing;
- *recovery*: one message when a good state has held `grace` after a told incident;
- *reminders*: while a told incident goes on, one per `reminder` after the first message
  (none with `reminder` None);
- *flapping*: `FLAP_CHANGES` changes within `FLAP_WINDOW` send one "flapping" message, and
  nothing else is sent about the entity until it settles (fewer changes in the window);
- *mute*: messages are still decided (so that they are not sent later) but marked muted, and a
  muted first message does not count as told: no reminder or recovery follows it.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

FLAP_WINDOW = timedelta(minutes=10)
FLAP_CHANGES = 5

# As the alerts of the same name: WARP not connected is a problem (connecting, error: its
# daemon down), but "unavailable" (no warp-cli where the app runs: WARP not in use) is none.
BAD_STATES = frozenset(
    {
        "down",
        "disconnected",
        "connecting",
        "error",
        "failing",
        "overdue",
        "stalled",
        "spiking",
        "dropping",
    }
)
GOOD_STATES = frozenset({"up", "connected", "ok", "playing", "normal"})

# Entities that are not peers, tasks or streams: conditions of the whole service.
SERVICE_KIND = "service"
ERROR_SPIKE = "error_spike"
ROWS_DROPPED = "activity_rows_dropped"

# Every event a message can be about: NOTIFY_EVENTS picks among them.
EVENTS = (
    "peer_down",
    "peer_recovered",
    "warp_disconnected",
    "warp_connected",
    "task_failing",
    "task_overdue",
    "task_recovered",
    "stream_stalled",
    "stream_recovered",
    ERROR_SPIKE,
    "error_spike_over",
    ROWS_DROPPED,
    "flapping",
)

RECOVERY_EVENTS = frozenset(
    {"peer_recovered", "warp_connected", "task_recovered", "stream_recovered", "error_spike_over"}
)


@dataclass(frozen=True)
class Change:
    """One change of state (a `StateChange` row, or a service condition turning on or off)."""

    kind: str
    name: str
    from_state: str | None
    to_state: str
    changed_at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class Sent:
    """A message already decided: when, and whether it was muted."""

    decided_at: datetime
    muted: bool


@dataclass(frozen=True)
class Policy:
    grace: timedelta
    reminder: timedelta | None
    events: Collection[str]
    muted: bool


@dataclass(frozen=True)
class Message:
    """A message to send. `key` is unique per (entity, incident, message)."""

    key: str
    event: str
    kind: str
    name: str
    state: str
    since: datetime
    reason: str | None
    muted: bool
    # "problem", "reminder", "recovery" or "flapping".
    role: str


def _problem_event(kind: str, name: str, state: str) -> str:
    if kind == SERVICE_KIND:
        return name
    if kind == "peer":
        return "warp_disconnected" if name == "warp" else "peer_down"
    if kind == "task":
        return "task_overdue" if state == "overdue" else "task_failing"
    return "stream_stalled"


def _recovery_event(kind: str, name: str) -> str | None:
    if kind == SERVICE_KIND:
        return "error_spike_over" if name == ERROR_SPIKE else None
    if kind == "peer":
        return "warp_connected" if name == "warp" else "peer_recovered"
    return f"{kind}_recovered"


def _incident_start(changes: Sequence[Change], end: int, grace: timedelta) -> int:
    """Index of the change that began the incident whose last bad change is `changes[end]`:
    walk back over bad changes and over other spells shorter than `grace` (blips)."""
    start = end
    index = end - 1
    while index >= 0:
        change = changes[index]
        if change.to_state in BAD_STATES:
            start = index
        elif changes[index + 1].changed_at - change.changed_at >= grace:
            break
        index -= 1
    return start


def _flapping_since(changes: Sequence[Change], now: datetime) -> datetime | None:
    """When the entity's current flapping began (the change that brought FLAP_CHANGES within
    FLAP_WINDOW, with fewer just before it), or None if it is not flapping now."""
    times = [change.changed_at for change in changes]
    if sum(1 for t in times if t > now - FLAP_WINDOW) < FLAP_CHANGES:
        return None
    for index in range(len(times) - 1, -1, -1):
        before = sum(1 for t in times[:index] if t > times[index] - FLAP_WINDOW)
        if before < FLAP_CHANGES:
            return times[index]
    return times[0]


def _key(change: Change, incident: datetime, what: str) -> str:
    return f"{change.kind}:{change.name}:{incident.isoformat()}:{what}"


def _entity_messages(
    changes: Sequence[Change], now: datetime, policy: Policy, sent: Mapping[str, Sent]
) -> Iterable[Message]:
    last = changes[-1]

    def message(key: str, event: str, since: datetime, role: str, reason: str | None) -> Message:
        return Message(
            key=key,
            event=event,
            kind=last.kind,
            name=last.name,
            state=last.to_state,
            since=since,
            reason=reason,
            muted=policy.muted,
            role=role,
        )

    flapping = _flapping_since(changes, now)
    if flapping is not None:
        key = _key(last, flapping, "flapping")
        if key not in sent:
            yield message(key, "flapping", flapping, "flapping", last.reason)
        return

    held = now - last.changed_at >= policy.grace
    if last.to_state in BAD_STATES:
        start = changes[_incident_start(changes, len(changes) - 1, policy.grace)]
        if now - start.changed_at < policy.grace:
            return
        problem = _key(last, start.changed_at, "problem")
        event = _problem_event(last.kind, last.name, start.to_state)
        told = sent.get(problem)
        if told is None:
            yield message(problem, event, start.changed_at, "problem", last.reason)
        elif not told.muted and policy.reminder is not None:
            count = int((now - told.decided_at) / policy.reminder)
            key = _key(last, start.changed_at, f"reminder-{count}")
            if count >= 1 and key not in sent:
                yield message(key, event, start.changed_at, "reminder", last.reason)
        return

    if last.to_state not in GOOD_STATES or not held:
        return
    bad = [i for i, change in enumerate(changes[:-1]) if change.to_state in BAD_STATES]
    if not bad:
        return
    start = changes[_incident_start(changes, bad[-1], policy.grace)]
    told = sent.get(_key(last, start.changed_at, "problem"))
    recovery = _recovery_event(last.kind, last.name)
    key = _key(last, start.changed_at, "recovery")
    if told is not None and not told.muted and recovery is not None and key not in sent:
        yield message(key, recovery, start.changed_at, "recovery", last.reason)


def decide(
    changes: Iterable[Change], now: datetime, policy: Policy, sent: Mapping[str, Sent]
) -> list[Message]:
    """The messages to send now, by entity, given the state changes up to `now` (oldest first
    within each entity; enough history to reach back over the current incident and
    FLAP_WINDOW) and the messages already decided, by key.

    Messages whose event `policy.events` leaves out are not returned; the keys already in
    `sent` never are.
    """
    ordered = sorted(changes, key=lambda change: (change.kind, change.name, change.changed_at))
    messages: list[Message] = []
    for _, group in groupby(ordered, key=lambda change: (change.kind, change.name)):
        entity = [change for change in group if change.changed_at <= now]
        if entity:
            messages.extend(
                message
                for message in _entity_messages(entity, now, policy, sent)
                if message.event in policy.events
            )
    return messages
