"""Call an ASGI app directly from a test's own event loop, so several requests can be in flight at
once (``TestClient`` sends one at a time)."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

_T = TypeVar("_T")


def run_apart(main: Callable[[], Coroutine[Any, Any, _T]]) -> _T:
    """``asyncio.run(main())`` on a thread of its own: a browser test's synchronous Playwright may
    have left an event loop running on the test process's main thread, where ``asyncio.run``
    refuses to start."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = asyncio.run(main())
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]  # type: ignore[no-any-return]


async def call(
    app: Any, method: str, path: str, *, headers: dict[str, str] | None = None, body: object = None
) -> tuple[int, bytes]:
    """Send one request; its status and body. A JSON ``body`` is sent as JSON."""
    raw = b"" if body is None else json.dumps(body).encode()
    sent_headers = [(b"host", b"test")] + [
        (k.lower().encode(), v.encode()) for k, v in (headers or {}).items()
    ]
    if body is not None:
        sent_headers += [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": sent_headers,
        "client": ("127.0.0.1", 5000),
        "server": ("test", 80),
        "state": {},
    }
    delivered = asyncio.Event()
    status: list[int] = []
    chunks: list[bytes] = []

    async def receive() -> dict[str, object]:
        if not delivered.is_set():
            delivered.set()
            return {"type": "http.request", "body": raw, "more_body": False}
        await asyncio.sleep(3600)  # the client stays connected
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status.append(int(message["status"]))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status[0], b"".join(chunks)
