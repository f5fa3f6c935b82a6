"""Server time of the client's own pages (Today, goal pages, logging, proposing) on a demo clinic.

Requests go through the whole app in-process (TestClient, a log-in session of each demo client);
each page is asked 5 times and the median and worst are printed, then the chart images the pages
show (drawn on first request, kept after). The demo clinic ends with every goal achieved or
discontinued, so ``--activate-goals`` makes the two demo clients' goals active again first, the
busiest Today a client can have (a throw-away demo database only: it refuses any other).

Run:
    export GOALWISE_DATA_DIR=$(mktemp -d)
    goalwise db upgrade && goalwise demo --clients 50 --days 365
    python benchmarks/client_pages.py --activate-goals
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from goalwise.services.accounts import login_sessions
from goalwise.storage.tables import goals, users
from goalwise.web.app import create_app
from goalwise.web.deps import SESSION_COOKIE

CLIENTS = (
    ("client1@demo.goalwise.test", "demo-client1-pass"),
    ("client2@demo.goalwise.test", "demo-client2-pass"),
)
PAGES = ("/dashboard", "/my/log", "/my/abc", "/my/episodes", "/my/journal", "/my/propose")
REPEAT = 5


def _activate(ctx: object, emails: list[str]) -> None:
    with ctx.db.write() as conn:  # type: ignore[attr-defined]
        rows = conn.execute(select(users.c.client_id, users.c.email).where(users.c.email.in_(emails))).all()
        if len(rows) != len(emails) or not all(r.email.endswith("@demo.goalwise.test") for r in rows):
            raise SystemExit("--activate-goals runs on a demo clinic only")
        ids = [r.client_id for r in rows]
        conn.execute(update(goals).where(goals.c.client_id.in_(ids)).values(status="active"))


def _time(client: TestClient, path: str) -> tuple[float, float, str]:
    times, text = [], ""
    for _ in range(REPEAT):
        started = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"GET {path} answered {answer.status_code}")
        text = answer.text
    return statistics.median(times), max(times), text


def main() -> None:
    """Print each page's median and worst server time for each demo client."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--activate-goals", action="store_true")
    args = parser.parse_args()
    app = create_app()
    ctx = app.state.ctx
    if args.activate_goals:
        _activate(ctx, [email for email, _ in CLIENTS])
    client = TestClient(app)
    for email, password in CLIENTS:
        client.cookies.set(SESSION_COOKIE, login_sessions.login(ctx, email, password).token)
        _, _, today = _time(client, "/dashboard")
        goal_pages = sorted(set(re.findall(r'href="(/my/goals/\d+)"', today)))
        charts: set[str] = set()
        for path in (*PAGES, *goal_pages):
            median, worst, text = _time(client, path)
            charts |= set(re.findall(r'src="(/clients/[^"]+\.svg[^"]*)"', text))
            print(f"{email:28s} {path:20s} median {median:6.1f} ms  worst {worst:6.1f} ms")
        for chart in sorted(charts):
            first = time.perf_counter()
            client.get(chart)
            drawn = (time.perf_counter() - first) * 1000
            again = time.perf_counter()
            client.get(chart)
            kept = (time.perf_counter() - again) * 1000
            print(f"{'':28s} chart {chart}: drawn {drawn:.0f} ms, kept {kept:.1f} ms")


if __name__ == "__main__":
    main()
