"""The public JSON of the background tasks."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field
from pydantic.config import JsonDict

from app.domain.task_health import TaskStatus, run_warnings

_WARNINGS = "What went wrong in a run that succeeded all the same: each failed source and why."
_DEGRADED = "The run succeeded with warnings (some of its sources failed)."

_TASK_EXAMPLE: JsonDict = {
    "task_name": "scrape",
    "status": "idle",
    "overdue": False,
    "degraded": True,
    "warnings": ["http://lists.example/b.m3u (HTTP 404 Not Found)"],
    "paused": False,
    "interval_seconds": 3600,
    "last_run": "2026-11-24T08:00:00Z",
    "last_finished": "2026-11-24T08:00:04.2Z",
    "last_success": "2026-11-24T08:00:04.2Z",
    "next_run": "2026-11-24T09:00:00Z",
    "last_duration_seconds": 4.2,
    "last_error": None,
    "last_error_trace": None,
    "last_result": {
        "urls": 3,
        "channels_found": 120,
        "new": 4,
        "failed_urls": ["http://lists.example/b.m3u"],
        "warnings": ["http://lists.example/b.m3u (HTTP 404 Not Found)"],
    },
    "run_count": 12,
    "failure_count": 1,
}


class TaskRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_TASK_EXAMPLE]})

    task_name: str
    status: TaskStatus
    overdue: bool = Field(description="No run finished within the interval plus the grace time.")
    degraded: bool = Field(
        description="The last finished run succeeded with warnings; status stays idle."
    )
    warnings: list[str] = Field(description=f"The last finished run's warnings. {_WARNINGS}")
    paused: bool
    interval_seconds: int
    last_run: datetime | None = Field(description="When the latest run started.")
    last_finished: datetime | None
    last_success: datetime | None
    next_run: datetime | None = Field(description="The scheduler's next fire time; null if paused.")
    last_duration_seconds: float | None
    last_error: str | None
    last_error_trace: str | None
    last_result: dict[str, Any] | None
    run_count: int
    failure_count: int


class TaskList(BaseModel):
    tasks: list[TaskRead]


class TaskRunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    task_name: str
    trigger: str = Field(description="scheduled, manual, after_scrape or retention_change.")
    replica: str
    started_at: datetime
    finished_at: datetime
    duration_seconds: float
    outcome: str = Field(description="success, error or interrupted (the service stopped).")
    error: str | None
    result: dict[str, Any] | None

    @computed_field(description=_WARNINGS)  # type: ignore[prop-decorator]
    @property
    def warnings(self) -> list[str]:
        return list(run_warnings(self.outcome, self.result))

    @computed_field(description=_DEGRADED)  # type: ignore[prop-decorator]
    @property
    def degraded(self) -> bool:
        return bool(self.warnings)


class TaskRunList(BaseModel):
    runs: list[TaskRunRead]


class TaskAccepted(BaseModel):
    task_name: str
    detail: str
