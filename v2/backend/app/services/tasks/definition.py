"""What a background task is, and the tasks of a service by name."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.exceptions import NotFound
from app.utils.cancel import CancelToken

Clock = Callable[[], datetime]
# A task gets the time its run started and the token that tells it to stop early.
TaskFunction = Callable[[datetime, CancelToken], dict[str, Any]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class TaskDefinition:
    name: str
    interval: timedelta
    run: TaskFunction
    # Tasks to start right after a successful run (e.g. the playlist after a scrape).
    then: tuple[str, ...] = ()


class TaskCatalog:
    """The tasks a service runs, by name, in the order they were given."""

    def __init__(self, definitions: Sequence[TaskDefinition]) -> None:
        self._by_name = {definition.name: definition for definition in definitions}

    def __iter__(self) -> Iterator[TaskDefinition]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    @property
    def names(self) -> list[str]:
        return list(self._by_name)

    def get(self, name: str) -> TaskDefinition:
        """The definition of `name`; NotFound, naming the tasks there are, if none."""
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(self._by_name)
            raise NotFound(f"No task named {name!r}; the tasks are: {known}") from None
