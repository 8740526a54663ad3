"""All models, imported here so that `Base.metadata` is complete for Alembic."""

from app.models.activity import ActivityLog
from app.models.base import Base
from app.models.setting import AppSetting

__all__ = ["ActivityLog", "AppSetting", "Base"]
