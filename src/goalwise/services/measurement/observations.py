"""Observations: log, edit and list the values of a client's metrics.

The metrics themselves (the standard ``mood``, ``anxiety`` and ``sleep_hours``, created on first
use, and those of goals) live in ``records.py``.

* Values are checked against the metric (``core.observation.validate_value``) before anything
  is stored; every problem is reported at once and nothing is stored on error.
* An edit writes a new row that ``replaces_id`` the old one and stamps the old row
  ``superseded_at``: history is kept, reads skip superseded rows (DESIGN.md, "Nothing is lost").
* A ``client_ref`` makes a submission idempotent: a retry with the same ref returns what was
  stored (its newest version) and stores nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, case, insert, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput, NotFound, Problem
from goalwise.core.measurement.observation import local_day, validate_value
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import (
    STANDARD_KEYS,
    MetricInfo,
    as_utc,
    client_timezone,
    earliest_problem,
    find_by_ref,
    list_metric_infos,
    ref_problem,
    resolve_at,
    resolve_metric,
    text_problem,
    tidy_number,
    unknown_metric,
)
from goalwise.storage.conflict import insert_once
from goalwise.storage.tables import metrics, observations

__all__ = [
    "NOTE_CONTEXT",
    "ON_SCALE",
    "STANDARD_KEYS",
    "MetricInfo",
    "StoredObservation",
    "edit",
    "insert_observation",
    "list_metrics",
    "list_observations",
    "log",
    "observation_values",
    "stored_by_ids",
    "stored_by_refs",
    "to_observation",
    "value_problems",
]

NOTE_CONTEXT = b"observations.note_enc"

#: An observation's value on its metric's scale, as charts, goal pages, reviews, the caseload and
#: shared pages read it: a proportion's ``value`` successes of ``denominator`` trials as a
#: percentage (0-100, the scale its baseline and target are written in; ``core.metric``), every
#: other kind as stored. The baseline reads values the same way (``measurement.baseline``). A day
#: with several entries is then averaged like a rating's; the obstacle rules pool a week's trials.
ON_SCALE = case(
    (observations.c.denominator.is_(None), observations.c.value),
    else_=observations.c.value * 100.0 / observations.c.denominator,
).label("value")


@dataclass(frozen=True, slots=True)
class StoredObservation:
    """An observation as stored, with its note decrypted."""

    id: int
    client_id: int
    metric_key: str
    at: datetime
    local_on: date
    value: float
    denominator: float | None
    note: str | None
    client_ref: str | None
    replaces_id: int | None
    created_at: datetime


def value_problems(
    metric: MetricInfo,
    value: object,
    *,
    field: str = "value",
    denominator: object = None,
    at: datetime | None = None,
    now: datetime | None = None,
) -> list[Problem]:
    """Every problem with one value of ``metric`` (kind, scale, future time), all at once."""
    problems = validate_value(
        metric.kind,
        tidy_number(value),
        field=field,
        label=metric.label,
        scale_min=metric.scale_min,
        scale_max=metric.scale_max,
        denominator=denominator,
        at=at,
        now=now,
        unit=metric.unit,
    )
    if metric.kind != "proportion" and denominator is not None:
        problems.append(
            Problem(
                "observation-denominator",
                "denominator",
                f"{metric.label} is a {metric.kind}; only a proportion takes a denominator.",
                "Leave the denominator out.",
            )
        )
    return problems


def _select() -> Any:
    return select(observations, metrics.c.key.label("metric_key")).join(
        metrics, metrics.c.id == observations.c.metric_id
    )


def to_observation(ctx: Context, row: Any) -> StoredObservation:
    return StoredObservation(
        id=row.id,
        client_id=row.client_id,
        metric_key=row.metric_key,
        at=as_utc(row.at),
        local_on=row.local_on,
        value=row.value,
        denominator=row.denominator,
        note=ctx.keys.decrypt(row.note_enc, context=NOTE_CONTEXT),
        client_ref=row.client_ref,
        replaces_id=row.replaces_id,
        created_at=as_utc(row.created_at),
    )


# Built once, given values at execution (compiled SQL reused): a check-in with a ``client_ref`` asks first.
_BY_REFS = select(observations.c.id).where(
    observations.c.client_id == bindparam("client_id"),
    observations.c.client_ref.in_(bindparam("refs", expanding=True)),
)


def _newest(conn: Connection, observation_id: int) -> Any:
    """The newest version of an observation: follow ``replaces_id`` forwards."""
    current = observation_id
    while True:
        later = conn.execute(select(observations.c.id).where(observations.c.replaces_id == current)).scalar()
        if later is None:
            return conn.execute(_select().where(observations.c.id == current)).one()
        current = later


def stored_by_refs(
    ctx: Context, conn: Connection, client_id: int, refs: list[str]
) -> list[StoredObservation]:
    """The newest versions of the observations stored with any of ``refs``, by time."""
    found_ids = conn.execute(_BY_REFS, {"client_id": client_id, "refs": list(refs)}).scalars().all()
    rows = [_newest(conn, found) for found in found_ids]
    return sorted((to_observation(ctx, row) for row in rows), key=lambda o: (o.at, o.id))


def stored_by_ids(ctx: Context, conn: Connection, ids: list[int]) -> list[StoredObservation]:
    """The observations with ``ids``, in id order."""
    rows = conn.execute(_select().where(observations.c.id.in_(ids)).order_by(observations.c.id))
    return [to_observation(ctx, row) for row in rows]


def observation_values(
    ctx: Context,
    metric: MetricInfo,
    *,
    client_id: int,
    at: datetime,
    timezone: str,
    value: float,
    now: datetime,
    denominator: float | None = None,
    note: str | None = None,
    client_ref: str | None = None,
    replaces_id: int | None = None,
    note_enc: bytes | None = None,
) -> dict[str, Any]:
    """The row of one checked observation, its note encrypted, ready to insert."""
    assert metric.id is not None
    return {
        "client_id": client_id,
        "metric_id": metric.id,
        "at": at,
        "local_on": local_day(at, timezone),
        "value": float(value),
        "denominator": None if denominator is None else float(denominator),
        "note_enc": note_enc if note is None else ctx.keys.encrypt(note, context=NOTE_CONTEXT),
        "client_ref": client_ref,
        "created_at": now,
        "replaces_id": replaces_id,
    }


def insert_observation(conn: Connection, values: dict[str, Any]) -> int | None:
    """Insert one checked observation (its row from ``observation_values``) in the caller's
    transaction; returns its id.

    Returns None, storing nothing, when its ``client_ref`` is already stored: a retry of the same
    submission committed first (see ``storage.conflict``).
    """
    if values["client_ref"] is not None:
        return insert_once(conn, observations, values, ("client_id", "client_ref"))
    return int(conn.execute(insert(observations).values(**values).returning(observations.c.id)).scalar_one())


def log(
    ctx: Context,
    actor: Actor,
    client_id: int,
    metric_key: str,
    value: float,
    at: datetime | None = None,
    note: str | None = None,
    denominator: float | None = None,
    client_ref: str | None = None,
) -> StoredObservation:
    """Log one value of ``metric_key`` for the client, at ``at`` (default now).

    Raises ``InvalidInput`` naming every bad field (unknown metric, off-scale value, a time more
    than a day ahead, a bad note or ref); nothing is stored then. A retry with a ``client_ref``
    already stored returns the stored observation (its newest version) and stores nothing.
    """
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        stored = find_by_ref(conn, observations, client_id, client_ref)
        if stored is not None:
            return to_observation(ctx, _newest(conn, stored.id))
        tz = client_timezone(conn, client_id)
        when = resolve_at(at, tz, now)
        found = (ref_problem(client_ref), text_problem("note", note), earliest_problem(when, "at"))
        problems = [p for p in found if p]
        metric = resolve_metric(conn, client_id, metric_key, now)
        if metric is None:
            problems.insert(0, unknown_metric(conn, client_id, metric_key))
        else:
            problems[:0] = value_problems(metric, value, denominator=denominator, at=when, now=now)
        if problems:
            raise InvalidInput(problems)
        assert metric is not None
        new_id = insert_observation(
            conn,
            observation_values(
                ctx,
                metric,
                client_id=client_id,
                at=when,
                timezone=tz,
                value=value,
                now=now,
                denominator=denominator,
                note=note,
                client_ref=client_ref,
            ),
        )
        if new_id is None:
            # A retry with the same ref committed between the look-up and the insert.
            winner = find_by_ref(conn, observations, client_id, client_ref)
            return to_observation(ctx, _newest(conn, winner.id))
        audit.record(conn, actor, "create", "observation", new_id, client_id)
        return to_observation(ctx, conn.execute(_select().where(observations.c.id == new_id)).one())


def edit(
    ctx: Context,
    actor: Actor,
    client_id: int,
    observation_id: int,
    *,
    value: float,
    at: datetime | None = None,
    note: str | None = None,
    denominator: float | None = None,
) -> StoredObservation:
    """Correct an observation: a new row replaces it and the old row is kept, marked superseded.

    ``at``, ``note`` and a proportion's ``denominator`` keep their old values when omitted.
    Editing a version that was already replaced raises ``Conflict`` (edit the newest one); bad
    values raise ``InvalidInput``.
    """
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        old = conn.execute(
            _select().where(observations.c.id == observation_id, observations.c.client_id == client_id)
        ).first()
        if old is None:
            raise NotFound(f"observation {observation_id} not found")
        if old.superseded_at is not None:
            raise Conflict(f"observation {observation_id} was already corrected; edit its newest version")
        metric = resolve_metric(conn, client_id, old.metric_key, now)
        assert metric is not None
        tz = client_timezone(conn, client_id)
        when = as_utc(old.at) if at is None else resolve_at(at, tz, now)
        if denominator is None and metric.kind == "proportion":
            denominator = old.denominator
        problems = value_problems(
            metric, value, denominator=denominator, at=None if at is None else when, now=now
        )
        problems.extend(p for p in (text_problem("note", note), earliest_problem(when, "at")) if p)
        if problems:
            raise InvalidInput(problems)
        # Two corrections of one version at once: the first supersedes it, the second is told so.
        unchanged = (observations.c.id == old.id, observations.c.superseded_at.is_(None))
        if conn.execute(update(observations).where(*unchanged).values(superseded_at=now)).rowcount != 1:
            raise Conflict(f"observation {observation_id} was already corrected; edit its newest version")
        new_id = insert_observation(
            conn,
            observation_values(
                ctx,
                metric,
                client_id=client_id,
                at=when,
                timezone=tz,
                value=value,
                now=now,
                denominator=denominator,
                note=note,
                replaces_id=old.id,
                note_enc=old.note_enc,
            ),
        )
        audit.record(conn, actor, "update", "observation", new_id, client_id)
        return to_observation(ctx, conn.execute(_select().where(observations.c.id == new_id)).one())


def list_observations(
    ctx: Context,
    actor: Actor,
    client_id: int,
    *,
    metric: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[StoredObservation]:
    """Current (not superseded) observations by time, optionally for one metric and local days
    ``start``..``end`` inclusive. The view is audited."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        query = _select().where(observations.c.client_id == client_id, observations.c.superseded_at.is_(None))
        if metric is not None:
            known = {info.key for info in list_metric_infos(conn, client_id)}
            if metric not in known:
                raise InvalidInput([unknown_metric(conn, client_id, metric)])
            query = query.where(metrics.c.key == metric)
        if start is not None:
            query = query.where(observations.c.local_on >= start)
        if end is not None:
            query = query.where(observations.c.local_on <= end)
        rows = conn.execute(query.order_by(observations.c.at, observations.c.id)).all()
        audit.record(conn, actor, "view", "observations", None, client_id)
        return [to_observation(ctx, row) for row in rows]


def list_metrics(ctx: Context, actor: Actor, client_id: int) -> list[MetricInfo]:
    """The client's metrics: stored ones plus the standard ones not yet used, with ``in_checkin``."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        return list_metric_infos(conn, client_id)
