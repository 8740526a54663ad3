""" "Problems only" reads walk the partial indexes that hold only the rows above info.

SQLite uses a partial index only when the query repeats the index's condition term by term,
so a harmless-looking rewrite of the level filter would silently make every such page scan the
log (18 ms instead of 1 ms at 1 000 000 rows, docs/performance.md §1). The plan SQLite chooses
is deterministic (no statistics), so it is checked here; PostgreSQL's depends on its statistics
and is shown by bench/activity_paging.py instead.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from app.core.db import create_db_engine
from app.core.migrations import upgrade_to_head
from app.repositories import activity as activity_repository

SINCE = datetime(2026, 11, 1, tzinfo=UTC)
BEFORE = (datetime(2026, 12, 1, tzinfo=UTC), 1_000)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    sqlite = create_db_engine(f"sqlite:///{tmp_path / 'plans.db'}")
    upgrade_to_head(sqlite)
    yield sqlite
    sqlite.dispose()


def _plan_of_page(engine: Engine, **filters: Any) -> str:
    """The plan of the statement `list_page` sends, with its parameters."""
    sent: list[tuple[str, Any]] = []

    def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        with Session(engine) as session:
            activity_repository.list_page(session, since=SINCE, before=BEFORE, limit=51, **filters)
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    [(statement, parameters)] = sent
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        return " | ".join(row[3] for row in cursor.fetchall())
    finally:
        connection.close()


@pytest.mark.parametrize("levels", [["warning", "error"], ["error"]])
def test_problems_only_walks_the_problems_index(engine: Engine, levels: list[str]) -> None:
    plan = _plan_of_page(engine, types=None, levels=levels)

    assert plan == (
        "SEARCH activity_log USING INDEX ix_activity_log_problems (timestamp>? AND timestamp<?)"
    )


def test_problems_of_one_type_walk_the_type_problems_index(engine: Engine) -> None:
    plan = _plan_of_page(engine, types=["system_event"], levels=["warning", "error"])

    assert plan == (
        "SEARCH activity_log USING INDEX ix_activity_log_type_problems"
        " (type=? AND timestamp>? AND timestamp<?)"
    )


def test_every_level_walks_the_log_index_as_before(engine: Engine) -> None:
    plan = _plan_of_page(engine, types=None, levels=None)

    assert plan == (
        "SEARCH activity_log USING INDEX ix_activity_log_timestamp_id (timestamp>? AND timestamp<?)"
    )
