"""Outcomes as the measures define them: windowed PHQ-9 response and remission, and the NHS pair.

**Response and remission at 6 and 12 months** (CLINICAL.md §1.5). The index is the first PHQ-9
of 10 or more (counted total, ``core.instruments.counted_total``). The follow-up score is the
latest PHQ-9 within ``window_days`` either side of the index date plus 6 or 12 months.

* Remission at 12 months: CMS159 / NQF 0710 "Depression Remission at Twelve Months" (MN Community
  Measurement), **v8 and later**: the window is ±60 days (it was ±30 days in v4-v6); numerator
  PHQ-9 below 5. The same rule at 6 months is the 6-month remission of the same measure family.
* Response at 6 and 12 months: NQF 1884 (6 months) and NQF 1885 (12 months), "Depression
  Response ... Progress Towards Remission": a fall of 50% or more from the index. CLINICAL.md does
  not give their window; Goalwise applies the CMS159v8 ±60 days to them too (``WINDOW_DAYS``).

Each is ``None`` when there is no index score or no score in the window (not yet due, or missed).
The first-versus-latest figures elsewhere are the outcome *so far*, at any interval.

**NHS Talking Therapies pair** (CLINICAL.md §3.3): a PHQ-9 and a GAD-7 form a pair when they were
given in the same therapy session (same session number) or, without session numbers, on the same
day. The outcome compares the first pair with the last and needs at least two paired
assessments ("finished a course of treatment = at least two attended treatment sessions with
paired scores", PHE Fingertips glossary). Each measure's own Jacobson & Truax category (CLINICAL.md
§3.1, by the NHS reliable-change points and caseness cut-off) is given next to the single label, so
that a recovery with a reliable GAD-7 deterioration shows as such.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from goalwise.analytics.change import (
    INSTRUMENT_THRESHOLDS,
    Category,
    IaptOutcome,
    category,
    iapt_outcome,
    phq9_remission,
    phq9_response,
)
from goalwise.core.instruments.scoring import counted_total

__all__ = [
    "INDEX_MIN",
    "MEASURE_MONTHS",
    "WINDOW_DAYS",
    "PairOutcome",
    "Scored",
    "WindowOutcome",
    "nhs_pair_outcome",
    "phq9_window_outcomes",
]

#: CMS159v8+ window either side of the 6- or 12-month date (CLINICAL.md §1.5).
WINDOW_DAYS = 60
MEASURE_MONTHS = (6, 12)
#: Index: an initial PHQ-9 above 9 (CMS159, NQF 1884/1885).
INDEX_MIN = 10


@dataclass(frozen=True, slots=True)
class Scored:
    """One questionnaire total on a day, with its therapy session number when known."""

    on: date
    total: float
    session_no: int | None = None


@dataclass(frozen=True, slots=True)
class WindowOutcome:
    """Response and remission at ``months`` after the index (None when no score is in the window)."""

    months: int
    index_on: date
    index_total: float
    window_from: date
    window_to: date
    score_on: date | None
    score: float | None
    response: bool | None
    remission: bool | None
    source: str


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def phq9_window_outcomes(
    scores: Sequence[Scored], *, window_days: int = WINDOW_DAYS, months: Sequence[int] = MEASURE_MONTHS
) -> list[WindowOutcome]:
    """Measure-defined PHQ-9 response and remission at each of ``months`` (rules in the module
    docstring: CMS159v8+ / NQF 0710 remission, NQF 1884/1885 response, ±``window_days``).

    ``scores`` are the client's PHQ-9 totals in time order. Empty when no score reaches the index.
    """
    ordered = sorted(scores, key=lambda s: s.on)
    index = next((s for s in ordered if counted_total(s.total) >= INDEX_MIN), None)
    if index is None:
        return []
    found: list[WindowOutcome] = []
    for month in months:
        centre = _add_months(index.on, month)
        low, high = centre - timedelta(days=window_days), centre + timedelta(days=window_days)
        inside = [s for s in ordered if low <= s.on <= high and s.on > index.on]
        last = inside[-1] if inside else None
        found.append(
            WindowOutcome(
                month,
                index.on,
                index.total,
                low,
                high,
                None if last is None else last.on,
                None if last is None else last.total,
                None if last is None else phq9_response(index.total, last.total),
                None if last is None else phq9_remission(last.total),
                f"NQF {1884 if month == 6 else 1885} response; CMS159v8 (NQF 0710) remission, "
                f"±{window_days} days",
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class PairOutcome:
    """The NHS Talking Therapies outcome of the first and last PHQ-9 + GAD-7 pairs.

    ``label`` is the single NHS label; ``phq9_category`` and ``gad7_category`` each measure's own
    Jacobson & Truax category, shown next to it.
    """

    pairs: int
    first: tuple[Scored, Scored]
    last: tuple[Scored, Scored]
    outcome: IaptOutcome
    label: str
    phq9_category: Category
    gad7_category: Category


def _pair_key(s: Scored) -> tuple[str, object]:
    return ("session", s.session_no) if s.session_no is not None else ("day", s.on)


def _pairs(phq9: Sequence[Scored], gad7: Sequence[Scored]) -> list[tuple[Scored, Scored]]:
    """PHQ-9 and GAD-7 of the same session (or, without session numbers, the same day), in time order;
    the last score of a measure in a session or day counts."""
    by_key_phq = {_pair_key(s): s for s in sorted(phq9, key=lambda s: s.on)}
    by_key_gad = {_pair_key(s): s for s in sorted(gad7, key=lambda s: s.on)}
    pairs = [(p, by_key_gad[key]) for key, p in by_key_phq.items() if key in by_key_gad]
    return sorted(pairs, key=lambda pair: (pair[0].on, pair[1].on))


def _label(outcome: IaptOutcome) -> str:
    if outcome.reliable_recovery:
        return "reliable recovery"
    if outcome.recovery:
        return "recovery"
    if outcome.reliable_improvement:
        return "reliable improvement"
    if outcome.reliable_deterioration:
        return "reliable deterioration"
    return "no reliable change"


def nhs_pair_outcome(
    phq9: Sequence[Scored],
    gad7: Sequence[Scored],
    *,
    phq9_reliable: float = INSTRUMENT_THRESHOLDS["PHQ-9"].reliable_change,
    gad7_reliable: float = INSTRUMENT_THRESHOLDS["GAD-7"].reliable_change,
    phq9_caseness: float = INSTRUMENT_THRESHOLDS["PHQ-9"].caseness,
    gad7_caseness: float = INSTRUMENT_THRESHOLDS["GAD-7"].caseness,
) -> PairOutcome | None:
    """First against last PHQ-9 + GAD-7 pair by the NHS Talking Therapies rules (module docstring;
    :func:`goalwise.analytics.change.iapt_outcome`); None with fewer than two paired assessments.
    """
    pairs = _pairs(phq9, gad7)
    if len(pairs) < 2:
        return None
    (p0, g0), (p1, g1) = pairs[0], pairs[-1]
    outcome = iapt_outcome(
        p0.total,
        p1.total,
        g0.total,
        g1.total,
        phq9_reliable=phq9_reliable,
        gad7_reliable=gad7_reliable,
        phq9_caseness=phq9_caseness,
        gad7_caseness=gad7_caseness,
    )

    def own(pre: float, post: float, reliable: float, caseness: float) -> Category:
        return category(
            counted_total(pre),
            counted_total(post),
            cutoff=caseness,
            higher_is_better=False,
            reliable_points=reliable,
        )

    return PairOutcome(
        len(pairs),
        pairs[0],
        pairs[-1],
        outcome,
        _label(outcome),
        own(p0.total, p1.total, phq9_reliable, phq9_caseness),
        own(g0.total, g1.total, gad7_reliable, gad7_caseness),
    )
