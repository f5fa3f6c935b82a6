"""Storing PHQ-9 and GAD-7 answers read from a FHIR file: all or nothing, and only once.

Atomic: every questionnaire is scored and checked first, and all are stored in one transaction, so
a file with one bad questionnaire stores nothing and names every problem. Idempotent: an
administration already stored (same instrument, same instant, same answers) is skipped, so
importing the same file twice adds nothing the second time. Each stored one is scored by the
instrument's own rules and raises the same risk alerts as a questionnaire taken in Goalwise
(PHQ-9 item 9 above 0: DESIGN.md "Safety").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.instruments import Score
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.assessments import store_scored
from goalwise.services.measurement.record_store import client_timezone, future_problem
from goalwise.storage.tables import assessments

__all__ = ["FhirImportSummary", "Questionnaire", "import_questionnaires"]


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """One administration to store: instrument code, answers in item order, when, and where in the file."""

    instrument: str
    answers: tuple[int | None, ...]
    at: datetime
    where: str


@dataclass(frozen=True, slots=True)
class FhirImportSummary:
    """What an import stored (or, with ``dry_run``, would store)."""

    imported: int
    skipped: int
    dry_run: bool
    by_instrument: dict[str, int]


def _scored(found: Sequence[Questionnaire]) -> tuple[list[tuple[Questionnaire, Score]], list[Problem]]:
    scored, problems = [], []
    for q in found:
        try:
            scored.append((q, instruments.score(q.instrument, q.answers)))
        except InvalidInput as exc:
            problems += [Problem(p.code, f"{q.where}: {p.field}", p.message, p.hint) for p in exc.problems]
    return scored, problems


def import_questionnaires(
    ctx: Context, actor: Actor, client_id: int, found: Sequence[Questionnaire], *, dry_run: bool = False
) -> FhirImportSummary:
    """Store ``found`` for the client (see the module docstring); ``InvalidInput`` names every problem
    and stores nothing."""
    scored, problems = _scored(found)
    now = datetime.now(UTC)
    problems += [
        Problem(p.code, f"{q.where}: {p.field}", p.message, p.hint)
        for q in found
        if (p := future_problem(q.at.astimezone(UTC), now)) is not None
    ]
    if problems:
        raise InvalidInput(problems)
    counts: dict[str, int] = {}
    skipped = 0
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        timezone = client_timezone(conn, client_id)
        stored = {
            (r.instrument, r.at.replace(tzinfo=UTC) if r.at.tzinfo is None else r.at, tuple(r.answers))
            for r in conn.execute(
                select(assessments.c.instrument, assessments.c.at, assessments.c.answers).where(
                    assessments.c.client_id == client_id
                )
            )
        }
        for q, result in scored:
            key = (q.instrument, q.at.astimezone(UTC), q.answers)
            if key in stored:
                skipped += 1
                continue
            stored.add(key)
            counts[q.instrument] = counts.get(q.instrument, 0) + 1
            if not dry_run:
                instrument = instruments.get(q.instrument)
                store_scored(conn, actor, client_id, instrument, q.answers, result, key[1], timezone, now)
        if not dry_run:
            audit.record(conn, actor, "import", "fhir", sum(counts.values()), client_id)
    return FhirImportSummary(sum(counts.values()), skipped, dry_run, counts)
