"""Retention: delete activity older than the configured number of days, and downsample and
delete the streams' history on the same clock."""

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from app.repositories import activity as activity_repository
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
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self._sessions = session_factory
        self._config = config
        self._recorder = recorder
        self._streams = streams
        self._batch_size = batch_size

    def purge(self, now: datetime, cancel: CancelToken | None = None) -> dict[str, object]:
        """Delete activity older than the retention window, one short transaction per batch.

        Retention 0 keeps today only (since 00:00 UTC). Returns the count and the cutoff,
        and what the streams' history lost (`StreamSessionService.compact`), done first.
        Raises Interrupted between batches once `cancel` is set (the batches done stay done).
        Records one activity entry saying how many rows went, if any did (also when
        interrupted); a purge that deletes nothing, as most do, records nothing.
        """
        retention_days = self._config.get().retention_days
        cutoff = window_start(retention_days, now)
        streams = self._streams.compact(now, cutoff)
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
        }
