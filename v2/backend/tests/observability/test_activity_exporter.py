from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy.orm import Session

from app.core.db import create_db_engine, create_session_factory
from app.core.migrations import upgrade_to_head
from app.observability.activity_exporter import ActivitySpanExporter, span_to_row, store_span
from app.repositories import activity as activity_repository
from app.utils.activity import ActivityRecorder, ActivityType
from app.utils.redaction import REDACTED
from tests.factories import all_activity


def _spans(record: Callable[[ActivityRecorder], object]) -> list[ReadableSpan]:
    """The finished spans of whatever `record` does with a recorder."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    record(ActivityRecorder(provider.get_tracer("test")))
    return list(exporter.get_finished_spans())


def _record_events(recorder: ActivityRecorder, count: int) -> None:
    for index in range(count):
        recorder.record(ActivityType.SYSTEM_EVENT, f"e{index}")


def test_an_activity_span_becomes_a_row() -> None:
    [span] = _spans(
        lambda r: r.record(
            ActivityType.SCRAPE, "Scraped", details={"new": 4, "api_key": "k"}, user="ops"
        )
    )

    row = span_to_row(span)

    assert row is not None
    assert row["type"] == "scrape"
    assert row["level"] == "info"
    assert row["message"] == "Scraped"
    assert row["details"] == {"new": 4, "api_key": REDACTED}
    assert row["user"] == "ops"
    assert row["trace_id"] == format(span.context.trace_id, "032x")
    assert row["span_id"] == format(span.context.span_id, "016x")
    # In whole microseconds: a float of 1.8e9 s cannot hold the sub-µs truncation exactly.
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert row["timestamp"] == epoch + timedelta(microseconds=(span.start_time or 0) // 1000)


def test_a_failed_activity_becomes_an_error_row_that_keeps_its_type_and_stack() -> None:
    def failing(recorder: ActivityRecorder) -> None:
        with (
            pytest.raises(TimeoutError),
            recorder.activity(ActivityType.SCRAPE, "Scrape example.org", details={"url": "u"}),
        ):
            raise TimeoutError("read timed out")

    [span] = _spans(failing)
    row = span_to_row(span)

    assert row is not None
    assert row["type"] == "error"
    assert row["level"] == "error"
    assert row["message"] == "Scrape example.org failed: TimeoutError: read timed out"
    assert row["details"]["activity_type"] == "scrape"
    assert row["details"]["url"] == "u"
    exception = row["details"]["exception"]
    assert exception["type"] == "TimeoutError"
    assert "in failing" in exception["stacktrace"]


def test_spans_that_are_not_activity_are_ignored() -> None:
    [span] = _spans(lambda r: r._tracer.start_span("GET /api/v1/activity/recent").end())

    assert span_to_row(span) is None


def test_a_failed_write_is_kept_and_written_when_the_database_returns(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'late.db'}")
    exporter = ActivitySpanExporter(create_session_factory(engine))
    spans = _spans(lambda r: _record_events(r, 3))

    assert exporter.export(spans) is SpanExportResult.FAILURE
    assert (exporter.rows_pending, exporter.write_failures, exporter.rows_written) == (3, 1, 0)

    upgrade_to_head(engine)
    assert exporter.force_flush()

    assert (exporter.rows_pending, exporter.rows_written, exporter.rows_dropped) == (0, 3, 0)
    with Session(engine) as session:
        assert [row.message for row in all_activity(session)] == ["e0", "e1", "e2"]
    engine.dispose()


def test_rows_beyond_the_retry_buffer_are_counted_as_dropped(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'late.db'}")
    exporter = ActivitySpanExporter(create_session_factory(engine), max_pending_rows=2)
    spans = _spans(lambda r: _record_events(r, 5))

    exporter.export(spans)
    upgrade_to_head(engine)
    exporter.shutdown()

    assert (exporter.rows_dropped, exporter.rows_written) == (3, 2)
    with Session(engine) as session:
        assert [row.message for row in all_activity(session)] == ["e3", "e4"]
    engine.dispose()


def test_a_nul_character_is_shown_as_a_replacement_and_does_not_fail_the_batch(
    database_url: str,
) -> None:
    """PostgreSQL refuses NUL in text and jsonb: one scraped name carrying it must not stop
    the activity log."""

    def record(recorder: ActivityRecorder) -> None:
        recorder.record(ActivityType.SCRAPE, "Channel a\x00b", details={"k\x00": ["x\x00y"]})
        with (
            pytest.raises(ValueError, match="bad"),
            recorder.activity(ActivityType.SCRAPE, "Scrape"),
        ):
            raise ValueError("bad \x00 byte")
        recorder.record(ActivityType.SCRAPE, "next")

    engine = create_db_engine(database_url)
    exporter = ActivitySpanExporter(create_session_factory(engine))

    assert exporter.export(_spans(record)) is SpanExportResult.SUCCESS

    with Session(engine) as session:
        first, failed, after = all_activity(session)
    engine.dispose()
    assert first.message == "Channel a\ufffdb"
    assert first.details == {"k\ufffd": ["x\ufffdy"]}
    assert failed.message == "Scrape failed: ValueError: bad \ufffd byte"
    assert "\x00" not in str(failed.details)
    assert after.message == "next"


def test_an_error_row_hides_url_credentials_in_message_exception_and_stack() -> None:
    url = "http://u:pass@127.0.0.1:81/x?token=T0K3N"

    def failing(recorder: ActivityRecorder) -> None:
        with (
            pytest.raises(ConnectionError),
            recorder.activity(ActivityType.SCRAPE, f"Scrape {url}", details={"url": url}),
        ):
            raise ConnectionError(f"cannot reach {url}")

    [span] = _spans(failing)

    row = span_to_row(span)

    assert row is not None
    shown = f"http://{REDACTED}@127.0.0.1:81/x?token={REDACTED}"
    assert row["message"] == f"Scrape {shown} failed: ConnectionError: cannot reach {shown}"
    assert row["details"]["url"] == shown
    assert row["details"]["exception"]["message"] == f"cannot reach {shown}"
    assert shown in row["details"]["exception"]["stacktrace"]
    assert "pass" not in str(row)
    assert "T0K3N" not in str(row)


def _fail(recorder: ActivityRecorder, times: int) -> None:
    """Fail the same way `times` times, with a different number in each message."""
    for order in range(1, times + 1):
        with (
            pytest.raises(LookupError),
            recorder.activity(ActivityType.SCRAPE, f"Scrape source {order}"),
        ):
            raise LookupError(f"no channel 0x{order:08x} on page {order}")


def test_repeats_of_an_error_count_on_its_stored_row_across_batches(database_url: str) -> None:
    """The first export stores the error; the later ones (as in "sync" mode, one span each)
    add no row but update its count, on both databases (COPY inserts on PostgreSQL)."""
    engine = create_db_engine(database_url)
    exporter = ActivitySpanExporter(create_session_factory(engine))
    types_written: list[str] = []
    exporter.on_rows_written(types_written.extend)
    first, *repeats = _spans(lambda r: _fail(r, 4))
    other = _spans(lambda r: r.record(ActivityType.SCRAPE, "Scraped"))

    assert exporter.export([first]) is SpanExportResult.SUCCESS
    for span in repeats:
        assert exporter.export([span, *other]) is SpanExportResult.SUCCESS

    with Session(engine) as session:
        rows = all_activity(session)
        hourly = activity_repository.stored_hourly_counts(
            session, since_hour=rows[0].timestamp.replace(year=2000), types=None
        )
    engine.dispose()
    [error] = [row for row in rows if row.type == "error"]
    assert error.message == ("Scrape source 1 failed: LookupError: no channel 0x00000001 on page 1")
    assert error.details["repeated"] == 3
    assert error.details["last_trace_id"] == format(repeats[-1].context.trace_id, "032x")
    last_seen = datetime.fromisoformat(error.details["last_seen"])
    assert last_seen == span_to_row(repeats[-1])["timestamp"]  # type: ignore[index]
    assert len(rows) == 4  # the error and the three scrape summaries
    assert sum(hourly.values()) == len(rows)
    assert types_written.count("error") == 1
    assert exporter.occurrences_folded == 3


def test_repeats_in_the_batch_of_their_first_occurrence_are_stored_with_it(
    database_url: str,
) -> None:
    engine = create_db_engine(database_url)
    exporter = ActivitySpanExporter(create_session_factory(engine))

    exporter.export(_spans(lambda r: _fail(r, 3)))

    with Session(engine) as session:
        [error] = all_activity(session)
    engine.dispose()
    assert error.details["repeated"] == 2


def test_a_span_whose_row_its_recorder_stored_is_counted_not_stored_again(
    tmp_path: Path,
) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'stored.db'}")
    upgrade_to_head(engine)
    sessions = create_session_factory(engine)
    exporter = ActivitySpanExporter(sessions)
    types_written: list[str] = []
    exporter.on_rows_written(types_written.extend)

    def record(recorder: ActivityRecorder) -> None:
        span = recorder.start_stored(ActivityType.USER_ACTION, "Paused scrape", user="ops")
        with sessions.begin() as session:
            store_span(session, span)
        span.end()

    [span] = _spans(record)
    assert span.attributes is not None
    assert span.attributes["activity.stored"] is True
    exporter.export([span])

    with Session(engine) as session:
        [row] = all_activity(session)
    engine.dispose()
    assert (row.type, row.message, row.user) == ("user_action", "Paused scrape", "ops")
    assert row.span_id == format(span.context.span_id, "016x")
    assert types_written == ["user_action"]
    assert exporter.rows_written == 0
