"""Notifications end to end: state changes in the database, the real decision and outbox, real
Apprise sending to a JSON webhook and an SMTP server on 127.0.0.1, with an injected clock."""

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.main import create_app
from app.models import ActivityLog, NotificationMessage, StateChange
from app.repositories import channels as channels_repository
from app.services.notifications import NotificationService
from app.utils.cancel import CancelToken
from tests.conftest import SettingsFactory
from tests.factories import make_activity
from tests.fakes.notify_receivers import Mailbox, Webhook, serve_mailbox, serve_webhook

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
MAIL_PASSWORD = "mail-pass-9f3k"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def hook() -> Iterator[Webhook]:
    with serve_webhook() as webhook:
        yield webhook


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with serve_mailbox() as box:
        yield box


@pytest.fixture
def client(make_settings: SettingsFactory, hook: Webhook) -> Iterator[TestClient]:
    settings = make_settings(notify_urls=hook.url, public_url="http://dashboard.lan:8000")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def service_of(client: TestClient) -> NotificationService:
    service: NotificationService = client.app.state.services.notifications  # type: ignore[attr-defined]
    return service


def add_changes(engine: Engine, *changes: tuple[str, str, str, float, str | None]) -> None:
    """(kind, name, to_state, seconds after T0, reason) each; from_state follows on."""
    with Session(engine) as session, session.begin():
        for kind, name, state, seconds, reason in changes:
            previous = session.scalars(
                select(StateChange.to_state)
                .where(StateChange.kind == kind, StateChange.name == name)
                .order_by(StateChange.changed_at.desc())
            ).first()
            session.add(
                StateChange(
                    kind=kind,
                    name=name,
                    from_state=previous,
                    to_state=state,
                    changed_at=at(seconds),
                    reason=reason,
                )
            )


def run(client: TestClient, seconds: float) -> dict[str, Any]:
    return service_of(client).run(at(seconds), CancelToken())


def outbox(engine: Engine) -> list[NotificationMessage]:
    with Session(engine) as session:
        return list(session.scalars(select(NotificationMessage).order_by(NotificationMessage.id)))


def notification_rows(engine: Engine) -> list[ActivityLog]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(ActivityLog)
                .where(ActivityLog.type == "notification")
                .order_by(ActivityLog.id)
            )
        )


def titles(hook: Webhook) -> list[str]:
    return [message["title"] for message in hook.received]


def test_a_problem_is_sent_once_after_the_grace_to_webhook_and_mailbox(
    make_settings: SettingsFactory, hook: Webhook, mailbox: Mailbox
) -> None:
    settings = make_settings(
        notify_urls=f"{hook.url},{mailbox.url(MAIL_PASSWORD)}",
        public_url="http://dashboard.lan:8000",
    )
    with TestClient(create_app(settings)) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        add_changes(engine, ("peer", "acexy", "up", -1000, None))
        add_changes(engine, ("peer", "acexy", "down", 0, "connection refused"))
        run(client, 59)
        assert hook.received == []
        assert run(client, 60) == {"decided": 1, "delivered": 1, "attempts_failed": 0}
        run(client, 70)
        run(client, 600)
        rows = notification_rows(engine)  # while the app's engine is open

    [message] = hook.received
    assert message["title"] == "acexy is down"
    assert message["type"] == "failure"
    assert message["message"] == (
        "acexy is down since 2026-12-01 12:00 UTC (1 min ago).\n"
        "Why: connection refused\n"
        "Dashboard: http://dashboard.lan:8000/"
    )
    [mail] = mailbox.messages
    assert mail["Subject"] == "acexy is down"
    assert [(row.level, row.message) for row in rows] == [
        ("info", f"Notification 'acexy is down' sent to {hook.url}"),
        (
            "info",
            "Notification 'acexy is down' sent to "
            + mailbox.url("[REDACTED]").replace("alerts:[REDACTED]", "[REDACTED]"),
        ),
    ]
    assert all(MAIL_PASSWORD not in f"{row.message} {row.details}" for row in rows)


def test_a_blip_shorter_than_the_grace_sends_nothing(client: TestClient, hook: Webhook) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    add_changes(
        engine,
        ("task", "scrape", "ok", -1000, None),
        ("task", "scrape", "failing", 0, "HTTP 500"),
        ("task", "scrape", "ok", 30, None),
    )
    for seconds in (10, 40, 60, 120, 4000):
        run(client, seconds)
    assert hook.received == []
    assert outbox(engine) == []


def test_recovery_and_reminders_follow_a_told_incident(
    make_settings: SettingsFactory, hook: Webhook
) -> None:
    settings = make_settings(notify_urls=hook.url, notify_reminder_hours=1)
    with TestClient(create_app(settings)) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        add_changes(engine, ("peer", "warp", "connected", -1000, None))
        add_changes(engine, ("peer", "warp", "disconnected", 0, "Status update: Disconnected"))
        run(client, 60)
        run(client, 60 + 3599)
        run(client, 60 + 3600)
        run(client, 60 + 3700)
        add_changes(engine, ("peer", "warp", "connected", 5000, None))
        run(client, 5030)
        run(client, 5060)
        run(client, 9000)
    assert titles(hook) == [
        "WARP is disconnected",
        "Still: wARP is disconnected",
        "WARP is connected again",
    ]
    assert hook.received[2]["type"] == "success"


def test_a_stream_stalled_past_the_grace_is_told_by_its_channel_then_its_recovery(
    client: TestClient, hook: Webhook
) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    la1, other = "a" * 40, "b" * 40
    row = {"content_id": la1, "id_kind": "content_id", "name": "La 1 HD", "group_title": None,
           "tvg_logo": None, "tvg_id": None, "source_url": "http://list", "first_seen": T0,
           "last_seen": T0}  # fmt: skip
    with Session(engine) as session, session.begin():
        channels_repository.upsert_channels(session, [row])
    stalled = "No peers or no download for 2 minutes"
    add_changes(
        engine,
        ("stream", la1, "playing", -1000, None),
        ("stream", la1, "stalled", 0, stalled),
        ("stream", la1, "playing", 100, None),
        # Another stream stalls, then ends before the grace: nothing about it, ever.
        ("stream", other, "playing", -1000, None),
        ("stream", other, "stalled", 0, stalled),
        ("stream", other, "ended", 30, "acexy no longer serves it"),
    )
    run(client, 59)
    assert hook.received == []
    run(client, 60)
    run(client, 159)  # playing again, not yet for the grace
    run(client, 160)
    run(client, 3600)

    assert titles(hook) == ["Stream La 1 HD stalled", "Stream La 1 HD plays again"]
    assert f"Why: {stalled}" in hook.received[0]["message"]


def test_a_failing_receiver_is_retried_with_backoff_and_others_are_not_sent_twice(
    make_settings: SettingsFactory, hook: Webhook, mailbox: Mailbox
) -> None:
    settings = make_settings(notify_urls=f"{hook.url},{mailbox.url(MAIL_PASSWORD)}")
    hook.statuses = [500]
    with TestClient(create_app(settings)) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        add_changes(engine, ("task", "epg_refresh", "overdue", 0, "no run for 7 h"))
        assert run(client, 60) == {"decided": 1, "delivered": 0, "attempts_failed": 1}
        [pending] = outbox(engine)
        assert (pending.status, pending.attempts, pending.next_attempt_at) == (
            "pending",
            1,
            at(90),
        )
        run(client, 89)
        assert hook.attempts == 1
        assert run(client, 90) == {"decided": 0, "delivered": 1, "attempts_failed": 0}
        run(client, 1000)
        [sent] = outbox(engine)
        levels = [row.level for row in notification_rows(engine)]
    assert hook.attempts == 2
    assert titles(hook) == ["Task epg_refresh is overdue"]
    assert len(mailbox.messages) == 1
    assert (sent.status, sent.attempts, sent.finished_at) == ("sent", 2, at(90))
    assert sent.last_error is not None
    assert "error=500" in sent.last_error
    assert levels == ["warning", "info", "info"]


def test_a_message_fails_after_the_last_attempt(client: TestClient, hook: Webhook) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    hook.statuses = [500] * 10
    add_changes(engine, ("peer", "engine", "down", 0, "timed out"))
    now = 60.0
    for _ in range(8):
        run(client, now)
        now += 1800  # past every backoff (30 s, 1 min, ... 8 min), short of a reminder
    [failed] = outbox(engine)
    assert (failed.status, failed.attempts) == ("failed", 6)
    assert hook.attempts == 6


def test_flapping_sends_one_message(client: TestClient, hook: Webhook) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    add_changes(engine, ("peer", "acexy", "up", -5000, None))
    # A change every 10 s: the fifth (at 40 s) comes before the first down has lasted the grace.
    for index in range(12):
        add_changes(engine, ("peer", "acexy", "down" if index % 2 == 0 else "up", 10 * index, None))
        run(client, 10 * index + 5)
    run(client, 300)
    assert titles(hook) == ["acexy is flapping"]


def test_muted_messages_are_never_sent_even_after_unmuting(
    client: TestClient, hook: Webhook
) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    service = service_of(client)
    service.mute(at(3600), user=None, now=at(0))
    add_changes(engine, ("task", "scrape", "failing", 0, "every source failed"))
    run(client, 60)
    assert service.muted_until(at(60)) == at(3600)
    service.unmute(user=None, now=at(120))
    run(client, 180)
    add_changes(engine, ("task", "scrape", "ok", 200, None))
    run(client, 300)
    assert hook.received == []
    assert [row.status for row in outbox(engine)] == ["muted"]


def test_an_error_spike_is_told_after_the_grace_and_its_end_too(
    client: TestClient, hook: Webhook
) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with Session(engine) as session:
        for index in range(26):  # the alert's condition: more than 5 a minute over 5 minutes
            make_activity(
                session, type="error", level="error", timestamp=at(-index), message=f"e{index}"
            )
    run(client, 0)
    run(client, 59)
    assert hook.received == []
    run(client, 60)
    run(client, 275)  # the 26 rows (at -25 s to 0 s) within the last 5 minutes, the last time
    run(client, 276)
    run(client, 335)
    assert titles(hook) == ["Errors are piling up in the activity log"]
    assert "26 error rows in the activity log in the last 5 minutes" in hook.received[0]["message"]
    run(client, 336)
    assert titles(hook)[1:] == ["The error spike is over"]


def test_two_replicas_send_each_message_once(make_settings: SettingsFactory, hook: Webhook) -> None:
    settings = make_settings(notify_urls=hook.url)
    with (
        TestClient(create_app(settings)) as first,
        TestClient(create_app(settings)) as second,
    ):
        engine = first.app.state.engine  # type: ignore[attr-defined]
        add_changes(engine, ("peer", "acexy", "down", 0, "connection refused"))
        add_changes(engine, ("task", "scrape", "failing", 0, "HTTP 500"))
        start = threading.Barrier(2)

        def replica(client: TestClient) -> None:
            start.wait()
            for seconds in (60, 70, 80):
                run(client, seconds)

        threads = [threading.Thread(target=replica, args=(c,)) for c in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = [row.status for row in outbox(engine)]
    assert sorted(titles(hook)) == ["Task scrape is failing", "acexy is down"]
    assert statuses == ["sent", "sent"]
