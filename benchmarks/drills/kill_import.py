"""Drill 1: SIGKILL in the middle of a large import, then start again.

Checks: ``PRAGMA integrity_check`` is ok, none of the killed import's rows are stored, and the
same import run again stores every row.
"""

from __future__ import annotations

import signal
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.drills.common import GOALWISE, Drill, cli, count, env_for, integrity, new_clinic, write_csv

ROWS = 300_000


def run(rows: int = ROWS) -> Drill:
    """Kill an import once it is writing; check the database; import again."""
    drill = Drill(f"SIGKILL during an import of {rows:,} rows")
    with tempfile.TemporaryDirectory() as tmp:
        folder = new_clinic(Path(tmp) / "data")
        source = write_csv(Path(tmp) / "big.csv", rows)
        db = folder / "goalwise.db"
        wal = folder / "goalwise.db-wal"
        process = subprocess.Popen(
            [GOALWISE, "import", "csv", "--client", "1", str(source)],
            env=env_for(folder),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 600
        # Kill once the import is writing rows (its WAL has grown past a megabyte).
        while time.monotonic() < deadline and process.poll() is None:
            if wal.exists() and wal.stat().st_size > 1_048_576:
                break
            time.sleep(0.05)
        still_running = process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
        drill.check(still_running, "the import was killed while it was writing")
        drill.check(integrity(db) == "ok", f"integrity_check after the kill: {integrity(db)}")
        drill.check(
            count(db, "observations") == 0,
            f"no row of the killed import stored ({count(db, 'observations')})",
        )
        drill.check(count(db, "imports") == 0, "no import recorded")
        again = cli(folder, "import", "csv", "--client", "1", str(source), check=False)
        drill.check(again.returncode == 0, f"the import run again succeeds (exit {again.returncode})")
        drill.check(
            count(db, "observations") == rows, f"every row stored once ({count(db, 'observations'):,})"
        )
        drill.check(integrity(db) == "ok", "integrity_check after the re-import")
    return drill


if __name__ == "__main__":
    raise SystemExit(0 if run().ok else 1)
