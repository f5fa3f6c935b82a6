"""Run every ``benchmarks/bench_*.py`` in turn. Timings are reported as ratios against a floor
measured in the same run; nothing here passes or fails on time (machines are shared and noisy).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if not scripts:
        print("no benchmarks found in benchmarks/", file=sys.stderr)
        return 0
    failed = []
    for script in scripts:
        print(f"\n== {script.name} ==", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], check=False)
        print(f"({script.name} took {time.perf_counter() - started:.1f} s)", flush=True)
        if result.returncode != 0:
            failed.append(script.name)
    if failed:
        print(f"\nbenchmarks that crashed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
