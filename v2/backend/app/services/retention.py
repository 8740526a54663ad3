"""Retention: delete activity older than the configured number of days, downsample and
delete the streams' history on the same clock, and delete state changes older than
UPTIME_RETENTION_DAYS (a clock of their own: uptime is read over 90 days whatever the log
keeps)."""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.repositories import activity as activity_repository
from app.repositories import state_changes as state_changes_repository
from app.schemas.config import RetentionPreview
from app.services.activity import window_start
from app.services.config import ConfigService
from app.services.stream_sessions import StreamSessionService
from app.utils.activity import ActivityRecorder, ActivityType
from app.utils.cancel import CancelToken

DEFAULT_BATCH_SIZE = 5000


class RetentionService:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        config: ConfigService,
        recorder: ActivityRecorder,
        streams: StreamSessionService,
        *,
        uptime_retention_days: int,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self._sessions = session_factory
        self._config = config
        self._recorder = recorder
        self._streams = streams
        self._uptime_retention = timedelta(days=uptime_retention_days)
        self._batch_size = batch_size

    def preview(self, retention_days: int, now: datetime) -> RetentionPreview:
        """How many activity rows `purge` would delete at `now` if retention were
        `retention_days`: the same cutoff and the same rows, counted, nothing deleted."""
        cutoff = window_start(retention_days, now)
        with self._sessions() as session:
            rows = activity_repository.count_before(session, cutoff)
        return RetentionPreview(retention_days=retention_days, rows_to_delete=rows, cutoff=cutoff)

    def purge(self, now: datetime, cancel: CancelToken | None = None) -> dict[str, object]:
        """Delete activity older than the retention window, one short transaction per batch.

        Retention 0 keeps today only (since 00:00 UTC). Returns the count and the cutoff,
        what the streams' history lost (`StreamSessionService.compact`), done first, and how
        many state changes older than UPTIME_RETENTION_DAYS went (each entity's last one
        before that cutoff stays: it says the state the history starts in).
        Raises Interrupted between batches once `cancel` is set (the batches done stay done).
        Records one activity entry saying how many rows went, if any did (also when
        interrupted); a purge that deletes nothing, as most do, records nothing.
        """
        retention_days = self._config.get().retention_days
        cutoff = window_start(retention_days, now)
        streams = self._streams.compact(now, cutoff)
        with self._sessions.begin() as session:
            state_changes = state_changes_repository.delete_before(
                session, now - self._uptime_retention
            )
        deleted = 0
        try:
            while True:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                with self._sessions.begin() as session:
                    batch = activity_repository.delete_batch_before(
                        session, cutoff, batch_size=self._batch_size
                    )
                deleted += batch
                if batch < self._batch_size:
                    break
        finally:
            if deleted:
                self._recorder.record(
                    ActivityType.BACKGROUND_TASK,
                    f"Deleted {deleted} activity rows older than {retention_days} days",
                    details={
                        "deleted": deleted,
                        "cutoff": cutoff.isoformat(),
                        "retention_days": retention_days,
                    },
                )
        return {
            "deleted": deleted,
            "cutoff": cutoff.isoformat(),
            "retention_days": retention_days,
            "streams": streams,
            "state_changes_deleted": state_changes,
        }
