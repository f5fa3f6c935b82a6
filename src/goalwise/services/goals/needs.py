"""Use cases for the needs assessment: record one, read the latest, and order goal suggestions by it.

An assessment (issue 3, "Needs and concerns") holds concern areas with impact and priority and
the five core emotional needs rated 1-5; the pure rules are ``core.need``. The whole assessment
is client content, so it is stored only as encrypted JSON (``needs_assessments.data_enc``).
Assessments are never overwritten: each one is a new row dated ``assessed_on`` and the latest
one orders the goal templates offered (``core.suggest.suggest`` with ``core.need.order_by_needs``:
highest-priority concern area first, then the least-met need).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.need import Concern, NeedsAssessment, parse_assessment
from goalwise.core.suggest import Suggestion, suggest
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import as_utc, client_timezone, future_day_problem, local_now
from goalwise.storage.tables import needs_assessments

__all__ = [
    "DATA_CONTEXT",
    "NeedsRecord",
    "assessment_to_dict",
    "history",
    "history_in",
    "insert_assessment",
    "latest",
    "overview",
    "record",
    "suggestions",
]

DATA_CONTEXT = b"needs_assessments.data_enc"


@dataclass(frozen=True, slots=True)
class NeedsRecord:
    """One stored assessment, decrypted."""

    id: int
    client_id: int
    assessed_on: date
    created_by: str
    created_at: datetime
    assessment: NeedsAssessment


def _concern(c: Concern) -> dict[str, Any]:
    out: dict[str, Any] = {"area": c.area.value, "impact": c.impact.value, "priority": c.priority}
    if c.label:
        out["label"] = c.label
    return out


def assessment_to_dict(assessment: NeedsAssessment) -> dict[str, Any]:
    """The NEEDS.json shape ``{"concerns": [...], "needs": {"safety": 3}}``; parse_assessment reads it."""
    return {
        "concerns": [_concern(c) for c in assessment.concerns],
        "needs": {r.need.value: r.met for r in assessment.needs},
    }


def _to_record(ctx: Context, row: Any) -> NeedsRecord:
    text = ctx.keys.decrypt(row.data_enc, context=DATA_CONTEXT) or "{}"
    assessment, _ = parse_assessment(json.loads(text))
    return NeedsRecord(
        id=int(row.id),
        client_id=int(row.client_id),
        assessed_on=row.assessed_on,
        created_by=row.created_by,
        created_at=as_utc(row.created_at),
        assessment=assessment,
    )


def record(
    ctx: Context, actor: Actor, client_id: int, data: Mapping[str, object], *, assessed_on: date | None = None
) -> NeedsRecord:
    """Store a needs assessment (NEEDS.json: ``core.need.parse_assessment``), dated the client's today
    unless ``assessed_on`` is given. Raises ``InvalidInput`` with every problem; nothing is stored then."""
    problems: list[Problem] = []
    assessment = NeedsAssessment()
    if isinstance(data, Mapping):
        assessment, problems = parse_assessment(data)
        if not problems and not assessment.concerns and not assessment.needs:
            problems.append(
                Problem(
                    "needs-empty",
                    "concerns",
                    "The assessment has no concerns and no need ratings.",
                    'Add a concern, e.g. {"area": "emotional_barriers", "impact": "high", "priority": 1}, '
                    'or rate a need, e.g. "needs": {"safety": 2}.',
                )
            )
    else:
        problems.append(
            Problem(
                "needs-type",
                "assessment",
                "The assessment must be a JSON object.",
                'Send {"concerns": [...], "needs": {...}}.',
            )
        )
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        today = local_now(client_timezone(conn, client_id), now)
        day = assessed_on or today
        future = future_day_problem(day, today, "assessed_on")
        if future is not None:
            problems.append(future)
        if problems:
            raise InvalidInput(problems)
        new_id = insert_assessment(ctx, conn, actor, client_id, assessment, day, now)
        row = conn.execute(select(needs_assessments).where(needs_assessments.c.id == new_id)).one()
        return _to_record(ctx, row)


def insert_assessment(
    ctx: Context,
    conn: Connection,
    actor: Actor,
    client_id: int,
    assessment: NeedsAssessment,
    day: date,
    now: datetime,
) -> int:
    """Store a checked assessment in the caller's transaction (a plan review repeats it); audited."""
    text = json.dumps(assessment_to_dict(assessment), ensure_ascii=False, sort_keys=True)
    new_id = int(
        conn.execute(
            insert(needs_assessments)
            .values(
                client_id=client_id,
                assessed_on=day,
                data_enc=ctx.keys.encrypt(text, context=DATA_CONTEXT),
                created_by=audit.actor_label(actor),
                created_at=now,
            )
            .returning(needs_assessments.c.id)
        ).scalar_one()
    )
    audit.record(conn, actor, "create", "needs-assessment", new_id, client_id)
    return new_id


def history_in(ctx: Context, conn: Connection, client_id: int) -> list[NeedsRecord]:
    """Every assessment of the client, newest first, read in the caller's transaction (not audited)."""
    return [_to_record(ctx, row) for row in conn.execute(_newest_first(conn, client_id)).all()]


def _newest_first(conn: Connection, client_id: int) -> Any:
    return (
        select(needs_assessments)
        .where(needs_assessments.c.client_id == client_id)
        .order_by(needs_assessments.c.assessed_on.desc(), needs_assessments.c.id.desc())
    )


def history(ctx: Context, actor: Actor, client_id: int) -> list[NeedsRecord]:
    """Every assessment of the client, newest first; the view is audited."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        rows = conn.execute(_newest_first(conn, client_id)).all()
        audit.record(conn, actor, "view", "needs-assessments", None, client_id)
        return [_to_record(ctx, row) for row in rows]


def latest(ctx: Context, actor: Actor, client_id: int) -> NeedsRecord | None:
    """The newest assessment (by ``assessed_on``, then entry), or None; the view is audited."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        row = conn.execute(_newest_first(conn, client_id).limit(1)).first()
        audit.record(conn, actor, "view", "needs-assessments", None, client_id)
        return None if row is None else _to_record(ctx, row)


def overview(
    ctx: Context, actor: Actor, client_id: int, text: str = "", *, limit: int = 5
) -> tuple[list[NeedsRecord], Suggestion]:
    """Every assessment (newest first) and the templates for ``text`` ordered by the newest one."""
    found = history(ctx, actor, client_id)
    return found, suggest(text, found[0].assessment if found else None, limit=limit)


def suggestions(ctx: Context, actor: Actor, client_id: int, text: str = "", *, limit: int = 5) -> Suggestion:
    """Goal templates for ``text`` ordered by the client's latest assessment (``core.suggest``).

    With no text, the templates that serve the assessment's most urgent areas and least-met needs.
    """
    newest = latest(ctx, actor, client_id)
    return suggest(text, None if newest is None else newest.assessment, limit=limit)
