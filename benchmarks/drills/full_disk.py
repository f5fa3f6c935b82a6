"""Drill 3: a full disk and a read-only database file.

The full disk is the process's file-size limit (``RLIMIT_FSIZE``) set just above the database's
size, so the next growth fails as it would on a full disk; the read-only file is opened with
SQLite's ``mode=ro``. Checks: the command ends with a clear message naming the cause and the
fix, and what was stored before is intact.
"""

from __future__ import annotations

import resource
import signal
import subprocess
import tempfile
from pathlib import Path

from benchmarks.drills.common import GOALWISE, Drill, cli, count, env_for, integrity, new_clinic, write_csv

ROWS = 100_000


def _limited(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def run() -> Drill:
    """Import into a database that cannot grow, and write to a read-only one."""
    drill = Drill("full disk and read-only database")
    with tempfile.TemporaryDirectory() as tmp:
        folder = new_clinic(Path(tmp) / "data", clients=2)
        db = folder / "goalwise.db"
        small = write_csv(Path(tmp) / "small.csv", 3_000)
        cli(folder, "import", "csv", "--client", "1", str(small))
        stored = count(db, "observations")
        big = write_csv(Path(tmp) / "big.csv", ROWS)
        limit = db.stat().st_size + 256 * 1024
        full = subprocess.run(
            [GOALWISE, "import", "csv", "--client", "2", str(big)],
            env=env_for(folder),
            capture_output=True,
            text=True,
            preexec_fn=lambda: _limited(limit),
        )
        message = full.stderr.strip().splitlines()[-1] if full.stderr.strip() else ""
        drill.check(full.returncode != 0, f"the import on a full disk fails (exit {full.returncode})")
        drill.check("full" in message and "free space" in message, f"it says the disk is full: {message!r}")
        drill.check("Traceback" not in full.stderr, "no traceback reaches the operator")
        drill.check(integrity(db) == "ok", f"integrity_check after the full disk: {integrity(db)}")
        drill.check(count(db, "observations") == stored, "what was stored before is all there, nothing added")
        url = f"sqlite:///file:{db}?mode=ro&uri=true"
        read_only = subprocess.run(
            [GOALWISE, "import", "csv", "--client", "1", str(big)],
            env=env_for(folder, GOALWISE_DATABASE_URL=url),
            capture_output=True,
            text=True,
        )
        message = read_only.stderr.strip().splitlines()[-1] if read_only.stderr.strip() else ""
        drill.check(
            read_only.returncode != 0, f"a write to a read-only database fails (exit {read_only.returncode})"
        )
        drill.check("read-only" in message, f"it says the database is read-only: {message!r}")
        drill.check("Traceback" not in read_only.stderr, "no traceback reaches the operator")
        listed = subprocess.run(
            [GOALWISE, "client", "list"],
            env=env_for(folder, GOALWISE_DATABASE_URL=url),
            capture_output=True,
            text=True,
        )
        drill.check(listed.returncode == 0, "reading a read-only database still works")
        drill.check(integrity(db) == "ok" and count(db, "observations") == stored, "nothing damaged")
    return drill


if __name__ == "__main__":
    raise SystemExit(0 if run().ok else 1)
