"""Add hourly activity counts per type, filled from the rows already logged.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The hour each row falls in, written as the application writes it: SQLite keeps naive UTC
# text with microseconds; PostgreSQL truncates in UTC, not in the session's zone.
_HOUR = {
    "sqlite": "strftime('%Y-%m-%d %H:00:00.000000', timestamp)",
    "postgresql": "date_trunc('hour', timestamp AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
}


def upgrade() -> None:
    op.create_table(
        "activity_hourly_counts",
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "type", name=op.f("pk_activity_hourly_counts")),
    )
    hour = _HOUR[op.get_bind().dialect.name]
    op.execute(
        "INSERT INTO activity_hourly_counts (hour, type, count) "  # noqa: S608
        f"SELECT {hour}, type, count(*) FROM activity_log GROUP BY 1, 2"
    )


def downgrade() -> None:
    op.drop_table("activity_hourly_counts")
