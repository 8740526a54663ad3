"""Keep what played: one row per stream session, and its samples as they are downsampled;
index the plays by time for the status check's "played in the last minutes".

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# The count of sessions ever started lives in app_settings under this key.
_SESSIONS_TOTAL_KEY = "stream_sessions_total"


def upgrade() -> None:
    op.create_table(
        "stream_sessions",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("content_id", sa.String(length=40), nullable=False),
        sa.Column("id_kind", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("peak_clients", sa.Integer(), nullable=True),
        sa.Column("speed_down_sum", sa.Float(), nullable=False),
        sa.Column("speed_samples", sa.Integer(), nullable=False),
        sa.Column("trouble_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stalled", sa.Boolean(), nullable=False),
        sa.Column("first_client_address", sa.String(length=64), nullable=True),
        sa.Column("first_client_agent", sa.String(length=512), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_sessions")),
    )
    op.create_index(
        "uq_stream_sessions_open",
        "stream_sessions",
        ["content_id", "id_kind"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )
    op.create_index("ix_stream_sessions_started_at", "stream_sessions", ["started_at"])
    op.create_table(
        "stream_samples",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("session_id", _ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolution_seconds", sa.Integer(), nullable=False),
        sa.Column("clients", sa.Integer(), nullable=True),
        sa.Column("engine_status", sa.String(length=16), nullable=True),
        sa.Column("peers", sa.Integer(), nullable=True),
        sa.Column("speed_down_kbps", sa.Float(), nullable=True),
        sa.Column("speed_up_kbps", sa.Float(), nullable=True),
        sa.Column("downloaded_bytes", sa.BigInteger(), nullable=True),
        sa.Column("uploaded_bytes", sa.BigInteger(), nullable=True),
        sa.Column("stalled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["stream_sessions.id"],
            name=op.f("fk_stream_samples_session_id_stream_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_samples")),
    )
    op.create_index("ix_stream_samples_session_id_at", "stream_samples", ["session_id", "at"])
    op.create_index("ix_stream_plays_played_at", "stream_plays", ["played_at"])


def downgrade() -> None:
    op.drop_index("ix_stream_plays_played_at", table_name="stream_plays")
    op.drop_index("ix_stream_samples_session_id_at", table_name="stream_samples")
    op.drop_table("stream_samples")
    op.drop_index("ix_stream_sessions_started_at", table_name="stream_sessions")
    op.drop_index("uq_stream_sessions_open", table_name="stream_sessions")
    op.drop_table("stream_sessions")
    op.execute(
        sa.text("DELETE FROM app_settings WHERE key IN (:total, :cursor)").bindparams(
            total=_SESSIONS_TOTAL_KEY, cursor="stream_sweep_cursor"
        )
    )
