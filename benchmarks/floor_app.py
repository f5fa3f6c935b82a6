"""The check-in floor: a bare FastAPI endpoint doing one INSERT into the same database, nothing else.

Served by uvicorn exactly as ``goalwise serve`` serves the app (one process, no access log):
``GOALWISE_FLOOR_DB=/path/goalwise.db uvicorn benchmarks.floor_app:app``, or on PostgreSQL with
``GOALWISE_FLOOR_URL=postgresql://...`` (plain psycopg, autocommit, one connection per thread).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any

import psycopg
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
_local = threading.local()
_PATH = os.environ.get("GOALWISE_FLOOR_DB", "floor.db")
_URL = os.environ.get("GOALWISE_FLOOR_URL")


class Body(BaseModel):
    """The same JSON the check-in takes."""

    mood: float
    anxiety: float | None = None
    sleep_hours: float | None = None
    client_ref: str | None = None


def _conn() -> Any:
    conn = getattr(_local, "conn", None)
    if conn is None and _URL:
        conn = psycopg.connect(_URL, autocommit=True)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor"
            " (id BIGSERIAL PRIMARY KEY, client INT, mood REAL, ref TEXT)"
        )
        _local.conn = conn
    elif conn is None:
        conn = sqlite3.connect(_PATH, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, client INT, mood REAL, ref TEXT)"
        )
        _local.conn = conn
    return conn


@app.post("/clients/{client_id}/checkins", status_code=201)
def checkin(client_id: int, body: Body) -> dict[str, int]:
    """One INSERT, committed."""
    _conn().execute(
        "INSERT INTO bench_floor (client, mood, ref) VALUES " + ("(%s, %s, %s)" if _URL else "(?, ?, ?)"),
        (client_id, body.mood, body.client_ref),
    )
    return {"stored": 1}
