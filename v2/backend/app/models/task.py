from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.types import BigIntegerId, RedactedJSON, RedactedText, UTCDateTime


class TaskState(Base):
    """The persisted state of one background task, shared by every replica.

    `lease_owner`/`lease_expires_at` say which replica is running it right now: a run only
    starts after winning the lease, so each run happens once across replicas, and a replica
    that dies mid-run frees the task when its lease expires.
    """

    __tablename__ = "task_state"

    task_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    paused: Mapped[bool] = mapped_column(default=False)
    running: Mapped[bool] = mapped_column(default=False)
    last_run_started: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_run_finished: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_duration_seconds: Mapped[float | None] = mapped_column(Float)
    last_outcome: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(RedactedText)
    last_error_trace: Mapped[str | None] = mapped_column(RedactedText)
    last_result: Mapped[dict[str, Any] | None] = mapped_column(RedactedJSON)
    run_count: Mapped[int] = mapped_column(Integer, default=0)
    failure_count: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"TaskState(task_name={self.task_name!r}, running={self.running!r})"


class TaskRun(Base):
    """One finished run of a task (bounded history per task)."""

    __tablename__ = "task_runs"
    __table_args__ = (Index("ix_task_runs_task_name_id", "task_name", "id"),)

    id: Mapped[int] = mapped_column(BigIntegerId, primary_key=True, autoincrement=True)
    task_name: Mapped[str] = mapped_column(
        String(64), ForeignKey("task_state.task_name", ondelete="CASCADE")
    )
    trigger: Mapped[str] = mapped_column(String(32))
    replica: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[float] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(RedactedText)
    result: Mapped[dict[str, Any] | None] = mapped_column(RedactedJSON)

    def __repr__(self) -> str:
        return f"TaskRun(task_name={self.task_name!r}, outcome={self.outcome!r})"
