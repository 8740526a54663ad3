"""Record each redirect of a player to acexy: which channel, when, and (optionally) who.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stream_plays",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("content_id", sa.String(length=40), nullable=False),
        sa.Column("id_kind", sa.String(length=16), nullable=False),
        sa.Column("played_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=512), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_plays")),
    )
    op.create_index("ix_stream_plays_channel_id", "stream_plays", ["content_id", "id_kind", "id"])


def downgrade() -> None:
    op.drop_index("ix_stream_plays_channel_id", table_name="stream_plays")
    op.drop_table("stream_plays")
