from fastapi.testclient import TestClient
from sqlalchemy import create_engine


def test_healthz_answers_ok(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_ready_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "reason": None}


def test_readyz_answers_503_with_the_reason_when_the_database_is_gone(
    client: TestClient,
) -> None:
    # Port 1 on loopback refuses at once: a database that went away.
    gone = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/test")
    client.app.state.engine = gone  # type: ignore[attr-defined]

    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["reason"].startswith("database unreachable: ")
    assert "127.0.0.1" in body["reason"]
    gone.dispose()
