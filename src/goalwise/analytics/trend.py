"""Robust trend of a series: the Theil-Sen line and Kendall's S against time.

Both are rank-based, so one wild day does not tilt the line. The exact variant works in
``fractions.Fraction`` so that values which are equal after detrending stay equal; Tau-BC
relies on it (CLINICAL.md §5.3: a published example has exact A-B ties after detrending
that floating point breaks).
"""

from __future__ import annotations

import math
import numbers
import statistics
from collections.abc import Sequence
from fractions import Fraction
from typing import cast

from goalwise.core.errors import InvalidInput, Problem

__all__ = ["kendall_s", "theil_sen", "theil_sen_exact"]


def _number_problems(values: Sequence[object], field: str) -> list[Problem]:
    """Problems with a series of numbers: anything that is not a finite real number, by index.

    The offending value is not echoed: series hold client measurements. The field carries the
    0-based index (``a[3]``), the message the 1-based position a person counts ("value 4").
    """
    kinds = set(map(type, values))
    # Fast path for the usual all-int or all-float series: the checks below cost a Python-level
    # ABC isinstance per value, which dominated NAP on long series.
    if kinds <= {int, Fraction} or (
        kinds == {float} and all(map(math.isfinite, cast("Sequence[float]", values)))
    ):
        return []
    problems: list[Problem] = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            problems.append(
                Problem(
                    "series-number",
                    f"{field}[{index}]",
                    f"Value {index + 1} of {field} is not a number.",
                    "Pass only numbers (int, float or Fraction).",
                )
            )
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(
                Problem(
                    "series-finite",
                    f"{field}[{index}]",
                    f"Value {index + 1} of {field} is not finite.",
                    "Drop missing (NaN) or infinite values before the analysis.",
                )
            )
    return problems


def _check_line_input(y: Sequence[float | Fraction], x: Sequence[float | Fraction] | None) -> None:
    """Raise InvalidInput unless ``y`` (and ``x``) can carry a Theil-Sen line."""
    problems = _number_problems(y, "y")
    if len(y) < 2:
        problems.append(
            Problem(
                "trend-too-few",
                "y",
                f"A trend needs at least 2 points; y has {len(y)}.",
                "Collect at least two observations before fitting a trend.",
            )
        )
    if x is not None:
        problems.extend(_number_problems(x, "x"))
        if len(x) != len(y):
            problems.append(
                Problem(
                    "trend-length",
                    "x",
                    f"x has {len(x)} values but y has {len(y)}.",
                    "Give one x (session or day) for every y.",
                )
            )
        elif len(x) >= 2 and not problems and all(v == x[0] for v in x):
            problems.append(
                Problem(
                    "trend-flat-x",
                    "x",
                    "Every x is the same, so no slope can be estimated.",
                    "Give at least two different sessions or days.",
                )
            )
    if problems:
        raise InvalidInput(problems)


def theil_sen(
    y: Sequence[float | Fraction], x: Sequence[float | Fraction] | None = None
) -> tuple[float, float]:
    """The Theil-Sen line through ``(x, y)`` as ``(slope, intercept)`` in floating point.

    Slope = median of the pairwise slopes (y_j - y_i)/(x_j - x_i) over all pairs with
    x_j != x_i; intercept = median(y - slope * x); x defaults to the sessions 1..n
    (Theil 1950; Sen 1968; as used for Tau-BC by Tarlow 2017, CLINICAL.md §5.1).
    The order of the points does not matter. Cost: O(n²) pairs.

    Raises InvalidInput for fewer than 2 points, a length mismatch, or all-equal x.
    """
    _check_line_input(y, x)
    xs: list[float] = [float(v) for v in x] if x is not None else [float(i) for i in range(1, len(y) + 1)]
    ys = [float(v) for v in y]
    slopes = [
        (ys[j] - ys[i]) / (xs[j] - xs[i])
        for i in range(len(ys))
        for j in range(i + 1, len(ys))
        if xs[j] != xs[i]
    ]
    slope = statistics.median(slopes)
    intercept = statistics.median([yv - slope * xv for xv, yv in zip(xs, ys, strict=True)])
    return slope, intercept


def theil_sen_exact(
    y: Sequence[float | Fraction], x: Sequence[float | Fraction] | None = None
) -> tuple[Fraction, Fraction]:
    """The Theil-Sen line as exact fractions ``(slope, intercept)``.

    Same definition as :func:`theil_sen` (Theil 1950; Sen 1968; CLINICAL.md §5.1), but every
    value is converted with ``Fraction(v)``, which is exact for ints, floats and Fractions, so
    the slope and intercept are the exact medians. Use it where equality matters (Tau-BC).
    """
    _check_line_input(y, x)
    fast = _integer_slope_median(y, x)
    if fast is not None:
        xs_i: list[float | Fraction] = list(x) if x is not None else list(range(1, len(y) + 1))
        residuals = [Fraction(yv) - fast * Fraction(xv) for xv, yv in zip(xs_i, y, strict=True)]
        return fast, _exact_median(residuals)
    xs = [Fraction(v) for v in x] if x is not None else [Fraction(i) for i in range(1, len(y) + 1)]
    ys = [Fraction(v) for v in y]
    slopes = [
        (ys[j] - ys[i]) / (xs[j] - xs[i])
        for i in range(len(ys))
        for j in range(i + 1, len(ys))
        if xs[j] != xs[i]
    ]
    slope = _exact_median(slopes)
    intercept = _exact_median([yv - slope * xv for xv, yv in zip(xs, ys, strict=True)])
    return slope, intercept


def _integer_slope_median(
    y: Sequence[float | Fraction], x: Sequence[float | Fraction] | None
) -> Fraction | None:
    """The exact median slope for integer data, without Fraction arithmetic; None when not applicable.

    Each pairwise slope is the rational dy/dx of two integers. Sorting by the float quotient
    orders them exactly when max|dy| * max(dx)^2 < 2^50: two different slopes then differ by
    at least 1/dx^2, far more than the rounding of either quotient, and equal slopes give the
    same float because division is correctly rounded. Only the middle slopes become Fractions.
    """

    def whole(v: float | Fraction) -> int | None:
        if type(v) is int:
            return v
        if isinstance(v, float) and v.is_integer():
            return int(v)  # daily means of whole ratings are whole floats: same value, exact
        return None

    ys_maybe = [whole(v) for v in y]
    xs_maybe = [whole(v) for v in x] if x is not None else list(range(1, len(y) + 1))
    if any(v is None for v in (*ys_maybe, *xs_maybe)):
        return None
    ys = cast(list[int], ys_maybe)
    xi = cast(list[int], xs_maybe)
    pairs = []
    for i in range(len(ys)):
        for j in range(i + 1, len(ys)):
            dx = xi[j] - xi[i]
            if dx:
                dy = ys[j] - ys[i]
                pairs.append((dy, dx) if dx > 0 else (-dy, -dx))
    if not pairs:
        return None
    max_dy = max(abs(dy) for dy, _ in pairs)
    max_dx = max(dx for _, dx in pairs)
    if max_dy * max_dx * max_dx >= 2**50:
        return None
    pairs.sort(key=lambda p: p[0] / p[1])
    mid = len(pairs) // 2
    if len(pairs) % 2:
        return Fraction(*pairs[mid])
    return (Fraction(*pairs[mid - 1]) + Fraction(*pairs[mid])) / 2


def _exact_median(values: list[Fraction]) -> Fraction:
    # statistics.median would also work on Fractions; this spells out that the mean of the two
    # middle values stays a Fraction.
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def kendall_s(values: Sequence[float | Fraction]) -> int:
    """Kendall's S of a series against time: the sum over i < j of sign(v_j - v_i).

    Positive when later values tend to be higher. This is S_A in Tau-U (Parker, Vannest,
    Davis & Sauber 2011; CLINICAL.md §5.1). Ties contribute 0. Computed in O(n log n) with a
    Fenwick tree over the ranks, so long series are cheap.
    """
    problems = _number_problems(values, "values")
    if problems:
        raise InvalidInput(problems)
    ranks = {v: r for r, v in enumerate(sorted(set(values)), start=1)}
    tree = [0] * (len(ranks) + 1)
    total = 0
    for seen, value in enumerate(values):
        rank = ranks[value]
        below = _prefix_count(tree, rank - 1)
        at_or_below = _prefix_count(tree, rank)
        # earlier values below this one are concordant pairs, earlier values above it discordant
        total += below - (seen - at_or_below)
        position = rank
        while position < len(tree):
            tree[position] += 1
            position += position & -position
    return total


def _prefix_count(tree: list[int], rank: int) -> int:
    count = 0
    while rank > 0:
        count += tree[rank]
        rank -= rank & -rank
    return count
