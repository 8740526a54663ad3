"""The live sections of the page, each as a value that changes exactly when what it shows does.

The activity stream (`app.services.activity_feed`) reads them on every tick and announces the
sections whose value changed, so the page refetches just those. Times that move on every
check while nothing changes are left out: `checked_at` of the peers, WARP's `last_connected`
(renewed by every check that finds it connected), the tasks' leases (renewed by every
heartbeat of a run). A check that changes nothing must not make every page refetch.
"""

from app.schemas.activity import StatusSection
from app.services.peer_status import PeerStatusService, active_streams_view, warp_status_view
from app.services.tasks.reads import TaskReads, TaskSnapshot

Sections = dict[StatusSection, object]


def _task_value(snapshot: TaskSnapshot) -> tuple[object, ...]:
    state = snapshot.state
    return (
        state.task_name,
        snapshot.health,
        snapshot.next_run,
        state.paused,
        state.last_run_started,
        state.last_run_finished,
        state.last_success,
        state.last_outcome,
        state.last_error,
        state.run_count,
        state.failure_count,
    )


class StatusSections:
    """Reads the sections through the services that answer them, whatever stores them."""

    def __init__(self, peers: PeerStatusService, tasks: TaskReads) -> None:
        self._peers = peers
        self._tasks = tasks

    def read(self) -> Sections:
        """The current value of every section; compare two readings with `==`."""
        snapshot = self._peers.current()
        return {
            "streams": active_streams_view(snapshot).model_dump(exclude={"checked_at"}),
            "warp": warp_status_view(snapshot).model_dump(exclude={"checked_at", "last_connected"}),
            "tasks": [_task_value(task) for task in self._tasks.snapshots()],
        }
