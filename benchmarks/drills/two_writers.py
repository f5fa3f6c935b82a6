"""Drill 2: two writers for 60 seconds on SQLite: CLI imports and web check-ins at the same time.

Checks: no check-in answers with a locked database (or any error), no import fails, and every
acknowledged check-in and imported row is stored.
"""

from __future__ import annotations

import json
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from benchmarks.drills.common import GOALWISE, Drill, cli, count, env_for, integrity, write_csv
from goalwise.config import Settings
from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts.login_sessions import create_api_token
from goalwise.services.context import Context
from goalwise.storage.tables import users

SECONDS = 60
CALLERS = 4
IMPORT_ROWS = 60_000


def _token(folder: Path) -> str:
    ctx = Context.open(Settings(data_dir=folder))
    with ctx.db.read() as conn:
        therapist = conn.execute(select(users.c.id).where(users.c.role == "therapist")).scalars().first()
    _, secret = create_api_token(ctx, Actor.system(), name="drill", scope="write", user_id=therapist)
    ctx.db.dispose()
    return secret


def _caller(
    port: int, token: str, until: float, tally: dict[str, list[str] | int], lock: threading.Lock
) -> None:
    while time.monotonic() < until:
        body = json.dumps({"mood": 5, "anxiety": 4, "client_ref": uuid.uuid4().hex}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/clients/1/checkins",
            data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                stored = len(json.loads(answer.read())["observations"])
            with lock:
                tally["stored"] += stored  # type: ignore[operator]
        except urllib.error.HTTPError as exc:
            with lock:
                tally["errors"].append(f"{exc.code}: {exc.read()[:160]!r}")  # type: ignore[union-attr]
        except OSError as exc:
            with lock:
                tally["errors"].append(f"no answer: {exc}")  # type: ignore[union-attr]


#: Each file covers its own 850 days (60,000 rows at three an hour: 834 days), from 1900 (the earliest
#: day a value may have) on, so no two files share a row and none reaches the future: 54 files end in
#: 2025, more than an import a second for the whole drill.
FIRST_DAY = datetime(1900, 1, 2)
PART_DAYS = 850
PARTS = 54


def _importer(folder: Path, until: float, tally: dict[str, list[str] | int]) -> None:
    number = 0
    while time.monotonic() < until and number < PARTS:
        source = write_csv(
            folder.parent / f"part{number}.csv", IMPORT_ROWS, FIRST_DAY + timedelta(days=PART_DAYS * number)
        )
        done = cli(folder, "import", "csv", "--client", "2", str(source), check=False)
        if done.returncode == 0:
            tally["imported"] += IMPORT_ROWS  # type: ignore[operator]
        else:
            tally["import_errors"].append(done.stderr.strip()[-200:])  # type: ignore[union-attr]
        number += 1


def run(seconds: int = SECONDS) -> Drill:
    """Import and check in at once for ``seconds``; count what was stored."""
    drill = Drill(f"two writers for {seconds} s on SQLite (CLI imports and {CALLERS} web callers)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        folder.mkdir()
        cli(folder, "db", "upgrade")
        cli(folder, "demo", "--clients", "2", "--days", "21")
        db = folder / "goalwise.db"
        before = count(db, "observations")
        token = _token(folder)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [GOALWISE, "serve", "--port", str(port)], env=env_for(folder), stderr=subprocess.DEVNULL
        )
        try:
            _wait_for(port)
            tally: dict[str, list[str] | int] = {
                "stored": 0,
                "imported": 0,
                "errors": [],
                "import_errors": [],
            }
            lock = threading.Lock()
            until = time.monotonic() + seconds
            threads = [
                threading.Thread(target=_caller, args=(port, token, until, tally, lock))
                for _ in range(CALLERS)
            ]
            threads.append(threading.Thread(target=_importer, args=(folder, until, tally)))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(30)
        errors = tally["errors"]
        assert isinstance(errors, list)
        locked = [e for e in errors if "locked" in e or "busy" in e]
        drill.check(not locked, f"no 'database is locked' reached a caller ({len(locked)}; {locked[:1]})")
        drill.check(not errors, f"no check-in failed ({len(errors)}; {errors[:1]})")
        drill.check(not tally["import_errors"], f"no import failed ({tally['import_errors']})")
        stored = count(db, "observations") - before
        expected = int(tally["stored"]) + int(tally["imported"])  # type: ignore[call-overload]
        drill.check(
            stored == expected,
            f"no write lost: {tally['stored']} check-in values and {tally['imported']:,} imported rows "
            f"acknowledged, {stored:,} stored",
        )
        drill.check(integrity(db) == "ok", "integrity_check ok")
    return drill


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    raise SystemExit(0 if run().ok else 1)
