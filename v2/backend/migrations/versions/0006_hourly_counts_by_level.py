"""Count activity per hour by type and level; index the rows of level warning and above.

The histogram's problem track (warnings and errors) needs the level in the hourly counts,
which the stored counts cannot split: the upgrade counts the log again. The partial indexes
serve "problems only" (`min_level=warning|error`), with or without a type filter, without
scanning the info rows.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The hour each row falls in, written as the application writes it (as in 0003): SQLite keeps
# naive UTC text with microseconds; PostgreSQL truncates in UTC, not in the session's zone.
_HOUR = {
    "sqlite": "strftime('%Y-%m-%d %H:00:00.000000', timestamp)",
    "postgresql": "date_trunc('hour', timestamp AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
}
_PROBLEMS_ONLY = "level <> 'info'"
_PROBLEM_INDEXES = {
    "ix_activity_log_problems": ["timestamp", "id"],
    "ix_activity_log_type_problems": ["type", "timestamp", "id"],
}
# Rows counted per statement, by id range: each statement sorts at most this many rows, so a
# log of millions is recounted in steps of bounded size.
_RECOUNT_IDS = 100_000


def _hourly_counts_table(*key: sa.Column[str]) -> None:
    op.create_table(
        "activity_hourly_counts",
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        *key,
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "hour", "type", *(column.name for column in key), name=op.f("pk_activity_hourly_counts")
        ),
    )


def upgrade() -> None:
    for name, columns in _PROBLEM_INDEXES.items():
        op.create_index(
            op.f(name),
            "activity_log",
            columns,
            sqlite_where=sa.text(_PROBLEMS_ONLY),
            postgresql_where=sa.text(_PROBLEMS_ONLY),
        )
    op.drop_table("activity_hourly_counts")
    _hourly_counts_table(sa.Column("level", sa.String(length=16), nullable=False))
    bind = op.get_bind()
    low, high = bind.execute(sa.text("SELECT min(id), max(id) FROM activity_log")).one()
    if low is None:
        return
    # Rows of one (hour, type, level) may lie in several id ranges: each range adds to them.
    recount = sa.text(
        "INSERT INTO activity_hourly_counts (hour, type, level, count) "  # noqa: S608
        f"SELECT {_HOUR[bind.dialect.name]}, type, level, count(*) FROM activity_log"
        " WHERE id >= :start AND id < :stop GROUP BY 1, 2, 3"
        " ON CONFLICT (hour, type, level)"
        " DO UPDATE SET count = activity_hourly_counts.count + excluded.count"
    )
    for start in range(low, high + 1, _RECOUNT_IDS):
        bind.execute(recount, {"start": start, "stop": start + _RECOUNT_IDS})


def downgrade() -> None:
    op.create_table(
        "activity_hourly_counts_by_type",
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
    )
    op.execute(
        "INSERT INTO activity_hourly_counts_by_type (hour, type, count)"
        " SELECT hour, type, sum(count) FROM activity_hourly_counts GROUP BY hour, type"
    )
    op.drop_table("activity_hourly_counts")
    _hourly_counts_table()
    op.execute(
        "INSERT INTO activity_hourly_counts (hour, type, count)"
        " SELECT hour, type, count FROM activity_hourly_counts_by_type"
    )
    op.drop_table("activity_hourly_counts_by_type")
    for name in _PROBLEM_INDEXES:
        op.drop_index(op.f(name), table_name="activity_log")
