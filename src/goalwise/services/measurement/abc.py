"""ABC chart entries (antecedent, behaviour, consequence) and their summary.

An entry records an antecedent, a behaviour and a consequence, with the setting, the time, an
intensity 1-10 and a duration in minutes (issue 4, "ABC chart"). The four narrative fields are
stored as one encrypted JSON document (``abc_entries.details_enc``).

The summary answers the two questions a functional analysis starts from: for each behaviour,
what most often comes before it and what most often follows it; and at what time of the
client's day it happens. Texts are compared case- and space-insensitively ("Argument with
Mum" and "argument with mum" count together) and shown as first written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import (
    as_utc,
    client_timezone,
    decrypt_json,
    duration_problem,
    encrypt_json,
    find_by_ref,
    future_problem,
    insert_timed,
    int_range_problem,
    ref_problem,
    resolve_at,
    rows_between,
    text_problem,
)
from goalwise.storage.tables import abc_entries

__all__ = [
    "HOUR_BANDS",
    "AbcEntry",
    "AbcSummary",
    "BehaviourSummary",
    "Frequency",
    "add_entry",
    "list_entries",
    "summarise",
    "summary",
]

DETAILS_CONTEXT = b"abc_entries.details_enc"

#: Parts of the client's day, by local hour: [start, end).
HOUR_BANDS = (("night", 0, 6), ("morning", 6, 12), ("afternoon", 12, 18), ("evening", 18, 24))


@dataclass(frozen=True, slots=True)
class AbcEntry:
    """One ABC entry, narrative fields decrypted."""

    id: int
    client_id: int
    at: datetime
    local_on: date
    antecedent: str
    behaviour: str
    consequence: str
    setting: str | None
    intensity: int | None
    duration_minutes: float | None
    client_ref: str | None


@dataclass(frozen=True, slots=True)
class Frequency:
    """A text and how many entries had it."""

    text: str
    count: int


@dataclass(frozen=True, slots=True)
class BehaviourSummary:
    """One behaviour: how often, and its most frequent antecedents and consequences."""

    behaviour: str
    count: int
    antecedents: tuple[Frequency, ...]
    consequences: tuple[Frequency, ...]


@dataclass(frozen=True, slots=True)
class AbcSummary:
    """Behaviours by frequency, plus counts per local hour (0-23) and per part of the day."""

    entries: int
    behaviours: tuple[BehaviourSummary, ...]
    by_hour: tuple[int, ...]
    by_band: tuple[tuple[str, int], ...]


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _top(texts: Iterable[str], top: int) -> tuple[Frequency, ...]:
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text in texts:
        key = _key(text)
        if key:
            counts[key] += 1
            shown.setdefault(key, " ".join(text.split()))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return tuple(Frequency(shown[key], count) for key, count in ranked)


def summarise(entries: Iterable[AbcEntry], timezone: str, *, top: int = 3) -> AbcSummary:
    """The ABC summary of ``entries``: per behaviour the ``top`` antecedents and consequences,
    and the time-of-day profile in the client's ``timezone`` (hours and :data:`HOUR_BANDS`)."""
    items = list(entries)
    groups: dict[str, list[AbcEntry]] = {}
    for entry in items:
        groups.setdefault(_key(entry.behaviour), []).append(entry)
    behaviours = [
        BehaviourSummary(
            behaviour=" ".join(group[0].behaviour.split()),
            count=len(group),
            antecedents=_top((e.antecedent for e in group), top),
            consequences=_top((e.consequence for e in group), top),
        )
        for group in groups.values()
    ]
    behaviours.sort(key=lambda b: (-b.count, _key(b.behaviour)))
    zone = ZoneInfo(timezone)
    hours = [0] * 24
    for entry in items:
        hours[entry.at.astimezone(zone).hour] += 1
    bands = tuple((name, sum(hours[start:end])) for name, start, end in HOUR_BANDS)
    return AbcSummary(len(items), tuple(behaviours), tuple(hours), bands)


def _to_entry(ctx: Context, row: Any) -> AbcEntry:
    details = decrypt_json(ctx, row.details_enc, DETAILS_CONTEXT)
    return AbcEntry(
        id=row.id,
        client_id=row.client_id,
        at=as_utc(row.at),
        local_on=row.local_on,
        antecedent=details.get("antecedent", ""),
        behaviour=details.get("behaviour", ""),
        consequence=details.get("consequence", ""),
        setting=details.get("setting"),
        intensity=row.intensity,
        duration_minutes=row.duration_minutes,
        client_ref=row.client_ref,
    )


def add_entry(
    ctx: Context,
    actor: Actor,
    client_id: int,
    *,
    antecedent: str,
    behaviour: str,
    consequence: str,
    setting: str | None = None,
    at: datetime | None = None,
    intensity: int | None = None,
    duration_minutes: float | None = None,
    client_ref: str | None = None,
) -> AbcEntry:
    """Add an ABC entry; antecedent, behaviour and consequence are required.

    Raises ``InvalidInput`` naming every bad field; nothing is stored then. A retry with the
    same ``client_ref`` returns the stored entry.
    """
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        stored = find_by_ref(conn, abc_entries, client_id, client_ref)
        if stored is not None:
            return _to_entry(ctx, stored)
        tz = client_timezone(conn, client_id)
        when = resolve_at(at, tz, now)
        fields = {"antecedent": antecedent, "behaviour": behaviour, "consequence": consequence}
        problems = [
            *(text_problem(name, value, required=True, limit=4000) for name, value in fields.items()),
            text_problem("setting", setting, limit=4000),
            int_range_problem("intensity", intensity, 1, 10),
            duration_problem("duration_minutes", duration_minutes),
            future_problem(when, now),
            ref_problem(client_ref),
        ]
        found = [p for p in problems if p is not None]
        if found:
            raise InvalidInput(found)
        details = encrypt_json(ctx, {**fields, "setting": setting}, DETAILS_CONTEXT)
        row, created = insert_timed(
            conn,
            abc_entries,
            client_id=client_id,
            when=when,
            timezone=tz,
            client_ref=client_ref,
            now=now,
            intensity=None if intensity is None else int(intensity),
            duration_minutes=None if duration_minutes is None else float(duration_minutes),
            details_enc=details,
        )
        if created:
            audit.record(conn, actor, "create", "abc_entry", row.id, client_id)
        return _to_entry(ctx, row)


def _read(
    ctx: Context, actor: Actor, client_id: int, start: date | None, end: date | None, what: str
) -> tuple[list[AbcEntry], str]:
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        rows = rows_between(conn, abc_entries, client_id, start, end)
        audit.record(conn, actor, "view", what, None, client_id)
        return [_to_entry(ctx, row) for row in rows], client_timezone(conn, client_id)


def list_entries(
    ctx: Context, actor: Actor, client_id: int, *, start: date | None = None, end: date | None = None
) -> list[AbcEntry]:
    """The client's ABC entries by time, optionally for local days ``start``..``end``; audited."""
    return _read(ctx, actor, client_id, start, end, "abc_entries")[0]


def summary(
    ctx: Context,
    actor: Actor,
    client_id: int,
    *,
    start: date | None = None,
    end: date | None = None,
    top: int = 3,
) -> AbcSummary:
    """The ABC summary (see :func:`summarise`) of the client's entries in ``start``..``end``."""
    entries, tz = _read(ctx, actor, client_id, start, end, "abc_summary")
    return summarise(entries, tz, top=top)
