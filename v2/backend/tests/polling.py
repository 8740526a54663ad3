"""Waiting for what arrives from another connection, for tests that cannot be told when."""

import time
from collections.abc import Callable


def eventually(condition: Callable[[], bool], timeout: float = 10) -> bool:
    """Whether `condition` holds, asked again until it does or `timeout` seconds pass: for what
    a replica learns of another's commit by a PostgreSQL notice, delivered when it arrives."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)  # sync-ok: polling for a notice from another connection
    return True
