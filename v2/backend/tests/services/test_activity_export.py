"""An export reads the log in keyset batches, each a short read of its own, and writes files
that spreadsheets cannot run."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.core.db import create_db_engine, create_session_factory
from app.repositories import activity as activity_repository
from app.schemas.activity import ExportFormat
from app.services.activity import ActivityService
from app.services.activity_export import export_filename, safe_cell
from app.services.config import ConfigService
from app.utils.activity import ActivityLevel, ActivityRecorder

NOW = datetime(2026, 12, 2, 8, 30, tzinfo=UTC)


class CountedSession(Session):
    """A session that counts how many of its kind were opened, and are open now."""

    opened: ClassVar[int] = 0
    open_now: ClassVar[int] = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        CountedSession.opened += 1
        CountedSession.open_now += 1

    def close(self) -> None:
        super().close()
        CountedSession.open_now -= 1


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    db_engine = create_db_engine(database_url)
    yield db_engine
    db_engine.dispose()


@pytest.fixture
def service(engine: Engine) -> ActivityService:
    sessions = create_session_factory(engine)
    recorder = ActivityRecorder(TracerProvider(shutdown_on_exit=False).get_tracer("test"))
    counted: sessionmaker[Session] = sessionmaker(
        engine, class_=CountedSession, expire_on_commit=False
    )
    return ActivityService(counted, ConfigService(sessions, recorder))


def _insert(engine: Engine, count: int) -> None:
    with create_session_factory(engine).begin() as session:
        activity_repository.insert_rows(
            session,
            [
                {
                    "timestamp": NOW - timedelta(hours=1) + timedelta(seconds=index // 3),
                    "type": "scrape",
                    "level": "warning" if index % 2 else "info",
                    "message": f"row {index}",
                    "details": {},
                }
                for index in range(count)
            ],
        )


def test_export_reads_batch_after_batch_and_holds_no_session_between_them(
    engine: Engine, service: ActivityService
) -> None:
    _insert(engine, 2_500)
    CountedSession.open_now = 0

    batches = service.export(
        days=1, types=None, min_level=ActivityLevel.INFO, now=NOW, batch_size=1_000
    )
    sizes, messages = [], []
    for batch in batches:
        # What the download is sending now was read by a session already closed.
        assert CountedSession.open_now == 0
        sizes.append(len(batch))
        messages += [item.message for item in batch]

    assert sizes == [1_000, 1_000, 500]
    assert messages == [f"row {index}" for index in reversed(range(2_500))]


def test_export_reads_its_first_batch_before_the_download_starts(
    engine: Engine, service: ActivityService
) -> None:
    """So an unavailable database fails the request (503), not a download under way."""
    _insert(engine, 10)
    opened = CountedSession.opened

    batches = service.export(
        days=1, types=None, min_level=ActivityLevel.WARNING, now=NOW, batch_size=3
    )
    read_before_iterating = CountedSession.opened - opened
    first = next(batches)

    assert read_before_iterating == 1
    assert CountedSession.opened - opened == 1
    assert [item.message for item in first] == ["row 9", "row 7", "row 5"]
    assert [item.message for batch in batches for item in batch] == ["row 3", "row 1"]
    assert CountedSession.opened - opened == 2


def test_an_export_of_a_multiple_of_the_batch_size_ends_after_an_empty_read(
    engine: Engine, service: ActivityService
) -> None:
    _insert(engine, 4)

    batches = service.export(
        days=1, types=None, min_level=ActivityLevel.INFO, now=NOW, batch_size=2
    )

    assert [len(batch) for batch in batches] == [2, 2]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2 °C", "'-2 °C"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\rnext", "'\rnext"),
        ("a = b", "a = b"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_safe_cell_prefixes_what_a_spreadsheet_would_read_as_a_formula(
    value: str, written: str
) -> None:
    assert safe_cell(value) == written


def test_export_filename_names_the_utc_minute_and_the_format() -> None:
    moment = datetime(2026, 12, 2, 9, 30, 59, tzinfo=UTC).astimezone()

    assert export_filename(ExportFormat.CSV, moment) == "activity-2026-12-02T0930Z.csv"
    assert export_filename(ExportFormat.NDJSON, moment) == "activity-2026-12-02T0930Z.ndjson"
