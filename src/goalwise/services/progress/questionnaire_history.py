"""A client's history on one questionnaire: every score, the change since last time and since the
start, and the reliable-change category in plain words (CLINICAL.md §3).

Change and category read the counted totals (a prorated total rounded half up, as its band does).
Reliable change is judged in points: the NHS Talking Therapies values for PHQ-9 and GAD-7 (from the
settings, ``GOALWISE_PHQ9_RELIABLE_CHANGE``...), the instrument's own value otherwise; an instrument
without a published value gets no category, and the page says so. The category is Jacobson & Truax's
(1991) as ``analytics.change.category`` computes it, first score against latest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from goalwise.analytics.change import category
from goalwise.core import instruments
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.core.instruments import counted_total, total_text
from goalwise.services.context import Context
from goalwise.services.measurement import assessments

__all__ = ["QuestionnaireHistory", "ScoreRow", "category_words", "history"]


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One answered questionnaire: the client's local day, the total (and its text) and its band."""

    on: date
    total: float
    total_text: str
    severity: str


@dataclass(frozen=True, slots=True)
class QuestionnaireHistory:
    """Everything the history page shows; ``category`` is None with fewer than two scores or no rule."""

    instrument: instruments.Instrument
    scores: tuple[ScoreRow, ...]
    since_last: int | None
    since_start: int | None
    reliable_points: int | None
    caseness: int | None
    category: str | None
    category_text: str
    change_text: str


def _points(ctx: Context, instrument: instruments.Instrument) -> tuple[int | None, int | None]:
    settings = ctx.settings
    if instrument.code == "phq9":
        return settings.phq9_reliable_change, settings.phq9_caseness
    if instrument.code == "gad7":
        return settings.gad7_reliable_change, settings.gad7_caseness
    return instrument.reliable_change, instrument.caseness


def category_words(found: str | None, points: int | None, name: str, scores: int) -> str:
    """The reliable-change category in plain words for the client."""
    if scores < 2:
        return f"After your next {name}, this page shows how your score has changed."
    if points is None:
        return (
            f"The {name} has no published reliable-change value, so Goalwise does not judge whether a "
            "change is more than day-to-day variation. Talk it through with your therapist."
        )
    return {
        "recovered": f"Since your first {name}, your score has improved by {points} points or more, more "
        "than chance alone explains, and it is now below the level that usually counts as a concern: "
        "reliable recovery.",
        "improved": f"Since your first {name}, your score has improved by {points} points or more, more "
        "than chance alone explains: a reliable improvement.",
        "deteriorated": f"Since your first {name}, your score has become worse by {points} points or more, "
        "more than chance alone explains: a reliable deterioration. It is worth talking about with your "
        "therapist.",
    }.get(
        found or "",
        f"Since your first {name}, the change is smaller than {points} points, so it may be ordinary "
        "ups and downs: no reliable change yet.",
    )


def _change_text(change: int | None, higher_is_better: bool, since: str) -> str:
    if change is None:
        return ""
    if change == 0:
        return f"The same as {since}."
    better = change > 0 if higher_is_better else change < 0
    word = "lower" if change < 0 else "higher"
    plural = "s" if abs(change) != 1 else ""
    return f"{abs(change)} point{plural} {word} than {since} ({'better' if better else 'worse'})."


def history(ctx: Context, actor: Actor, client_id: int, code: str) -> QuestionnaireHistory:
    """The client's scores on ``code`` by time with the changes and category (module docstring).

    ``NotFound`` for an unknown questionnaire or a client the actor may not see. Audited.
    """
    if code not in instruments.codes():
        raise NotFound(
            f"there is no questionnaire {code[:20]!r}; choose one of {', '.join(instruments.codes())}"
        )
    instrument = instruments.get(code)
    stored = assessments.list_assessments(ctx, actor, client_id, code=code)
    rows = tuple(ScoreRow(a.local_on, a.total, total_text(a.total, a.prorated), a.severity) for a in stored)
    counted = [counted_total(r.total) for r in rows]
    points, caseness = _points(ctx, instrument)
    found = None
    if len(counted) >= 2 and points is not None:
        found = category(
            counted[0],
            counted[-1],
            cutoff=float(caseness) if caseness is not None else float("inf"),
            higher_is_better=instrument.higher_is_better,
            reliable_points=points,
        )
    since_last = counted[-1] - counted[-2] if len(counted) >= 2 else None
    since_start = counted[-1] - counted[0] if len(counted) >= 2 else None
    change_text = " ".join(
        t
        for t in (
            _change_text(since_last, instrument.higher_is_better, "last time"),
            _change_text(since_start, instrument.higher_is_better, "your first score")
            if len(counted) > 2
            else "",
        )
        if t
    )
    return QuestionnaireHistory(
        instrument,
        rows,
        since_last,
        since_start,
        points,
        caseness,
        found,
        category_words(found, points, instrument.abbreviation, len(rows)),
        change_text,
    )
