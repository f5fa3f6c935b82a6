"""Generic CSV import (``goalwise import csv``) of many observations into a fresh database: rows per
second and the import process's peak memory, against ``executemany`` of the same rows.

**Which floor.** The ratio is the import's rows per second over ``sqlite3.executemany`` (on
PostgreSQL psycopg's ``executemany``) of exactly the rows the import stored: every column of its
``observations`` rows, read back from one import run as raw tuples, inserted into a fresh copy of
the same migrated template database (same schema, same three indexes), on a connection with the
import's own settings (SQLite: ``journal_mode=WAL``, ``synchronous=NORMAL``, ``foreign_keys=ON`` and
the import's page cache, ``IMPORT_CACHE_KIB``), in one transaction, timed around the
``executemany`` and the commit only. That is the least work any import into that table can do:
the import must keep the unique ``(client_id, client_ref)`` index, which is what makes importing
the same file again store nothing twice, and its refs are hashes, so inserts land at random
places in it.

The earlier floor, ``executemany`` of the file's four cells into a bare five-column table with no
index, is still measured and reported as ``bare_floor`` (rows/s) and ``bare_ratio``: it measures
work the import cannot skip, so its ratio says how far the whole import is from a bare append,
not how much of the import's own work is left.
"""

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
from typing import Any

import psycopg
from tests.support.postgres import Cluster

from benchmarks.clinic import driver_url
from benchmarks.harness import Result
from benchmarks.pg_clinic import new_database
from goalwise.services.transfer.import_rows import IMPORT_CACHE_KIB

HERE = Path(__file__).parent
METRICS = ("mood", "anxiety", "sleep_hours")
#: The SQLite file in a data folder.
_DB_FILE = "goalwise.db"

#: Rows of one table as read back: its columns in order, and every row's values.
Rows = tuple[list[str], list[tuple[Any, ...]]]
#: What an import stored: its ``metrics`` rows (the import creates the file's metrics, and each
#: observation's foreign key names one) and its ``observations`` rows.
Stored = tuple[Rows, Rows]


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


def _import_once(
    template: Path, csv_path: Path, url: str | None = None, *, read_back: bool = False
) -> tuple[float, float, Stored | None]:
    """Seconds and peak memory (MB) of one ``goalwise import csv`` into a copy of ``template``
    (on PostgreSQL: into ``url``, a fresh copy of the template database); with ``read_back``, the
    ``observations`` rows it stored."""
    with tempfile.TemporaryDirectory(dir=HERE / ".cache") as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(template, folder)
        goalwise = str(Path(sys.executable).parent / "goalwise")
        command = [goalwise, "import", "csv", "--client", "1", str(csv_path), "--json"]
        done = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, *command], env=_env(folder, url), capture_output=True, text=True
        )
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"import launcher failed: {done.stderr}")
        measured = json.loads(done.stdout)
        if measured["status"] != 0:
            raise RuntimeError(f"import failed: {done.stderr or measured['status']}")
        stored = None
        if read_back:
            stored = _pg_stored(url) if url else _sqlite_stored(folder / _DB_FILE)
        return float(measured["seconds"]), measured["peak_kb"] / 1024, stored


def _sqlite_stored(path: Path) -> Stored:
    """Every column of every ``metrics`` and ``observations`` row in the SQLite file, as plain
    ``sqlite3`` reads them."""
    conn = sqlite3.connect(path)
    try:
        found = []
        for table in ("metrics", "observations"):
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
            found.append(
                (columns, conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id").fetchall())
            )
    finally:
        conn.close()
    return found[0], found[1]


def _pg_stored(url: str) -> Stored:
    """Every column of every ``metrics`` and ``observations`` row in the PostgreSQL database, as
    psycopg reads them."""
    found = []
    with psycopg.connect(driver_url(url)) as conn:
        for table in ("metrics", "observations"):
            cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")
            found.append(([column.name for column in cursor.description or ()], cursor.fetchall()))
    return found[0], found[1]


def _insert_sql(table: str, columns: list[str], mark: str) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"


def _floor_once(stored: Stored, template: Path) -> float:
    """Seconds of ``sqlite3.executemany`` of the stored rows into a fresh copy of the template
    database, with the import connection's PRAGMAs, in one transaction (executemany and commit)."""
    (metric_columns, metric_rows), (columns, rows) = stored
    with tempfile.TemporaryDirectory(dir=HERE / ".cache") as tmp:
        folder = Path(tmp) / "floor"
        shutil.copytree(template, folder)
        path = folder / _DB_FILE
        # isolation_level=None: the transaction is the explicit BEGIN below, as on the import's connection.
        conn = sqlite3.connect(path, isolation_level=None)
        # The PRAGMAs of goalwise.storage.engine's SQLite connections, and the import's page cache.
        for pragma in ("foreign_keys=ON", "busy_timeout=5000", "journal_mode=WAL", "synchronous=NORMAL"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
        # The metrics the import created, before the clock starts: the rows' foreign keys name them.
        conn.executemany(_insert_sql("metrics", metric_columns, "?"), metric_rows)
        sql = _insert_sql("observations", columns, "?")
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(sql, rows)
        conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
        conn.close()
        return elapsed


def _pg_floor_once(stored: Stored, url: str) -> float:
    """Seconds of psycopg's ``executemany`` of the stored rows into ``url`` (a fresh copy of the
    template database), in one transaction (executemany and commit)."""
    (metric_columns, metric_rows), (columns, rows) = stored
    sql = _insert_sql("observations", columns, "%s")
    with psycopg.connect(driver_url(url)) as conn:
        # The metrics the import created, before the clock starts: the rows' foreign keys name them.
        with conn.cursor() as cursor:
            cursor.executemany(_insert_sql("metrics", metric_columns, "%s"), metric_rows)
        conn.commit()
        started = time.perf_counter()
        with conn.cursor() as cursor:
            cursor.executemany(sql, rows)
        conn.commit()
        return time.perf_counter() - started


def _bare_floor_once(rows: list[tuple[str, str, str, float]]) -> float:
    """Seconds of ``sqlite3.executemany`` of the file's cells into a bare table with no index."""
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


def _pg_bare_floor_once(rows: list[tuple[str, str, str, float]], url: str) -> float:
    """psycopg's ``executemany`` of the file's cells into a bare table, in one transaction."""
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
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE bench_import_floor")
        conn.commit()
        return elapsed


def run(runs: int, count: int, cluster: Cluster | None = None) -> list[Result]:
    """Median rows per second of the import and of both floors; the largest peak memory.

    Each run imports, then times the floor (the rows the first run stored, into a fresh copy of
    the template) and the bare floor. With ``cluster``, the same on PostgreSQL: each run imports
    into a fresh copy of a template database (``CREATE DATABASE ... TEMPLATE``), and the floors
    are psycopg's ``executemany`` into another fresh copy.
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
        ours, floors, bare, peaks = [], [], [], []
        stored: Stored | None = None
        for number in range(runs):
            url = new_database(cluster, f"import_{number}", "import_template") if cluster else None
            seconds, peak, read = _import_once(template, csv_path, url, read_back=stored is None)
            stored = stored or read
            if stored is None or len(stored[1][1]) != count:
                raise RuntimeError("the import did not store one row per line of the file")
            ours.append(count / seconds)
            peaks.append(peak)
            if cluster:
                floor_url = new_database(cluster, f"import_floor_{number}", "import_template")
                floors.append(count / _pg_floor_once(stored, floor_url))
                bare.append(count / _pg_bare_floor_once(rows, floor_url))
            else:
                floors.append(count / _floor_once(stored, template))
                bare.append(count / _bare_floor_once(rows))
    bare_floor = statistics.median(bare)
    extra = {
        "rows": count,
        "peak_mb": round(max(peaks)),
        "seconds": round(count / statistics.median(ours), 1),
        "floor_seconds": round(count / statistics.median(floors), 1),
        "bare_floor": round(bare_floor),
        "bare_ratio": round(statistics.median(ours) / bare_floor, 3),
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
