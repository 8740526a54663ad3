"""The public JSON of notifications: targets, mute, the messages sent and a test's results."""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

# A week of mute at most: a longer silence is better had by removing the targets.
MAX_MUTE_MINUTES = 7 * 24 * 60

TargetUrl = Annotated[str, Field(min_length=1, max_length=2000)]


class TargetsUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"urls": ["tgram://bottoken/chatid", "ntfy://topic"]}]},
    )

    urls: list[TargetUrl] = Field(
        max_length=50,
        description="Apprise URLs (https://appriseit.com/services/); replaces the whole list. "
        "An empty list turns notifications off.",
    )


class MuteRequest(BaseModel):
    """Exactly one of `minutes` and `until`."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"minutes": 60}]})

    minutes: int | None = Field(None, ge=1, le=MAX_MUTE_MINUTES, description="Mute for this long.")
    until: AwareDatetime | None = Field(None, description="Mute until then (ISO 8601, with zone).")

    @model_validator(mode="after")
    def _one_of(self) -> "MuteRequest":
        if (self.minutes is None) == (self.until is None):
            raise ValueError("give exactly one of 'minutes' and 'until'")
        return self

    @field_validator("until")
    @classmethod
    def _ahead_within_a_week(cls, until: datetime | None) -> datetime | None:
        now = datetime.now(UTC)
        if until is not None and not now < until <= now + timedelta(minutes=MAX_MUTE_MINUTES):
            raise ValueError("must be in the future, at most 7 days ahead")
        return until


MessageStatus = Literal["pending", "sent", "failed", "muted", "skipped"]


class NotificationMessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event: str = Field(description="What it is about: peer_down, task_failing, flapping, ...")
    title: str
    body: str
    decided_at: datetime
    status: MessageStatus = Field(
        description="pending (to be sent or retried), sent (every target took it), failed "
        "(out of attempts), muted (decided while muted, never sent), skipped (no targets)."
    )
    attempts: int
    last_error: str | None = Field(description="The last failing target's answer (redacted).")
    finished_at: datetime | None


class NotificationsOverview(BaseModel):
    targets: list[str] = Field(description="The target URLs, their secrets hidden.")
    muted_until: datetime | None = Field(description="Nothing is sent until then; null: unmuted.")
    messages: list[NotificationMessageRead] = Field(
        description="The latest messages, newest first."
    )


class TargetResult(BaseModel):
    target: str = Field(description="The target URL, its secrets hidden.")
    ok: bool
    detail: str = Field(description="What the target answered (redacted).")


class NotificationTestResults(BaseModel):
    results: list[TargetResult]
