"""The live activity feed behind `GET /api/v1/activity/stream`: one tailer per process, fanned
out to a bounded mailbox per client.

The tailer reads `activity_log` by id (`id > position ORDER BY id`) every POLL_SECONDS, whichever
replica stored the rows, so a row stored by one replica reaches the clients of every replica
sharing the database. That is exact because ids become visible in id order
(`app.repositories.activity.insert_rows`): once the tailer has read row N, no row below N
appears later. On the same ticks it reads the page's live sections
(`app.services.status_sections`) and announces those that changed. It runs only while a
client is connected.

A client that resumes after row N first reads the rows after N from the database, in
batches, up to the tailer's position, then joins the tail at that position, all on the event
loop with no wait in between: every row once, in order, across the seam. Its mailbox holds
MAILBOX_SIZE events; a client that falls that far behind is cut off (it reconnects with its
last id and reads what it missed from the database), so one slow client neither holds up the
others nor makes the process grow.
"""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from app.exceptions import Unavailable
from app.models import ActivityLog
from app.repositories import activity as activity_repository
from app.schemas.activity import ActivityRead, StatusSection
from app.services.status_sections import Sections
from app.utils.activity import ActivityLevel, ActivityType, levels_at_least

logger = logging.getLogger(__name__)

# 0.25 s between reads keeps a row's way from commit to every client under the 1 s the
# page is promised, for one indexed query per tick per replica while anyone watches.
POLL_SECONDS = 0.25
MAILBOX_SIZE = 1000
BATCH_SIZE = 500
# How soon a client refused for being one too many, or by a stopping service, may try again.
_RETRY_FULL_SECONDS = 30
_RETRY_STOPPING_SECONDS = 5


@dataclass(frozen=True)
class ActivityEvent:
    """A stored row: `data` is its JSON as `/recent` sends it, made once for every client."""

    id: int
    type: str
    level: str
    data: str


@dataclass(frozen=True)
class StatusEvent:
    changed: tuple[StatusSection, ...]


FeedEvent = ActivityEvent | StatusEvent


@dataclass(frozen=True)
class ActivityFilter:
    """Which rows a client wants: of these types and levels (None: any)."""

    types: frozenset[str] | None = None
    levels: frozenset[str] | None = None

    @classmethod
    def of(
        cls, types: Sequence[ActivityType] | None, min_level: ActivityLevel | None
    ) -> "ActivityFilter":
        return cls(
            types=frozenset(types) if types else None,
            levels=frozenset(levels_at_least(min_level)) if min_level else None,
        )

    def matches(self, event: ActivityEvent) -> bool:
        return (self.types is None or event.type in self.types) and (
            self.levels is None or event.level in self.levels
        )


async def _wait(event: asyncio.Event, timeout: float) -> None:
    """Return once `event` is set, or after `timeout` seconds."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout):  # no task per wait, unlike wait_for
            await event.wait()


def _event(row: ActivityLog) -> ActivityEvent:
    data = ActivityRead.model_validate(row).model_dump_json()
    return ActivityEvent(id=row.id, type=row.type, level=row.level, data=data)


class Subscription:
    """One client's view of the feed, from `ActivityFeed.subscribe` until `close()`."""

    def __init__(self, feed: "ActivityFeed", activity_filter: ActivityFilter) -> None:
        self._feed = feed
        self._filter = activity_filter
        # The last row this client has been given, or had no need of.
        self._cursor = 0
        self._mailbox: deque[FeedEvent] = deque()
        self._arrived = asyncio.Event()
        self._live = False
        self._ended = False
        # Set when the client fell MAILBOX_SIZE events behind: its answer must stop at once,
        # even in the middle of a write the client does not read.
        self.cut_off = asyncio.Event()

    async def next_events(self, timeout: float) -> list[FeedEvent] | None:
        """The next events in order, waiting up to `timeout` seconds for some: [] if none
        came, None once the subscription has ended (the service is stopping, or the client
        was cut off)."""
        if not self._live:
            replayed = await self._replay()
            if replayed or self._ended:
                return None if self._ended else replayed
        if not self._mailbox and not self._ended:
            self._arrived.clear()
            await _wait(self._arrived, timeout)
        if self._ended:
            return None
        events = list(self._mailbox)
        self._mailbox.clear()
        return events

    async def _replay(self) -> list[FeedEvent]:
        """The next stored rows after the cursor, up to the tailer's position; [] once there
        are none, having joined the tail at that position."""
        while not self._ended:
            through = self._feed.position
            if self._cursor >= through:
                self._live = True
                self._feed.join(self)
                return []
            rows = await self._feed.read_after(self._cursor, through, self._filter)
            full = len(rows) == self._feed.batch_size
            self._cursor = rows[-1].id if full else through
            if rows:
                return list(rows)
        return []

    def offer(self, event: FeedEvent) -> None:
        """Queue `event` if this client wants it; cut the client off if its mailbox is full."""
        if isinstance(event, ActivityEvent):
            if event.id <= self._cursor or not self._filter.matches(event):
                return
            self._cursor = event.id
        if len(self._mailbox) >= self._feed.mailbox_size:
            logger.warning(
                "An activity stream client fell %d events behind and was cut off; it reads "
                "what it missed from the database when it reconnects",
                len(self._mailbox),
            )
            self.cut_off.set()
            self.end()
            return
        self._mailbox.append(event)
        self._arrived.set()

    def start_after(self, row_id: int) -> None:
        self._cursor = row_id

    def end(self) -> None:
        """End the subscription: `next_events` answers None from now on."""
        self._ended = True
        self._mailbox.clear()
        self._arrived.set()
        self._feed.leave(self, closed=False)

    def close(self) -> None:
        """Give the client's place back; safe to call more than once."""
        self.end()
        self._feed.leave(self, closed=True)


SectionsReader = Callable[[], Sections]


class ActivityFeed:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        read_sections: SectionsReader,
        *,
        max_clients: int,
        poll_seconds: float = POLL_SECONDS,
        mailbox_size: int = MAILBOX_SIZE,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self._sessions = session_factory
        self._read_sections = read_sections
        self._max_clients = max_clients
        self._poll_seconds = poll_seconds
        self.mailbox_size = mailbox_size
        self.batch_size = batch_size
        # Counted against max_clients from `subscribe` to `close`; `_live` have joined the tail.
        self._open: set[Subscription] = set()
        self._live: set[Subscription] = set()
        self._position = 0
        self._tailer: asyncio.Task[None] | None = None
        self._tick = asyncio.Event()
        self._closing = False

    @property
    def clients(self) -> int:
        return len(self._open)

    @property
    def position(self) -> int:
        """The last row the tailer handed out, while it runs (while any client is open)."""
        return self._position

    async def subscribe(
        self,
        *,
        after: int | None,
        types: Sequence[ActivityType] | None,
        min_level: ActivityLevel | None,
    ) -> Subscription:
        """A subscription to the rows after row `after` (after the newest stored row when
        None, or when `after` is beyond it: there is nothing after it to wait for), of the
        given types (any when None) and levels from `min_level` up.

        Raise Unavailable beyond `max_clients` open subscriptions, or once `close` has begun;
        a database error when the log cannot be read.
        """
        if self._closing:
            raise Unavailable(
                "The service is stopping; reconnect in a few seconds",
                retry_after_seconds=_RETRY_STOPPING_SECONDS,
            )
        if len(self._open) >= self._max_clients:
            raise Unavailable(
                f"The activity stream already has {self._max_clients} clients, the most "
                "ACTIVITY_STREAM_MAX_CLIENTS allows; try again later",
                retry_after_seconds=_RETRY_FULL_SECONDS,
            )
        subscription = Subscription(self, ActivityFilter.of(types, min_level))
        self._open.add(subscription)
        try:
            newest = await asyncio.to_thread(self._last_id)
        except BaseException:
            subscription.close()
            raise
        if self._tailer is None:
            self._position = newest
            self._tailer = asyncio.create_task(self._tail(), name="activity-feed-tailer")
        subscription.start_after(newest if after is None else min(after, newest))
        return subscription

    def join(self, subscription: Subscription) -> None:
        """Hand `subscription` every event after `position` from now on."""
        if subscription in self._open:
            self._live.add(subscription)

    def leave(self, subscription: Subscription, *, closed: bool) -> None:
        self._live.discard(subscription)
        if closed:
            self._open.discard(subscription)
            if not self._open:
                self._tick.set()  # the tailer stops at once rather than at its next tick

    async def read_after(
        self, after: int, through: int, activity_filter: ActivityFilter
    ) -> list[ActivityEvent]:
        """Stored rows in `(after, through]` that pass the filter, oldest first, a batch at most."""
        return await asyncio.to_thread(self._rows_after, after, through, activity_filter)

    async def close(self) -> None:
        """End every subscription and the tailer, and refuse new subscriptions."""
        self._closing = True
        for subscription in list(self._open):
            subscription.end()
        self._tick.set()
        if self._tailer is not None:
            await self._tailer

    # -- the tailer ---------------------------------------------------------------------------

    async def _tail(self) -> None:
        """Hand out new rows and section changes until no client is left."""
        previous: Sections | None = None
        failing = False
        while self._open and not self._closing:
            try:
                events, sections = await asyncio.to_thread(self._read_tick, self._position)
            except Exception:
                # Whatever went wrong, the tailer goes on: the clients of a process whose
                # tailer died would wait for ever. Logged once per spell of failures.
                if not failing:
                    logger.warning("The activity stream cannot read the log", exc_info=True)
                failing = True
                events, sections = [], None
            else:
                if failing:
                    logger.info("The activity stream reads the log again")
                failing = False
            for event in events:
                self._position = event.id
                self._hand_out(event)
            if sections is not None:
                if previous is not None:
                    changed = tuple(name for name in sections if sections[name] != previous[name])
                    if changed:
                        self._hand_out(StatusEvent(changed))
                previous = sections
            if len(events) < self.batch_size and self._open and not self._closing:
                self._tick.clear()
                await _wait(self._tick, self._poll_seconds)
        self._tailer = None

    def _hand_out(self, event: FeedEvent) -> None:
        for subscription in list(self._live):
            subscription.offer(event)

    # -- database reads, on a worker thread ----------------------------------------------------

    def _last_id(self) -> int:
        with self._sessions() as session:
            return activity_repository.last_id(session)

    def _read_tick(self, after: int) -> tuple[list[ActivityEvent], Sections]:
        with self._sessions() as session:
            rows = activity_repository.rows_after(
                session, after, through=None, types=None, levels=None, limit=self.batch_size
            )
            events = [_event(row) for row in rows]
        return events, self._read_sections()

    def _rows_after(
        self, after: int, through: int, activity_filter: ActivityFilter
    ) -> list[ActivityEvent]:
        with self._sessions() as session:
            rows = activity_repository.rows_after(
                session,
                after,
                through=through,
                types=sorted(activity_filter.types or ()),
                levels=sorted(activity_filter.levels or ()),
                limit=self.batch_size,
            )
            return [_event(row) for row in rows]
