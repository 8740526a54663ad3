"""Waiting for task runs through the engine's own events (`TaskEvents`), not by polling."""

import threading
from collections import Counter

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.models import TaskRun
from app.services.tasks.events import TaskEvents

WAIT_SECONDS = 30.0


class RunWatcher:
    """Counts, by task, the runs finished and the scheduled slots handled since it subscribed.

    Subscribe before what you wait for can happen: before the app starts to see the runs the
    scheduler starts at once, before the request for a run started by it. A watcher made
    before the app starts hears of a run before the app's own subscribers (the metrics) do:
    read `/metrics` after a watcher made once the app has started.
    """

    def __init__(self, events: TaskEvents) -> None:
        self._changed = threading.Condition()
        self._runs: Counter[str] = Counter()
        self._slots: Counter[str] = Counter()
        events.on_run_finished(self._run_finished)
        events.on_slot_handled(self._slot_handled)

    @classmethod
    def on(cls, app: FastAPI | TestClient) -> "RunWatcher":
        """A watcher of the runs of `app`, or of the app `app` tests (started or not)."""
        target = app.app if isinstance(app, TestClient) else app
        assert isinstance(target, FastAPI)
        events: TaskEvents = target.state.task_events
        return cls(events)

    def _run_finished(self, run: TaskRun) -> None:
        with self._changed:
            self._runs[run.task_name] += 1
            self._changed.notify_all()

    def _slot_handled(self, name: str) -> None:
        with self._changed:
            self._slots[name] += 1
            self._changed.notify_all()

    def finished(self, name: str) -> int:
        """Runs of `name` finished so far."""
        with self._changed:
            return self._runs[name]

    def wait_for_runs(self, name: str, count: int, timeout: float = WAIT_SECONDS) -> bool:
        """Block until `count` runs of `name` have finished; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._runs[name] >= count, timeout)

    def wait_for_slots(self, name: str, count: int, timeout: float = WAIT_SECONDS) -> bool:
        """Block until `count` scheduled slots of `name` were handled (run here, or found
        taken by another replica); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self._slots[name] >= count, timeout)
