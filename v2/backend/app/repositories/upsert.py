"""Insert-or-update in one statement per chunk, for both databases.

PostgreSQL and SQLite share the `ON CONFLICT ... DO UPDATE` syntax, but SQLAlchemy builds it
from each dialect's own `insert`; this picks the right one so repositories do not have to.
"""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Column
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session

# Keeps each statement's bound parameters well under SQLite's limit of 32 766.
CHUNK_ROWS = 500

# Given the `excluded` row (the values that lost the conflict), the columns to overwrite.
UpdateColumns = Callable[[Any], dict[str, Any]]


def upsert(
    session: Session,
    model: type[Any],
    rows: Sequence[dict[str, Any]],
    *,
    keys: Sequence[InstrumentedAttribute[Any] | Column[Any]],
    on_conflict: UpdateColumns,
) -> None:
    """Insert `rows`; a row whose `keys` (a primary key or unique constraint) exist updates
    the columns `on_conflict` names."""
    dialect: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    for start in range(0, len(rows), CHUNK_ROWS):
        statement = dialect.insert(model).values(list(rows[start : start + CHUNK_ROWS]))
        statement = statement.on_conflict_do_update(
            index_elements=list(keys), set_=on_conflict(statement.excluded)
        )
        session.execute(statement)
