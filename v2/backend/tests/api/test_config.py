import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from tests.conftest import SettingsFactory
from tests.factories import all_activity

URL = "/api/v1/config/dashboard"
DEFAULTS = {"retention_days": 7, "refresh_interval_seconds": 30, "auto_refresh_enabled": True}


def test_get_config_answers_defaults_on_a_fresh_install(client: TestClient) -> None:
    response = client.get(URL)

    assert response.status_code == 200
    assert response.json() == DEFAULTS


def test_put_config_changes_a_subset_and_answers_the_whole_config(client: TestClient) -> None:
    response = client.put(URL, json={"retention_days": 0, "auto_refresh_enabled": False})

    assert response.status_code == 200
    expected = DEFAULTS | {"retention_days": 0, "auto_refresh_enabled": False}
    assert response.json() == expected
    assert client.get(URL).json() == expected


def test_put_config_survives_a_restart(make_settings: SettingsFactory) -> None:
    with TestClient(create_app(make_settings())) as first:
        first.put(URL, json={"refresh_interval_seconds": 600})

    with TestClient(create_app(make_settings())) as second:
        assert second.get(URL).json() == DEFAULTS | {"refresh_interval_seconds": 600}


def test_put_config_records_the_change_as_a_user_action(
    client: TestClient, session: Session
) -> None:
    client.put(URL, json={"retention_days": 14, "refresh_interval_seconds": 30})

    [action] = [row for row in all_activity(session) if row.type == "user_action"]
    assert action.message == "Dashboard configuration changed: retention_days"
    assert action.details == {"changes": {"retention_days": {"old": 7, "new": 14}}}
    assert action.user is None
    assert action.level == "info"


def test_put_config_is_audited_even_when_the_caller_asks_not_to_sample_its_trace(
    client: TestClient, session: Session
) -> None:
    unsampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"

    client.put(URL, json={"retention_days": 14}, headers={"traceparent": unsampled})

    [action] = [row for row in all_activity(session) if row.type == "user_action"]
    assert action.trace_id == "0af7651916cd43dd8448eb211c80319c"


def test_put_config_that_changes_nothing_records_nothing(
    client: TestClient, session: Session
) -> None:
    response = client.put(URL, json={"retention_days": 7})

    assert response.json() == DEFAULTS
    assert [row for row in all_activity(session) if row.type == "user_action"] == []


@pytest.mark.parametrize(
    ("body", "loc", "reason"),
    [
        ({"retention_days": 31}, ["body", "retention_days"], "less than or equal to 30"),
        ({"retention_days": -1}, ["body", "retention_days"], "greater than or equal to 0"),
        ({"retention_days": "7"}, ["body", "retention_days"], "must be a whole number"),
        ({"retention_days": 7.5}, ["body", "retention_days"], "fractional part"),
        ({"retention_days": True}, ["body", "retention_days"], "must be a whole number"),
        ({"retention_days": None}, ["body", "retention_days"], "must not be null"),
        ({"refresh_interval_seconds": 9}, ["body", "refresh_interval_seconds"], "greater than"),
        ({"refresh_interval_seconds": 601}, ["body", "refresh_interval_seconds"], "less than"),
        ({"auto_refresh_enabled": "yes"}, ["body", "auto_refresh_enabled"], "valid boolean"),
        ({"auto_refresh_enabled": 1}, ["body", "auto_refresh_enabled"], "valid boolean"),
        ({"colour": "red"}, ["body", "colour"], "Extra inputs are not permitted"),
        ([1, 2], ["body"], "valid dictionary"),
    ],
)
def test_put_config_rejects_bad_input_with_422_and_changes_nothing(
    client: TestClient, body: object, loc: list[str], reason: str
) -> None:
    response = client.put(URL, json=body)

    assert response.status_code == 422
    errors = response.json()["detail"]
    assert [error["loc"] for error in errors] == [loc]
    assert reason in errors[0]["msg"]
    assert client.get(URL).json() == DEFAULTS


def test_put_config_takes_a_whole_number_written_as_a_float(client: TestClient) -> None:
    response = client.put(URL, json={"retention_days": 3.0})

    assert response.json()["retention_days"] == 3


def test_put_config_applies_nothing_when_one_field_is_bad(client: TestClient) -> None:
    response = client.put(URL, json={"refresh_interval_seconds": 60, "retention_days": 99})

    assert response.status_code == 422
    assert client.get(URL).json() == DEFAULTS


def test_put_config_rejects_malformed_json_with_422(client: TestClient) -> None:
    response = client.put(
        URL, content=b'{"retention_days": 3', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "json_invalid"
    assert error["loc"][0] == "body"


def test_retention_change_notifies_listeners_once(app: FastAPI) -> None:
    seen: list[int] = []
    with TestClient(app) as client:
        app.state.services.config.on_retention_change(seen.append)
        client.put(URL, json={"retention_days": 1})
        client.put(URL, json={"retention_days": 1})
        client.put(URL, json={"auto_refresh_enabled": False})

    assert seen == [1]


def test_a_200_on_a_config_change_means_its_audit_row_is_committed(
    make_settings: SettingsFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed right after answering loses its activity queue, never the audit row:
    the row is written in the change's own transaction. Here the batch exporter waits ten
    minutes, so only that transaction can have written it; the span still reaches the
    exporter at the stop, which counts it without storing it twice."""
    monkeypatch.setenv("OTEL_BSP_SCHEDULE_DELAY", "600000")
    app = create_app(make_settings(activity_export="batch"))
    with TestClient(app) as client:
        response = client.put(URL, json={"retention_days": 3})
        with Session(app.state.engine) as session:
            [action] = [row for row in all_activity(session) if row.type == "user_action"]

    assert response.status_code == 200
    assert action.details == {"changes": {"retention_days": {"old": 7, "new": 3}}}
    assert action.trace_id is not None
    with TestClient(create_app(make_settings())) as client:
        items = client.get("/api/v1/activity/recent", params={"type": "user_action"}).json()
        histogram = client.get("/api/v1/activity/histogram").json()
    assert [item["id"] for item in items["items"]] == [action.id]
    assert sum(bucket["counts"].get("user_action", 0) for bucket in histogram["buckets"]) == 1
