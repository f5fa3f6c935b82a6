"""``goalwise backup FILE`` and ``goalwise restore FILE``.

A backup holds every table. On SQLite it is a consistent copy made with SQLite's online backup
API; on PostgreSQL a portable dump (JSON lines). Restore reads either into an empty, migrated
database (run ``goalwise db upgrade`` on a new database first) and refuses a non-empty one.
Keep the key file (``GOALWISE_SECRET_KEY_FILE``) with the backup: encrypted notes need it.
"""

from __future__ import annotations

from pathlib import Path

import typer

from goalwise.cli.runtime import err, open_db, print_json
from goalwise.services.transfer import backup as backups

__all__ = ["register"]


def backup_cmd(
    file: Path = typer.Argument(..., help="The backup file to write (it must not exist yet)."),
) -> None:
    """Back up the whole database to FILE (SQLite copy, or a JSON-lines dump on PostgreSQL)."""
    db = open_db()
    try:
        rows = backups.backup(db, file)
    finally:
        db.dispose()
    err.print(f"Backed up {rows} rows to {file}. Keep the key file with it.", markup=False, highlight=False)


def restore_cmd(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="A file written by `goalwise backup`."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the rows restored per table as JSON."),
) -> None:
    """Restore a backup into this (empty, migrated) database; a database with data is refused."""
    db = open_db()
    try:
        result = backups.restore(db, file)
    finally:
        db.dispose()
    if as_json:
        print_json(result.rows)
    err.print(f"Restored {result.total} rows into {len(result.rows)} tables.", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``goalwise backup`` and ``goalwise restore``."""
    app.command("backup", help="Back up the whole database to a file.")(backup_cmd)
    app.command("restore", help="Restore a backup into an empty database.")(restore_cmd)
