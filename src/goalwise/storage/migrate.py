"""Schema versions: upgrade, report status, and refuse to run on a database that does not match.

The web app and the CLI call ``ensure_current`` at start-up, so an un-migrated database, or one
migrated by a newer Goalwise, stops with one line that names the command to run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import OperationalError

from goalwise.core.errors import StorageError
from goalwise.storage.engine import Database, describe_connection_error

__all__ = ["SchemaStatus", "ensure_current", "head_revision", "schema_status", "upgrade"]

_SCRIPTS = Path(__file__).parent / "migrations"


@dataclass(frozen=True, slots=True)
class SchemaStatus:
    """Where the database stands against the migrations shipped with this version."""

    current: str | None
    head: str
    known: bool

    @property
    def up_to_date(self) -> bool:
        """True when the database is at the newest migration."""
        return self.current == self.head

    @property
    def state(self) -> str:
        """``current``, ``empty``, ``behind`` or ``ahead`` (migrated by a newer Goalwise)."""
        if self.current is None:
            return "empty"
        if self.current == self.head:
            return "current"
        return "behind" if self.known else "ahead"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this version."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def schema_status(db: Database) -> SchemaStatus:
    """Compare the database's recorded revision with the shipped migrations."""
    script = ScriptDirectory.from_config(_config())
    try:
        with db.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise StorageError(describe_connection_error(exc, db.url)) from exc
    known = current is None or current in {rev.revision for rev in script.walk_revisions()}
    head = script.get_current_head()
    assert head is not None
    return SchemaStatus(current=current, head=head, known=known)


def upgrade(db: Database, target: str = "head") -> SchemaStatus:
    """Apply every pending migration in one transaction per migration run."""
    status = schema_status(db)
    if status.state == "ahead":
        raise StorageError(
            f"the database is at revision {status.current}, newer than this Goalwise ({status.head}); "
            "upgrade Goalwise (pip install -U goalwise)"
        )
    cfg = _config()
    try:
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, target)
    except OperationalError as exc:
        raise StorageError(describe_connection_error(exc, db.url)) from exc
    return schema_status(db)


def ensure_current(db: Database) -> None:
    """Raise ``StorageError`` unless the database is at the newest migration."""
    status = schema_status(db)
    if status.state == "empty":
        raise StorageError("the database is not set up yet; run `goalwise db upgrade`")
    if status.state == "behind":
        raise StorageError(
            f"the database is at revision {status.current} but this Goalwise needs {status.head}; "
            "run `goalwise db upgrade`"
        )
    if status.state == "ahead":
        raise StorageError(
            f"the database was migrated by a newer Goalwise (revision {status.current}); "
            "upgrade Goalwise before using it"
        )
