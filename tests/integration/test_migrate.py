"""Schema versions: an empty, a current, an old and a too-new database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from goalwise.core.errors import StorageError
from goalwise.storage.engine import Database
from goalwise.storage.migrate import ensure_current, head_revision, schema_status, upgrade


def test_empty_database_is_refused_with_the_command_to_run(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'new.db'}")
    assert schema_status(db).state == "empty"
    with pytest.raises(StorageError, match="run `goalwise db upgrade`"):
        ensure_current(db)


def test_upgrade_reaches_head_and_is_idempotent(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'new.db'}")
    assert upgrade(db).current == head_revision()
    assert upgrade(db).state == "current"
    ensure_current(db)


def test_database_from_a_newer_version_is_refused(db: Database) -> None:
    with db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    assert schema_status(db).state == "ahead"
    with pytest.raises(StorageError, match="newer Goalwise"):
        ensure_current(db)
    with pytest.raises(StorageError, match="newer than this Goalwise"):
        upgrade(db)


def test_migrated_schema_matches_the_tables(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from goalwise.storage.tables import metadata

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    assert diff == [], "tables.py and the migrations disagree; add a migration"
