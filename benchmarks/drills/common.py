"""Shared pieces of the reliability drills: a data folder, the CLI, CSV files and SQLite checks."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

GOALWISE = str(Path(sys.executable).parent / "goalwise")


def env_for(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a Goalwise process on ``folder``."""
    return dict(os.environ, GOALWISE_DATA_DIR=str(folder), **extra)


def cli(folder: Path, *args: str, check: bool = True, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run ``goalwise ARGS`` on ``folder``."""
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        [GOALWISE, *args], env=env_for(folder), capture_output=True, text=True, check=check, **kwargs
    )


def new_clinic(folder: Path, clients: int = 1) -> Path:
    """A migrated database with ``clients`` clients (ids 1..n)."""
    folder.mkdir(parents=True, exist_ok=True)
    cli(folder, "db", "upgrade")
    for number in range(clients):
        cli(folder, "client", "add", f"Drill Client {number + 1}")
    return folder


def write_csv(path: Path, rows: int, start: datetime = datetime(1990, 1, 1)) -> Path:
    """A long CSV of ``rows`` observations (mood, anxiety, sleep_hours; one reading an hour)."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "time", "metric", "value"])
        for i in range(rows):
            at = start + timedelta(hours=i // 3)
            metric = ("mood", "anxiety", "sleep_hours")[i % 3]
            writer.writerow(
                [at.strftime("%Y-%m-%d"), at.strftime("%H:%M"), metric, 7 if i % 3 == 2 else 1 + i % 10]
            )
    return path


def sql(db_path: Path, query: str) -> list[tuple[object, ...]]:
    """Rows of ``query`` on the database, read-only."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def integrity(db_path: Path) -> str:
    """``PRAGMA integrity_check`` (``ok`` when sound) plus any foreign key problem."""
    result = str(sql(db_path, "PRAGMA integrity_check")[0][0])
    broken = sql(db_path, "PRAGMA foreign_key_check")
    return result if not broken else f"{result}; foreign keys broken: {broken[:3]}"


def count(db_path: Path, table: str) -> int:
    """Rows in ``table``."""
    return int(sql(db_path, f"SELECT count(*) FROM {table}")[0][0])


class Drill:
    """Collects a drill's checks; ``ok`` when every one held."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.failures: list[str] = []
        print(f"\n== {name} ==", flush=True)

    def check(self, condition: bool, what: str) -> None:
        """Record one check and print it."""
        print(f"  {'ok  ' if condition else 'FAIL'} {what}", flush=True)
        if not condition:
            self.failures.append(what)

    @property
    def ok(self) -> bool:
        """True when every check held."""
        return not self.failures
