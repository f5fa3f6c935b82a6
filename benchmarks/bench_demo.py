"""Demo-clinic loading speed: rows per second for `load_demo`, against a floor of plain
``executemany`` inserts of the same number of rows into a bare SQLite table in the same run.

Run: python benchmarks/bench_demo.py [--clients 200 --days 365]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

from goalwise.config import Settings
from goalwise.core.accounts.actor import Actor
from goalwise.services.clinic.demo import load_demo
from goalwise.services.context import Context
from goalwise.storage.engine import Database
from goalwise.storage.migrate import upgrade


def floor_seconds(rows: int, folder: Path) -> float:
    """Insert ``rows`` rows of (int, int, text, float) with executemany: the cheapest possible write."""
    conn = sqlite3.connect(folder / "floor.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE t (a INTEGER, b INTEGER, d TEXT, v REAL)")
    data = [(i % 500, i % 7, "2026-01-01", float(i % 10)) for i in range(rows)]
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", data)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = Database.from_url(f"sqlite:///{folder / 'bench.db'}")
        upgrade(db)
        started = time.perf_counter()
        result = load_demo(
            Context.open(Settings(data_dir=folder), db),
            Actor.system(),
            n_clients=args.clients,
            days=args.days,
            seed=1,
            end_on=date(2026, 6, 30),
        )
        demo_s = time.perf_counter() - started
        db.dispose()
        floor_s = floor_seconds(result.observations, folder)
    print(
        f"demo: {args.clients} clients x {args.days} days = {result.observations:,} observations, "
        f"{result.assessments:,} assessments in {demo_s:.2f} s ({result.observations / demo_s:,.0f} obs/s)"
    )
    print(f"floor: bare executemany of {result.observations:,} rows in {floor_s:.2f} s")
    print(f"ratio demo/floor: {demo_s / floor_s:.1f}x")


if __name__ == "__main__":
    main()
