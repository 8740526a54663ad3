import json

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType, levels_at_least


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def recorder(spans: InMemorySpanExporter) -> ActivityRecorder:
    provider = TracerProvider(shutdown_on_exit=False)
    provider.add_span_processor(SimpleSpanProcessor(spans))
    return ActivityRecorder(provider.get_tracer("test"))


def test_record_marks_a_span_as_activity(
    recorder: ActivityRecorder, spans: InMemorySpanExporter
) -> None:
    recorder.record(
        ActivityType.USER_ACTION, "Paused scrape", details={"task": "scrape"}, user="ops"
    )

    [span] = spans.get_finished_spans()
    assert span.name == "activity user_action"
    assert dict(span.attributes or {}) == {
        "activity.type": "user_action",
        "activity.message": "Paused scrape",
        "activity.level": "info",
        "activity.details": '{"task": "scrape"}',
        "activity.user": "ops",
    }


def test_details_added_inside_the_activity_are_kept(
    recorder: ActivityRecorder, spans: InMemorySpanExporter
) -> None:
    with recorder.activity(ActivityType.SCRAPE, "Scraped", details={"urls": 2}) as handle:
        handle.add_details(channels=40)
        handle.set_level(ActivityLevel.WARNING)

    [span] = spans.get_finished_spans()
    attributes = span.attributes or {}
    assert json.loads(str(attributes["activity.details"])) == {"urls": 2, "channels": 40}
    assert attributes["activity.level"] == "warning"


def test_an_exception_inside_is_recorded_with_its_stack_and_reraised(
    recorder: ActivityRecorder, spans: InMemorySpanExporter
) -> None:
    def scrape() -> None:
        raise ConnectionError("example.org refused")

    with (
        pytest.raises(ConnectionError),
        recorder.activity(ActivityType.SCRAPE, "Scrape example.org"),
    ):
        scrape()

    [span] = spans.get_finished_spans()
    assert span.status.status_code is StatusCode.ERROR
    [event] = span.events
    attributes = event.attributes or {}
    assert event.name == "exception"
    assert attributes["exception.type"] == "ConnectionError"
    assert attributes["exception.message"] == "example.org refused"
    assert "in scrape" in str(attributes["exception.stacktrace"])


def test_record_exception_returns_the_trace_id_of_its_span(
    recorder: ActivityRecorder, spans: InMemorySpanExporter
) -> None:
    trace_id = recorder.record_exception(ValueError("bad"), "Unhandled error")

    [span] = spans.get_finished_spans()
    assert trace_id == format(span.context.trace_id, "032x")
    assert (span.attributes or {})["activity.level"] == "error"
    assert span.status.status_code is StatusCode.ERROR


def test_activities_inside_a_trace_share_its_trace_id(
    recorder: ActivityRecorder, spans: InMemorySpanExporter
) -> None:
    with recorder.trace("task scrape", **{"task.name": "scrape"}):
        recorder.record(ActivityType.SYSTEM_EVENT, "Could not scrape http://a/")
        recorder.record(ActivityType.SCRAPE, "Scraped 1 of 2 sources: 3 channels, 0 new")

    failure, summary, task = spans.get_finished_spans()
    assert task.name == "task scrape"
    assert (task.attributes or {})["task.name"] == "scrape"
    assert "activity.type" not in (task.attributes or {})
    assert failure.context.trace_id == summary.context.trace_id == task.context.trace_id
    assert failure.parent is not None
    assert failure.parent.span_id == task.context.span_id


@pytest.mark.parametrize(
    ("minimum", "kept"),
    [
        (ActivityLevel.INFO, ("info", "warning", "error")),
        (ActivityLevel.WARNING, ("warning", "error")),
        (ActivityLevel.ERROR, ("error",)),
    ],
)
def test_levels_at_least_keeps_the_level_and_the_more_serious_ones(
    minimum: ActivityLevel, kept: tuple[str, ...]
) -> None:
    assert levels_at_least(minimum) == kept
