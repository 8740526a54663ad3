from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from tests.factories import all_activity, make_activity


def test_timestamps_come_back_as_the_same_instant_in_utc(session: Session) -> None:
    madrid = timezone(timedelta(hours=1))
    make_activity(session, timestamp=datetime(2026, 11, 24, 9, 30, 0, 123456, tzinfo=madrid))

    row = all_activity(session)[-1]

    assert row.timestamp == datetime(2026, 11, 24, 8, 30, 0, 123456, tzinfo=UTC)
    assert row.timestamp.tzinfo is UTC


def test_naive_timestamps_are_refused(session: Session) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        make_activity(session, timestamp=datetime(2026, 11, 24, 9, 30))  # noqa: DTZ001


def test_details_keep_nested_json_and_unicode(session: Session) -> None:
    details = {"channel": "La 1 HD — 🇪🇸", "ids": [1, 2], "nested": {"ok": True, "none": None}}
    make_activity(session, details=details)

    row = all_activity(session)[-1]

    assert row.details == details
    assert repr(row).startswith(f"ActivityLog(id={row.id}, type='system_event'")
