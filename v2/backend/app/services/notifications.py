"""Notifications: the targets and the mute, the messages decided from the state changes
(`domain.notifications`) into the outbox, and their delivery through Apprise with retries.

Targets are NOTIFY_URLS until the list is first replaced through the API; from then on the
stored list (`app_settings`, kept across restarts) is used, and NOTIFY_URLS is ignored.
`run` is the `notifications` task's body: it runs under the task's lease, one replica at a
time, and each message is also claimed on its own before it is sent, so a message reaches a
target once however many replicas decide and send.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.domain.notifications import RECOVERY_EVENTS, Change, Message, Policy, Sent, decide
from app.exceptions import InvalidInput
from app.models import NotificationMessage
from app.repositories import activity as activity_repository
from app.repositories import channels as channels_repository
from app.repositories import notifications as repository
from app.repositories import settings as settings_repository
from app.schemas.notifications import (
    NotificationMessageRead,
    NotificationsOverview,
    NotificationTestResults,
    TargetResult,
)
from app.services.notification_conditions import ERROR_SPIKE_WINDOW, ServiceConditions
from app.services.notification_sender import AppriseSender, Delivery
from app.services.notification_text import compose
from app.utils.activity import ActivityLevel, ActivityRecorder, ActivityType
from app.utils.apprise_urls import fingerprint, url_problem
from app.utils.cancel import CancelToken
from app.utils.redaction import redact_text

TARGETS_KEY = "notify_targets"
MUTED_UNTIL_KEY = "notify_muted_until"
# State changes and decided messages read per decision (a week of a flapping stream's changes
# is a few thousand rows); a problem longer than this is told again as a new one, a weekly
# reminder. Finished messages older than this are deleted.
LOOKBACK = timedelta(days=7)
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=30)
# How long a claimed message stays out of other senders' reach: longer than one attempt to
# every target can take.
CLAIM = timedelta(minutes=5)
SENDS_PER_RUN = 50
RECENT_MESSAGES = 20


@dataclass(frozen=True)
class NotifySettings:
    default_targets: tuple[str, ...]
    grace: timedelta
    reminder: timedelta | None
    events: frozenset[str]
    dashboard_url: str


class NotificationService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: ActivityRecorder,
        settings: NotifySettings,
        sender: AppriseSender,
    ) -> None:
        self._sessions = session_factory
        self._recorder = recorder
        self._settings = settings
        self._sender = sender
        self._conditions = ServiceConditions()
        self._dropped_rows: Callable[[], int] = lambda: 0

    def watch_dropped_rows(self, count: Callable[[], int]) -> None:
        """Read the activity rows dropped so far (a counter) from `count`."""
        self._dropped_rows = count

    # Targets and mute.

    def targets(self) -> list[str]:
        """The target URLs, secrets included: for sending only."""
        with self._sessions() as session:
            return self._targets(session)

    def _targets(self, session: Session) -> list[str]:
        stored = settings_repository.get_values(session, [TARGETS_KEY])
        return list(stored.get(TARGETS_KEY, self._settings.default_targets))

    def replace_targets(self, urls: Sequence[str], *, user: str | None, now: datetime) -> None:
        """Replace the target list (kept across restarts). InvalidInput names the first URL
        Apprise cannot use (`urls[i]`) and why; nothing is changed then."""
        for index, url in enumerate(urls):
            problem = url_problem(url)
            if problem is not None:
                raise InvalidInput(("body", "urls", str(index)), problem)
        with self._sessions.begin() as session:
            settings_repository.upsert_values(session, {TARGETS_KEY: list(urls)}, now=now)
        self._recorder.record(
            ActivityType.USER_ACTION,
            f"Notification targets replaced: {len(urls)} target(s)",
            details={"targets": [redact_text(url) for url in urls]},
            user=user,
        )

    def muted_until(self, now: datetime) -> datetime | None:
        """When the mute ends; None if not muted (or the mute is over)."""
        with self._sessions() as session:
            return self._muted_until(session, now)

    @staticmethod
    def _muted_until(session: Session, now: datetime) -> datetime | None:
        stored = settings_repository.get_values(session, [MUTED_UNTIL_KEY]).get(MUTED_UNTIL_KEY)
        until = None if stored is None else datetime.fromisoformat(stored)
        return until if until is not None and until > now else None

    def mute(self, until: datetime, *, user: str | None, now: datetime) -> None:
        """Send nothing until `until`; what is decided meanwhile is kept as muted."""
        with self._sessions.begin() as session:
            settings_repository.upsert_values(
                session, {MUTED_UNTIL_KEY: until.isoformat()}, now=now
            )
        self._recorder.record(
            ActivityType.USER_ACTION,
            f"Notifications muted until {until.isoformat()}",
            details={"muted_until": until.isoformat()},
            user=user,
        )

    def unmute(self, *, user: str | None, now: datetime) -> None:
        with self._sessions.begin() as session:
            settings_repository.upsert_values(session, {MUTED_UNTIL_KEY: None}, now=now)
        self._recorder.record(ActivityType.USER_ACTION, "Notifications unmuted", user=user)

    # Reads and the test message.

    def overview(self, now: datetime) -> NotificationsOverview:
        """Targets (redacted), the mute and the latest messages with their outcome."""
        with self._sessions() as session:
            return NotificationsOverview(
                targets=[redact_text(url) for url in self._targets(session)],
                muted_until=self._muted_until(session, now),
                messages=[
                    NotificationMessageRead.model_validate(row)
                    for row in repository.recent(session, limit=RECENT_MESSAGES)
                ],
            )

    def send_test(self, *, user: str | None) -> NotificationTestResults:
        """Send a test message to every target now (muted or not) and say what each answered."""
        title = "Test notification from acestream-scraper"
        body = f"Notifications reach you here. Dashboard: {self._settings.dashboard_url}/"
        results = []
        for url in self.targets():
            delivery = self._sender.send(url, title, body, problem=False)
            self._record_attempt(url, delivery, event="test", title=title, user=user)
            results.append(
                TargetResult(target=redact_text(url), ok=delivery.ok, detail=delivery.detail)
            )
        return NotificationTestResults(results=results)

    # The task: decide, then deliver.

    def run(self, now: datetime, cancel: CancelToken) -> dict[str, Any]:
        """Decide what to notify at `now` into the outbox, then send the messages due."""
        decided = self.decide(now)
        sent, failed = self.deliver(now, cancel)
        return {"decided": decided, "delivered": sent, "attempts_failed": failed}

    def decide(self, now: datetime) -> int:
        """Store the messages to send at `now`; return how many were decided."""
        with self._sessions() as session:
            errors = activity_repository.count_activity_since(
                session, ActivityType.ERROR.value, now - ERROR_SPIKE_WINDOW
            )
        self._conditions.observe(now, errors=errors, dropped_total=self._dropped_rows())
        with self._sessions.begin() as session:
            changes = [
                Change(c.kind, c.name, c.from_state, c.to_state, c.changed_at, c.reason)
                for c in repository.changes_since(session, now - LOOKBACK)
            ]
            sent = {
                row.key: Sent(decided_at=row.decided_at, muted=row.status == "muted")
                for row in repository.decided_since(session, now - LOOKBACK)
            }
            policy = Policy(
                grace=self._settings.grace,
                reminder=self._settings.reminder,
                events=self._settings.events,
                muted=self._muted_until(session, now) is not None,
            )
            messages = decide(changes + self._conditions.changes(), now, policy, sent)
            # A stream is stored by its id; a person reads its channel's name.
            names = channels_repository.names_by_id(
                session, [message.name for message in messages if message.kind == "stream"]
            )
            shown = [
                replace(message, name=names.get(message.name, message.name))
                if message.kind == "stream"
                else message
                for message in messages
            ]
            repository.insert_new(session, [self._row(message, now) for message in shown])
            repository.delete_decided_before(session, now - LOOKBACK)
        return len(messages)

    def _row(self, message: Message, now: datetime) -> dict[str, Any]:
        title, body = compose(message, now, self._settings.dashboard_url)
        return {
            "key": message.key,
            "event": message.event,
            "title": title,
            "body": body,
            "decided_at": now,
            "status": "muted" if message.muted else "pending",
            "attempts": 0,
            "next_attempt_at": None,
            "delivered_to": [],
        }

    def deliver(self, now: datetime, cancel: CancelToken) -> tuple[int, int]:
        """Send the pending messages that are due (nothing while muted) to the targets that
        have not taken them yet. Return (messages delivered, attempts failed)."""
        with self._sessions() as session:
            if self._muted_until(session, now) is not None:
                return 0, 0
            targets = self._targets(session)
            due = repository.due_ids(session, now, limit=SENDS_PER_RUN)
        delivered = failed = 0
        for message_id in due:
            if cancel.cancelled:
                break
            with self._sessions.begin() as session:
                if not repository.claim(session, message_id, now, until=now + CLAIM):
                    continue  # another sender has it
                message = repository.get(session, message_id)
                assert message is not None
                session.expunge(message)
            failures = self._send_to_targets(message, targets)
            failed += len(failures)
            delivered += bool(targets) and not failures
            with self._sessions.begin() as session:
                stored = repository.get(session, message_id)
                assert stored is not None
                self._settle(stored, message.delivered_to, failures, targets, now)
        return delivered, failed

    def _send_to_targets(self, message: NotificationMessage, targets: list[str]) -> list[str]:
        """Send `message` to each target that has not taken it, updating `delivered_to`;
        return the failing targets' answers."""
        failures = []
        delivered_to = list(message.delivered_to)
        for url in targets:
            if fingerprint(url) in delivered_to:
                continue
            problem = message.event not in RECOVERY_EVENTS
            delivery = self._sender.send(url, message.title, message.body, problem=problem)
            self._record_attempt(url, delivery, event=message.event, title=message.title)
            if delivery.ok:
                delivered_to.append(fingerprint(url))
            else:
                failures.append(f"{redact_text(url)}: {delivery.detail}")
        message.delivered_to = delivered_to
        return failures

    @staticmethod
    def _settle(
        row: NotificationMessage,
        delivered_to: list[str],
        failures: list[str],
        targets: list[str],
        now: datetime,
    ) -> None:
        row.delivered_to = delivered_to
        row.attempts += 1
        if not targets:
            row.status, row.last_error, row.finished_at = "skipped", "no targets", now
        elif not failures:
            row.status, row.finished_at, row.next_attempt_at = "sent", now, None
        else:
            row.last_error = "; ".join(failures)
            if row.attempts >= MAX_ATTEMPTS:
                row.status, row.finished_at = "failed", now
            else:
                row.next_attempt_at = now + min(
                    FIRST_RETRY * 2 ** (row.attempts - 1), LONGEST_RETRY
                )

    def _record_attempt(
        self, url: str, delivery: Delivery, *, event: str, title: str, user: str | None = None
    ) -> None:
        target = redact_text(url)
        self._recorder.record(
            ActivityType.NOTIFICATION,
            f"Notification '{title}' sent to {target}"
            if delivery.ok
            else f"Notification '{title}' to {target} failed: {delivery.detail}",
            details={
                "target": target,
                "event": event,
                "ok": delivery.ok,
                "detail": delivery.detail,
            },
            user=user,
            level=ActivityLevel.INFO if delivery.ok else ActivityLevel.WARNING,
        )
