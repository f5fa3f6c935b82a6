"""A client's calendar (RFC 5545, the ``icalendar`` package): the daily check-in reminder, the
assessment schedule and the review dates.

* Daily check-in: a 5-minute event at ``CHECKIN_TIME`` in the client's time zone (``TZID`` with
  its ``VTIMEZONE``), repeated by ``RRULE:FREQ=DAILY``, with a display alarm.
* Each questionnaire schedule: an all-day event on the next due day, repeated every N days
  (``RRULE:FREQ=DAILY;INTERVAL=N``); taking it late moves the next due day, which the next export
  or feed refresh shows.
* Reviews: the next review date set at the last review, and for each active goal the next date of
  its review rhythm (every ``review_every_weeks`` from its start) when no review has set one.

Events name Goalwise and the task only, never the client or a score: a subscribed phone calendar
is often synced to a third party. UIDs are stable, so a refreshed feed updates events in place.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event  # type: ignore[import-untyped]

from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.services.clinic import clients
from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.services.measurement import assessments
from goalwise.services.progress.progress import local_today
from goalwise.services.reviews import reviews

__all__ = ["CHECKIN_TIME", "client_calendar", "review_dates"]

CHECKIN_TIME = time(20, 0)
_DOMAIN = "goalwise.invalid"


def review_dates(ctx: Context, actor: Actor, client_id: int, as_of: date) -> list[date]:
    """Review dates from ``as_of`` on: the last review's next date, else each active goal's rhythm."""
    held = reviews.list_reviews(ctx, actor, client_id)
    planned = {r.next_review_on for r in held if r.next_review_on and r.next_review_on >= as_of}
    if planned:
        return sorted(planned)
    found = set()
    for goal in goals.list_goals(ctx, actor, client_id, status="active"):
        if goal.start_on is None or not goal.review_every_weeks:
            continue
        step = timedelta(weeks=goal.review_every_weeks)
        day = goal.start_on + step
        while day < as_of:
            day += step
        found.add(day)
    return sorted(found)


def _event(uid: str, summary: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    return event


def _checkin(client_id: int, zone: ZoneInfo, start_on: date, stamp: datetime) -> Event:
    event = _event(f"checkin-{client_id}", "Goalwise: daily check-in", stamp)
    begins = datetime.combine(start_on, CHECKIN_TIME, tzinfo=zone)
    event.add("dtstart", begins)
    event.add("dtend", begins + timedelta(minutes=5))
    event.add("rrule", {"freq": "daily"})
    event.add("description", "Your daily check-in takes under a minute: mood, anxiety and sleep.")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Goalwise: time for your daily check-in")
    alarm.add("trigger", timedelta(0))
    event.add_component(alarm)
    return event


def client_calendar(
    ctx: Context, actor: Actor, client_id: int, *, as_of: date | None = None, now: datetime | None = None
) -> bytes:
    """The client's calendar as iCalendar bytes; ``NotFound`` when the actor may not read the record."""
    client = clients.get_client(ctx, actor, client_id)
    zone = ZoneInfo(client.timezone)
    today = as_of or local_today(client.timezone)
    stamp = (now or datetime.now(UTC)).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//Goalwise//Goalwise calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Goalwise")
    cal.add("x-wr-timezone", client.timezone)
    cal.add_component(_checkin(client_id, zone, client.created_at.astimezone(zone).date(), stamp))
    for status in assessments.schedules(ctx, actor, client_id, as_of=today):
        s = status.schedule
        event = _event(
            f"schedule-{s.id}", f"Goalwise: {instruments.get(s.instrument).abbreviation} questionnaire", stamp
        )
        event.add("dtstart", max(status.due_on, today))
        event.add("rrule", {"freq": "daily", "interval": s.every_days})
        cal.add_component(event)
    for day in review_dates(ctx, actor, client_id, today):
        event = _event(f"review-{client_id}-{day.isoformat()}", "Goalwise: goal review", stamp)
        event.add("dtstart", day)
        cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
