"""Run the Alembic migrations from code, as the service does on start.

Alembic (its script directory, its environment and every migration module) is imported only
when the schema is behind: a database already at head, the usual start, is found so by one
`SELECT` against the newest revision read from the migration files themselves.
"""

import ast
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"

# Any constant works; it only has to be the same for every replica of this service.
_MIGRATION_LOCK_ID = 0x61636573  # "aces"


def alembic_config(connection: Connection | None = None) -> "Config":
    """An Alembic config pointing at our migrations; with `connection`, env.py uses it."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def head_revision() -> str | None:
    """The newest migration's revision; read once per process (the files do not change).

    Read from each file's `revision` and `down_revision` literals; when that is not one plain
    chain end (a merge, a branch, a revision that is not a literal), Alembic decides.
    """
    return head_from_files(MIGRATIONS_DIR / "versions") or _alembic_head()


def head_from_files(versions: Path) -> str | None:
    """The one revision no other file revises, or None when the files do not say so plainly."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in versions.glob("*.py"):
        values = _module_literals(path, ("revision", "down_revision"))
        revision, down_revision = values.get("revision"), values.get("down_revision")
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(down_revision, str):
            revised.add(down_revision)
        elif down_revision is not None:
            return None
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def _module_literals(path: Path, names: Sequence[str]) -> dict[str, object]:
    """The literal values assigned to `names` at the top level of the Python file at `path`."""
    values: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in names:
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                values[target.id] = value  # not a literal: the caller treats it as unknown
    return values


def _alembic_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revisions(connection: Connection) -> list[str]:
    """The revisions recorded in `alembic_version`; empty when the table does not exist."""
    try:
        return list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except SQLAlchemyError:
        return []
    finally:
        connection.rollback()  # Alembic (or the caller) starts from no open transaction


def upgrade_to_head(engine: Engine) -> None:
    """Migrate the database to the newest revision; a database already there is only read.

    On PostgreSQL several replicas may start at once: an advisory lock makes them take turns,
    so the second one finds the schema already at head instead of racing the first.
    """
    with engine.connect() as connection:
        if current_revisions(connection) == [head_revision()]:
            return
        _upgrade(connection)


def _upgrade(connection: Connection) -> None:
    from alembic import command

    locked = connection.dialect.name == "postgresql"
    if locked:
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        connection.commit()
    try:
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
    finally:
        if locked:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _MIGRATION_LOCK_ID})
            connection.commit()
