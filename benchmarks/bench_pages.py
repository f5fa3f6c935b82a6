"""Server time of the therapist's pages on the benchmark clinic: caseload, client overview, goal page,
and one PDF progress report. Requests go through the whole app in-process (TestClient, bearer token)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from fastapi.testclient import TestClient
from sqlalchemy import select

from benchmarks.clinic import THERAPIST, Clinic, dashboard_client, driver_url
from benchmarks.harness import Result, median_ms
from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts.login_sessions import create_api_token
from goalwise.services.context import Context
from goalwise.storage.tables import goals, users
from goalwise.web.app import create_app

#: The floor: one hand-written query reading each caseload client's latest PHQ-9 and GAD-7.
FLOOR_SQL = """
SELECT a.client_id, a.instrument, a.total, a.severity, a.local_on
FROM assessments a
JOIN care_links c ON c.client_id = a.client_id AND c.therapist_id = ?
WHERE a.instrument IN ('phq9', 'gad7')
  AND a.local_on = (SELECT max(b.local_on) FROM assessments b
                    WHERE b.client_id = a.client_id AND b.instrument = a.instrument)
"""


@dataclass
class Session:
    """A therapist's API session on the clinic."""

    client: TestClient
    therapist_id: int
    headers: dict[str, str]

    def get(self, path: str) -> bytes:
        """GET ``path``; fail loudly on anything but 200."""
        answer = self.client.get(path, headers=self.headers)
        if answer.status_code != 200:
            raise RuntimeError(f"GET {path} answered {answer.status_code}: {answer.text[:200]}")
        return answer.content


@contextmanager
def therapist_session(clinic: Clinic) -> Iterator[Session]:
    """The app on the clinic with a read token of the demo therapist."""
    ctx = Context.open(clinic.settings())
    with ctx.db.read() as conn:
        therapist_id = conn.execute(select(users.c.id).where(users.c.email == THERAPIST)).scalar_one()
    _, secret = create_api_token(ctx, Actor.system(), name="benchmark", scope="read", user_id=therapist_id)
    with TestClient(create_app(ctx.settings, ctx.db)) as client:
        yield Session(client, therapist_id, {"Authorization": f"Bearer {secret}"})
    ctx.db.dispose()


def floor_ms(clinic: Clinic, therapist_id: int, runs: int) -> float:
    """Median time of ``FLOOR_SQL`` with the plain driver (sqlite3, or psycopg on PostgreSQL)."""
    if clinic.database_url:
        with psycopg.connect(driver_url(clinic.database_url)) as pg:
            sql = FLOOR_SQL.replace("?", "%s")
            return median_ms(lambda: pg.execute(sql, (therapist_id,)).fetchall(), runs)
    conn = sqlite3.connect(f"file:{clinic.db_path}?mode=ro", uri=True)
    try:
        return median_ms(lambda: conn.execute(FLOOR_SQL, (therapist_id,)).fetchall(), runs)
    finally:
        conn.close()


def run(clinic: Clinic, runs: int) -> list[Result]:
    """caseload (with its floor), dashboard (client overview and goal page) and report."""
    client_id = dashboard_client(clinic)
    with therapist_session(clinic) as session:
        with Context.open(clinic.settings()).db.read() as conn:
            goal_id = (
                conn.execute(select(goals.c.id).where(goals.c.client_id == client_id).order_by(goals.c.id))
                .scalars()
                .first()
            )
        caseload = median_ms(lambda: session.get("/dashboard"), runs)
        floor = floor_ms(clinic, session.therapist_id, runs)
        overview_size = len(session.get(f"/clients/{client_id}"))
        overview = median_ms(lambda: session.get(f"/clients/{client_id}"), runs)
        goal_size = len(session.get(f"/clients/{client_id}/goals/{goal_id}"))
        goal = median_ms(lambda: session.get(f"/clients/{client_id}/goals/{goal_id}"), runs)
        started = time.perf_counter()
        report_size = len(session.get(f"/clients/{client_id}/report.pdf"))
        first_report = (time.perf_counter() - started) * 1000
        report = median_ms(lambda: session.get(f"/clients/{client_id}/report.pdf"), runs, warmup=0)
    return [
        Result("caseload (150 clients)", caseload, "ms", floor, {"value_max": 150, "ratio_max": 3}),
        Result(
            "dashboard: client overview",
            overview,
            "ms",
            None,
            {"value_max": 250},
            {"page_kb": round(overview_size / 1024, 1)},
        ),
        Result(
            "dashboard: goal page",
            goal,
            "ms",
            None,
            {"value_max": 250},
            {"page_kb": round(goal_size / 1024, 1)},
        ),
        Result(
            "report: PDF, 2 years",
            report,
            "ms",
            None,
            {"value_max": 2000},
            {"first_ms": round(first_report), "pdf_kb": round(report_size / 1024, 1)},
        ),
    ]
