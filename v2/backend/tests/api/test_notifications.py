"""/api/v1/notifications: targets (kept, validated, redacted), mute, and the test message."""

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import ActivityLog, StateChange
from app.utils.cancel import CancelToken
from tests.conftest import SettingsFactory
from tests.fakes.notify_receivers import serve_webhook

TOKEN = "notify-test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SECRETS = ("123456789:AAHbotTokenSecret", "mail-pass-7x", "jsontoken42", "WebhookTokenXYZ")
TARGETS = [
    f"tgram://{SECRETS[0]}/987654",
    f"mailto://user:{SECRETS[1]}@mail.example.org",
    f"json://hooks.example.org/path?token={SECRETS[2]}",
    f"discord://4174216298/{SECRETS[3]}",
]


@pytest.fixture
def client(make_settings: SettingsFactory) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(api_token=TOKEN))) as test_client:
        yield test_client


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def activity_text(client: TestClient) -> str:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        rows = session.scalars(select(ActivityLog)).all()
        return "\n".join(f"{row.message} {row.details}" for row in rows)


def test_targets_are_replaced_shown_redacted_and_kept_across_restarts(
    make_settings: SettingsFactory, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(api_token=TOKEN)
    caplog.set_level(logging.DEBUG)
    with TestClient(create_app(settings)) as client:
        response = client.put("/api/v1/notifications/targets", json={"urls": TARGETS}, headers=AUTH)
        assert response.status_code == 200, response.text
        assert response.json()["targets"] == [
            "tgram://[REDACTED]",
            "mailto://[REDACTED]@mail.example.org",
            "json://hooks.example.org/path?token=[REDACTED]",
            "discord://[REDACTED]",
        ]
        assert_no_secret(response.text)
        assert_no_secret(activity_text(client))
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/v1/notifications")
        assert response.status_code == 200
        assert len(response.json()["targets"]) == 4
        assert_no_secret(response.text)
    assert_no_secret(caplog.text)


def test_notify_urls_are_the_targets_until_the_list_is_replaced(
    make_settings: SettingsFactory,
) -> None:
    settings = make_settings(api_token=TOKEN, notify_urls="ntfy://alerts-topic")
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/notifications").json()["targets"] == ["ntfy://[REDACTED]"]
        client.put("/api/v1/notifications/targets", json={"urls": []}, headers=AUTH)
        assert client.get("/api/v1/notifications").json()["targets"] == []


def test_put_targets_rejects_a_url_apprise_cannot_use_with_422_naming_it(
    client: TestClient,
) -> None:
    response = client.put(
        "/api/v1/notifications/targets",
        json={"urls": ["ntfy://topic", "https://example.org/hook"]},
        headers=AUTH,
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "urls", "1"]
    assert "scheme https://" in error["msg"]
    assert client.get("/api/v1/notifications").json()["targets"] == []


def test_changes_need_the_token(client: TestClient) -> None:
    assert client.put("/api/v1/notifications/targets", json={"urls": []}).status_code == 401
    assert client.put("/api/v1/notifications/mute", json={"minutes": 5}).status_code == 401
    assert client.delete("/api/v1/notifications/mute").status_code == 401
    assert client.post("/api/v1/notifications/test").status_code == 401


def test_mute_for_minutes_or_until_a_time_then_unmute(client: TestClient) -> None:
    before = datetime.now(UTC)
    response = client.put("/api/v1/notifications/mute", json={"minutes": 30}, headers=AUTH)
    assert response.status_code == 200
    until = datetime.fromisoformat(response.json()["muted_until"])
    assert before + timedelta(minutes=30) <= until <= datetime.now(UTC) + timedelta(minutes=30)

    later = (before + timedelta(hours=2)).replace(microsecond=0)
    response = client.put(
        "/api/v1/notifications/mute", json={"until": later.isoformat()}, headers=AUTH
    )
    assert datetime.fromisoformat(response.json()["muted_until"]) == later

    response = client.delete("/api/v1/notifications/mute", headers=AUTH)
    assert response.status_code == 200
    assert response.json()["muted_until"] is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"minutes": 5, "until": "2030-01-01T00:00:00Z"},
        {"minutes": 0},
        {"minutes": 10081},
        {"until": "2030-01-01"},
        {"until": "2020-01-01T00:00:00Z"},
        {"until": "2099-01-01T00:00:00Z"},
        {"minutes": 5, "extra": 1},
    ],
)
def test_mute_rejects_bad_input_with_422(client: TestClient, body: dict[str, object]) -> None:
    response = client.put("/api/v1/notifications/mute", json=body, headers=AUTH)
    assert response.status_code == 422
    assert client.get("/api/v1/notifications").json()["muted_until"] is None


def test_send_test_answers_each_targets_outcome_and_records_it_redacted(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with serve_webhook() as good, serve_webhook() as bad:
        bad.statuses = [500]
        failing = f"json://127.0.0.1:{bad.port}/hook?token={SECRETS[2]}"
        client.put(
            "/api/v1/notifications/targets", json={"urls": [good.url, failing]}, headers=AUTH
        )
        response = client.post("/api/v1/notifications/test", headers=AUTH)
        assert response.status_code == 200
        assert response.json() == {
            "results": [
                {"target": good.url, "ok": True, "detail": "delivered"},
                {
                    "target": f"json://127.0.0.1:{bad.port}/hook?token=[REDACTED]",
                    "ok": False,
                    "detail": "Failed to send JSON POST notification: Internal server error., "
                    "error=500.",
                },
            ]
        }
        assert [message["title"] for message in good.received] == [
            "Test notification from acestream-scraper"
        ]
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        rows = session.scalars(
            select(ActivityLog).where(ActivityLog.type == "notification").order_by(ActivityLog.id)
        ).all()
    assert [(row.level, row.user, row.details["ok"]) for row in rows] == [
        ("info", "api-token", True),
        ("warning", "api-token", False),
    ]
    assert_no_secret(activity_text(client))
    assert_no_secret(caplog.text)


def test_get_lists_the_latest_messages_with_their_outcome(
    make_settings: SettingsFactory,
) -> None:
    with serve_webhook() as hook:
        settings = make_settings(notify_urls=hook.url, notify_grace_seconds=0)
        with TestClient(create_app(settings)) as client:
            service = client.app.state.services.notifications  # type: ignore[attr-defined]
            engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
            now = datetime.now(UTC)
            with Session(engine) as session, session.begin():
                change = StateChange(kind="peer", name="engine", from_state="up", to_state="down")
                session.add(change)
                change.changed_at, change.reason = now, "timed out"
            service.run(now, CancelToken())
            messages = client.get("/api/v1/notifications").json()["messages"]
    # The service's own status check at start may have found the (absent) peers down too.
    [message] = [m for m in messages if m["title"] == "engine is down"]
    assert message["event"] == "peer_down"
    assert message["title"] == "engine is down"
    assert message["status"] == "sent"
    assert message["attempts"] == 1
    assert message["last_error"] is None
