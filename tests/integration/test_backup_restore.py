"""Backup then restore: every table compared row for row, on SQLite and on PostgreSQL."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from tests.support.cast import Cast

from goalwise.config import Settings
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput
from goalwise.interop.imports.files import ImportOptions, import_bytes
from goalwise.services.clinic.demo import load_demo
from goalwise.services.context import Context
from goalwise.services.measurement import observations
from goalwise.services.transfer.backup import backup, restore
from goalwise.storage.engine import Database
from goalwise.storage.tables import metadata

DAYLIO = Path(__file__).resolve().parents[1] / "data" / "imports" / "daylio_2021_bom.csv"


def _admin(url: str, sql: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


@pytest.fixture
def empty_db(db: Database, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A second fresh, migrated database of the same engine as ``db``."""
    if db.dialect == "sqlite":
        path = tmp_path / "restored.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        fresh = Database.from_url(f"sqlite:///{path}")
        yield fresh
        fresh.dispose()
        return
    admin, template = request.getfixturevalue("pg_admin_url"), request.getfixturevalue("pg_template")
    name = f"goalwise_r_{uuid.uuid4().hex[:10]}"
    _admin(admin, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    fresh = Database.from_url(make_url(admin).set(database=name).render_as_string(hide_password=False))
    yield fresh
    fresh.dispose()
    _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _everything(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
        return bytes(value) if isinstance(value, memoryview) else value

    with db.read() as conn:
        return {
            table.name: [
                tuple(plain(v) for v in row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        }


def _fill(ctx: Context) -> int:
    """The demo clinic (accounts, goals, check-ins, assessments, shares), an import and an edit."""
    load_demo(ctx, Actor.system(), n_clients=2, days=30, seed=5, end_on=date(2026, 6, 30))
    system = Actor.system()
    import_bytes(ctx, system, 1, "daylio", DAYLIO.read_bytes(), ImportOptions())
    first = observations.list_observations(ctx, system, 1, metric="mood")[0]
    observations.edit(ctx, system, 1, first.id, value=5)  # a replaces_id link
    return 1


def test_backup_then_restore_gives_back_every_table(ctx: Context, empty_db: Database, tmp_path: Path) -> None:
    client = _fill(ctx)
    before = _everything(ctx.db)
    assert len(before["observations"]) > 100 and before["imports"] and before["journal_entries"]
    file = tmp_path / "goalwise.backup"
    rows = backup(ctx.db, file)
    assert rows == sum(len(v) for v in before.values())
    result = restore(empty_db, file)
    after = _everything(empty_db)
    assert after == before
    assert result.total == rows - len(before["key_canaries"]) + len(after["key_canaries"])
    # New rows continue after the restored ids (PostgreSQL's sequences were moved).
    restored_ctx = Context(empty_db, ctx.settings, ctx.keys)
    new = observations.log(restored_ctx, Actor.system(), client, "mood", 6)
    assert new.id > max(row[0] for row in before["observations"])


def test_restore_into_a_database_with_data_is_refused(ctx: Context, cast: Cast, tmp_path: Path) -> None:
    file = tmp_path / "goalwise.backup"
    backup(ctx.db, file)
    with pytest.raises(Conflict, match="already holds data"):
        restore(ctx.db, file)


def test_backup_never_overwrites_a_file(ctx: Context, tmp_path: Path) -> None:
    file = tmp_path / "taken"
    file.write_text("keep me")
    with pytest.raises(Conflict):
        backup(ctx.db, file)
    assert file.read_text() == "keep me"


def test_a_file_that_is_no_backup_is_refused(empty_db: Database, tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text('{"hello": 1}\n')
    with pytest.raises(InvalidInput):
        restore(empty_db, file)


@pytest.mark.postgres
def test_a_sqlite_backup_restores_into_postgresql(
    sqlite_ctx: Context, pg_db: Database, tmp_path: Path
) -> None:
    """The move from a laptop to a clinic server: every table arrives unchanged."""
    _fill(sqlite_ctx)
    file = tmp_path / "laptop.backup"
    backup(sqlite_ctx.db, file)
    restore(pg_db, file)
    assert _everything(pg_db) == _everything(sqlite_ctx.db)


@pytest.mark.postgres
def test_a_postgresql_dump_restores_into_sqlite(
    pg_db: Database, sqlite_db: Database, settings: Settings, tmp_path: Path
) -> None:
    source = Context.open(settings, pg_db)
    _fill(source)
    file = tmp_path / "clinic.backup"
    backup(pg_db, file)
    assert file.read_text(encoding="utf-8").startswith('{"format": "goalwise-backup"')
    restore(sqlite_db, file)
    assert _everything(sqlite_db) == _everything(pg_db)
