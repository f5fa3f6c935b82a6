"""The daily check-in: mood, anxiety, sleep and today's goal metrics in one go.

One screen or one command, under 30 seconds (issue 4, "Daily check-in"). Every value is checked
first and all problems are reported together; then every value is stored in ONE transaction, so
a check-in is stored whole or not at all. The optional note is encrypted and kept with the
check-in's first value (mood when given). A ``client_ref`` makes the check-in idempotent: an
offline phone that sends it twice stores it once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.measurement.observation import local_day
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.observations import (
    StoredObservation,
    observation_values,
    stored_by_refs,
    value_problems,
)
from goalwise.services.measurement.record_store import (
    STANDARD_KEYS,
    MetricInfo,
    future_problem,
    list_metric_infos,
    ref_problem,
    resolve_at,
    resolve_metrics,
    text_problem,
    unknown_metric,
)
from goalwise.storage.conflict import insert_many_once
from goalwise.storage.tables import observations

__all__ = ["Checkin", "GoalValue", "checkin", "checkin_metrics"]

#: A goal metric's value: a number, or (successes, trials) for a proportion.
GoalValue = float | tuple[float, float] | Sequence[float]


@dataclass(frozen=True, slots=True)
class Checkin:
    """A stored check-in: its instant, the client's day and the values stored.

    ``replayed`` is true when a retried check-in (same ``client_ref``) returned what was stored
    the first time.
    """

    at: datetime
    local_on: date
    observations: tuple[StoredObservation, ...]
    replayed: bool = False


def _derived_ref(client_ref: str, key: str) -> str:
    # One check-in stores several rows; each needs its own key that fits the 64-character column.
    digest = hashlib.sha256(f"{client_ref}\x00{key}".encode()).hexdigest()[:48]
    return f"checkin:{digest}"


def _split(value: GoalValue) -> tuple[object, object]:
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) == 2:
            return value[0], value[1]
        return value, None
    return value, None


def checkin_metrics(ctx: Context, actor: Actor, client_id: int) -> list[MetricInfo]:
    """What today's check-in asks: mood, anxiety, sleep hours and the active goals' metrics."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        infos = list_metric_infos(conn, client_id)
    order = {key: n for n, key in enumerate(STANDARD_KEYS)}
    return sorted((m for m in infos if m.in_checkin), key=lambda m: (order.get(m.key, len(order)), m.key))


def checkin(
    ctx: Context,
    actor: Actor | Callable[[Connection], Actor],
    client_id: int,
    *,
    mood: float | None = None,
    anxiety: float | None = None,
    sleep_hours: float | None = None,
    note: str | None = None,
    goal_values: Mapping[str, GoalValue] | None = None,
    at: datetime | None = None,
    client_ref: str | None = None,
) -> Checkin:
    """Store a daily check-in; each value is optional, but at least one is needed.

    ``actor`` may be a look-up of the caller (``web.deps.authenticate``) run on the check-in's own
    write transaction: a phone's check-in then takes one connection, not two, and a caller
    refused there stores nothing. ``goal_values`` maps a metric key to its value (``(x, n)``
    for a proportion). Raises
    ``InvalidInput`` naming every bad field (``mood``, ``goal_values.KEY``, ``at``...); nothing is
    stored then. Returns the stored observations.
    """
    now = datetime.now(UTC)
    given: list[tuple[str, str, object, object]] = [
        (key, key, value, None)
        for key, value in (("mood", mood), ("anxiety", anxiety), ("sleep_hours", sleep_hours))
        if value is not None
    ]
    given += [(f"goal_values.{key}", key, *_split(value)) for key, value in (goal_values or {}).items()]
    refs = [_derived_ref(client_ref, key) for _, key, _, _ in given] if client_ref is not None else []
    try:
        return _store(ctx, actor, client_id, given, refs, note=note, at=at, client_ref=client_ref, now=now)
    except _RefTaken:
        # A retry of this check-in committed while this one was being stored: ours was rolled
        # back whole, and the caller gets what the retry stored.
        with ctx.db.read() as conn:
            replay = _replay(ctx, conn, client_id, refs)
        assert replay is not None
        return replay


class _RefTaken(Exception):
    """A value's ``client_ref`` was stored by a concurrent retry; roll this check-in back."""


def _replay(ctx: Context, conn: Connection, client_id: int, refs: list[str]) -> Checkin | None:
    stored = stored_by_refs(ctx, conn, client_id, refs) if refs else []
    if not stored:
        return None
    return Checkin(stored[0].at, stored[0].local_on, tuple(stored), replayed=True)


def _store(
    ctx: Context,
    caller: Actor | Callable[[Connection], Actor],
    client_id: int,
    given: list[tuple[str, str, object, object]],
    refs: list[str],
    *,
    note: str | None,
    at: datetime | None,
    client_ref: str | None,
    now: datetime,
) -> Checkin:
    with ctx.db.write() as conn:
        actor = caller if isinstance(caller, Actor) else caller(conn)
        tz = authz.require_client(conn, actor, client_id, write=True).timezone
        when = resolve_at(at, tz, now)
        problems = [
            p for p in (ref_problem(client_ref), text_problem("note", note), future_problem(when, now)) if p
        ]
        if not given:
            problems.append(
                Problem(
                    "checkin-empty",
                    "mood",
                    "The check-in has no values.",
                    "Give at least mood, anxiety or sleep_hours (or a goal metric's value).",
                )
            )
        checked: list[tuple[MetricInfo, str, object, object]] = []
        wanted = [k for f, k, _, _ in given if not (f.startswith("goal_values.") and k in STANDARD_KEYS)]
        resolved = resolve_metrics(conn, client_id, wanted, now)
        for field, key, value, denominator in given:
            if field.startswith("goal_values.") and key in STANDARD_KEYS:
                problems.append(
                    Problem("checkin-duplicate", field, f"{key} has its own field.", f"Send {key} as {key}.")
                )
                continue
            metric = resolved.get(key)
            if metric is None:
                problems.append(unknown_metric(conn, client_id, key, field=field))
                continue
            problems.extend(value_problems(metric, value, field=field, denominator=denominator))
            checked.append((metric, key, value, denominator))
        if problems:
            # A retry of a check-in that was stored gets what was stored, even where its values
            # would no longer pass (a goal closed since, a time now too far back).
            if (replay := _replay(ctx, conn, client_id, refs)) is not None:
                return replay
            raise InvalidInput(problems)
        refs_by_key = dict(zip((key for _, key, _, _ in given), refs, strict=False))
        kept = _kept(
            ctx, checked, client_id=client_id, when=when, tz=tz, now=now, note=note, refs=refs_by_key
        )
        # One statement for every value; a value whose ref a retry already stored is left out, and
        # then this check-in is rolled back whole and the retry's answer returned (see ``checkin``).
        ids = insert_many_once(
            conn, observations, [row for _, row in kept], ("client_id", "client_ref"), "metric_id"
        )
        if len(ids) < len(kept):
            raise _RefTaken
        stored = tuple(replace(done, id=ids[row["metric_id"]]) for done, row in kept)
        audit.record(conn, actor, "create", "checkin", stored[0].id, client_id)
        return Checkin(when, stored[0].local_on, stored)


def _kept(
    ctx: Context,
    checked: list[tuple[MetricInfo, str, object, object]],
    *,
    client_id: int,
    when: datetime,
    tz: str,
    now: datetime,
    note: str | None,
    refs: Mapping[str, str],
) -> list[tuple[StoredObservation, dict[str, Any]]]:
    """Each checked value as the check-in returns it (id to come) and as the row to insert.

    The check-in answers with what it wrote, not with a read-back of it.
    """
    on = local_day(when, tz)
    kept = []
    for position, (metric, key, value, denominator) in enumerate(checked):
        done = StoredObservation(
            id=0,
            client_id=client_id,
            metric_key=key,
            at=when,
            local_on=on,
            value=float(value),  # type: ignore[arg-type]
            denominator=None if denominator is None else float(denominator),  # type: ignore[arg-type]
            note=note if position == 0 else None,  # the note is kept with the first value
            client_ref=refs.get(key),  # each value's own ref (``_derived_ref``), when the check-in has one
            replaces_id=None,
            created_at=now,
        )
        row = observation_values(
            ctx,
            metric,
            client_id=client_id,
            at=when,
            timezone=tz,
            value=done.value,
            now=now,
            denominator=done.denominator,
            note=done.note,
            client_ref=done.client_ref,
        )
        kept.append((done, row))
    return kept
