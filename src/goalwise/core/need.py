"""Needs assessment: concern areas and core emotional needs, and how they order goal suggestions.

Issue 3 ("Needs and concerns"):

* **Concern areas**: emotional barriers, core values alignment, behavioural patterns, support
  systems, and free ones (area ``other`` with a label). Each has an impact (high, medium, low)
  and a priority from 1 to 5. **Priority 1 is the highest** ("priority one"), a decision
  recorded here because the issue does not say which end is the top.
* **Core emotional needs**: safety, autonomy, purpose, connection and playfulness, each rated
  1-5 for how well it is met (1 = hardly met, 5 = fully met). The five are the issue's; they
  overlap with the core emotional needs of schema therapy (Young, Klosko & Weishaar 2003,
  *Schema Therapy: A Practitioner's Guide*: secure attachment, autonomy and competence,
  expression of needs, spontaneity and play, realistic limits), with purpose added.

The assessment orders goal suggestions (:func:`order_by_needs`): items serving the
highest-priority concern come first (ties: higher impact), then items serving the least-met
need, then the original order. Items are tagged with concern areas and needs by their
caller (templates carry ``needs`` tags), so this module knows nothing about templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from goalwise.core.errors import Problem

__all__ = [
    "HIGHEST_PRIORITY",
    "MET_RANGE",
    "PRIORITY_RANGE",
    "Concern",
    "ConcernArea",
    "CoreNeed",
    "Impact",
    "NeedRating",
    "NeedsAssessment",
    "order_by_needs",
    "parse_assessment",
    "validate_assessment",
]

HIGHEST_PRIORITY = 1
PRIORITY_RANGE = (1, 5)
MET_RANGE = (1, 5)


class ConcernArea(StrEnum):
    """Where a concern lies; ``other`` is a free area named by the concern's label."""

    EMOTIONAL_BARRIERS = "emotional_barriers"
    CORE_VALUES = "core_values"
    BEHAVIOURAL_PATTERNS = "behavioural_patterns"
    SUPPORT_SYSTEMS = "support_systems"
    OTHER = "other"


class CoreNeed(StrEnum):
    """The five core emotional needs rated in the assessment."""

    SAFETY = "safety"
    AUTONOMY = "autonomy"
    PURPOSE = "purpose"
    CONNECTION = "connection"
    PLAYFULNESS = "playfulness"


class Impact(StrEnum):
    """How much a concern affects daily life."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


_IMPACT_RANK = {Impact.HIGH: 0, Impact.MEDIUM: 1, Impact.LOW: 2}


@dataclass(frozen=True, slots=True)
class Concern:
    """One concern: its area, impact, priority (1 = highest) and, for free areas, a label."""

    area: ConcernArea
    impact: Impact
    priority: int
    label: str = ""


@dataclass(frozen=True, slots=True)
class NeedRating:
    """How well one core need is met, 1 (hardly) to 5 (fully)."""

    need: CoreNeed
    met: int


@dataclass(frozen=True, slots=True)
class NeedsAssessment:
    """The concerns and need ratings recorded for a client at one time."""

    concerns: tuple[Concern, ...] = ()
    needs: tuple[NeedRating, ...] = ()


def _in_range(value: object, bounds: tuple[int, int]) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and bounds[0] <= value <= bounds[1]


def validate_assessment(assessment: NeedsAssessment) -> list[Problem]:
    """Every problem in ``assessment``: priorities and ratings outside 1-5, unnamed free areas, repeats."""
    problems: list[Problem] = []
    for i, concern in enumerate(assessment.concerns):
        problems += _concern_problems(concern, f"concerns[{i}]")
    seen: set[CoreNeed] = set()
    for i, rating in enumerate(assessment.needs):
        problems += _rating_problems(rating.need, rating.met, f"needs[{i}]", f"needs[{i}].met", seen)
    return problems


def _concern_problems(concern: Concern, where: str) -> list[Problem]:
    found = (_priority_problem(concern.priority, where), _label_problem(concern.area, concern.label, where))
    return [p for p in found if p is not None]


def _priority_problem(priority: object, where: str) -> Problem | None:
    if _in_range(priority, PRIORITY_RANGE):
        return None
    message = f"The priority is {priority!r:.40}; priorities run from 1 (highest) to 5."
    return Problem("needs-priority", f"{where}.priority", message, "Enter a whole number from 1 to 5.")


def _label_problem(area: ConcernArea | None, label: str, where: str) -> Problem | None:
    if area is not ConcernArea.OTHER or label.strip():
        return None
    hint = "Name the area in a few words, e.g. 'money worries'."
    return Problem("needs-label", f"{where}.label", "A free concern area needs a label.", hint)


def _rating_problems(
    need: CoreNeed | None, met: object, where: str, met_field: str, seen: set[CoreNeed]
) -> list[Problem]:
    # ``need`` is None when its name is unknown (reported already): the rating is still checked,
    # so that a second mistake in the same entry shows now, not after the first is fixed.
    problems: list[Problem] = []
    if not _in_range(met, MET_RANGE):
        of = f" for {need}" if need is not None else ""
        message = f"The rating{of} is {met!r:.40}; ratings run from 1 (hardly met) to 5 (fully met)."
        problems.append(Problem("needs-met", met_field, message, "Enter a whole number from 1 to 5."))
    if need is not None and need in seen:
        problems.append(
            Problem("needs-repeated", where, f"{need} is rated twice.", "Keep one rating per need.")
        )
    if need is not None:
        seen.add(need)
    return problems


def parse_assessment(data: Mapping[str, object]) -> tuple[NeedsAssessment, list[Problem]]:
    """Read ``{"concerns": [{"area", "impact", "priority", "label"}], "needs": {"safety": 3, ...}}``.

    ``needs`` may also be a list of ``{"need", "met"}``. Never raises: returns the entries that
    are sound plus a Problem for every other one, named by its place in the input.
    """
    problems: list[Problem] = []
    raw_concerns = data.get("concerns", [])
    if not isinstance(raw_concerns, list):
        raw_concerns = []
        problems.append(
            Problem("needs-type", "concerns", "concerns must be a list.", "Send a list of concerns.")
        )
    concerns: list[Concern] = []
    for i, raw in enumerate(raw_concerns):
        concern = _concern(raw, f"concerns[{i}]", problems)
        if concern is not None:
            concerns.append(concern)
    raw_needs = data.get("needs", {})
    entries: list[tuple[object, object, str, str]] = []  # need, met, where, field of met
    if isinstance(raw_needs, Mapping):
        entries = [(key, value, f"needs.{key}", f"needs.{key}") for key, value in raw_needs.items()]
    elif isinstance(raw_needs, list):
        for i, raw in enumerate(raw_needs):
            pair = (raw.get("need"), raw.get("met")) if isinstance(raw, Mapping) else (raw, None)
            entries.append((*pair, f"needs[{i}]", f"needs[{i}].met"))
    else:
        problems.append(
            Problem("needs-type", "needs", "needs must be an object.", 'Send e.g. {"safety": 3}.')
        )
    ratings: list[NeedRating] = []
    seen: set[CoreNeed] = set()
    for need, met, where, met_field in entries:
        parsed = _choice(need, CoreNeed, where, problems)
        found = _rating_problems(parsed, met, where, met_field, seen)
        problems += found
        if parsed is not None and not found and isinstance(met, int):
            ratings.append(NeedRating(parsed, met))
    return NeedsAssessment(tuple(concerns), tuple(ratings)), problems


def _choice(value: object, enum: type[_E], field: str, problems: list[Problem]) -> _E | None:
    options = ", ".join(member.value for member in enum)
    if isinstance(value, str) and value.strip().lower() in {m.value for m in enum}:
        return enum(value.strip().lower())
    problems.append(Problem("needs-choice", field, f"{value!r:.40} is unknown.", f"Use one of {options}."))
    return None


def _concern(raw: object, where: str, problems: list[Problem]) -> Concern | None:
    if not isinstance(raw, Mapping):
        problems.append(
            Problem("needs-type", where, f"{where} must be an object.", 'Send {"area": ..., ...}.')
        )
        return None
    area = _choice(raw.get("area"), ConcernArea, f"{where}.area", problems)
    impact = _choice(raw.get("impact"), Impact, f"{where}.impact", problems)
    priority, label = raw.get("priority"), raw.get("label", "")
    text = label if isinstance(label, str) else ""
    # Every field is checked, whatever else is wrong: all the entry's problems show at once.
    found = [p for p in (_priority_problem(priority, where), _label_problem(area, text, where)) if p]
    problems += found
    if area is None or impact is None or found or not isinstance(priority, int):
        return None
    return Concern(area, impact, priority, text)


_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")


def order_by_needs(
    items: Sequence[_T], tags: Callable[[_T], Iterable[str]], assessment: NeedsAssessment | None
) -> list[_T]:
    """``items`` ordered by the assessment: highest-priority concern area first, then least-met need.

    ``tags(item)`` names the concern areas and core needs an item serves. Ties, and items
    that serve nothing in the assessment, keep their original order (the sort is stable).
    """
    if assessment is None:
        return list(items)
    concern_key: dict[str, tuple[int, int]] = {}
    for concern in assessment.concerns:
        rank = (concern.priority, _IMPACT_RANK[concern.impact])
        concern_key[concern.area.value] = min(rank, concern_key.get(concern.area.value, rank))
    met = {rating.need.value: rating.met for rating in assessment.needs}
    none = (PRIORITY_RANGE[1] + 1, len(_IMPACT_RANK))

    def urgency(item: _T) -> tuple[tuple[int, int], int]:
        names = list(tags(item))
        best_concern = min((concern_key[n] for n in names if n in concern_key), default=none)
        least_met = min((met[n] for n in names if n in met), default=MET_RANGE[1] + 1)
        return best_concern, least_met

    return sorted(items, key=urgency)
