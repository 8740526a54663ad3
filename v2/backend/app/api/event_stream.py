"""The activity stream's answer: Server-Sent Events (`text/event-stream`) from a subscription.

    id: 1042
    event: activity
    data: {"id": 1042, "type": "scrape", ...}          (an item of /activity/recent)

    event: status
    data: {"changed": ["tasks"]}

    : keepalive                                        (after `heartbeat_seconds` of silence)

Events waiting together go out in one write. The answer ends when the subscription does (the
service is stopping), when the client goes away, and at once, mid-write if need be, when the
client is cut off for falling behind: a client that stopped reading must not keep its place.
"""

from collections.abc import AsyncIterator

import anyio
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from app.schemas.activity import ActivityStatusChange
from app.services.activity_feed import ActivityEvent, FeedEvent, Subscription

HEARTBEAT = b": keepalive\n\n"


def encode(event: FeedEvent) -> bytes:
    """One event in the wire format; the JSON of `data` is one line (pydantic escapes
    line breaks inside strings)."""
    if isinstance(event, ActivityEvent):
        return f"id: {event.id}\nevent: activity\ndata: {event.data}\n\n".encode()
    change = ActivityStatusChange(changed=list(event.changed)).model_dump_json()
    return f"event: status\ndata: {change}\n\n".encode()


class EventStreamResponse(StreamingResponse):
    media_type = "text/event-stream"

    def __init__(self, subscription: Subscription, *, heartbeat_seconds: float) -> None:
        self._subscription = subscription
        self._heartbeat_seconds = heartbeat_seconds
        super().__init__(
            self._chunks(),
            # no-cache rather than the service's usual no-store: the stream is not stored
            # either way, and proxies know to pass no-cache event streams through.
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    async def _chunks(self) -> AsyncIterator[bytes]:
        subscription, heartbeat = self._subscription, self._heartbeat_seconds
        while (events := await subscription.next_events(heartbeat)) is not None:
            yield b"".join(encode(event) for event in events) if events else HEARTBEAT

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with anyio.create_task_group() as group:

                async def stream() -> None:
                    await self.stream_response(send)
                    group.cancel_scope.cancel()

                async def until_disconnected() -> None:
                    while (await receive())["type"] != "http.disconnect":
                        pass
                    group.cancel_scope.cancel()

                async def until_cut_off() -> None:
                    await self._subscription.cut_off.wait()
                    group.cancel_scope.cancel()

                group.start_soon(stream)
                group.start_soon(until_disconnected)
                group.start_soon(until_cut_off)
        finally:
            self._subscription.close()
