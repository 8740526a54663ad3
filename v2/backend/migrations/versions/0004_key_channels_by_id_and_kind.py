"""Key channels by (content_id, id_kind): an infohash no longer replaces the same-hex content id.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.drop_constraint(op.f("uq_channels_content_id"), type_="unique")
        batch.create_unique_constraint(
            op.f("uq_channels_content_id_id_kind"), ["content_id", "id_kind"]
        )


def downgrade() -> None:
    # The old key allows one row per hex: the infohash twin of a content id goes.
    op.execute(
        "DELETE FROM channels WHERE id_kind = 'infohash' AND content_id IN"
        " (SELECT content_id FROM channels WHERE id_kind <> 'infohash')"
    )
    with op.batch_alter_table("channels") as batch:
        batch.drop_constraint(op.f("uq_channels_content_id_id_kind"), type_="unique")
        batch.create_unique_constraint(op.f("uq_channels_content_id"), ["content_id"])
