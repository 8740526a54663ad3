"""Column types that behave the same on SQLite and PostgreSQL."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, Integer, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator, TypeEngine

from app.utils.redaction import redact, redact_text

# SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigIntegerId = BigInteger().with_variant(Integer(), "sqlite")

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database.

    SQLite has no time zones: values are stored as naive UTC text (fixed width, so text order is
    time order) and come back with UTC attached. Naive datetimes are refused on the way in,
    because guessing their zone is how logs end up hours off.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; pass a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(
        self, dialect: Dialect, coltype: object
    ) -> Callable[[Any], datetime | None] | None:
        """On SQLite, the stored text read with `datetime.fromisoformat` (0.3 us a value)
        instead of SQLAlchemy's regular expression and then `process_result_value` (about
        10 us; a page of 50 activity rows reads 50)."""
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        def from_text(value: str | None) -> datetime | None:
            if value is None:
                return None
            return datetime.fromisoformat(value).replace(tzinfo=UTC)

        return from_text


class RedactedText(TypeDecorator[str]):
    """Text that may quote outside input (an error message, a stack trace): URL user-info
    and secret parameter values are hidden on the way in and, for rows stored before this
    type existed, on the way out.

    Redacting in the column type rather than where the text is made means no code path
    that stores a task's error can forget it.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else redact_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else redact_text(value)


class RedactedJSON(TypeDecorator[Any]):
    """A JSON document (JSONB on PostgreSQL) redacted like `RedactedText`, at any depth:
    for task results, which name the URLs they fetched."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(JSONB() if dialect.name == "postgresql" else JSON())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return redact(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return redact(value)
