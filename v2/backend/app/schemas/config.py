"""The public JSON of the dashboard configuration."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.config import JsonDict

RetentionDays = Annotated[int, Field(ge=0, le=30, strict=True)]
RefreshIntervalSeconds = Annotated[int, Field(ge=10, le=600, strict=True)]

_CONFIG_EXAMPLE: JsonDict = {
    "retention_days": 7,
    "refresh_interval_seconds": 30,
    "auto_refresh_enabled": True,
}


class DashboardConfig(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_CONFIG_EXAMPLE]})

    retention_days: RetentionDays = Field(
        7, description="Days of activity kept; 0 keeps only today (since 00:00 UTC)."
    )
    refresh_interval_seconds: RefreshIntervalSeconds = Field(
        30, description="How often the page refreshes itself."
    )
    auto_refresh_enabled: bool = Field(True, strict=True)


class DashboardConfigUpdate(BaseModel):
    """Any subset of the configuration; fields left out keep their value."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"retention_days": 14}]}
    )

    retention_days: RetentionDays | None = None
    refresh_interval_seconds: RefreshIntervalSeconds | None = None
    auto_refresh_enabled: bool | None = Field(None, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _reject_null(cls, value: Any) -> Any:
        # `None` is only the "not given" default; an explicit null would erase a setting.
        if value is None:
            raise ValueError("must not be null; leave the field out to keep its value")
        return value
