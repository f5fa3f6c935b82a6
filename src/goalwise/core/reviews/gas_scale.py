"""A goal's Goal Attainment Scale: five levels, each a description and (for a measured goal) a range.

Goal Attainment Scaling (Kiresuk & Sherman 1968; CLINICAL.md §4) scores each goal at a review on
five levels: -2 much less than expected, -1 somewhat less, 0 the expected outcome, +1 somewhat more,
+2 much more. Goalwise derives a default scale from the goal's baseline and target, which the
therapist may edit (:func:`parse_scale`).

**The default-level rule** (after Turner-Stokes 2009, *Clin Rehabil* 23:362, who scores the
baseline -1 and uses -2 when the client is already at the worst level): measure progress ``p``
along the step from baseline (``p = 0``) to target (``p = 1``), with ``d`` = |target - baseline|.

* The target is 0: reaching it (1 <= p) is the expected outcome.
* The baseline is -1 (no change, or part-way: 0 <= p < 1); worse than the baseline is -2.
* Unless the client started worse, i.e. at the worst end of the metric's scale, where nothing
  worse can happen: then the baseline is -2 (no change or less than half-way, p < 0.5) and -1 is
  half-way or more (0.5 <= p < 1).
* +1 is beyond the target by up to half a step, +2 by more (p >= 1.5). When the metric's scale
  ends closer than a whole step beyond the target, the room left is split in half instead.

Ranges are closed ``[low, high]`` (``None`` = open); where two touch, a value on the boundary
belongs to the better level (:func:`level_for_value`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from goalwise.core.errors import Problem
from goalwise.core.goal import Direction, GoalDraft

__all__ = [
    "DEFAULT_WEIGHT",
    "LEVEL_NAMES",
    "WEIGHT_RANGE",
    "GasLevel",
    "GasScale",
    "default_scale",
    "level_for_value",
    "parse_scale",
    "recent_value",
    "scale_to_dict",
    "suggest_level",
]

#: The five levels and their names (Kiresuk & Sherman 1968).
LEVEL_NAMES: Mapping[int, str] = {
    -2: "much less than expected",
    -1: "somewhat less than expected",
    0: "expected outcome",
    1: "somewhat more than expected",
    2: "much more than expected",
}
DEFAULT_WEIGHT = 1.0
#: Turner-Stokes weights are importance × difficulty, each 0-3, so at most 9.
WEIGHT_RANGE = (0.0, 9.0)
_DESCRIPTION_LIMIT = 200
#: The recent data a suggestion looks at: the last two weeks (a review is every 4-8 weeks).
RECENT_DAYS = 14


@dataclass(frozen=True, slots=True)
class GasLevel:
    """One level of a goal's scale: what it looks like, and the values on the metric that count."""

    level: int
    description: str
    low: float | None = None
    high: float | None = None

    def contains(self, value: float) -> bool:
        """True when ``value`` lies in this level's closed range (a level without a range has none)."""
        if self.low is None and self.high is None:
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True, slots=True)
class GasScale:
    """A goal's five levels (-2..+2, in order) and its weight; ``derived`` when nobody edited it."""

    levels: tuple[GasLevel, ...]
    weight: float = DEFAULT_WEIGHT
    derived: bool = True


def _fmt(value: float) -> str:
    return f"{value:g}"


def _range_text(low: float | None, high: float | None, unit: str) -> str:
    tail = f" {unit}" if unit else ""
    if low is None and high is not None:
        return f"{_fmt(high)}{tail} or less"
    if high is None and low is not None:
        return f"{_fmt(low)}{tail} or more"
    if low is not None and high is not None:
        return f"{_fmt(low)}{tail}" if low == high else f"{_fmt(low)} to {_fmt(high)}{tail}"
    return ""


def _plain_scale(weight: float = DEFAULT_WEIGHT) -> GasScale:
    return GasScale(tuple(GasLevel(k, LEVEL_NAMES[k].capitalize()) for k in range(-2, 3)), weight)


def _cut_points(baseline: float, target: float, worst_start: bool, room: float | None) -> list[float]:
    """Progress fractions p where levels -2|-1, -1|0, 0|+1, +1|+2 meet."""
    beyond = 1.5, 2.0
    d = abs(target - baseline)
    if room is not None and d > 0 and room < d:
        beyond = 1 + room / d / 2, 1 + room / d
    return [0.5 if worst_start else 0.0, 1.0, *beyond]


def default_scale(draft: GoalDraft, weight: float = DEFAULT_WEIGHT) -> GasScale:
    """The default scale for ``draft`` by the rule in the module docstring; descriptions only (no
    ranges) when the goal has no numeric baseline and target, or a range target (maintain)."""
    target = draft.target
    if draft.baseline is None or target is None or target.value is None or draft.metric is None:
        return _plain_scale(weight)
    base, goal = float(draft.baseline.value), float(target.value)
    if base == goal or draft.direction is Direction.MAINTAIN:
        return _plain_scale(weight)
    sign = 1.0 if goal > base else -1.0  # +1: higher is better
    bounds = draft.metric.bounds()
    worst = None if bounds is None else (bounds[0] if sign > 0 else bounds[1])
    best = None if bounds is None else (bounds[1] if sign > 0 else bounds[0])
    worst_start = worst is not None and base == worst
    room = None if best is None else abs(best - goal)
    cuts = [base + sign * p * abs(goal - base) for p in _cut_points(base, goal, worst_start, room)]
    edges: list[float | None] = [worst, *cuts, best]
    unit = draft.metric.unit or ""
    levels = []
    for index, level in enumerate(range(-2, 3)):
        a, b = edges[index], edges[index + 1]
        low, high = (a, b) if sign > 0 else (b, a)
        if level > 0 and room is not None and room <= 0:
            # The target is the best the scale allows: nothing beyond it to score.
            levels.append(GasLevel(level, f"{LEVEL_NAMES[level].capitalize()}: beyond this scale"))
            continue
        text = f"{LEVEL_NAMES[level].capitalize()}: {_range_text(low, high, unit)}".rstrip(": ")
        levels.append(GasLevel(level, text, low, high))
    return GasScale(tuple(levels), weight)


def level_for_value(scale: GasScale, value: float) -> int | None:
    """The level whose range holds ``value``; on a shared boundary the better level; None when no
    level has a range holding it."""
    found = [lv.level for lv in scale.levels if lv.contains(value)]
    return max(found) if found else None


def recent_value(points: Sequence[tuple[date, float]], as_of: date, days: int = RECENT_DAYS) -> float | None:
    """The mean of the values dated in the ``days`` days up to ``as_of`` (None when there are none):
    what "the recent data" of a goal is when a level is suggested."""
    start = as_of - timedelta(days=days)
    window = [v for on, v in points if start < on <= as_of and math.isfinite(v)]
    return sum(window) / len(window) if window else None


def suggest_level(
    scale: GasScale, points: Sequence[tuple[date, float]], as_of: date, days: int = RECENT_DAYS
) -> int | None:
    """The level the mean of the recent values (:func:`recent_value`) points to, for the therapist
    to confirm or change at the review; None without recent data or a scale with ranges."""
    value = recent_value(points, as_of, days)
    return None if value is None else level_for_value(scale, value)


def scale_to_dict(scale: GasScale) -> dict[str, object]:
    """The GAS.json shape: ``{"weight": 1, "levels": [{"level": -2, "description": "...", "low": x,
    "high": y}, ...], "derived": true}``; :func:`parse_scale` reads it."""
    return {
        "weight": scale.weight,
        "derived": scale.derived,
        "levels": [
            {"level": lv.level, "description": lv.description, "low": lv.low, "high": lv.high}
            for lv in scale.levels
        ],
    }


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _weight(raw: object, problems: list[Problem]) -> float | None:
    weight = _number(raw)
    if weight is None or not WEIGHT_RANGE[0] <= weight <= WEIGHT_RANGE[1]:
        problems.append(
            Problem(
                "gas-weight",
                "weight",
                f"The weight must be a number from {WEIGHT_RANGE[0]:g} to {WEIGHT_RANGE[1]:g}.",
                "Use importance × difficulty, each 0-3 (Turner-Stokes 2009), or 1 for equal weights.",
            )
        )
    return weight


def _level(raw: object, index: int, problems: list[Problem]) -> GasLevel | None:
    where = f"levels[{index}]"
    if not isinstance(raw, Mapping):
        problems.append(Problem("gas-level-type", where, f"{where} must be an object.", '{"level": -2, ...}'))
        return None
    start = len(problems)
    level, text = raw.get("level"), raw.get("description")
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVEL_NAMES:
        problems.append(Problem("gas-level", f"{where}.level", f"{where}.level must be -2 to 2.", ""))
    if not isinstance(text, str) or not text.strip() or len(text) > _DESCRIPTION_LIMIT:
        problems.append(
            Problem(
                "gas-description",
                f"{where}.description",
                f"{where}.description must be text of 1 to {_DESCRIPTION_LIMIT} characters.",
                "Say what this level looks like, e.g. '2 panic attacks a week or fewer'.",
            )
        )
    bounds = {}
    for key in ("low", "high"):
        value = raw.get(key)
        bounds[key] = _number(value)
        if value is not None and bounds[key] is None:
            problems.append(Problem("gas-range", f"{where}.{key}", f"{where}.{key} must be a number.", ""))
    low, high = bounds["low"], bounds["high"]
    if low is not None and high is not None and low > high:
        problems.append(
            Problem("gas-range-order", f"{where}.low", f"{where}.low is above {where}.high.", "Swap them.")
        )
    if len(problems) > start:
        return None
    assert isinstance(level, int) and isinstance(text, str)
    return GasLevel(level, text.strip(), low, high)


def parse_scale(data: object, current: GasScale) -> tuple[GasScale, list[Problem]]:
    """An edited scale from GAS.json (:func:`scale_to_dict`); a missing ``weight`` or ``levels``
    keeps ``current``'s. ``levels`` must give each of -2..+2 exactly once. Every problem names its
    field; with problems the returned scale is ``current``."""
    if not isinstance(data, Mapping):
        return current, [Problem("gas-type", "scale", "The scale must be a JSON object.", '{"weight": 2}')]
    problems: list[Problem] = []
    weight = current.weight if data.get("weight") is None else _weight(data.get("weight"), problems)
    levels = current.levels
    if "levels" in data:
        raw = data["levels"]
        parsed = [_level(item, i, problems) for i, item in enumerate(raw)] if isinstance(raw, list) else []
        found = sorted(lv.level for lv in parsed if lv is not None)
        if not problems and found != [-2, -1, 0, 1, 2]:
            problems.append(
                Problem(
                    "gas-levels",
                    "levels",
                    "The scale must have five levels, -2, -1, 0, +1 and +2, each once.",
                    "Give one object per level.",
                )
            )
        levels = tuple(sorted((lv for lv in parsed if lv is not None), key=lambda lv: lv.level))
    if problems or weight is None:
        return current, problems
    return GasScale(levels, weight, derived=current.derived and "levels" not in data), []
