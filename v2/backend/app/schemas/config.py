"""The public JSON of the dashboard configuration."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, field_validator
from pydantic.config import JsonDict
from pydantic.json_schema import WithJsonSchema


def _whole_number(value: Any) -> Any:
    # JSON numbers only: "7" and true are mistakes, while 7.0 is the number 7 to JSON.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    return value


RetentionDays = Annotated[int, Field(ge=0, le=30), BeforeValidator(_whole_number)]
RefreshIntervalSeconds = Annotated[int, Field(ge=10, le=600), BeforeValidator(_whole_number)]


def _not_null(schema: JsonDict) -> WithJsonSchema:
    """Document a field as never null: None only stands for "not given" (null is refused)."""
    return WithJsonSchema(schema)


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

    retention_days: Annotated[
        RetentionDays | None, _not_null({"type": "integer", "minimum": 0, "maximum": 30})
    ] = None
    refresh_interval_seconds: Annotated[
        RefreshIntervalSeconds | None, _not_null({"type": "integer", "minimum": 10, "maximum": 600})
    ] = None
    auto_refresh_enabled: Annotated[StrictBool | None, _not_null({"type": "boolean"})] = None

    @field_validator("*", mode="before")
    @classmethod
    def _reject_null(cls, value: Any) -> Any:
        # `None` is only the "not given" default; an explicit null would erase a setting.
        if value is None:
            raise ValueError("must not be null; leave the field out to keep its value")
        return value


class RetentionPreview(BaseModel):
    """What saving `retention_days` would delete, counted before anything is deleted."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "retention_days": 3,
                    "rows_to_delete": 10840,
                    "cutoff": "2026-11-29T12:00:00Z",
                }
            ]
        }
    )

    retention_days: int
    rows_to_delete: int = Field(description="Activity rows stored before `cutoff`.")
    cutoff: datetime = Field(description="Rows older than this go (the cleanup's own rule).")
