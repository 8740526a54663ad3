"""GET /api/v1/activity/stream over real connections to uvicorn: events read one at a time as
they come, through every middleware of the service."""

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine, create_session_factory
from app.repositories import activity as activity_repository
from tests.conftest import SettingsFactory
from tests.live import serve, serve_app
from tests.sse import Event, EventReader

STREAM = "/api/v1/activity/stream"
TOKEN = "a-token-of-sixteen-chars"
# Ample for any read below on a loaded machine; a passing run never waits this long.
READ_TIMEOUT = httpx.Timeout(10.0)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    db_engine = create_db_engine(database_url)
    yield db_engine
    db_engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return create_session_factory(engine)


@pytest.fixture
def base_url(make_settings: SettingsFactory) -> Iterator[str]:
    with serve_app(make_settings(activity_stream_heartbeat_seconds=60)) as url:
        yield url


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=READ_TIMEOUT) as client:
        yield client


def store(sessions: sessionmaker[Session], *rows: dict[str, Any]) -> list[int]:
    """Commit `rows` in one transaction, as the exporter does; their ids, oldest first."""
    defaults = {"type": "system_event", "level": "info", "details": {}}
    with sessions.begin() as session:
        before = activity_repository.last_id(session)
        activity_repository.insert_rows(
            session, [{"timestamp": datetime.now(UTC), **defaults, **row} for row in rows]
        )
        stored = activity_repository.rows_after(
            session, before, through=None, types=None, levels=None, limit=len(rows)
        )
    return [row.id for row in stored]


def store_messages(sessions: sessionmaker[Session], *messages: str) -> list[int]:
    return store(sessions, *({"message": message} for message in messages))


def messages(events: list[Event]) -> list[str]:
    return [event.json()["message"] for event in events]


def test_each_new_row_arrives_as_an_activity_event_with_its_id_as_recent_shows_it(
    base_url: str, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    store_messages(sessions, "before the client came")
    with http.stream("GET", base_url + STREAM) as response:
        reader = EventReader(response)
        [first] = store_messages(sessions, "first")
        first_event = reader.events(1)
        # Read while the answer is still open: nothing on the way buffers it.
        second, third = store(
            sessions,
            {"message": "second", "type": "scrape", "details": {"channels_found": 3}},
            {"message": "third", "level": "error", "user": "ops"},
        )
        later_events = reader.events(2)
    recent = http.get(base_url + "/api/v1/activity/recent").json()["items"]

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    events = first_event + later_events
    assert [(e.event, e.id) for e in events] == [
        ("activity", str(first)),
        ("activity", str(second)),
        ("activity", str(third)),
    ]
    by_id = {item["id"]: item for item in recent}
    assert [e.json() for e in events] == [by_id[first], by_id[second], by_id[third]]


def test_only_the_asked_types_at_or_above_the_asked_level_arrive(
    base_url: str, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    params = {"type": ["scrape", "error"], "min_level": "warning"}
    with http.stream("GET", base_url + STREAM, params=params) as response:
        reader = EventReader(response)
        store(
            sessions,
            {"message": "scrape info", "type": "scrape", "level": "info"},
            {"message": "scrape warning", "type": "scrape", "level": "warning"},
            {"message": "task error", "type": "background_task", "level": "error"},
            {"message": "error error", "type": "error", "level": "error"},
        )
        events = reader.events(2)

    assert messages(events) == ["scrape warning", "error error"]


@pytest.mark.parametrize("resume_with", ["header", "query"])
def test_a_reconnect_resumes_right_after_the_last_event_it_got(
    base_url: str, http: httpx.Client, sessions: sessionmaker[Session], resume_with: str
) -> None:
    with http.stream("GET", base_url + STREAM) as response:
        reader = EventReader(response)
        store_messages(sessions, "one", "two")
        last = reader.events(2)[-1].id
    assert last is not None
    store_messages(sessions, "three", "four")  # while disconnected
    headers = {"Last-Event-ID": last} if resume_with == "header" else {}
    params = {"last_event_id": last} if resume_with == "query" else {}
    with http.stream("GET", base_url + STREAM, params=params, headers=headers) as response:
        reader = EventReader(response)
        missed = reader.events(2)
        store_messages(sessions, "five")
        live = reader.events(1)

    assert messages(missed + live) == ["three", "four", "five"]


def test_the_last_event_id_header_wins_over_the_query(
    base_url: str, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    """A browser reconnecting sends the header, and the URL it first opened."""
    one, two, _ = store_messages(sessions, "one", "two", "three")
    params = {"last_event_id": one}
    headers = {"Last-Event-ID": str(two)}
    with http.stream("GET", base_url + STREAM, params=params, headers=headers) as response:
        events = EventReader(response).events(1)

    assert messages(events) == ["three"]


def test_an_idle_stream_sends_a_keepalive_comment_every_heartbeat(
    make_settings: SettingsFactory, http: httpx.Client
) -> None:
    with (
        serve_app(make_settings(activity_stream_heartbeat_seconds=0.05)) as url,
        http.stream("GET", url + STREAM) as response,
    ):
        reader = EventReader(response)
        comments = [reader.next() for _ in range(3)]

    assert comments == [Event(comment="keepalive")] * 3


def test_a_task_state_change_is_announced_and_nothing_else_is(
    base_url: str, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    with http.stream("GET", base_url + STREAM) as response:
        reader = EventReader(response)
        store_messages(sessions, "before")
        before = _until(reader, lambda event: event.event == "activity")
        assert http.post(base_url + "/api/v1/background-tasks/scrape/pause").status_code == 200
        change = _until(reader, lambda event: event.event == "status")
        store_messages(sessions, "after")
        # The tailer reads the sections on every tick: by the time "after" arrives they
        # have been read again, unchanged, and announced nothing.
        after = _until(reader, lambda event: event.json().get("message") == "after")

    assert [e for e in before if e.event == "status"] == []
    assert [e.json() for e in change if e.event == "status"] == [{"changed": ["tasks"]}]
    assert [e for e in after if e.event == "status"] == []


def _until(reader: EventReader, last: Any) -> list[Event]:
    """Events (not comments) up to and including the first for which `last(event)` holds."""
    events: list[Event] = []
    while True:
        event = reader.next()
        assert event is not None, f"the stream ended after {events}"
        if event.event is not None:
            events.append(event)
            if last(event):
                return events


def test_a_client_beyond_the_limit_is_refused_with_503_and_when_to_retry(
    make_settings: SettingsFactory, http: httpx.Client
) -> None:
    with (
        serve_app(make_settings(activity_stream_max_clients=1)) as url,
        http.stream("GET", url + STREAM) as first,
    ):
        refused = http.get(url + STREAM)
        metrics = http.get(url + "/metrics").text.splitlines()

    assert first.status_code == 200
    assert "acestream_activity_stream_clients 1.0" in metrics
    assert refused.status_code == 503
    assert refused.json() == {
        "detail": "The activity stream already has 1 clients, the most "
        "ACTIVITY_STREAM_MAX_CLIENTS allows; try again later"
    }
    assert refused.headers["retry-after"] == "30"


def test_reading_the_stream_needs_the_token_when_reads_do(
    make_settings: SettingsFactory, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    settings = make_settings(api_token=TOKEN, api_read_auth=True)
    with serve_app(settings) as url:
        refused = http.get(url + STREAM)
        headers = {"Authorization": f"Bearer {TOKEN}"}
        with http.stream("GET", url + STREAM, headers=headers) as response:
            reader = EventReader(response)
            store_messages(sessions, "for the token holder")
            events = reader.events(1)

    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert messages(events) == ["for the token holder"]


@pytest.mark.parametrize(
    ("params", "headers", "location"),
    [
        ({}, {"Last-Event-ID": "x"}, ["header", "Last-Event-ID"]),
        ({"last_event_id": "-1"}, {}, ["query", "last_event_id"]),
        ({"min_level": "debug"}, {}, ["query", "min_level"]),
    ],
)
def test_a_resume_id_or_level_that_is_not_one_is_a_422_naming_it(
    client: TestClient, params: dict[str, str], headers: dict[str, str], location: list[str]
) -> None:
    response = client.get(STREAM, params=params, headers=headers)

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [location]


def test_head_answers_the_stream_headers_and_frees_the_connection(
    base_url: str,
) -> None:
    with httpx.Client(timeout=READ_TIMEOUT, limits=httpx.Limits(max_connections=1)) as one:
        head = one.head(base_url + STREAM)
        after = one.get(base_url + "/healthz")  # on the same connection

    assert head.status_code == 200
    assert head.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert after.status_code == 200


def test_open_streams_end_when_the_service_stops(
    make_settings: SettingsFactory, http: httpx.Client
) -> None:
    """uvicorn waits for open answers before it stops; an endless one would hold it for good."""
    with (
        serve(make_settings(activity_stream_heartbeat_seconds=0.05)) as service,
        http.stream("GET", service.url + STREAM) as response,
    ):
        reader = EventReader(response)
        assert reader.next() == Event(comment="keepalive")
        stopped = service.stop(timeout=READ_TIMEOUT.read)
        rest = list(iter(reader.next, None))

    assert stopped
    assert set(rest) <= {Event(comment="keepalive")}


# The bound is the process's, whatever stores the rows: one database is enough (and the
# test moves 11 MB).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_client_that_stops_reading_is_cut_off_and_another_gets_every_row(
    base_url: str, http: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    """The stalled client's window is a few KB: its events back up through the kernel's and
    the server's write buffers (a few MB: 1 500 of these events) into its mailbox, which
    overflows at 1 000; the server then closes its connection. A reader of the same stream
    meanwhile gets all 5 000."""
    stalled = socket.socket()
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stalled.settimeout(READ_TIMEOUT.read)
    stalled.connect(("127.0.0.1", int(base_url.rsplit(":", 1)[1])))
    stalled.sendall(f"GET {STREAM} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    assert stalled.recv(15) == b"HTTP/1.1 200 OK"
    rows = [{"message": f"row {n}", "details": {"padding": "x" * 2000}} for n in range(500)]
    with http.stream("GET", base_url + STREAM) as response:
        reader = EventReader(response)
        for _ in range(10):
            store(sessions, *rows)
            assert len(reader.events(500)) == 500
    received = b""
    while chunk := stalled.recv(65536):  # to the end the server put on it
        received += chunk
    stalled.close()

    assert received.count(b"event: activity") < 5000


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_row_stored_by_one_replica_reaches_the_clients_of_another(
    make_settings: SettingsFactory, http: httpx.Client
) -> None:
    with (
        serve_app(make_settings()) as replica_a,
        serve_app(make_settings()) as replica_b,
        http.stream("GET", replica_b + STREAM) as response,
    ):
        reader = EventReader(response)
        paused = http.post(replica_a + "/api/v1/background-tasks/scrape/pause")
        audit = _until(reader, lambda event: event.event == "activity")[-1].json()

    assert paused.status_code == 200
    assert (audit["type"], audit["message"]) == ("user_action", "Paused task scrape")
