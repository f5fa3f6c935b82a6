"""Back up the whole installation to one file, and restore it into an empty database.

* **SQLite**: the backup is a copy made with SQLite's online backup API, consistent even while
  the app keeps writing; it is itself a Goalwise SQLite database.
* **PostgreSQL**: a portable dump: JSON lines, a header line (format, schema revision, tables)
  then one line per row, table by table in dependency order (parents before children).

Restore reads either kind into the configured database, whichever engine it runs on (so a
backup also moves an installation from SQLite to PostgreSQL). The target must be migrated to
the same schema revision and hold no data; a non-empty database is refused. Rows keep their ids;
PostgreSQL's id sequences are moved past them. Encrypted text stays encrypted: the restored
installation needs the key file of the one that made the backup.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, LargeBinary, Table, func, insert, select, text, update

from goalwise.core.errors import Conflict, InvalidInput, Problem
from goalwise.storage.engine import Database
from goalwise.storage.migrate import head_revision
from goalwise.storage.tables import metadata

__all__ = ["FORMAT", "RestoreResult", "backup", "is_empty", "restore"]

FORMAT = "goalwise-backup"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_CHUNK = 1000
#: Application state that a fresh database already has and a restore replaces.
_REPLACED = ("key_canaries",)


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What a restore copied: rows per table."""

    rows: dict[str, int]

    @property
    def total(self) -> int:
        """All rows restored."""
        return sum(self.rows.values())


def _tables() -> list[Table]:
    return list(metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in row.items():
        kind = table.c[name].type
        if value is not None and isinstance(kind, DateTime):
            parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
            value = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        elif value is not None and isinstance(kind, Date) and isinstance(value, str):
            value = date.fromisoformat(value)
        elif value is not None and isinstance(kind, LargeBinary) and isinstance(value, str):
            value = base64.b64decode(value)
        out[name] = value
    return out


def _revision(conn: Connection) -> str | None:
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def backup(db: Database, path: Path) -> int:
    """Write a backup of ``db`` to ``path`` (which must not exist); returns the rows written."""
    if path.exists():
        raise Conflict(f"{path} exists already; choose a new file name for the backup")
    # A backup holds every record: readable by its owner only, like the database (0600).
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    if db.dialect == "sqlite":
        with db.engine.connect() as conn:
            source = conn.connection.driver_connection
            assert isinstance(source, sqlite3.Connection)
            target = sqlite3.connect(path)
            try:
                source.backup(target)
            finally:
                target.close()
        with db.read() as conn:
            return sum(int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in _tables())
    return _dump_json_lines(db, path)


def _dump_json_lines(db: Database, path: Path) -> int:
    written = 0
    with db.read() as conn, path.open("w", encoding="utf-8") as out:
        header = {
            "format": FORMAT,
            "version": 1,
            "revision": _revision(conn),
            "tables": [t.name for t in _tables()],
        }
        out.write(json.dumps(header) + "\n")
        for table in _tables():
            order = list(table.primary_key.columns)
            for row in conn.execute(select(table).order_by(*order)).mappings():
                line = {"table": table.name, "row": {k: _encode(v) for k, v in row.items()}}
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                written += 1
    return written


def is_empty(conn: Connection) -> dict[str, int]:
    """Tables that hold rows (name -> count), apart from the application state a restore replaces."""
    found = {}
    for table in _tables():
        if table.name in _REPLACED:
            continue
        count = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        if count:
            found[table.name] = count
    return found


def _unreadable(path: Path) -> InvalidInput:
    return InvalidInput(
        [
            Problem(
                "backup-format",
                "file",
                f"{path.name} is not a Goalwise backup.",
                "Choose a file that `goalwise backup` wrote.",
            )
        ]
    )


def _sqlite_rows(path: Path) -> tuple[str | None, Iterator[tuple[Table, dict[str, Any]]]]:
    source = Database.from_url(f"sqlite:///{path}")
    with source.read() as conn:
        revision = _revision(conn)

    def rows() -> Iterator[tuple[Table, dict[str, Any]]]:
        try:
            with source.read() as conn:
                for table in _tables():
                    for row in conn.execute(select(table).order_by(*table.primary_key.columns)).mappings():
                        yield table, dict(row)
        finally:
            source.dispose()

    return revision, rows()


def _json_rows(path: Path) -> tuple[str | None, Iterator[tuple[Table, dict[str, Any]]]]:
    handle = path.open(encoding="utf-8")
    header = json.loads(handle.readline() or "{}")
    if header.get("format") != FORMAT:
        handle.close()
        raise _unreadable(path)

    def rows() -> Iterator[tuple[Table, dict[str, Any]]]:
        with handle:
            for line in handle:
                item = json.loads(line)
                yield metadata.tables[item["table"]], item["row"]

    return header.get("revision"), rows()


def _open_backup(path: Path) -> tuple[str | None, Iterator[tuple[Table, dict[str, Any]]]]:
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(_SQLITE_MAGIC))
        return _sqlite_rows(path) if magic == _SQLITE_MAGIC else _json_rows(path)
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
        raise _unreadable(path) from exc
    except Exception as exc:  # an SQLite file without our tables
        if "no such table" in str(exc).lower():
            raise _unreadable(path) from exc
        raise


def restore(db: Database, path: Path) -> RestoreResult:
    """Copy every row of the backup at ``path`` into ``db``, which must be empty and migrated."""
    revision, rows = _open_backup(path)
    if revision != head_revision():
        raise Conflict(
            f"the backup is of schema revision {revision}, this Goalwise is at {head_revision()}; "
            "restore with the Goalwise version that made the backup, then upgrade"
        )
    counts: dict[str, int] = {}
    with db.write() as conn:
        holding = is_empty(conn)
        if holding:
            shown = ", ".join(f"{name} ({count})" for name, count in list(holding.items())[:3])
            raise Conflict(
                f"the database already holds data: {shown}; restore only into an empty database (point "
                "GOALWISE_DATABASE_URL or GOALWISE_DATA_DIR at a new one and run `goalwise db upgrade`)"
            )
        for name in _REPLACED:
            conn.execute(metadata.tables[name].delete())
        _copy(conn, rows, counts)
        if db.dialect == "postgresql":
            _move_sequences(conn)
    return RestoreResult(counts)


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _copy(conn: Connection, rows: Iterator[tuple[Table, dict[str, Any]]], counts: dict[str, int]) -> None:
    batch: list[dict[str, Any]] = []
    later: list[tuple[Table, dict[str, Any]]] = []
    current: Table | None = None

    def flush() -> None:
        if current is not None and batch:
            conn.execute(insert(current), batch)
            counts[current.name] = counts.get(current.name, 0) + len(batch)
            batch.clear()

    for table, raw in rows:
        if table is not current:
            flush()
            current = table
        row = _decode(table, raw)
        # A row may point at a later row of its own table: insert the link after every row exists.
        links = {name: row[name] for name in _self_references(table) if row.get(name) is not None}
        if links:
            later.append((table, {**links, "_pk": {c.name: row[c.name] for c in table.primary_key.columns}}))
            row = {**row, **dict.fromkeys(links)}
        batch.append(row)
        if len(batch) >= _CHUNK:
            flush()
    flush()
    for table, links in later:
        keys = links.pop("_pk")
        conn.execute(update(table).where(*(table.c[k] == v for k, v in keys.items())).values(**links))


def _move_sequences(conn: Connection) -> None:
    for table in _tables():
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name})) WHERE EXISTS (SELECT 1 FROM {table.name})"
            )
        )
