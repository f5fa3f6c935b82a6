"""Shared pieces of the measurement services: the client's metrics, time, idempotency keys, text.

Each client has three standard metrics, created the first time they are used: ``mood`` and
``anxiety`` (ratings 1-10; higher mood and lower anxiety are better) and ``sleep_hours`` (a
duration in hours, 0-24; hours because that is how people report sleep). Other metrics are
created with goals.

Every record a client writes (observation, episode, ABC entry, journal entry) carries the UTC
instant it happened and the client's local day, computed from the client's stored time zone
(DESIGN.md, "Time"). A time given without an offset is read in the client's time zone, because
that is what a person typing "2024-05-01 08:00" means. SQLite hands datetimes back without a
zone: they were stored as UTC and are read as UTC.

Free text is encrypted before it touches the database; a record's narrative fields travel as
one encrypted JSON document bound to its column (``ctx.keys.encrypt(..., context=...)``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, bindparam, insert, select

from goalwise.core.errors import NotFound, Problem
from goalwise.core.measurement.observation import FUTURE_TOLERANCE, local_day, validate_value
from goalwise.core.text.characters import bad_characters_problem
from goalwise.services.context import Context
from goalwise.storage.conflict import insert_once
from goalwise.storage.prepared import Prepared
from goalwise.storage.tables import cards, clients, goals, metrics

__all__ = [
    "EARLIEST_DAY",
    "MAX_DURATION_MINUTES",
    "MAX_REF",
    "MAX_TEXT",
    "PLAN_YEARS",
    "STANDARD_KEYS",
    "STANDARD_METRICS",
    "MetricInfo",
    "as_utc",
    "clean_list",
    "client_timezone",
    "decrypt_json",
    "duration_problem",
    "earliest_problem",
    "encrypt_json",
    "find_by_ref",
    "future_day_problem",
    "future_problem",
    "insert_timed",
    "int_range_problem",
    "latest_planned_day",
    "list_metric_infos",
    "local_now",
    "planned_day_problem",
    "ref_problem",
    "resolve_at",
    "resolve_metric",
    "rows_between",
    "text_problem",
    "tidy_number",
    "unknown_metric",
]

#: The longest idempotency key a client may send (the column is 64 characters).
MAX_REF = 64
#: The earliest day any record or plan may carry; the latest is the client's tomorrow for what
#: was measured and :data:`PLAN_YEARS` years ahead for what is planned (docs/user-guide.md, "Dates").
EARLIEST_DAY = date(1900, 1, 1)
PLAN_YEARS = 100
#: The longest duration of an episode or ABC entry, in minutes (7 days).
MAX_DURATION_MINUTES = 7 * 24 * 60
#: The longest free-text field; long enough for a journal page, short enough to refuse a paste accident.
MAX_TEXT = 20_000


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime; a naive value from SQLite is UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# The reads of every write of a record, built once and given their values at execution, so their
# compiled SQL is reused instead of a new statement being built and hashed on each request.
_TIMEZONE = Prepared(select(clients.c.timezone).where(clients.c.id == bindparam("client_id")))
_ACTIVE_GOAL_METRICS = Prepared(
    select(goals.c.metric_id).where(
        goals.c.client_id == bindparam("client_id"),
        goals.c.status == "active",
        goals.c.metric_id.is_not(None),
        goals.c.id.not_in(select(cards.c.goal_id).where(cards.c.client_id == bindparam("client_id"))),
    )
)
# All of the client's metrics (a handful), filtered in Python: a statement without an ``IN`` list
# is compiled once and runs on the driver (``storage.prepared``).
_CLIENT_METRICS = Prepared(select(metrics).where(metrics.c.client_id == bindparam("client_id")))


def client_timezone(conn: Connection, client_id: int) -> str:
    """The client's IANA time zone; ``NotFound`` when the client does not exist."""
    row = _TIMEZONE.first(conn, {"client_id": client_id})
    tz = row.timezone if row else None
    if tz is None:
        raise NotFound(f"client {client_id} not found")
    return str(tz)


def resolve_at(at: datetime | None, timezone: str, now: datetime) -> datetime:
    """The UTC instant of ``at`` (``now`` when omitted); a naive ``at`` is the client's local time."""
    if at is None:
        return now
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(timezone))
    try:
        return at.astimezone(UTC)
    except OverflowError:
        # Year 1 or 9999 shifted past the calendar's edge: the earliest or latest instant there is,
        # which the range check (:func:`future_problem`) then refuses, naming the field.
        return (datetime.min if at.year < 2000 else datetime.max).replace(tzinfo=UTC)


def local_now(timezone: str, now: datetime | None = None) -> date:
    """Today in the client's time zone."""
    return local_day(now or datetime.now(UTC), timezone)


def earliest_problem(at: datetime | date, field: str) -> Problem | None:
    """A problem when the instant or day ``at`` lies before :data:`EARLIEST_DAY` (1900-01-01)."""
    day = at.date() if isinstance(at, datetime) else at
    if day >= EARLIEST_DAY:
        return None
    return Problem(
        "date-out-of-range",
        field,
        f"{field} is in the year {day.year}; dates start at {EARLIEST_DAY.isoformat()}.",
        "Check the year.",
    )


def latest_planned_day(today: date) -> date:
    """The latest day a plan may name: :data:`PLAN_YEARS` years after ``today``."""
    try:
        return today.replace(year=today.year + PLAN_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + PLAN_YEARS, day=28)


def planned_day_problem(on: date | None, today: date, field: str) -> Problem | None:
    """A problem when a planned day (a session, phase, deadline, due date) lies outside 1900-01-01
    to :data:`PLAN_YEARS` years after the client's ``today``; None when ``on`` is not given."""
    if on is None:
        return None
    latest = latest_planned_day(today)
    if on <= latest:
        return earliest_problem(on, field)
    return Problem(
        "date-out-of-range",
        field,
        f"{field} is {on.isoformat()}; dates run from {EARLIEST_DAY.isoformat()} to {latest.isoformat()}.",
        "Check the year.",
    )


def future_problem(at: datetime, now: datetime, field: str = "at") -> Problem | None:
    """A problem when ``at`` lies before 1900 or more than a day after ``now`` (a phone clock may
    run a little ahead): the range of every measured instant."""
    if at - now <= FUTURE_TOLERANCE:
        return earliest_problem(at, field)
    return Problem(
        "observation-future",
        field,
        "The time is more than a day in the future.",
        "Check the date; enter the time it happened, or leave it out for now.",
    )


def future_day_problem(on: date, today: date, field: str) -> Problem | None:
    """A problem when the day ``on`` lies before 1900 or more than a day after the client's ``today``."""
    if on - today <= timedelta(days=1):
        return earliest_problem(on, field)
    return Problem(
        "date-future",
        field,
        f"{field} is {on.isoformat()}, more than a day in the future.",
        "Enter the day it happened.",
    )


def ref_problem(client_ref: str | None) -> Problem | None:
    """A problem with an idempotency key: blank or longer than :data:`MAX_REF` characters."""
    if client_ref is None:
        return None
    if not client_ref.strip() or len(client_ref) > MAX_REF:
        return Problem(
            "client-ref",
            "client_ref",
            f"client_ref must be 1 to {MAX_REF} characters.",
            "Send a short unique id per submission, e.g. a UUID, or leave it out.",
        )
    return bad_characters_problem("client_ref", client_ref)


def text_problem(
    field: str, value: str | None, *, required: bool = False, limit: int = MAX_TEXT, multiline: bool = True
) -> Problem | None:
    """A problem with a free-text field: missing when required, longer than ``limit`` characters,
    or holding a control character (free text keeps line breaks and tabs; ``multiline=False``
    refuses them too, for titles).
    """
    if value is None or not value.strip():
        if required:
            return Problem(
                "text-missing", field, f"{field} is empty.", f"Write the {field.replace('_', ' ')}."
            )
        return None
    if len(value) > limit:
        return Problem(
            "text-too-long",
            field,
            f"{field} has {len(value)} characters; the limit is {limit}.",
            "Shorten it or split it into two entries.",
        )
    return bad_characters_problem(field, value, multiline=multiline)


def int_range_problem(field: str, value: object, low: int, high: int) -> Problem | None:
    """A problem when ``value`` (if given) is not a whole number from ``low`` to ``high``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        return Problem(
            "not-whole-number", field, f"{field} is not a whole number.", f"Enter {low} to {high}."
        )
    if not low <= value <= high:
        return Problem(
            "out-of-range",
            field,
            f"{field} is {value:g}; it runs from {low} to {high}.",
            f"Enter a whole number from {low} to {high}.",
        )
    return None


def duration_problem(field: str, minutes: object) -> Problem | None:
    """A problem when a duration in minutes (if given) is not a number from 0 to
    :data:`MAX_DURATION_MINUTES` (a week: an episode or ABC entry that lasts longer is a typo)."""
    if minutes is None:
        return None
    found = validate_value("duration", tidy_number(minutes), field=field, label="The duration")
    if found:
        return found[0]
    if float(minutes) <= MAX_DURATION_MINUTES:  # type: ignore[arg-type]
        return None
    return Problem(
        "duration-too-long",
        field,
        f"{field} is {float(minutes):.6g} minutes; durations run up to {MAX_DURATION_MINUTES} (a week).",  # type: ignore[arg-type]
        "Enter the minutes it lasted.",
    )


def tidy_number(value: object) -> object:
    """A whole float as an int, so that messages say "-5", not "-5.0" (the shells parse floats)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def find_by_ref(conn: Connection, table: Table, client_id: int, client_ref: str | None) -> Any:
    """The row of ``table`` that a retried submission with ``client_ref`` stored, or None."""
    if client_ref is None:
        return None
    query = select(table).where(table.c.client_id == client_id, table.c.client_ref == client_ref)
    return conn.execute(query).first()


def insert_timed(
    conn: Connection,
    table: Table,
    *,
    client_id: int,
    when: datetime,
    timezone: str,
    client_ref: str | None,
    now: datetime,
    **values: Any,
) -> tuple[Any, bool]:
    """Insert one timed record (``at``, the client's ``local_on``, ``client_ref``); returns its row
    and whether it is new.

    With a ``client_ref`` the insert yields to a retry that stored the same ref a moment earlier
    (unique ``client_id, client_ref``): the row returned is then that retry's, and ``False``.
    """
    row_values = {
        "client_id": client_id,
        "at": when,
        "local_on": local_day(when, timezone),
        "client_ref": client_ref,
        "created_at": now,
        **values,
    }
    if client_ref is None:
        new_id = conn.execute(insert(table).values(**row_values).returning(table.c.id)).scalar_one()
    else:
        new_id = insert_once(conn, table, row_values, ("client_id", "client_ref"))
        if new_id is None:
            return find_by_ref(conn, table, client_id, client_ref), False
    return conn.execute(select(table).where(table.c.id == new_id)).one(), True


def rows_between(
    conn: Connection, table: Table, client_id: int, start: date | None, end: date | None, *conditions: Any
) -> list[Any]:
    """A client's timed records for local days ``start``..``end`` (either may be open), oldest first."""
    query = select(table).where(table.c.client_id == client_id, *conditions)
    if start is not None:
        query = query.where(table.c.local_on >= start)
    if end is not None:
        query = query.where(table.c.local_on <= end)
    return list(conn.execute(query.order_by(table.c.at, table.c.id)).all())


def encrypt_json(ctx: Context, data: Mapping[str, Any], context: bytes) -> bytes | None:
    """Encrypt a small JSON document of free-text fields (None when every field is empty)."""
    kept = {key: value for key, value in data.items() if value not in (None, "", [], ())}
    if not kept:
        return None
    return ctx.keys.encrypt(json.dumps(kept, ensure_ascii=False, sort_keys=True), context=context)


def decrypt_json(ctx: Context, blob: bytes | None, context: bytes) -> dict[str, Any]:
    """The document :func:`encrypt_json` stored; an empty dict for None."""
    text = ctx.keys.decrypt(blob, context=context)
    return {} if text is None else dict(json.loads(text))


def clean_list(values: Sequence[str] | None) -> list[str]:
    """Tags without blanks or repeats, in the order given."""
    seen: list[str] = []
    for value in values or ():
        text = value.strip()
        if text and text not in seen:
            seen.append(text)
    return seen


@dataclass(frozen=True, slots=True)
class MetricInfo:
    """A client's metric; ``id`` is None for a standard metric not used yet.

    ``in_checkin`` marks the metrics the daily check-in asks: the standard three and the
    metrics of the client's active goals.
    """

    key: str
    label: str
    kind: str
    unit: str | None
    period: str | None
    scale_min: float | None
    scale_max: float | None
    higher_is_better: bool
    id: int | None = None
    in_checkin: bool = False


STANDARD_METRICS = (
    MetricInfo("mood", "Mood", "rating", None, "day", 1, 10, True, in_checkin=True),
    MetricInfo("anxiety", "Anxiety", "rating", None, "day", 1, 10, False, in_checkin=True),
    MetricInfo("sleep_hours", "Sleep", "duration", "hours", "day", 0, 24, True, in_checkin=True),
)
STANDARD_KEYS = tuple(m.key for m in STANDARD_METRICS)
_STANDARD = {m.key: m for m in STANDARD_METRICS}


def _to_metric(row: Any, active: set[int]) -> MetricInfo:
    # A standard metric stored without its scale (by an older version or a data load) still has
    # it: sleep is 0-24 hours however its row was made.
    standard = _STANDARD.get(row.key)
    return MetricInfo(
        key=row.key,
        label=row.label,
        kind=row.kind,
        unit=row.unit,
        period=row.period,
        scale_min=row.scale_min if row.scale_min is not None or standard is None else standard.scale_min,
        scale_max=row.scale_max if row.scale_max is not None or standard is None else standard.scale_max,
        higher_is_better=bool(row.higher_is_better),
        id=row.id,
        in_checkin=row.key in _STANDARD or row.id in active,
    )


def _active_goal_metric_ids(conn: Connection, client_id: int) -> set[int]:
    # A daily report card's goal is rated on its card by a teacher or parent, not in the check-in.
    return {int(row.metric_id) for row in _ACTIVE_GOAL_METRICS.rows(conn, {"client_id": client_id})}


def list_metric_infos(conn: Connection, client_id: int) -> list[MetricInfo]:
    """Stored metrics by key, then the standard metrics not stored yet."""
    active = _active_goal_metric_ids(conn, client_id)
    rows = conn.execute(select(metrics).where(metrics.c.client_id == client_id).order_by(metrics.c.key))
    stored = [_to_metric(row, active) for row in rows]
    keys = {m.key for m in stored}
    return stored + [m for m in STANDARD_METRICS if m.key not in keys]


def resolve_metric(conn: Connection, client_id: int, key: str, now: datetime) -> MetricInfo | None:
    """The client's metric ``key``; a standard metric is created on first use; None when unknown."""
    row = conn.execute(select(metrics).where(metrics.c.client_id == client_id, metrics.c.key == key)).first()
    if row is not None:
        return _to_metric(row, _active_goal_metric_ids(conn, client_id))
    standard = _STANDARD.get(key)
    if standard is None:
        return None
    # Two first check-ins at once both create the metric: one insert wins, both read its row.
    values = {name: getattr(standard, name) for name in _STANDARD_COLUMNS}
    insert_once(conn, metrics, {**values, "client_id": client_id, "created_at": now}, ("client_id", "key"))
    row = conn.execute(select(metrics).where(metrics.c.client_id == client_id, metrics.c.key == key)).one()
    return _to_metric(row, _active_goal_metric_ids(conn, client_id))


_STANDARD_COLUMNS = ("key", "label", "kind", "unit", "period", "scale_min", "scale_max", "higher_is_better")


def resolve_metrics(
    conn: Connection, client_id: int, keys: list[str], now: datetime
) -> dict[str, MetricInfo | None]:
    """``resolve_metric`` for several keys at once: one query for the stored ones (a check-in's three)."""
    wanted = set(keys)
    rows = (
        [r for r in _CLIENT_METRICS.rows(conn, {"client_id": client_id}) if r.key in wanted] if keys else []
    )
    # Standard metrics are always in the check-in; only a goal's own metric needs the active goals.
    custom = any(row.key not in _STANDARD for row in rows)
    active = _active_goal_metric_ids(conn, client_id) if custom else set()
    found: dict[str, MetricInfo | None] = {row.key: _to_metric(row, active) for row in rows}
    for key in keys:
        if key not in found:
            found[key] = resolve_metric(conn, client_id, key, now)
    return found


def unknown_metric(conn: Connection, client_id: int, key: str, field: str = "metric") -> Problem:
    """The problem for a metric key the client does not have, listing the keys that exist."""
    known = ", ".join(m.key for m in list_metric_infos(conn, client_id))
    return Problem(
        "metric-unknown",
        field,
        f"There is no metric {key!r:.40} for this client.",
        f"Use one of: {known}; other metrics come from the client's goals.",
    )
