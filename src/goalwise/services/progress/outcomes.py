"""A client's outcome on the standard questionnaires: so far, and as the measures define them.

* **So far**: first against latest score of each instrument, at any interval: the change, reliable
  improvement or deterioration and caseness (NHS Talking Therapies points from the settings,
  ``GOALWISE_PHQ9_RELIABLE_CHANGE`` and friends), PHQ-9 response (a fall of 50% or more from a
  first score of 10 or more) and remission (below 5) (CLINICAL.md §1.5, §3.3).
* **As the measures define them**: PHQ-9 response and remission at 6 and 12 months after an index
  score of 10 or more, within ±60 days (CMS159v8+ / NQF 0710; NQF 1884/1885), each None while the
  window holds no score (``analytics.outcome``).
* **NHS Talking Therapies pair**: PHQ-9 and GAD-7 of the same session or day, first against last
  pair, with at least two paired assessments; each measure's own category beside the label.

Every threshold reads the counted total (a prorated total rounded half up, as its band does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from goalwise.analytics.change import IaptOutcome, phq9_remission, phq9_response
from goalwise.analytics.outcome import (
    PairOutcome,
    Scored,
    WindowOutcome,
    nhs_pair_outcome,
    phq9_window_outcomes,
)
from goalwise.core.accounts.actor import Actor
from goalwise.core.instruments import counted_total, total_text
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.storage.tables import assessments

__all__ = ["InstrumentOutcome", "Outcomes", "client_outcomes"]


@dataclass(frozen=True, slots=True)
class InstrumentOutcome:
    """First and latest score of one instrument, and the change between them (so far).

    ``first`` and ``latest`` are the totals as scored (a prorated total keeps its fraction); the
    change and every threshold use the counted totals (``first_counted``, ``latest_counted``);
    ``first_text`` and ``latest_text`` show both ("4.5, prorated; counted as 5").
    """

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
    first_counted: int = 0
    latest_counted: int = 0
    first_text: str = ""
    latest_text: str = ""


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Outcomes on PHQ-9 and GAD-7.

    ``phq9``, ``gad7``, ``phq9_response`` and ``phq9_remission`` are the outcome so far (first
    against latest; None until there are two scores). ``phq9_windows`` holds the measure-defined
    response and remission at 6 and 12 months (empty without an index score of 10 or more).
    ``pair`` is the NHS Talking Therapies outcome of the first and last paired PHQ-9 + GAD-7, and
    ``nhs_pair`` the same with the pairs, the single label and each measure's own category.
    """

    phq9: InstrumentOutcome | None
    gad7: InstrumentOutcome | None
    phq9_response: bool | None
    phq9_remission: bool | None
    pair: IaptOutcome | None
    phq9_windows: tuple[WindowOutcome, ...] = ()
    nhs_pair: PairOutcome | None = None


def _outcome(
    rows: list[tuple[Scored, bool]], code: str, reliable: int, caseness: int
) -> InstrumentOutcome | None:
    if len(rows) < 2:
        return None
    (first, first_prorated), (latest, latest_prorated) = rows[0], rows[-1]
    first_n, latest_n = counted_total(first.total), counted_total(latest.total)
    change = latest_n - first_n
    return InstrumentOutcome(
        code,
        first.on,
        first.total,
        latest.on,
        latest.total,
        change,
        reliable,
        change <= -reliable,
        change >= reliable,
        first_n >= caseness,
        latest_n >= caseness,
        first_n,
        latest_n,
        total_text(first.total, first_prorated),
        total_text(latest.total, latest_prorated),
    )


def client_outcomes(ctx: Context, actor: Actor, client_id: int) -> Outcomes:
    """Outcomes of the client's PHQ-9 and GAD-7 (lower scores are better); rules in the module docstring."""
    settings = ctx.settings
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        rows = conn.execute(
            select(
                assessments.c.instrument,
                assessments.c.local_on,
                assessments.c.total,
                assessments.c.prorated,
                assessments.c.session_no,
            )
            .where(assessments.c.client_id == client_id, assessments.c.instrument.in_(("phq9", "gad7")))
            .order_by(assessments.c.at, assessments.c.id)
        ).all()
        audit.record(conn, actor, "view", "outcomes", None, client_id)
    scored = {
        code: [
            (Scored(r.local_on, float(r.total), r.session_no), bool(r.prorated))
            for r in rows
            if r.instrument == code
        ]
        for code in ("phq9", "gad7")
    }
    phq9 = _outcome(scored["phq9"], "phq9", settings.phq9_reliable_change, settings.phq9_caseness)
    gad7 = _outcome(scored["gad7"], "gad7", settings.gad7_reliable_change, settings.gad7_caseness)
    nhs_pair = nhs_pair_outcome(
        [s for s, _ in scored["phq9"]],
        [s for s, _ in scored["gad7"]],
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
        phq9_remission(phq9.latest) if phq9 and phq9.first_counted >= 10 else None,
        None if nhs_pair is None else nhs_pair.outcome,
        tuple(phq9_window_outcomes([s for s, _ in scored["phq9"]])),
        nhs_pair,
    )
