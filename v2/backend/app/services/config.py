"""The dashboard configuration: stored in `app_settings`, defaults for what was never set."""

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from app.observability.activity_exporter import store_span
from app.repositories import settings as settings_repository
from app.schemas.config import DashboardConfig, DashboardConfigUpdate
from app.utils.activity import ActivityRecorder, ActivityType
from app.utils.ttl_cache import TtlCache

RetentionListener = Callable[[int], None]


class ConfigService:
    def __init__(self, session_factory: sessionmaker[Session], recorder: ActivityRecorder) -> None:
        self._session_factory = session_factory
        self._recorder = recorder
        self._retention_listeners: list[RetentionListener] = []
        # Another replica's change shows here within this many seconds.
        self._cache: TtlCache[str, DashboardConfig] = TtlCache(ttl_seconds=2.0)

    def on_retention_change(self, listener: RetentionListener) -> None:
        """Call `listener(new_days)` after a change of `retention_days` is committed."""
        self._retention_listeners.append(listener)

    def get(self) -> DashboardConfig:
        """Return the current configuration; fields never set have their defaults."""
        return self._cache.get_or_compute("config", self._load)

    def _load(self) -> DashboardConfig:
        with self._session_factory() as session:
            return self._read(session)

    def update(self, changes: DashboardConfigUpdate, *, user: str | None) -> DashboardConfig:
        """Apply `changes` and their audit row (a user action) in one transaction.

        Returns the full new configuration. Once this returns, the audit row is committed
        with the change, whatever happens to the process next. Fields equal to their current
        value are not rewritten; a request that changes nothing records nothing.
        """
        audit = None
        with self._session_factory.begin() as session:
            current = self._read(session)
            requested = changes.model_dump(exclude_unset=True)
            changed = {
                field: {"old": getattr(current, field), "new": value}
                for field, value in requested.items()
                if getattr(current, field) != value
            }
            updated = current.model_copy(update=requested)
            settings_repository.upsert_values(
                session,
                {field: change["new"] for field, change in changed.items()},
                now=datetime.now(UTC),
            )
            if changed:
                audit = self._recorder.start_stored(
                    ActivityType.USER_ACTION,
                    "Dashboard configuration changed: " + ", ".join(sorted(changed)),
                    details={"changes": changed},
                    user=user,
                )
                store_span(session, audit)
        if audit is not None:
            audit.end()
        self._cache.put("config", updated)
        if "retention_days" in changed:
            for listener in self._retention_listeners:
                listener(updated.retention_days)
        return updated

    @staticmethod
    def _read(session: Session) -> DashboardConfig:
        stored = settings_repository.get_values(session, DashboardConfig.model_fields)
        return DashboardConfig.model_validate(stored)
