"""``make drills``: every reliability drill in turn; exits non-zero when a check fails.

1. SIGKILL in the middle of a large import, then start again (``kill_import``).
2. Two writers for 60 seconds on SQLite: CLI imports and web check-ins (``two_writers``).
3. A full disk and a read-only database file (``full_disk``).
4. A backup taken during writes restores to a consistent database (``backup_during_writes``).

Run one: python -m benchmarks.drills.kill_import
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.drills import backup_during_writes, full_disk, kill_import, two_writers


def main() -> int:
    started = time.perf_counter()
    drills = [kill_import.run(), two_writers.run(), full_disk.run(), backup_during_writes.run()]
    passed = sum(d.ok for d in drills)
    print(f"\n{passed} of {len(drills)} drills passed in {time.perf_counter() - started:.0f} s")
    for drill in drills:
        for failure in drill.failures:
            print(f"FAILED {drill.name}: {failure}")
    return 0 if all(d.ok for d in drills) else 1


if __name__ == "__main__":
    sys.exit(main())
