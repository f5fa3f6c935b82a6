"""Drill 4: a backup taken while check-ins are being written restores to a consistent database.

Checks: ``goalwise backup`` succeeds during writes; ``goalwise restore`` of it into an empty
database succeeds; the restored database passes ``integrity_check`` and the foreign key check,
and every check-in in it is whole (all of its values, never part of one).
"""

from __future__ import annotations

import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select

from benchmarks.drills.common import Drill, cli, count, integrity, sql
from goalwise.config import Settings
from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.measurement import checkins
from goalwise.storage.tables import clients


def _writer(folder: Path, until: float, done: list[int]) -> None:
    ctx = Context.open(Settings(data_dir=folder))
    with ctx.db.read() as conn:
        first = conn.execute(select(func.min(clients.c.id))).scalar_one()
    while time.monotonic() < until:
        checkins.checkin(
            ctx, Actor.system(), first, mood=6, anxiety=3, sleep_hours=7.5, client_ref=uuid.uuid4().hex
        )
        done.append(1)
    ctx.db.dispose()


def run() -> Drill:
    """Back up during check-ins, restore, and check the copy."""
    drill = Drill("backup during writes restores to a consistent database")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        folder.mkdir()
        cli(folder, "db", "upgrade")
        cli(folder, "demo", "--clients", "20", "--days", "120")
        done: list[int] = []
        until = time.monotonic() + 20
        writers = [threading.Thread(target=_writer, args=(folder, until, done)) for _ in range(2)]
        for writer in writers:
            writer.start()
        time.sleep(3)
        backup_file = Path(tmp) / "during.goalwise-backup"
        made = cli(folder, "backup", str(backup_file), check=False)
        for writer in writers:
            writer.join()
        drill.check(
            made.returncode == 0,
            f"the backup during {len(done)} check-ins succeeds ({made.stderr.strip()[-160:]})",
        )
        target = Path(tmp) / "restored"
        target.mkdir()
        (target / "secret.key").write_bytes((folder / "secret.key").read_bytes())
        cli(target, "db", "upgrade")
        restored = cli(target, "restore", str(backup_file), check=False)
        drill.check(restored.returncode == 0, f"the restore succeeds ({restored.stderr.strip()[-160:]})")
        db = target / "goalwise.db"
        drill.check(
            integrity(db) == "ok", f"integrity and foreign keys of the restored copy: {integrity(db)}"
        )
        partial = sql(
            db,
            "SELECT count(*) FROM (SELECT count(*) AS n FROM observations WHERE client_ref IS NOT NULL "
            "AND client_id = (SELECT min(id) FROM clients) GROUP BY at HAVING n % 3 != 0)",
        )[0][0]
        drill.check(partial == 0, f"every check-in whole in the copy ({partial} partial)")
        drill.check(
            count(db, "observations") > 0, f"the copy holds the clinic ({count(db, 'observations'):,} values)"
        )
        listed = cli(target, "client", "list", check=False)
        drill.check(listed.returncode == 0, "the restored clinic opens with its key")
    return drill


if __name__ == "__main__":
    raise SystemExit(0 if run().ok else 1)
