"""Generic CSV import (``goalwise import csv``) of many observations into a fresh database: rows per
second and the import process's peak memory, against ``sqlite3.executemany`` of the same rows."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from tests.support.postgres import Cluster

from benchmarks.clinic import driver_url
from benchmarks.harness import Result
from benchmarks.pg_clinic import new_database

HERE = Path(__file__).parent
METRICS = ("mood", "anxiety", "sleep_hours")


def _rows(count: int) -> list[tuple[str, str, str, float]]:
    """``count`` observations: three metrics, one reading an hour from 1950 on (1,000,000 end in 1988)."""
    start = datetime(1950, 1, 1)
    rows = []
    for i in range(count):
        at = start + timedelta(hours=i // len(METRICS))
        metric = METRICS[i % len(METRICS)]
        value = 7.0 if metric == "sleep_hours" else float(1 + i % 10)
        rows.append((at.strftime("%Y-%m-%d"), at.strftime("%H:%M"), metric, value))
    return rows


def _env(folder: Path, url: str | None) -> dict[str, str]:
    """The CLI's environment: the data folder (the key file), and the database when not SQLite."""
    return dict(os.environ, GOALWISE_DATA_DIR=str(folder)) | ({"GOALWISE_DATABASE_URL": url} if url else {})


def _template(folder: Path, url: str | None = None) -> Path:
    """A migrated database holding one client (id 1), made with the CLI (at ``url`` when given)."""
    env = _env(folder, url)
    goalwise = str(Path(sys.executable).parent / "goalwise")
    subprocess.run([goalwise, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([goalwise, "client", "add", "Import Bench"], env=env, check=True, capture_output=True)
    return folder


#: Runs one command and prints its seconds, exit status and peak memory as JSON. A child's
#: ``ru_maxrss`` counts the memory of the process that started it, kept through fork and exec:
#: started from this process, which holds a million rows, ``/bin/true`` "peaks" at 330 MB. This
#: small launcher is the parent instead, so what is measured is the import alone.
_LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "status": status, "peak_kb": usage.ru_maxrss}))
"""


def _import_once(template: Path, csv_path: Path, url: str | None = None) -> tuple[float, float]:
    """Seconds and peak memory (MB) of one ``goalwise import csv`` into a copy of ``template``
    (on PostgreSQL: into ``url``, a fresh copy of the template database)."""
    with tempfile.TemporaryDirectory(dir=HERE / ".cache") as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(template, folder)
        env = dict(os.environ, GOALWISE_DATA_DIR=str(folder)) | (
            {"GOALWISE_DATABASE_URL": url} if url else {}
        )
        goalwise = str(Path(sys.executable).parent / "goalwise")
        command = [goalwise, "import", "csv", "--client", "1", str(csv_path), "--json"]
        done = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, *command], env=env, capture_output=True, text=True
        )
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"import launcher failed: {done.stderr}")
        measured = json.loads(done.stdout)
        if measured["status"] != 0:
            raise RuntimeError(f"import failed: {done.stderr or measured['status']}")
        return float(measured["seconds"]), measured["peak_kb"] / 1024


def _floor_once(rows: list[tuple[str, str, str, float]], url: str | None = None) -> float:
    if url:
        return _pg_floor_once(rows, url)
    with tempfile.TemporaryDirectory(dir=HERE / ".cache") as tmp:
        conn = sqlite3.connect(Path(tmp) / "floor.db")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE t (client INT, metric TEXT, local_on TEXT, at TEXT, value REAL)")
        started = time.perf_counter()
        with conn:
            conn.executemany(
                "INSERT INTO t VALUES (1, ?, ?, ?, ?)", ((m, d, f"{d}T{t}", v) for d, t, m, v in rows)
            )
        elapsed = time.perf_counter() - started
        conn.close()
        return elapsed


def _pg_floor_once(rows: list[tuple[str, str, str, float]], url: str) -> float:
    """psycopg's ``executemany`` of the same rows into a bare table, in one transaction."""
    with psycopg.connect(driver_url(url)) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_import_floor")
        conn.execute(
            "CREATE TABLE bench_import_floor (client INT, metric TEXT, local_on TEXT, at TEXT, value REAL)"
        )
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_import_floor VALUES (1, %s, %s, %s, %s)",
                [(m, d, f"{d}T{t}", v) for d, t, m, v in rows],
            )
        conn.commit()
        return time.perf_counter() - started


def run(runs: int, count: int, cluster: Cluster | None = None) -> list[Result]:
    """Median rows per second of the import and of the floor; the largest peak memory.

    With ``cluster``, the same on PostgreSQL: each run imports into a fresh copy of a template
    database (``CREATE DATABASE ... TEMPLATE``), and the floor is psycopg's ``executemany``.
    """
    rows = _rows(count)
    with tempfile.TemporaryDirectory(dir=HERE / ".cache") as tmp:
        folder = Path(tmp)
        csv_path = folder / "observations.csv"
        with csv_path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["date", "time", "metric", "value"])
            writer.writerows(rows)
        template_url = new_database(cluster, "import_template") if cluster else None
        template = _template(folder / "template", template_url)
        ours, floors, peaks = [], [], []
        for number in range(runs):
            url = new_database(cluster, f"import_{number}", "import_template") if cluster else None
            floors.append(count / _floor_once(rows, url))
            seconds, peak = _import_once(template, csv_path, url)
            ours.append(count / seconds)
            peaks.append(peak)
    extra = {
        "rows": count,
        "peak_mb": round(max(peaks)),
        "seconds": round(count / statistics.median(ours), 1),
    }
    goal = {"ratio_min": 0.5, "peak_mb_max": 500}
    return [
        Result(
            f"import ({count:,} rows CSV)",
            statistics.median(ours),
            "rows/s",
            statistics.median(floors),
            goal,
            extra,
        )
    ]
