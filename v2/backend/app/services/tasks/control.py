"""Pausing and resuming tasks, on every replica, each change with its audit row."""

from collections.abc import Callable

from opentelemetry.sdk.trace import Span as RecordingSpan
from sqlalchemy.orm import Session, sessionmaker

from app.observability.activity_exporter import store_span
from app.repositories import tasks as tasks_repository
from app.services.tasks.definition import TaskCatalog
from app.utils.activity import ActivityRecorder, ActivityType

# Called with (task name, paused) so the scheduler can follow pause and resume.
PauseListener = Callable[[str, bool], None]


class TaskControl:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        recorder: ActivityRecorder,
        catalog: TaskCatalog,
    ) -> None:
        self._sessions = session_factory
        self._recorder = recorder
        self._catalog = catalog
        self._pause_listeners: list[PauseListener] = []

    def on_pause_change(self, listener: PauseListener) -> None:
        """Call `listener(name, paused)` after a pause or resume is committed."""
        self._pause_listeners.append(listener)

    def set_paused(self, name: str, *, paused: bool, user: str | None) -> None:
        """Pause or resume `name` on every replica; records the change as a user action.
        NotFound for an unknown task."""
        self._catalog.get(name)
        verb = "Paused" if paused else "Resumed"
        with self._sessions.begin() as session:
            tasks_repository.set_paused(session, name, paused=paused)
            audit = store_user_action(self._recorder, session, f"{verb} task {name}", name, user)
        audit.end()
        for listener in self._pause_listeners:
            listener(name, paused)


def store_user_action(
    recorder: ActivityRecorder, session: Session, message: str, task: str, user: str | None
) -> RecordingSpan:
    """Write a user action's row in the caller's transaction, so that once the change is
    answered its audit row is committed; the caller ends the span after the commit."""
    span = recorder.start_stored(
        ActivityType.USER_ACTION, message, details={"task": task}, user=user
    )
    store_span(session, span)
    return span
