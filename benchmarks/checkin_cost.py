"""What one check-in costs the server, measured in-process: CPU time, or instructions under callgrind.

``make bench`` measures check-ins over HTTP against a floor; this finds where a change moves them.
32 concurrent callers send check-ins straight into the app (no sockets, no HTTP parsing), or into
the floor endpoint (``benchmarks/floor_app.py``), on a copy of the benchmark clinic.

    python benchmarks/checkin_cost.py cpu [--floor]          # CPU ms a check-in (best of 3 x 1,000)
    python benchmarks/checkin_cost.py instructions [--floor]  # instructions a check-in (callgrind)

CPU time moves by a third from run to run on a shared machine; instruction counts do not (about
4 %), so ``instructions`` is the one to compare two versions with: it runs the same script twice
under ``valgrind --tool=callgrind``, with 100 and 300 check-ins after a warm-up of 100, and
reports the difference over 200, which leaves start-up out. It takes a few minutes; to compare
against an older version, run it with ``PYTHONPATH`` pointing at that version's ``src``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.bench_checkin import CONCURRENCY, _prepare_copy  # noqa: E402
from benchmarks.clinic import ensure_clinic  # noqa: E402


def _app(folder: Path, floor: bool) -> Any:
    if floor:
        os.environ["GOALWISE_FLOOR_DB"] = str(folder / "goalwise.db")
        from benchmarks.floor_app import app

        return app
    from goalwise.config import Settings
    from goalwise.web.app import create_app

    return create_app(Settings(data_dir=folder))


async def _one(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps({"mood": 5, "anxiety": 3, "sleep_hours": 6.5, "client_ref": uuid.uuid4().hex}).encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"x"), (b"content-type", b"application/json"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    delivered = False
    status: list[int] = []

    async def receive() -> dict[str, object]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    if status[0] != 201:
        raise RuntimeError(f"check-in answered {status[0]}")


async def _run(app: Any, paths: list[str], headers: list[tuple[bytes, bytes]], count: int) -> None:
    jobs: asyncio.Queue[str] = asyncio.Queue()
    for n in range(count):
        jobs.put_nowait(paths[n % len(paths)])

    async def worker() -> None:
        while not jobs.empty():
            await _one(app, jobs.get_nowait(), headers)

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


def _serve(folder: Path, floor: bool, token: str, paths: list[str], counts: list[int]) -> float:
    """Run warm-up then each count; the best CPU ms a check-in over the counts after the first."""
    app = _app(folder, floor)
    headers = [] if floor else [(b"authorization", f"Bearer {token}".encode())]
    paths = [p.removeprefix("/api/v1") for p in paths] if floor else paths

    async def main() -> float:
        await _run(app, paths, headers, counts[0])
        best = float("inf")
        for count in counts[1:]:
            started = time.process_time()
            await _run(app, paths, headers, count)
            best = min(best, (time.process_time() - started) / count * 1000)
        return best

    return asyncio.run(main())


def _callgrind(args: argparse.Namespace, folder: Path, count: int) -> int:
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__]
    command += ["_run", "--folder", str(folder), "--count", str(count)] + (["--floor"] if args.floor else [])
    done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"))
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1])
    raise RuntimeError(done.stderr[-2000:])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=("cpu", "instructions", "_run"), help="what to measure")
    parser.add_argument("--floor", action="store_true", help="the bare INSERT endpoint instead of the app")
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.what == "_run":  # one measured child under callgrind
        token, paths = json.loads((args.folder / "checkin_cost.json").read_text())
        _serve(args.folder, args.floor, token, paths, [100, args.count])
        return
    clinic = ensure_clinic()
    (HERE / ".cache").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=HERE / ".cache") as tmp:
        folder = Path(tmp)
        token, paths = _prepare_copy(clinic, folder)
        (folder / "checkin_cost.json").write_text(json.dumps([token, paths]))
        name = "floor" if args.floor else "check-in"
        if args.what == "cpu":
            print(f"{name}: {_serve(folder, args.floor, token, paths, [200, 1000, 1000, 1000]):.3f} ms CPU")
        else:
            if shutil.which("valgrind") is None:
                sys.exit("valgrind is not installed (apt-get install valgrind)")
            fewer, more = _callgrind(args, folder, 100), _callgrind(args, folder, 300)
            print(f"{name}: {(more - fewer) // 200:,} instructions")


if __name__ == "__main__":
    main()
