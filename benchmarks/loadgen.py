"""A small HTTP/1.1 load generator: ``concurrency`` keep-alive connections post JSON bodies.

Standard library only (asyncio streams), so it costs the shared machine little and measures the
server, not a client library. Prints one JSON line: requests per second, p50, p99, errors and the
number of rows the server said it stored.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes, body: bytes
) -> tuple[int, bytes]:
    writer.write(head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    return status, await reader.readexactly(length)


async def _worker(
    host: str, port: int, jobs: asyncio.Queue[tuple[str, dict[str, object]]], token: str, out: dict
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while True:
            try:
                path, payload = jobs.get_nowait()
            except asyncio.QueueEmpty:
                return
            head = (
                f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                f"Authorization: Bearer {token}\r\nX-Requested-With: bench\r\n"
            ).encode()
            started = time.perf_counter()
            try:
                status, body = await _request(reader, writer, head, json.dumps(payload).encode())
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                out["errors"] += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            out["latencies"].append(time.perf_counter() - started)
            if status in (200, 201):
                answer = json.loads(body or b"{}")
                out["stored"] += len(answer.get("observations", [])) or int(answer.get("stored", 1))
            else:
                out["errors"] += 1
                out.setdefault("statuses", {}).setdefault(str(status), body[:200].decode("utf-8", "replace"))
    finally:
        writer.close()


async def run(host: str, port: int, paths: list[str], requests: int, concurrency: int, token: str) -> dict:
    """Post ``requests`` check-ins spread over ``paths`` with ``concurrency`` connections."""
    jobs: asyncio.Queue[tuple[str, dict[str, object]]] = asyncio.Queue()
    for i in range(requests):
        body = {
            "mood": 1 + i % 10,
            "anxiety": 1 + (i * 7) % 10,
            "sleep_hours": 6.5,
            "client_ref": uuid.uuid4().hex,
        }
        jobs.put_nowait((paths[i % len(paths)], body))
    out: dict = {"errors": 0, "stored": 0, "latencies": []}
    started = time.perf_counter()
    await asyncio.gather(*(_worker(host, port, jobs, token, out) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    lat = sorted(out.pop("latencies"))
    out["rps"] = len(lat) / elapsed
    out["p50_ms"] = statistics.median(lat) * 1000 if lat else 0.0
    out["p99_ms"] = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else 0.0
    out["requests"] = requests
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", action="append", required=True)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--token", default="")
    args = parser.parse_args()
    result = asyncio.run(run("127.0.0.1", args.port, args.path, args.requests, args.concurrency, args.token))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
