"""Reading a `text/event-stream` answer one event at a time, as a browser's EventSource does."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Event:
    """One event, or one comment (`event` and `data` None)."""

    event: str | None = None
    id: str | None = None
    data: str | None = None
    comment: str | None = None

    def json(self) -> Any:
        assert self.data is not None
        return json.loads(self.data)


class EventReader:
    def __init__(self, response: httpx.Response) -> None:
        self._lines: Iterator[str] = response.iter_lines()

    def next(self) -> Event | None:
        """The next event or comment; None when the stream has ended."""
        fields: dict[str, str] = {}
        for line in self._lines:
            if line == "":
                if fields:
                    return Event(**fields)
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "":
                return Event(comment=value)
            fields["data" if name == "data" else name] = (
                f"{fields['data']}\n{value}" if name == "data" and "data" in fields else value
            )
        return None

    def events(self, count: int, *, kind: str = "activity") -> list[Event]:
        """The next `count` events of `kind`, skipping comments and other events."""
        found: list[Event] = []
        while len(found) < count:
            event = self.next()
            assert event is not None, f"the stream ended after {found}"
            if event.event == kind:
                found.append(event)
        return found
