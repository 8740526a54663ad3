"""Cooperative cancellation of a task run, across the threads it uses.

Python cannot stop a thread from outside, so a run is asked to stop: its CancelToken is
set, long loops call `raise_if_cancelled()` between steps, and code blocked on the network
subscribes with `on_cancel()` to be woken at once (the fetch helper cancels its event
loop's task from the callback).
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Interrupted(Exception):
    """The run was asked to stop before it finished; the message says why. Not a failure."""


class CancelToken:
    """Set once, never cleared. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reason: str | None = None
        self._callbacks: list[Callable[[], object]] = []

    @property
    def cancelled(self) -> bool:
        return self._reason is not None

    @property
    def reason(self) -> str | None:
        return self._reason

    def cancel(self, reason: str) -> None:
        """Ask the run to stop; the first reason given is kept. Wakes every subscriber."""
        with self._lock:
            if self._reason is not None:
                return
            self._reason = reason
            # Called under the lock, so a subscriber leaving `on_cancel()` never gets a
            # callback after it left (its event loop may be closed by then).
            for callback in self._callbacks:
                callback()

    def raise_if_cancelled(self) -> None:
        """Raise Interrupted if the run was asked to stop."""
        reason = self._reason
        if reason is not None:
            raise Interrupted(reason)

    @contextmanager
    def on_cancel(self, callback: Callable[[], object]) -> Iterator[None]:
        """Call `callback` (quick, from the cancelling thread) if the token is set while the
        block runs; at once if it is set already."""
        with self._lock:
            if self._reason is not None:
                callback()
            else:
                self._callbacks.append(callback)
        try:
            yield
        finally:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)
