"""A tiny thread-safe cache whose entries expire after a fixed number of seconds."""

import threading
from collections.abc import Callable, Hashable
from time import monotonic
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """Answers repeated reads from memory for `ttl_seconds`.

    Two hundred dashboards refreshing at once ask the same questions; one answer per
    couple of seconds is as live as the page can show, and spares the database the rest.
    Entries are few (bounded by the distinct keys callers use), so none are evicted early.
    """

    def __init__(
        self, ttl_seconds: float, max_entries: int = 256, clock: Callable[[], float] = monotonic
    ) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._max_entries = max_entries
        self._entries: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        now = self._clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < self._ttl:
                return entry[1]
        value = compute()
        self.put(key, value, now)
        return value

    def put(self, key: K, value: V, at: float | None = None) -> None:
        with self._lock:
            if len(self._entries) >= self._max_entries:
                self._entries.clear()
            self._entries[key] = (self._clock() if at is None else at, value)

    def __len__(self) -> int:
        return len(self._entries)
