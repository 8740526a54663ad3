from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import all_activity


def _explode() -> None:
    raise RuntimeError("disk on fire, password=hunter2 at postgresql://u:hunter2@db/x")


def test_unhandled_error_answers_json_500_with_the_trace_id_of_its_error_row(
    app: FastAPI,
) -> None:
    app.add_api_route("/api/v1/explode", _explode)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/explode")
        with Session(app.state.engine) as session:
            [error] = [row for row in all_activity(session) if row.type == "error"]

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    # Sent from outside the middleware, yet with the headers every answer carries.
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert (
        body["detail"] == "Internal server error; the trace id identifies it in the activity log."
    )
    assert error.trace_id == body["trace_id"]
    assert len(body["trace_id"]) == 32
    assert error.level == "error"
    assert error.message.startswith("Unhandled error in GET /api/v1/explode: RuntimeError: ")
    assert error.details["method"] == "GET"
    assert error.details["path"] == "/api/v1/explode"
    stacktrace = error.details["exception"]["stacktrace"]
    assert "Traceback (most recent call last)" in stacktrace
    assert "in _explode" in stacktrace
    assert "u:hunter2@db" not in stacktrace


def test_unknown_path_answers_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_request_spans_do_not_become_activity(client: TestClient, session: Session) -> None:
    before = len(all_activity(session))

    for _ in range(5):
        client.get("/api/v1/config/dashboard")
        client.get("/api/v1/activity/recent")

    assert len(all_activity(session)) == before


def _explode_with(request_id: int) -> None:
    raise RuntimeError(f"request {request_id} failed")


def test_repeats_of_one_error_fold_into_its_first_row_with_a_count(app: FastAPI) -> None:
    """One client repeating a bad request must not write a row per request (nor trip the
    error-spike alert, which counts rows): the repeats count on the first occurrence's row."""
    app.add_api_route("/api/v1/explode/{request_id}", _explode_with)
    app.add_api_route("/api/v1/explode", _explode)
    with TestClient(app, raise_server_exceptions=False) as client:
        answers = [client.get(f"/api/v1/explode/{n}") for n in range(1, 31)]
        client.get("/api/v1/explode")  # another error: a row of its own
        items = client.get("/api/v1/activity/recent", params={"type": "error"}).json()["items"]
        metrics = client.get("/metrics").text

    assert {answer.status_code for answer in answers} == {500}
    other, folded = items
    assert other["message"].startswith("Unhandled error in GET /api/v1/explode: RuntimeError")
    assert "repeated" not in other["details"]
    assert folded["message"] == (
        "Unhandled error in GET /api/v1/explode/1: RuntimeError: request 1 failed"
    )
    assert folded["trace_id"] == answers[0].json()["trace_id"]
    assert folded["details"]["repeated"] == 29
    assert folded["details"]["last_trace_id"] == answers[-1].json()["trace_id"]
    last_seen = datetime.fromisoformat(folded["details"]["last_seen"])
    assert last_seen > datetime.fromisoformat(folded["timestamp"])
    # Rows are counted, not occurrences; the folded repeats have a counter of their own.
    assert 'acestream_activity_events_total{type="error"} 2.0' in metrics
    assert "acestream_activity_errors_folded_total 29.0" in metrics
