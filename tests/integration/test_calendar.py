"""The client's calendar: the check-in reminder in the client's time zone, the questionnaire
schedule and review dates, as a file and as a private, revocable subscription URL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar  # type: ignore[import-untyped]
from sqlalchemy import select
from tests.support.cast import Cast

from goalwise.config import Settings
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.interop.ics import client_calendar
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.services.measurement import assessments
from goalwise.services.sharing import calendar_feeds
from goalwise.storage.tables import calendar_feeds as feeds_table
from goalwise.web.app import create_app

AS_OF = date.today()
START = AS_OF - timedelta(weeks=5)


@pytest.fixture
def client_id(ctx: Context) -> int:
    client = clients.add_client(ctx, Actor.system(), "Robin (pseudonym)", "Australia/Sydney")
    draft = {
        "title": "Walk more",
        "behaviour": "Walk outside for 20 minutes or more, counted once per walk, logged in the evening.",
        "metric": {"kind": "count", "unit": "walks", "period": "week"},
        "direction": "increase",
        "baseline": {"value": 1, "source": "entered"},
        "target": {"value": 3, "comparator": ">="},
        "start_on": START.isoformat(),
        "deadline_on": (AS_OF + timedelta(weeks=8)).isoformat(),
        "review_every_weeks": 4,
    }
    goals.create(ctx, Actor.system(), client.id, draft, activate=True)
    assessments.set_schedule(ctx, Actor.system(), client.id, "phq9", 14, start_on=AS_OF + timedelta(days=3))
    return client.id


def _events(data: bytes) -> dict[str, Any]:
    cal = Calendar.from_ical(data)
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


def test_calendar_has_checkin_schedule_and_review(ctx: Context, client_id: int) -> None:
    data = client_calendar(ctx, Actor.system(), client_id, as_of=AS_OF, now=datetime(2026, 1, 1, tzinfo=UTC))
    events = _events(data)
    checkin = events[f"checkin-{client_id}"]
    begins = checkin["DTSTART"].dt
    assert begins.tzinfo == ZoneInfo("Australia/Sydney") and begins.time() == time(20, 0)
    assert checkin["RRULE"]["FREQ"] == ["DAILY"]
    assert "VALARM" in data.decode() and "BEGIN:VTIMEZONE\r\nTZID:Australia/Sydney" in data.decode()
    (schedule,) = [e for uid, e in events.items() if uid.startswith("schedule-")]
    assert schedule["DTSTART"].dt == AS_OF + timedelta(days=3)
    assert schedule["RRULE"]["INTERVAL"] == [14]
    assert "PHQ-9" in str(schedule["SUMMARY"])
    # Reviews every 4 weeks from a start 5 weeks ago: the next is at week 8, 3 weeks from today.
    assert f"review-{client_id}-{START + timedelta(weeks=8)}" in events
    assert b"Robin" not in data and b"Walk more" not in data  # no names or goals in a phone calendar


def test_feed_url_serves_the_calendar_until_revoked(ctx: Context, cast: Cast, settings: Settings) -> None:
    client_id = cast.client_a.client_id
    assert client_id is not None
    with pytest.raises(NotFound):
        calendar_feeds.create_feed(ctx, cast.other_therapist.actor, client_id)
    _, token = calendar_feeds.create_feed(ctx, cast.client_a.actor, client_id)
    with ctx.db.read() as conn:
        stored = conn.execute(select(feeds_table.c.token_hash)).scalars().all()
    assert len(stored) == 1 and token not in stored[0]  # only the hash is stored
    with TestClient(create_app(settings, ctx.db)) as web:
        response = web.get(f"/calendar/{token}.ics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/calendar")
        assert f"checkin-{client_id}@" in response.text
        assert web.get(f"/calendar/{token}x.ics").status_code == 404
        page = web.post(f"/clients/{client_id}/calendar-feed", headers=cast.therapist.headers)
        assert page.status_code == 200 and "/calendar/gwcal_" in page.text and "webcal://" in page.text
        revoked = web.post(f"/clients/{client_id}/calendar-feed/revoke", headers=cast.client_a.headers)
        assert revoked.status_code == 200  # followed to the overview
        assert web.get(f"/calendar/{token}.ics").status_code == 404


def test_export_ics_command_writes_the_calendar(tmp_path: Path) -> None:
    from goalwise.cli.main import main

    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "--clients", "2", "--days", "30"]) == 0
    out = tmp_path / "client.ics"
    assert main(["export", "ics", "--client", "1", "-o", str(out)]) == 0
    assert "checkin-1" in _events(out.read_bytes())
    assert main(["export", "ics", "--client", "99", "-o", str(out)]) == 1
