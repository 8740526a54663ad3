"""What the task engine tells the rest of the service as it goes.

Two events: a run this replica finished (its outcome settled: stored, or kept to store
again), and a scheduled slot this replica handled (ran it, or found another replica had).
The metrics count the first; anything that must wait for runs (the tests) subscribes too,
instead of asking the engine for counters of its own.
"""

from collections.abc import Callable

from app.models import TaskRun

RunListener = Callable[[TaskRun], None]
SlotListener = Callable[[str], None]


class TaskEvents:
    """Subscribers of the task engine's events, called on the thread of the run, in the
    order they subscribed, after the engine has let go of the task (so a listener may start
    it again). Subscribing is safe while runs go on."""

    def __init__(self) -> None:
        # Replaced, never mutated: a publisher reads one consistent tuple without a lock.
        self._run_listeners: tuple[RunListener, ...] = ()
        self._slot_listeners: tuple[SlotListener, ...] = ()

    def on_run_finished(self, listener: RunListener) -> None:
        """Call `listener(run)` after each run this replica finishes."""
        self._run_listeners = (*self._run_listeners, listener)

    def on_slot_handled(self, listener: SlotListener) -> None:
        """Call `listener(task name)` after each scheduled slot this replica handles."""
        self._slot_listeners = (*self._slot_listeners, listener)

    def run_finished(self, run: TaskRun) -> None:
        for listener in self._run_listeners:
            listener(run)

    def slot_handled(self, name: str) -> None:
        for listener in self._slot_listeners:
            listener(name)
