"""A client's outcome on the standard questionnaires: first against latest score.

PHQ-9 response (a fall of 50% or more from a first score of 10 or more) and remission (below 5)
follow NQF 1884/1885 and CMS159 (CLINICAL.md §1.5); the PHQ-9 + GAD-7 pair follows the NHS
Talking Therapies rules (CLINICAL.md §3.3) with the reliable-change and caseness points from
the settings (``GOALWISE_PHQ9_RELIABLE_CHANGE`` and friends).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from goalwise.analytics.change import IaptOutcome, iapt_outcome, phq9_remission, phq9_response
from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.storage.tables import assessments

__all__ = ["InstrumentOutcome", "Outcomes", "client_outcomes"]


@dataclass(frozen=True, slots=True)
class InstrumentOutcome:
    """First and latest score of one instrument, and the change between them."""

    instrument: str
    first_on: date
    first: float
    latest_on: date
    latest: float
    change: float
    reliable_change_points: int
    reliable_improvement: bool
    reliable_deterioration: bool
    at_caseness_first: bool
    at_caseness_latest: bool


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Outcomes on PHQ-9 and GAD-7 (each None until there are two scores)."""

    phq9: InstrumentOutcome | None
    gad7: InstrumentOutcome | None
    phq9_response: bool | None
    phq9_remission: bool | None
    pair: IaptOutcome | None


def _outcome(
    rows: list[tuple[date, float]], code: str, reliable: int, caseness: int
) -> InstrumentOutcome | None:
    if len(rows) < 2:
        return None
    (first_on, first), (latest_on, latest) = rows[0], rows[-1]
    change = latest - first
    return InstrumentOutcome(
        code,
        first_on,
        first,
        latest_on,
        latest,
        change,
        reliable,
        change <= -reliable,
        change >= reliable,
        first >= caseness,
        latest >= caseness,
    )


def client_outcomes(ctx: Context, actor: Actor, client_id: int) -> Outcomes:
    """Outcomes from the first and the latest PHQ-9 and GAD-7 of the client (lower scores are better)."""
    settings = ctx.settings
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        rows = conn.execute(
            select(assessments.c.instrument, assessments.c.local_on, assessments.c.total)
            .where(assessments.c.client_id == client_id, assessments.c.instrument.in_(("phq9", "gad7")))
            .order_by(assessments.c.at)
        ).all()
        audit.record(conn, actor, "view", "outcomes", None, client_id)
    phq = [(r.local_on, float(r.total)) for r in rows if r.instrument == "phq9"]
    gad = [(r.local_on, float(r.total)) for r in rows if r.instrument == "gad7"]
    phq9 = _outcome(phq, "phq9", settings.phq9_reliable_change, settings.phq9_caseness)
    gad7 = _outcome(gad, "gad7", settings.gad7_reliable_change, settings.gad7_caseness)
    pair = None
    if phq9 is not None and gad7 is not None:
        pair = iapt_outcome(
            phq9.first,
            phq9.latest,
            gad7.first,
            gad7.latest,
            phq9_reliable=settings.phq9_reliable_change,
            gad7_reliable=settings.gad7_reliable_change,
            phq9_caseness=settings.phq9_caseness,
            gad7_caseness=settings.gad7_caseness,
        )
    return Outcomes(
        phq9,
        gad7,
        phq9_response(phq9.first, phq9.latest) if phq9 else None,
        # CMS159: remission is measured in those who started at 10 or more, like response.
        phq9_remission(phq9.latest) if phq9 and phq9.first >= 10 else None,
        pair,
    )
