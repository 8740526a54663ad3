from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response, status

from app.api.deps import CallerDep, TaskControlDep, TaskEngineDep, TaskReadsDep
from app.api.model_response import model_response
from app.api.security import WRITE_REFUSALS
from app.schemas.errors import ErrorMessage
from app.schemas.tasks import TaskAccepted, TaskList, TaskRead, TaskRunList, TaskRunRead
from app.services.tasks.reads import TaskSnapshot

router = APIRouter(prefix="/background-tasks", tags=["background tasks"])

TaskName = Annotated[str, Path(max_length=64, description="e.g. scrape, epg_refresh")]
_UNKNOWN: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorMessage, "description": "No task of that name"}
}
_UNKNOWN_WRITE = _UNKNOWN | WRITE_REFUSALS


def _read(snapshot: TaskSnapshot) -> TaskRead:
    state = snapshot.state
    return TaskRead(
        task_name=state.task_name,
        status=snapshot.health.status,
        overdue=snapshot.health.overdue,
        degraded=snapshot.health.degraded,
        warnings=list(snapshot.health.warnings),
        paused=state.paused,
        interval_seconds=int(snapshot.definition.interval.total_seconds()),
        last_run=state.last_run_started,
        last_finished=state.last_run_finished,
        last_success=state.last_success,
        next_run=snapshot.next_run,
        last_duration_seconds=state.last_duration_seconds,
        last_error=state.last_error,
        last_error_trace=state.last_error_trace,
        last_result=state.last_result,
        run_count=state.run_count,
        failure_count=state.failure_count,
    )


@router.get(
    "/status",
    summary="Every background task: status, last and next run, outcome",
    response_model=TaskList,
)
def tasks_status(reads: TaskReadsDep) -> Response:
    return model_response(TaskList(tasks=[_read(snapshot) for snapshot in reads.snapshots()]))


@router.get("/{task_name}/runs", summary="A task's recent runs, newest first", responses=_UNKNOWN)
def task_runs(
    task_name: TaskName,
    reads: TaskReadsDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> TaskRunList:
    runs = reads.recent_runs(task_name, limit=limit)
    return TaskRunList(runs=[TaskRunRead.model_validate(run) for run in runs])


@router.post(
    "/{task_name}/run",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start a run now (in the background)",
    responses=_UNKNOWN_WRITE | {409: {"model": ErrorMessage, "description": "Already running"}},
)
def run_task(task_name: TaskName, engine: TaskEngineDep, caller: CallerDep) -> TaskAccepted:
    engine.request_run(task_name, trigger="manual", user=caller.label)
    return TaskAccepted(task_name=task_name, detail="Run started")


@router.post("/{task_name}/pause", summary="Stop scheduling a task", responses=_UNKNOWN_WRITE)
def pause_task(task_name: TaskName, control: TaskControlDep, caller: CallerDep) -> TaskAccepted:
    control.set_paused(task_name, paused=True, user=caller.label)
    return TaskAccepted(task_name=task_name, detail="Paused")


@router.post(
    "/{task_name}/resume", summary="Schedule a paused task again", responses=_UNKNOWN_WRITE
)
def resume_task(task_name: TaskName, control: TaskControlDep, caller: CallerDep) -> TaskAccepted:
    control.set_paused(task_name, paused=False, user=caller.label)
    return TaskAccepted(task_name=task_name, detail="Resumed")
