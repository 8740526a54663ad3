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
