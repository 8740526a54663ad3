"""The live feed on a real database: order, filters, resume across the replay/live seam, the
slow-client bound, the client cap, section changes and closing."""

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine, create_session_factory
from app.exceptions import Unavailable
from app.repositories import activity as activity_repository
from app.services.activity_feed import ActivityEvent, ActivityFeed, FeedEvent, StatusEvent
from app.services.status_sections import Sections
from app.utils.activity import ActivityLevel, ActivityType

# Ample for any wait below on a loaded machine; a passing run never waits this long.
DEADLINE_SECONDS = 10.0
FAST_TICKS = 0.02


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    db_engine = create_db_engine(database_url)
    yield db_engine
    db_engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return create_session_factory(engine)


class Sectioned:
    """Section values a test sets by hand, read by the feed as it reads the real ones."""

    def __init__(self) -> None:
        self.values: Sections = {"streams": 0, "warp": 0, "tasks": 0}

    def read(self) -> Sections:
        return dict(self.values)


def store(sessions: sessionmaker[Session], *rows: dict[str, Any]) -> None:
    """Commit `rows` in one transaction, through the exporter's own insert."""
    defaults = {"type": "system_event", "level": "info", "details": {}}
    with sessions.begin() as session:
        activity_repository.insert_rows(
            session, [{"timestamp": datetime.now(UTC), **defaults, **row} for row in rows]
        )


def numbered(first: int, last: int) -> list[dict[str, Any]]:
    return [{"message": f"row {n}"} for n in range(first, last + 1)]


async def collect(
    next_events: Callable[[float], Awaitable[list[FeedEvent] | None]], count: int
) -> list[FeedEvent]:
    """Events until `count` activity events came (or the deadline passed, or the feed ended)."""
    events: list[FeedEvent] = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE_SECONDS
    while sum(isinstance(e, ActivityEvent) for e in events) < count and loop.time() < deadline:
        batch = await next_events(0.1)
        if batch is None:
            break
        events += batch
    return events


def messages(events: list[FeedEvent]) -> list[str]:
    return [json.loads(e.data)["message"] for e in events if isinstance(e, ActivityEvent)]


def make_feed(sessions: sessionmaker[Session], **options: Any) -> ActivityFeed:
    options = {"max_clients": 10, "poll_seconds": FAST_TICKS, **options}
    return ActivityFeed(sessions, options.pop("sections", Sectioned()).read, **options)


def test_a_subscriber_gets_each_new_row_once_in_order_and_none_stored_before(
    sessions: sessionmaker[Session],
) -> None:
    store(sessions, *numbered(1, 3))

    async def scenario() -> list[FeedEvent]:
        feed = make_feed(sessions)
        subscription = await feed.subscribe(after=None, types=None, min_level=None)
        store(sessions, *numbered(4, 6))
        store(sessions, *numbered(7, 8))
        events = await collect(subscription.next_events, 5)
        await feed.close()
        return events

    events = asyncio.run(scenario())

    assert messages(events) == [f"row {n}" for n in range(4, 9)]
    ids = [e.id for e in events if isinstance(e, ActivityEvent)]
    assert ids == sorted(ids)
    assert not [e for e in events if isinstance(e, StatusEvent)]


def test_a_subscriber_gets_only_its_types_at_or_above_its_level(
    sessions: sessionmaker[Session],
) -> None:
    async def scenario() -> list[FeedEvent]:
        feed = make_feed(sessions)
        subscription = await feed.subscribe(
            after=None,
            types=[ActivityType.SCRAPE, ActivityType.ERROR],
            min_level=ActivityLevel.WARNING,
        )
        store(
            sessions,
            {"message": "scrape info", "type": "scrape", "level": "info"},
            {"message": "scrape warning", "type": "scrape", "level": "warning"},
            {"message": "task error", "type": "background_task", "level": "error"},
            {"message": "error error", "type": "error", "level": "error"},
        )
        events = await collect(subscription.next_events, 2)
        await feed.close()
        return events

    assert messages(asyncio.run(scenario())) == ["scrape warning", "error error"]


def test_a_resumed_subscriber_gets_every_row_after_its_id_once_across_the_seam(
    sessions: sessionmaker[Session],
) -> None:
    """Stored rows come from the database a batch at a time while the tail moves on (rows
    keep arriving between batches); then the client joins the tail: nothing missed, nothing
    twice."""
    store(sessions, *numbered(1, 10))

    async def scenario() -> list[FeedEvent]:
        feed = make_feed(sessions, batch_size=3)
        watcher = await feed.subscribe(after=None, types=None, min_level=None)
        store(sessions, *numbered(11, 14))
        assert messages(await collect(watcher.next_events, 4)) == [
            f"row {n}" for n in range(11, 15)
        ]
        resumed = await feed.subscribe(after=2, types=None, min_level=None)
        events: list[FeedEvent] = []
        for first in range(15, 27, 3):
            events += await resumed.next_events(0.1) or []
            store(sessions, *numbered(first, first + 2))
        events += await collect(resumed.next_events, 24 - len(messages(events)))
        await feed.close()
        return events

    assert messages(asyncio.run(scenario())) == [f"row {n}" for n in range(3, 27)]


class HeldSections(Sectioned):
    """Sections whose reading waits, once `hold()` is called, until `release()`: a tailer
    stopped at a known point of its tick."""

    def __init__(self) -> None:
        super().__init__()
        self._open = threading.Event()
        self._open.set()
        self.waiting = threading.Event()

    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def read(self) -> Sections:
        if not self._open.is_set():
            self.waiting.set()
            self._open.wait(DEADLINE_SECONDS)
        return super().read()


def test_a_subscriber_ahead_of_the_tail_gets_nothing_stored_before_it_started(
    sessions: sessionmaker[Session],
) -> None:
    """Rows stored before a client connects, which the tailer has yet to read, are older
    than its start: they go to the clients that were there, not to it."""
    sections = HeldSections()

    async def scenario() -> tuple[list[FeedEvent], list[FeedEvent]]:
        feed = make_feed(sessions, sections=sections)
        earlier = await feed.subscribe(after=None, types=None, min_level=None)
        await earlier.next_events(0)
        sections.hold()
        assert await asyncio.to_thread(sections.waiting.wait, DEADLINE_SECONDS)
        store(sessions, *numbered(1, 3))
        later = await feed.subscribe(after=None, types=None, min_level=None)
        await later.next_events(0)  # joins the tail, which is still before row 1
        sections.release()
        store(sessions, {"message": "row 4"})
        events = await collect(earlier.next_events, 4), await collect(later.next_events, 1)
        await feed.close()
        return events

    earlier, later = asyncio.run(scenario())

    assert messages(earlier) == ["row 1", "row 2", "row 3", "row 4"]
    assert messages(later) == ["row 4"]


def test_a_resume_id_beyond_the_newest_row_starts_at_the_newest_row(
    sessions: sessionmaker[Session],
) -> None:
    """An id from another database (restored, or reset) must not hide the rows to come."""
    store(sessions, *numbered(1, 2))

    async def scenario() -> list[FeedEvent]:
        feed = make_feed(sessions)
        subscription = await feed.subscribe(after=10**12, types=None, min_level=None)
        store(sessions, *numbered(3, 4))
        events = await collect(subscription.next_events, 2)
        await feed.close()
        return events

    assert messages(asyncio.run(scenario())) == ["row 3", "row 4"]


def test_a_client_that_stops_reading_is_cut_off_and_the_others_get_every_row(
    sessions: sessionmaker[Session],
) -> None:
    async def scenario() -> tuple[list[FeedEvent], bool, list[FeedEvent] | None, int]:
        feed = make_feed(sessions, mailbox_size=10, batch_size=5)
        reader = await feed.subscribe(after=None, types=None, min_level=None)
        stalled = await feed.subscribe(after=None, types=None, min_level=None)
        await reader.next_events(0)  # both join the tail
        await stalled.next_events(0)
        for first in range(1, 41, 5):
            store(sessions, *numbered(first, first + 4))
        events = await collect(reader.next_events, 40)
        cut_off = stalled.cut_off.is_set()
        after_cut = await stalled.next_events(0)
        stalled.close()
        clients = feed.clients
        await feed.close()
        return events, cut_off, after_cut, clients

    events, cut_off, after_cut, clients = asyncio.run(scenario())

    assert messages(events) == [f"row {n}" for n in range(1, 41)]
    assert cut_off
    assert after_cut is None
    assert clients == 1


def test_subscribing_beyond_max_clients_is_refused_until_one_leaves(
    sessions: sessionmaker[Session],
) -> None:
    async def scenario() -> tuple[Unavailable, int]:
        feed = make_feed(sessions, max_clients=2)
        first = await feed.subscribe(after=None, types=None, min_level=None)
        await feed.subscribe(after=None, types=None, min_level=None)
        with pytest.raises(Unavailable) as refused:
            await feed.subscribe(after=None, types=None, min_level=None)
        first.close()
        await feed.subscribe(after=None, types=None, min_level=None)
        clients = feed.clients
        await feed.close()
        return refused.value, clients

    refused, clients = asyncio.run(scenario())

    assert str(refused) == (
        "The activity stream already has 2 clients, the most ACTIVITY_STREAM_MAX_CLIENTS "
        "allows; try again later"
    )
    assert refused.retry_after_seconds == 30
    assert clients == 2


def test_closing_ends_every_subscription_and_refuses_new_ones(
    sessions: sessionmaker[Session],
) -> None:
    async def scenario() -> tuple[list[FeedEvent] | None, list[FeedEvent] | None]:
        feed = make_feed(sessions)
        live = await feed.subscribe(after=None, types=None, min_level=None)
        await live.next_events(0)
        store(sessions, *numbered(1, 5))
        replaying = await feed.subscribe(after=0, types=None, min_level=None)
        await feed.close()
        with pytest.raises(Unavailable, match="stopping"):
            await feed.subscribe(after=None, types=None, min_level=None)
        return await live.next_events(DEADLINE_SECONDS), await replaying.next_events(
            DEADLINE_SECONDS
        )

    assert asyncio.run(scenario()) == (None, None)


def test_a_changed_section_is_announced_once_and_unchanged_ones_never(
    sessions: sessionmaker[Session],
) -> None:
    sections = Sectioned()

    async def scenario() -> list[FeedEvent]:
        feed = make_feed(sessions, sections=sections)
        subscription = await feed.subscribe(after=None, types=None, min_level=None)
        store(sessions, {"message": "first"})
        events = await collect(subscription.next_events, 1)
        sections.values["tasks"] = 1
        store(sessions, {"message": "second"})
        events += await collect(subscription.next_events, 1)
        # The tailer reads the sections on every tick: by the time it reads "third", it
        # has read them again after the change, found them unchanged, and said nothing.
        store(sessions, {"message": "third"})
        events += await collect(subscription.next_events, 1)
        await feed.close()
        return events

    events = asyncio.run(scenario())

    assert [e for e in events if isinstance(e, StatusEvent)] == [StatusEvent(("tasks",))]
    assert messages(events) == ["first", "second", "third"]
