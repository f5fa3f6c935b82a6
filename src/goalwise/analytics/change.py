"""Reliable change and clinical significance of one client's change on a standardized measure.

Jacobson & Truax (1991) ask two questions of a pre/post pair: is the change larger than
measurement error (the Reliable Change Index), and did the client move from the clinical into
the functional range (the cut-offs a, b, c)? NHS Talking Therapies (formerly IAPT) applies the
same ideas to the PHQ-9 and GAD-7 with fixed point thresholds. Formulas: CLINICAL.md §1.5, §3.

Thresholds are data (``INSTRUMENT_THRESHOLDS``); every function takes them as parameters so
that settings can override them.

One total for every label: a prorated PHQ-9 (NHS rule, CLINICAL.md §1.6) is banded on its total
rounded half up, so every threshold here (caseness, remission, response, reliable change, the NHS
Talking Therapies pair) reads that same *counted total* (``core.instruments.counted_total``): a
PHQ-9 of 4.5 is counted as 5, banded "mild", and is not a remission.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.instruments.scoring import counted_total

__all__ = [
    "INSTRUMENT_THRESHOLDS",
    "Category",
    "Cutoffs",
    "IaptOutcome",
    "InstrumentThresholds",
    "category",
    "cutoffs",
    "iapt_outcome",
    "phq9_remission",
    "phq9_response",
    "reliable_change",
    "reliable_change_threshold",
]

Category = Literal["recovered", "improved", "unchanged", "deteriorated"]


@dataclass(frozen=True, slots=True)
class InstrumentThresholds:
    """Change thresholds of one instrument; a score at or above ``caseness`` is a "case"."""

    instrument: str
    reliable_change: int
    caseness: int
    max_score: int
    higher_is_better: bool
    source: str


INSTRUMENT_THRESHOLDS: MappingProxyType[str, InstrumentThresholds] = MappingProxyType(
    {
        "PHQ-9": InstrumentThresholds(
            "PHQ-9", reliable_change=6, caseness=10, max_score=27, higher_is_better=False,
            source="NHS Talking Therapies (NHS Digital 2016; PMC8411661 Table 1); CLINICAL.md §3.3",
        ),
        "GAD-7": InstrumentThresholds(
            "GAD-7", reliable_change=4, caseness=8, max_score=21, higher_is_better=False,
            source="NHS Talking Therapies (NHS Digital 2016; PMC8411661 Table 1); CLINICAL.md §3.3",
        ),
    }
)  # fmt: skip


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise InvalidInput(problems)


def _finite(value: float, field: str, label: str) -> list[Problem]:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        return [Problem("change-number", field, f"{label} is not a finite number.", "Give a number.")]
    return []


def _spread_problems(sd: float, reliability: float) -> list[Problem]:
    problems = _finite(sd, "sd", "The standard deviation") + _finite(
        reliability, "reliability", "Reliability"
    )
    if not problems and sd <= 0:
        problems.append(
            Problem(
                "change-sd",
                "sd",
                f"The standard deviation is {sd}; it must be above 0.",
                "Use the SD of the clinical (pre-treatment) or normative sample.",
            )
        )
    if not problems and not 0 <= reliability < 1:
        problems.append(
            Problem(
                "change-reliability",
                "reliability",
                f"Reliability is {reliability}; it runs from 0 up to (not including) 1.",
                "Use the test-retest reliability, e.g. 0.84.",
            )
        )
    return problems


def _s_diff(sd: float, reliability: float) -> float:
    return sd * math.sqrt(2) * math.sqrt(1 - reliability)


def reliable_change(pre: float, post: float, sd: float, reliability: float) -> float:
    """Reliable Change Index RC = (post - pre) / S_diff, S_diff = sd·√2·√(1 - r)
    (Jacobson & Truax 1991; CLINICAL.md §3.1). |RC| > 1.96 is reliable at p < .05.

    RC > 0 means the score went up; for lower-is-better measures improvement is RC < -1.96.
    """
    _raise_if(
        _finite(pre, "pre", "The first score")
        + _finite(post, "post", "The last score")
        + _spread_problems(sd, reliability)
    )
    return (post - pre) / _s_diff(sd, reliability)


def reliable_change_threshold(sd: float, reliability: float, z: float = 1.96) -> float:
    """Smallest raw change that is reliable: z·S_diff (Jacobson & Truax 1991; CLINICAL.md §3.1).

    On a whole-point scale round it up: 1.96·2.828427 = 5.54 means 6 PHQ-9 points.
    """
    _raise_if(_spread_problems(sd, reliability))
    return z * _s_diff(sd, reliability)


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """Jacobson & Truax clinical-significance cut-offs (CLINICAL.md §3.1).

    ``a``: 2 SD beyond the clinical mean, toward health; ``b``: 2 SD inside the normal mean;
    ``c``: the SD-weighted midpoint between the two means.
    """

    a: float
    b: float
    c: float


def cutoffs(
    clinical_mean: float, clinical_sd: float, normal_mean: float, normal_sd: float, higher_is_better: bool
) -> Cutoffs:
    """Cut-offs a = M₁ ± 2s₁, b = M₀ ∓ 2s₀, c = (s₀M₁ + s₁M₀)/(s₀ + s₁) (Jacobson & Truax 1991;
    CLINICAL.md §3.1). The sign is + for a (and - for b) when higher is better.
    """
    problems: list[Problem] = []
    for value, field in ((clinical_mean, "clinical_mean"), (normal_mean, "normal_mean")):
        problems += _finite(value, field, field.replace("_", " ").capitalize())
    for value, field in ((clinical_sd, "clinical_sd"), (normal_sd, "normal_sd")):
        found = _finite(value, field, field.replace("_", " ").capitalize())
        if not found and value <= 0:
            found = [
                Problem(
                    "change-sd",
                    field,
                    f"{field} is {value}; a standard deviation must be above 0.",
                    "Use the SD of the published sample.",
                )
            ]
        problems += found
    _raise_if(problems)
    toward_health = 1 if higher_is_better else -1
    return Cutoffs(
        a=float(clinical_mean + toward_health * 2 * clinical_sd),
        b=float(normal_mean - toward_health * 2 * normal_sd),
        c=float((normal_sd * clinical_mean + clinical_sd * normal_mean) / (normal_sd + clinical_sd)),
    )


def category(
    pre: float,
    post: float,
    *,
    cutoff: float,
    higher_is_better: bool,
    reliable_points: float | None = None,
    sd: float | None = None,
    reliability: float | None = None,
    z: float = 1.96,
) -> Category:
    """Jacobson & Truax (1991) outcome category (CLINICAL.md §3.1).

    Reliable change is judged either by points (``reliable_points``: a change of at least that
    many points toward health or away from it, the NHS Talking Therapies convention) or by the
    RC index (``sd`` and ``reliability``: |RC| > z). Give one of the two.

    "recovered" = crossed the cut-off (clinical range before, functional range after) and
    reliable improvement; "improved" = reliable improvement only; "deteriorated" = reliable
    worsening; otherwise "unchanged". A score exactly at the cut-off counts as clinical, as
    NHS caseness does (PHQ-9 ≥ 10 is a case).
    """
    problems = _finite(pre, "pre", "The first score") + _finite(post, "post", "The last score")
    problems += _finite(cutoff, "cutoff", "The cut-off")
    by_points = reliable_points is not None
    if by_points == (sd is not None or reliability is not None):
        problems.append(
            Problem(
                "change-rule",
                "reliable_points",
                "Give either reliable_points or sd and reliability.",
                "Use reliable_points=6 for the PHQ-9, or sd and reliability for the RC index.",
            )
        )
    elif reliable_points is not None:
        problems += _finite(reliable_points, "reliable_points", "reliable_points")
        if not problems and reliable_points <= 0:
            problems.append(
                Problem(
                    "change-points",
                    "reliable_points",
                    f"reliable_points is {reliable_points}; it must be above 0.",
                    "Use the instrument's reliable change, e.g. 6 for the PHQ-9.",
                )
            )
    elif sd is None or reliability is None:
        problems.append(
            Problem(
                "change-rule",
                "reliability" if sd is not None else "sd",
                "The RC index needs both sd and reliability.",
                "Give both, or reliable_points.",
            )
        )
    else:
        problems += _spread_problems(sd, reliability)
    _raise_if(problems)

    toward_health = post - pre if higher_is_better else pre - post
    if reliable_points is not None:
        improved, worsened = toward_health >= reliable_points, -toward_health >= reliable_points
    else:
        assert sd is not None and reliability is not None  # checked above
        index = toward_health / _s_diff(sd, reliability)
        improved, worsened = index > z, -index > z
    if worsened:
        return "deteriorated"
    if not improved:
        return "unchanged"
    return (
        "recovered"
        if _clinical(pre, cutoff, higher_is_better) and not _clinical(post, cutoff, higher_is_better)
        else "improved"
    )


def _clinical(score: float, cutoff: float, higher_is_better: bool) -> bool:
    return score <= cutoff if higher_is_better else score >= cutoff


def _score_problems(score: float, field: str, label: str, maximum: int) -> list[Problem]:
    problems = _finite(score, field, label)
    if not problems and not 0 <= score <= maximum:
        problems.append(
            Problem(
                "change-score-range",
                field,
                f"{label} is {score}; totals run from 0 to {maximum}.",
                "Check the score that was entered.",
            )
        )
    return problems


def phq9_response(baseline: float, followup: float) -> bool | None:
    """PHQ-9 response: a fall of at least 50% from a baseline of 10 or more (NQF 1884/1885;
    CLINICAL.md §1.5): (baseline - followup)/baseline ≥ 0.5. None when the baseline is below 10
    (not eligible for the measure). Prorated totals are read as counted (rounded half up).
    """
    _raise_if(
        _score_problems(baseline, "baseline", "The baseline PHQ-9", 27)
        + _score_problems(followup, "followup", "The follow-up PHQ-9", 27)
    )
    baseline, followup = counted_total(baseline), counted_total(followup)
    if baseline < 10:
        return None
    return 2 * (baseline - followup) >= baseline  # the 50% rule without a division


def phq9_remission(score: float) -> bool:
    """PHQ-9 remission: a score below 5 (CMS159 / NQF 0710; CLINICAL.md §1.5), read on the
    counted total: a prorated 4.5 counts as 5 (banded "mild"), so it is not a remission.
    """
    _raise_if(_score_problems(score, "score", "The PHQ-9 score", 27))
    return counted_total(score) < 5


@dataclass(frozen=True, slots=True)
class IaptOutcome:
    """NHS Talking Therapies outcome of a PHQ-9 + GAD-7 pre/post pair (CLINICAL.md §3.3).

    ``recovery`` and ``reliable_recovery`` are None when neither measure was at caseness at the
    first assessment: such a client is outside the recovery denominator.
    """

    phq9_change: float
    gad7_change: float
    reliable_improvement: bool
    reliable_deterioration: bool
    caseness_at_start: bool
    recovery: bool | None
    reliable_recovery: bool | None


def iapt_outcome(
    phq9_pre: float,
    phq9_post: float,
    gad7_pre: float,
    gad7_post: float,
    *,
    phq9_reliable: float = INSTRUMENT_THRESHOLDS["PHQ-9"].reliable_change,
    gad7_reliable: float = INSTRUMENT_THRESHOLDS["GAD-7"].reliable_change,
    phq9_caseness: float = INSTRUMENT_THRESHOLDS["PHQ-9"].caseness,
    gad7_caseness: float = INSTRUMENT_THRESHOLDS["GAD-7"].caseness,
) -> IaptOutcome:
    """Reliable improvement, deterioration and recovery of a PHQ-9 + GAD-7 pair.

    Rules as CLINICAL.md §3.3 gives them (secondary sources; the exact wording is unverified
    against the current NHS Talking Therapies Manual):

    * reliable improvement: "at least one measure improves reliably and neither deteriorates
      reliably" (PHQ-9 decrease ≥ 6, GAD-7 decrease ≥ 4; NHS Digital 2016);
    * reliable deterioration mirrors this: "a reliable increase on either measure and no
      reliable improvement on the other";
    * recovery: "at caseness on at least one measure at the first assessment, and below
      caseness on both at the last" (PHQ-9 ≥ 10, GAD-7 ≥ 8);
    * reliable recovery = recovery AND reliable improvement (Gyani, Shafran, Layard & Clark
      2013; Clark et al. 2018).

    Changes are post - pre, so a negative change is an improvement. Every score is read as its
    counted total (a prorated total rounded half up, as its band reads it).
    """
    problems = _score_problems(phq9_pre, "phq9_pre", "The first PHQ-9", 27)
    problems += _score_problems(phq9_post, "phq9_post", "The last PHQ-9", 27)
    problems += _score_problems(gad7_pre, "gad7_pre", "The first GAD-7", 21)
    problems += _score_problems(gad7_post, "gad7_post", "The last GAD-7", 21)
    for value, field in (
        (phq9_reliable, "phq9_reliable"),
        (gad7_reliable, "gad7_reliable"),
        (phq9_caseness, "phq9_caseness"),
        (gad7_caseness, "gad7_caseness"),
    ):
        found = _finite(value, field, field)
        if not found and value <= 0:
            found = [
                Problem(
                    "change-threshold",
                    field,
                    f"{field} is {value}; it must be above 0.",
                    "Leave it at the NHS Talking Therapies default or give a positive number.",
                )
            ]
        problems += found
    _raise_if(problems)

    phq9_pre, phq9_post = counted_total(phq9_pre), counted_total(phq9_post)
    gad7_pre, gad7_post = counted_total(gad7_pre), counted_total(gad7_post)
    phq9_change, gad7_change = phq9_post - phq9_pre, gad7_post - gad7_pre
    improves = (-phq9_change >= phq9_reliable, -gad7_change >= gad7_reliable)
    worsens = (phq9_change >= phq9_reliable, gad7_change >= gad7_reliable)
    reliable_improvement = any(improves) and not any(worsens)
    reliable_deterioration = any(worsens) and not any(improves)
    caseness_at_start = phq9_pre >= phq9_caseness or gad7_pre >= gad7_caseness
    recovery: bool | None = None
    reliable_recovery: bool | None = None
    if caseness_at_start:
        recovery = phq9_post < phq9_caseness and gad7_post < gad7_caseness
        reliable_recovery = recovery and reliable_improvement
    return IaptOutcome(
        phq9_change,
        gad7_change,
        reliable_improvement,
        reliable_deterioration,
        caseness_at_start,
        recovery,
        reliable_recovery,
    )
