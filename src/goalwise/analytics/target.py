"""Progress of a goal: how far from baseline to target, the change from baseline, and met weeks.

A target is a comparator and a number ("at most 2 panic attacks a week": ``<=`` 2; "a
conversation of 5 minutes or more in at least 60 % of encounters": ``>=`` 60) or, for
``maintain``, a range ``(low, high)`` the value should stay inside ("sleep 7 to 9 hours").
Frequency, duration and percentage targets are treated alike: the caller passes the weekly value
on the target's own scale (a weekly count, minutes, or a percentage; see
``goalwise.analytics.aggregate``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal, Protocol

from goalwise.analytics.aggregate import IsoWeek
from goalwise.core.errors import InvalidInput, Problem

__all__ = [
    "COMPARATORS",
    "Comparator",
    "TargetValue",
    "WeeklyLike",
    "check_target",
    "fraction_of_way",
    "meets",
    "percent_change",
    "weekly_met",
]

Comparator = Literal["<=", "<", ">=", ">", "==", "maintain"]
COMPARATORS: tuple[Comparator, ...] = ("<=", "<", ">=", ">", "==", "maintain")
TargetValue = float | tuple[float, float]

# Values reach us as floats (means, percentages), so "==" and the range ends allow for rounding.
_TOLERANCE = 1e-9


class WeeklyLike(Protocol):
    """Anything with a ``week`` and a ``value`` (``WeekValue``, ``WeekProportion``)."""

    @property
    def week(self) -> IsoWeek: ...

    @property
    def value(self) -> float | None: ...


def check_target(target: TargetValue, comparator: str) -> list[Problem]:
    """Problems with a target: an unknown comparator, or a number where a range is needed (or back)."""
    if comparator not in COMPARATORS:
        return [
            Problem(
                "target-comparator",
                "comparator",
                f"comparator is {comparator!r}; use one of {', '.join(COMPARATORS)}.",
                "Use '>=' for 'at least', '<=' for 'at most', 'maintain' for a range.",
            )
        ]
    if comparator == "maintain":
        if not isinstance(target, tuple) or len(target) != 2:
            return [
                Problem(
                    "target-range",
                    "target",
                    "A 'maintain' target needs a range (low, high).",
                    "Give the lowest and highest value to stay within, e.g. (7, 9).",
                )
            ]
        if target[0] > target[1]:
            return [
                Problem(
                    "target-range-order",
                    "target",
                    "The range's low end is above its high end.",
                    "Swap the two ends so the low end comes first.",
                )
            ]
        return []
    if isinstance(target, tuple):
        return [
            Problem(
                "target-number",
                "target",
                f"A {comparator!r} target needs one number, not a range.",
                "Use the comparator 'maintain' for a range.",
            )
        ]
    return []


def meets(value: float, target: TargetValue, comparator: Comparator) -> bool:
    """Whether ``value`` satisfies the target; ``==`` and range ends allow a 1e-9 rounding margin.

    Raises InvalidInput for a comparator or target shape that does not fit (see :func:`check_target`).
    """
    problems = check_target(target, comparator)
    if problems:
        raise InvalidInput(problems)
    if isinstance(target, tuple):
        low, high = target
        return low - _TOLERANCE <= value <= high + _TOLERANCE
    if comparator == "<=":
        return value <= target + _TOLERANCE
    if comparator == "<":
        return value < target
    if comparator == ">=":
        return value >= target - _TOLERANCE
    if comparator == ">":
        return value > target
    return math.isclose(value, target, rel_tol=0.0, abs_tol=_TOLERANCE)


def fraction_of_way(baseline: float, current: float, target: float) -> float | None:
    """How far ``current`` has moved from ``baseline`` towards ``target``: 0 at baseline, 1 at target.

    ``(current - baseline) / (target - baseline)``. It is below 0 when the value moved away from
    the target and above 1 when it went past it; it works the same for goals that go down (PHQ-9
    18 towards 5) and up (2 towards 5 walks a week). ``None`` when the target equals the baseline:
    there is no way to travel, so no fraction of it (a 'maintain' goal is judged with
    :func:`meets` instead). A plain linear ratio, as issue 5 ("Aggregation and progress") asks for;
    it is not a published index, so no reference beyond the definition itself.
    """
    if math.isclose(target, baseline, rel_tol=0.0, abs_tol=_TOLERANCE):
        return None
    return (current - baseline) / (target - baseline)


def percent_change(baseline: float, current: float) -> float | None:
    """Percentage change from baseline: ``100 * (current - baseline) / |baseline|``.

    Negative means the value went down (for PHQ-9, an improvement; NQF 1884/1885 count a fall of
    50 % or more as response, CLINICAL.md §1.5). ``None`` when the baseline is 0, because a change
    from nothing has no percentage; report the absolute change instead. ``|baseline|`` keeps the
    sign equal to the direction of change for the rare scale with negative values.
    """
    if baseline == 0:
        return None
    return 100.0 * (current - baseline) / abs(baseline)


def weekly_met(
    weekly_values: Iterable[WeeklyLike], target: TargetValue, comparator: Comparator
) -> list[tuple[IsoWeek, bool]]:
    """Per week, whether its value meets the target, sorted by week.

    Works for frequency (weekly sums), duration (weekly minutes) and percentage targets
    (``WeekProportion.value`` is a percentage). A week whose value is ``None`` (a proportion week
    with no trials) is left out: with no encounters the target was neither met nor missed. Weeks
    that are absent from the input (nothing logged) are absent from the result for the same reason.
    """
    problems = check_target(target, comparator)
    if problems:
        raise InvalidInput(problems)
    result = [
        (item.week, meets(item.value, target, comparator)) for item in weekly_values if item.value is not None
    ]
    return sorted(result, key=lambda pair: pair[0])
