"""Run the Alembic migrations from code, as the service does on start."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"

# Any constant works; it only has to be the same for every replica of this service.
_MIGRATION_LOCK_ID = 0x61636573  # "aces"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at our migrations; with `connection`, env.py uses it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Migrate the database to the newest revision.

    On PostgreSQL several replicas may start at once: an advisory lock makes them take turns,
    so the second one finds the schema already at head instead of racing the first.
    """
    with engine.connect() as connection:
        locked = connection.dialect.name == "postgresql"
        if locked:
            connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
            connection.commit()
        try:
            command.upgrade(alembic_config(connection), "head")
            connection.commit()
        finally:
            if locked:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID}
                )
                connection.commit()
