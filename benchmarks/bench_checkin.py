"""Check-ins over HTTP: ``goalwise serve`` (uvicorn) on a copy of the clinic, 32 concurrent callers,
against a bare FastAPI endpoint doing one INSERT into the same database file, in the same run.

The runs alternate floor and app so both meet the same noise; rows are counted before and after,
so a write the server acknowledged but did not keep shows as ``lost``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy import select

from benchmarks.clinic import THERAPIST, Clinic, driver_url
from benchmarks.harness import Result
from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts.login_sessions import create_api_token
from goalwise.services.context import Context
from goalwise.storage.tables import care_links, users

HERE = Path(__file__).parent
ROOT = HERE.parent
CONCURRENCY = 32


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(command: list[str], env: dict[str, str], port: int) -> Iterator[None]:
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=2).read()
                break
            except OSError as exc:
                if process.poll() is not None:
                    why = process.stderr.read().decode() if process.stderr else "server died"
                    raise RuntimeError(why) from exc
                time.sleep(0.3)
        yield
    finally:
        process.terminate()
        process.wait(30)


def _load(port: int, paths: list[str], requests: int, token: str) -> dict[str, float]:
    command = [sys.executable, str(HERE / "loadgen.py"), "--port", str(port), "--requests", str(requests)]
    command += ["--concurrency", str(CONCURRENCY), "--token", token]
    for path in paths:
        command += ["--path", path]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)  # type: ignore[no-any-return]


def _count(clinic: Clinic, db_path: Path, sql: str) -> int:
    if clinic.database_url:
        with psycopg.connect(driver_url(clinic.database_url)) as pg:
            try:
                return int(pg.execute(sql).fetchone()[0])  # type: ignore[index]
            except psycopg.errors.UndefinedTable:
                return 0
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def _prepare_copy(clinic: Clinic, folder: Path) -> tuple[str, list[str]]:
    """Copy the clinic; a write token of the therapist and check-in paths for 32 caseload clients.

    On PostgreSQL the check-ins go into the clinic's own database (a copy made for this run).
    """
    for name in ("secret.key",) if clinic.database_url else ("goalwise.db", "secret.key"):
        shutil.copy(clinic.folder / name, folder / name)
    ctx = Context.open(clinic.settings().model_copy(update={"data_dir": folder}))
    with ctx.db.read() as conn:
        therapist = conn.execute(select(users.c.id).where(users.c.email == THERAPIST)).scalar_one()
        ids = (
            conn.execute(
                select(care_links.c.client_id)
                .where(care_links.c.therapist_id == therapist)
                .limit(CONCURRENCY)
            )
            .scalars()
            .all()
        )
    _, token = create_api_token(ctx, Actor.system(), name="benchmark", scope="write", user_id=therapist)
    ctx.db.dispose()
    return token, [f"/api/v1/clients/{cid}/checkins" for cid in ids]


def run(clinic: Clinic, runs: int, requests: int) -> list[Result]:
    """Median requests per second, p50 and p99 of the app and the floor over ``runs`` runs."""
    per_run = max(1, requests // runs)
    with tempfile.TemporaryDirectory(dir=HERE / ".cache") as tmp:
        folder = Path(tmp)
        token, paths = _prepare_copy(clinic, folder)
        db_path = folder / "goalwise.db"
        env = dict(os.environ, GOALWISE_DATA_DIR=str(folder), GOALWISE_FLOOR_DB=str(db_path))
        if clinic.database_url:
            env |= {"GOALWISE_DATABASE_URL": clinic.database_url}
            env |= {"GOALWISE_FLOOR_URL": driver_url(clinic.database_url)}
        app_port, floor_port = _free_port(), _free_port()
        app_cmd = [str(Path(sys.executable).parent / "goalwise"), "serve", "--port", str(app_port)]
        floor_cmd = [sys.executable, "-m", "uvicorn", "benchmarks.floor_app:app", "--port", str(floor_port)]
        floor_cmd += ["--no-access-log", "--log-level", "warning"]
        app_runs, floor_runs = [], []
        obs_sql = "SELECT count(*) FROM observations"
        floor_sql = "SELECT count(*) FROM bench_floor"
        for _ in range(runs):
            with _server(floor_cmd, env, floor_port):
                before = _count(clinic, db_path, floor_sql)
                result = _load(floor_port, [p.removeprefix("/api/v1") for p in paths], per_run, "")
                result["lost"] = result["stored"] - (_count(clinic, db_path, floor_sql) - before)
                floor_runs.append(result)
            with _server(app_cmd, env, app_port):
                before = _count(clinic, db_path, obs_sql)
                result = _load(app_port, paths, per_run, token)
                result["lost"] = result["stored"] - (_count(clinic, db_path, obs_sql) - before)
                app_runs.append(result)
    return [_result(app_runs, floor_runs, per_run * runs)]


def _result(app_runs: list[dict[str, float]], floor_runs: list[dict[str, float]], total: int) -> Result:
    def med(rows: list[dict[str, float]], key: str) -> float:
        return float(statistics.median(r[key] for r in rows))

    extra = {
        "requests": total,
        "concurrency": CONCURRENCY,
        "p50_ms": round(med(app_runs, "p50_ms"), 1),
        "p99_ms": round(med(app_runs, "p99_ms"), 1),
        "errors": int(sum(r["errors"] for r in app_runs)),
        "lost": int(sum(r["lost"] for r in app_runs)),
        "floor_p50_ms": round(med(floor_runs, "p50_ms"), 1),
        "floor_p99_ms": round(med(floor_runs, "p99_ms"), 1),
        "floor_errors": int(sum(r["errors"] for r in floor_runs)),
        "floor_lost": int(sum(r["lost"] for r in floor_runs)),
    }
    statuses = [r.get("statuses") for r in app_runs if r.get("statuses")]
    if statuses:
        extra["first_error"] = str(statuses[0])[:200]
    goal = {"ratio_min": 0.5, "p99_ms_max": 1000, "errors_max": 0, "lost_max": 0}
    return Result(
        "checkin (HTTP, 32 callers)", med(app_runs, "rps"), "req/s", med(floor_runs, "rps"), goal, extra
    )
