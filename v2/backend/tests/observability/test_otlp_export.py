from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import SettingsFactory
from tests.fakes.otlp import receive_otlp


def test_activity_and_request_spans_reach_the_otlp_collector(
    make_settings: SettingsFactory,
) -> None:
    with receive_otlp() as collector:
        settings = make_settings(otel_exporter_otlp_endpoint=collector.endpoint)
        with TestClient(create_app(settings)) as client:
            client.put("/api/v1/config/dashboard", json={"retention_days": 5})
        # Stopping the app flushed the exporters: nothing is left in a queue.

    assert set(collector.paths) == {"/v1/traces"}
    events = {
        collector.attributes(span)["activity.message"]
        for span in collector.spans
        if span.name == "activity system_event"
    }
    assert {"Service started", "Service stopping"} <= events
    by_name = {span.name: span for span in collector.spans}
    change = by_name["activity user_action"]
    assert collector.attributes(change)["activity.type"] == "user_action"
    # Its row was stored with the change: the span still goes out, saying so.
    values = {item.key: item.value for item in change.attributes}
    assert values["activity.stored"].bool_value is True
    request = by_name["PUT /api/v1/config/dashboard"]
    # The activity span is a child of the request that caused it.
    assert change.trace_id == request.trace_id
