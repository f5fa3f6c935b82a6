"""Scoring an instrument: total, proration, band, risk flags and the PHQ-9 syndrome algorithm.

The code walks the instrument's tables (``model.py``); it knows no instrument by name.

* Total: the sum of the scored items (CLINICAL.md §1.2, §2.1-§2.4).
* Proration, only where the instrument has a published rule (PHQ-9, NHS Data Dictionary,
  CLINICAL.md §1.6): Σ answered × n_items / n_answered, kept unrounded.
* Banding uses the total rounded half up (a project decision, CLINICAL.md §1.6): 4.5 bands
  as 5, where Python's ``round`` would give 4. This *counted total* is the one every threshold
  reads (band, caseness, remission, response, reliable change, the NHS Talking Therapies pair),
  so no two labels of one score disagree; displays say so: "4.5, prorated; counted as 5".
* Risk items are read from the answers as given, never imputed (CLINICAL.md §1.3).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from goalwise.core.errors import InvalidInput, Problem
from goalwise.core.instruments.model import Instrument, SyndromeRule
from goalwise.core.instruments.validation import check_answers

__all__ = ["Score", "counted_total", "round_half_up", "score_instrument", "syndrome_label", "total_text"]


@dataclass(frozen=True, slots=True)
class Score:
    """The scored result of one administration of an instrument.

    ``total`` is an ``int``, or a ``float`` when prorated (e.g. 10.125); ``rounded_total`` is the
    total rounded half up, the value that is banded. ``severity`` is the band label of the
    ``banding`` scheme and ``severity_code`` its LOINC answer code where one exists. ``flags``
    holds risk flags (``item9_positive``, ``suicide_item_positive``) and prompts
    (``item9_missing``); ``risk`` is true when a risk flag is raised. ``syndrome`` is the PHQ-9
    algorithm's suggestion, ``None`` elsewhere or when an item is missing. ``items`` are the
    scored answers (``None`` for blanks); ``difficulty`` the unscored PHQ-9 item 10.
    ``percentage`` is the WHO-5 percentage score (raw × 4), ``None`` elsewhere.
    """

    code: str
    total: int | float
    rounded_total: int
    severity: str
    severity_code: str | None
    banding: str
    flags: tuple[str, ...]
    risk: bool
    syndrome: str | None
    prorated: bool
    answered: int
    missing_items: tuple[int, ...]
    items: tuple[int | None, ...]
    difficulty: int | None = None
    percentage: int | float | None = None

    @property
    def counted_total(self) -> int:
        """The total every threshold reads: the prorated total rounded half up (CLINICAL.md §1.6)."""
        return self.rounded_total

    @property
    def total_text(self) -> str:
        """The total as shown to people: "4.5, prorated; counted as 5" or "12"."""
        return total_text(self.total, self.prorated)


def round_half_up(value: Fraction | int | float) -> int:
    """Round to the nearest whole number, halves upwards: 4.5 → 5, 10.5 → 11, 4.49 → 4.

    The NHS proration rule does not say how to round (CLINICAL.md §1.6); Goalwise rounds half up,
    not to even as Python's ``round`` does. Floats are converted exactly (``Fraction(float)``),
    so no decimal noise moves a value across a half.
    """
    return math.floor(Fraction(value) + Fraction(1, 2))


def counted_total(total: Fraction | int | float) -> int:
    """The total that bands and every cut-off read: a prorated total rounded half up (CLINICAL.md
    §1.6; the NHS rule gives no rounding, Goalwise rounds half up). Whole totals are unchanged.
    """
    return round_half_up(total)


def total_text(total: float, prorated: bool) -> str:
    """A total for display: "4.5, prorated; counted as 5" when prorated, else "12".

    Says both numbers so that a reader sees why a 4.5 is banded "mild" and is not a remission.
    """
    shown = f"{float(total):g}"
    if not prorated:
        return shown
    return f"{shown}, prorated; counted as {counted_total(total)}"


def syndrome_label(rule: SyndromeRule, items: Sequence[int]) -> str | None:
    """Apply a symptom-count rule to complete answers (Kroenke & Spitzer 2002; CLINICAL.md §1.4).

    A symptom is present when its item reaches ``rule.present_at``; with at least one core
    symptom present, ``major_min`` or more symptoms suggest the major syndrome and
    ``other_min``..``other_max`` the other syndrome (CamCOPS ``phq9.py`` implements the same).
    """
    if len(items) != len(rule.present_at):
        raise ValueError(f"the syndrome rule needs {len(rule.present_at)} answers, got {len(items)}")
    present = [answer >= threshold for answer, threshold in zip(items, rule.present_at, strict=True)]
    n_core = sum(present[number - 1] for number in rule.core_items)
    n_present = sum(present)
    if n_core == 0:
        return None
    if n_present >= rule.major_min:
        return rule.major_label
    if rule.other_min <= n_present <= rule.other_max:
        return rule.other_label
    return None


def score_instrument(instrument: Instrument, answers: object, *, banding: str | None = None) -> Score:
    """Score ``answers`` (item order, ``None`` for blanks) on ``instrument``.

    Raises :class:`InvalidInput` listing every problem: a wrong number of answers, an answer
    off its item's range or not a whole number, too many blanks, or an unknown ``banding``.
    Sources: see the module docstring and each instrument's ``references``.
    """
    checked = check_answers(instrument, answers)
    problems = list(checked.problems)
    problems.extend(_banding_problems(instrument, banding))
    if problems:
        raise InvalidInput(problems)

    items = checked.items
    answered = [value for value in items if value is not None]
    missing = tuple(number for number, value in enumerate(items, start=1) if value is None)
    exact = Fraction(sum(answered))
    if missing:
        # The NHS rule: substitute each blank with the mean of the answered items (§1.6).
        exact = exact * len(items) / len(answered)
    total: int | float = float(exact) if missing else int(exact)
    rounded = round_half_up(exact)
    scheme = instrument.scheme(banding)
    band = scheme.band_for(rounded)
    flags, risk = _flags(instrument, items)
    syndrome = None
    if instrument.syndrome is not None and not missing:
        syndrome = syndrome_label(instrument.syndrome, answered)
    percentage = None if instrument.percentage_factor is None else total * instrument.percentage_factor
    return Score(
        code=instrument.code,
        total=total,
        rounded_total=rounded,
        severity=band.label,
        severity_code=band.loinc,
        banding=scheme.name,
        flags=flags,
        risk=risk,
        syndrome=syndrome,
        prorated=bool(missing),
        answered=len(answered),
        missing_items=missing,
        items=items,
        difficulty=checked.extra,
        percentage=percentage,
    )


def _banding_problems(instrument: Instrument, banding: str | None) -> list[Problem]:
    if banding is None:
        return []
    names = [scheme.name for scheme in instrument.band_schemes]
    if banding in names:
        return []
    return [
        Problem(
            code="unknown_banding",
            field="banding",
            message=f"{instrument.abbreviation} has no band scheme {banding!r:.40}; "
            f"choose one of: {', '.join(names)}.",
            hint=f"Leave banding empty for the default scheme ({names[0]}).",
        )
    ]


def _flags(instrument: Instrument, items: Sequence[int | None]) -> tuple[tuple[str, ...], bool]:
    """Risk flags from the answers as given; a blank risk item raises its ``missing_flag``."""
    flags: list[str] = []
    risk = False
    for rule in instrument.risk_items:
        value = items[rule.item - 1]
        if value is None:
            if rule.missing_flag is not None:
                flags.append(rule.missing_flag)
        elif value >= rule.threshold:
            flags.append(rule.flag)
            risk = True
    return tuple(flags), risk
