"""Give the peers' latest checks a table of their own, out of the run-time settings.

The snapshot was one `app_settings` row (key `peer_status`), though a setting is what the
API changes. Upgrading moves a stored snapshot into one `peer_status` row per peer;
downgrading puts it back together.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_KEY = "peer_status"
_PEERS = ("acexy", "engine", "warp")

# The two tables as this revision sees them, whatever the models say later.
_settings = sa.table(
    "app_settings",
    sa.column("key", sa.String()),
    sa.column("value", _JSON),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
_peer_status = sa.table(
    "peer_status",
    sa.column("peer", sa.String()),
    sa.column("checked_at", sa.DateTime(timezone=True)),
    sa.column("state", _JSON),
    sa.column("last_up_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "peer_status",
        sa.Column("peer", sa.String(length=16), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", _JSON, nullable=False),
        sa.Column("last_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("peer", name=op.f("pk_peer_status")),
    )
    bind = op.get_bind()
    snapshot = bind.execute(
        sa.select(_settings.c.value).where(_settings.c.key == _KEY)
    ).scalar_one_or_none()
    if snapshot is None:
        return
    rows = [
        {
            "peer": peer,
            "checked_at": _to_column(snapshot["peer_checked_at"][peer]),
            "state": snapshot[peer],
            # The snapshot kept when WARP was last connected, not when the others were up.
            "last_up_at": _to_column(snapshot["warp_last_connected"] if peer == "warp" else None),
        }
        for peer in _PEERS
        if snapshot.get(peer) is not None
    ]
    if rows:
        op.bulk_insert(_peer_status, rows)
    op.execute(_settings.delete().where(_settings.c.key == _KEY))


def downgrade() -> None:
    rows = {row.peer: row for row in op.get_bind().execute(sa.select(_peer_status))}
    if rows:
        warp_up = rows["warp"].last_up_at if "warp" in rows else None
        snapshot = {
            "checked_at": max(_utc(row.checked_at) for row in rows.values()).isoformat(),
            **{peer: rows[peer].state if peer in rows else None for peer in _PEERS},
            "warp_last_connected": None if warp_up is None else _utc(warp_up).isoformat(),
            "peer_checked_at": {
                peer: _utc(row.checked_at).isoformat() for peer, row in rows.items()
            },
        }
        op.bulk_insert(
            _settings,
            [{"key": _KEY, "value": snapshot, "updated_at": _to_column(snapshot["checked_at"])}],
        )
    op.drop_table("peer_status")


def _to_column(iso: str | None) -> datetime | None:
    """An ISO time as the application stores it: UTC, and naive on SQLite (no time zones)."""
    if iso is None:
        return None
    value = datetime.fromisoformat(iso).astimezone(UTC)
    return value.replace(tzinfo=None) if op.get_bind().dialect.name == "sqlite" else value


def _utc(value: datetime) -> datetime:
    """A time read back from a column: naive UTC on SQLite."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
