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
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from goalwise.core.errors import StorageError
from goalwise.storage.engine import Database, storage_error

__all__ = [
    "SchemaStatus",
    "ensure_current",
    "head_revision",
    "running_role_owns_audit_log",
    "schema_status",
    "upgrade",
]

#: Key of the PostgreSQL advisory lock held while migrating ("goalwise" in ASCII, as a number).
MIGRATION_LOCK = 0x676F616C77697365

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
    except DBAPIError as exc:
        translated = storage_error(exc, db.url)
        if translated is None:
            raise
        raise translated from exc
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
    # One migrator at a time: a second `db upgrade` waits for the first, then finds nothing to do.
    # ``write()`` opens with BEGIN IMMEDIATE on SQLite (and retries while it is held); PostgreSQL
    # takes an advisory lock that ends with the transaction.
    with db.write() as conn:
        if db.dialect == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
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


# The audit log is append-only through triggers, but the role that owns ``audit_events`` (or a
# superuser) can disable them and delete rows: the app should run as a role with rights on rows
# only, while a second role owns the tables and migrates them (docs/admin-guide.md).
_OWNS = text(
    "SELECT current_user AS role, "
    "       (r.rolsuper OR pg_has_role(current_user, c.relowner, 'USAGE')) AS owns "
    "FROM pg_class c JOIN pg_roles r ON r.rolname = current_user "
    "WHERE c.oid = to_regclass('audit_events')"
)


def running_role_owns_audit_log(db: Database) -> str | None:
    """The role's name when the connected role owns ``audit_events`` or is a superuser, else None.

    Always None on SQLite (no roles: the file's permissions guard it) and before the first migration.
    """
    if db.dialect != "postgresql":
        return None
    try:
        with db.engine.connect() as conn:
            row = conn.execute(_OWNS).first()
    except DBAPIError as exc:
        translated = storage_error(exc, db.url)
        if translated is None:
            raise
        raise translated from exc
    return str(row.role) if row is not None and row.owns else None
