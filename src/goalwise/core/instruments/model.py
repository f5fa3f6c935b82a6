"""Standardized instruments as data: items, answer scales, bands, risk items and rules.

Every questionnaire Goalwise scores is one frozen :class:`Instrument` value built from the
types below. Scoring code (``scoring.py``) walks these tables; documentation and tests read
them. Nothing here computes a score.

The tables are checked when they are built (``__post_init__``): item numbers run 1..n, each
answer scale runs in steps of one, and every band scheme covers the whole total range
without gaps or overlaps. A mistake in the data therefore fails at import, not at a client.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AnswerOption",
    "AnswerScale",
    "Band",
    "BandScheme",
    "Instrument",
    "Item",
    "ProrationRule",
    "RiskItem",
    "SyndromeRule",
]


@dataclass(frozen=True, slots=True)
class AnswerOption:
    """One answer to an item: its score, its text and its LOINC answer code (``LA...``) if known."""

    score: int
    text: str
    loinc: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerScale:
    """The answers an item accepts, in score order, with the LOINC answer list (``LL...``) if known."""

    options: tuple[AnswerOption, ...]
    loinc: str | None = None

    def __post_init__(self) -> None:
        scores = [option.score for option in self.options]
        if not scores or scores != list(range(scores[0], scores[0] + len(scores))):
            raise ValueError(f"answer scale scores must run in steps of one, got {scores}")

    @property
    def min_score(self) -> int:
        """The lowest score on the scale."""
        return self.options[0].score

    @property
    def max_score(self) -> int:
        """The highest score on the scale."""
        return self.options[-1].score

    def option(self, score: int) -> AnswerOption:
        """The answer whose score is ``score``; ``KeyError`` when the scale has none."""
        for candidate in self.options:
            if candidate.score == score:
                return candidate
        raise KeyError(score)


@dataclass(frozen=True, slots=True)
class Item:
    """One item (question) of an instrument, numbered from 1 in administration order."""

    number: int
    text: str
    scale: AnswerScale
    loinc: str | None = None
    short: str = ""

    @property
    def min_score(self) -> int:
        """The lowest score this item accepts."""
        return self.scale.min_score

    @property
    def max_score(self) -> int:
        """The highest score this item accepts."""
        return self.scale.max_score


@dataclass(frozen=True, slots=True)
class Band:
    """A severity band: totals from ``lower`` to ``upper`` inclusive carry ``label``.

    ``loinc`` is the LOINC answer code of the band where one exists (PHQ-9: answer list
    LL382-3, CLINICAL.md §1.1).
    """

    lower: int
    upper: int
    label: str
    loinc: str | None = None

    def contains(self, total: int) -> bool:
        """Whether a (rounded) total falls in this band."""
        return self.lower <= total <= self.upper


@dataclass(frozen=True, slots=True)
class BandScheme:
    """A named set of bands over the whole total range, with the source it comes from."""

    name: str
    bands: tuple[Band, ...]
    source: str

    def band_for(self, total: int) -> Band:
        """The band holding ``total``; ``ValueError`` when it is off the scheme's range."""
        for band in self.bands:
            if band.contains(total):
                return band
        raise ValueError(f"total {total} is outside band scheme {self.name!r}")


@dataclass(frozen=True, slots=True)
class RiskItem:
    """An item whose answer must reach a clinician whatever the total (e.g. PHQ-9 item 9).

    ``flag`` is raised when the item scores ``threshold`` or more. ``missing_flag`` (if set)
    is raised when the item was left unanswered, so that the interface asks it: a risk item is
    never imputed (CLINICAL.md §1.3 and §1.6). ``clinician_alert`` is set on items a clinician
    rates (HAM-D-17 item 3): the text shown when the flag fires then addresses the clinician who
    recorded it, not the patient, who is not the one reading the screen.
    """

    item: int
    threshold: int
    flag: str
    rule: str
    missing_flag: str | None = None
    clinician_alert: str | None = None


@dataclass(frozen=True, slots=True)
class ProrationRule:
    """A published rule for scoring with missing items.

    With up to ``max_missing`` items missing, the total is the sum of the answered items times
    the number of items divided by the number answered; with more missing there is no score.
    """

    max_missing: int
    source: str


@dataclass(frozen=True, slots=True)
class SyndromeRule:
    """A symptom-count algorithm such as the PHQ-9 "major depressive syndrome" (CLINICAL.md §1.4).

    ``present_at[i]`` is the score at which item ``i + 1`` counts as a present symptom.
    ``core_items`` are the item numbers of which at least one must be present. With a core
    symptom, ``major_min`` or more symptoms give ``major_label``; ``other_min`` to
    ``other_max`` give ``other_label``.
    """

    present_at: tuple[int, ...]
    core_items: tuple[int, ...]
    major_min: int
    other_min: int
    other_max: int
    major_label: str
    other_label: str
    source: str


@dataclass(frozen=True, slots=True)
class Instrument:
    """A standardized instrument as data.

    ``band_schemes[0]`` is the default scheme. ``extra_item`` is an answered but unscored
    item that may follow the scored ones (the PHQ-9 difficulty question). Change thresholds
    are in raw total points: ``reliable_change`` is the smallest reliable change,
    ``caseness`` the total at or above which a score counts as a case (for PHQ-2 and GAD-2,
    a positive screen), ``minimal_important_change`` the minimal clinically important change;
    ``None`` where CLINICAL.md gives no value. ``percentage_factor`` turns the raw total into
    a percentage score (WHO-5: × 4).
    """

    code: str
    name: str
    abbreviation: str
    recall_period: str
    stem: str
    items: tuple[Item, ...]
    band_schemes: tuple[BandScheme, ...]
    higher_is_better: bool
    loinc_panel: str | None
    loinc_total: str | None
    licence: str
    scoring_rule: str
    missing_policy: str
    references: tuple[str, ...]
    risk_items: tuple[RiskItem, ...] = ()
    proration: ProrationRule | None = None
    syndrome: SyndromeRule | None = None
    extra_item: Item | None = None
    reliable_change: int | None = None
    caseness: int | None = None
    minimal_important_change: float | None = None
    percentage_factor: int | None = None
    thresholds_note: str = ""
    loinc_note: str = ""
    anchors_note: str = ""

    def __post_init__(self) -> None:
        numbers = [item.number for item in self.items]
        if numbers != list(range(1, len(self.items) + 1)):
            raise ValueError(f"{self.code}: items must be numbered 1..n, got {numbers}")
        if not self.band_schemes:
            raise ValueError(f"{self.code}: at least one band scheme is needed")
        for scheme in self.band_schemes:
            _check_covers(self.code, scheme, self.min_total, self.max_total)
        for risk in self.risk_items:
            if not 1 <= risk.item <= len(self.items):
                raise ValueError(f"{self.code}: risk item {risk.item} is not an item number")
        if self.syndrome is not None and len(self.syndrome.present_at) != len(self.items):
            raise ValueError(f"{self.code}: the syndrome rule needs one threshold per item")

    @property
    def min_total(self) -> int:
        """The lowest possible total: the sum of the item minima."""
        return sum(item.min_score for item in self.items)

    @property
    def max_total(self) -> int:
        """The highest possible total: the sum of the item maxima."""
        return sum(item.max_score for item in self.items)

    @property
    def bands(self) -> tuple[Band, ...]:
        """The bands of the default scheme."""
        return self.band_schemes[0].bands

    @property
    def default_banding(self) -> str:
        """The name of the default band scheme."""
        return self.band_schemes[0].name

    def scheme(self, name: str | None = None) -> BandScheme:
        """The band scheme called ``name`` (the default when ``None``); ``KeyError`` when unknown."""
        if name is None:
            return self.band_schemes[0]
        for scheme in self.band_schemes:
            if scheme.name == name:
                return scheme
        raise KeyError(name)

    def item(self, number: int) -> Item:
        """Item ``number`` (1-based)."""
        if not 1 <= number <= len(self.items):
            raise KeyError(number)
        return self.items[number - 1]


def _check_covers(code: str, scheme: BandScheme, low: int, high: int) -> None:
    """Refuse a band scheme with gaps, overlaps or ends that miss the total range."""
    expected = low
    for band in scheme.bands:
        if band.lower != expected or band.upper < band.lower:
            raise ValueError(f"{code}: band scheme {scheme.name!r} has a gap or overlap at {band.lower}")
        expected = band.upper + 1
    if expected != high + 1:
        raise ValueError(f"{code}: band scheme {scheme.name!r} ends at {expected - 1}, not {high}")
