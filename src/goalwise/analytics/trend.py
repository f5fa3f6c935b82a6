"""Robust trend of a series: the Theil-Sen line and Kendall's S against time.

Both are rank-based, so one wild day does not tilt the line. Both work on the exact values of
``analytics.precision`` (the data's own precision: decimals as typed, means of ratings as
fractions), so values which are equal after detrending stay equal and a change of units changes
nothing; Tau-BC relies on it (CLINICAL.md §5.3: a published example has exact A-B ties after
detrending that floating point breaks).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import cast

from goalwise.analytics.precision import Real, comparison_keys, real_series, scaled_integers
from goalwise.core.errors import InvalidInput, Problem

__all__ = ["kendall_s", "kendall_s_of_keys", "theil_sen", "theil_sen_exact"]


def _number_problems(values: object, field: str) -> list[Problem]:
    """Problems with a series of numbers (kept for callers; see ``analytics.precision.real_series``)."""
    return real_series(values, field)[1]


def _check_line_input(y: object, x: object | None) -> tuple[list[Real], list[Real] | None]:
    """``y`` and ``x`` as plain numbers; InvalidInput unless they can carry a Theil-Sen line."""
    y_, problems = real_series(y, "y")
    x_: list[Real] | None = None
    if not any(p.field == "y" for p in problems) and len(y_) + len(problems) < 2:
        problems.append(
            Problem(
                "trend-too-few",
                "y",
                f"A trend needs at least 2 points; y has {len(y_) + len(problems)}.",
                "Collect at least two observations before fitting a trend.",
            )
        )
    if x is not None:
        x_, x_problems = real_series(x, "x")
        problems.extend(x_problems)
        if not problems and len(x_) != len(y_):
            problems.append(
                Problem(
                    "trend-length",
                    "x",
                    f"x has {len(x_)} values but y has {len(y_)}.",
                    "Give one x (session or day) for every y.",
                )
            )
        elif len(x_) >= 2 and not problems and all(v == x_[0] for v in x_):
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
    return y_, x_


def theil_sen(y: Sequence[Real], x: Sequence[Real] | None = None) -> tuple[float, float]:
    """The Theil-Sen line through ``(x, y)`` as ``(slope, intercept)`` in floating point.

    Slope = median of the pairwise slopes (y_j - y_i)/(x_j - x_i) over all pairs with
    x_j != x_i; intercept = median(y - slope * x); x defaults to the sessions 1..n
    (Theil 1950; Sen 1968; as used for Tau-BC by Tarlow 2017, CLINICAL.md §5.1).
    The order of the points does not matter. Cost: O(n²) pairs.

    Raises InvalidInput for fewer than 2 points, a length mismatch, or all-equal x. Computed
    exactly at the data's own precision (:func:`theil_sen_exact`), so the line of a rescaled and
    shifted series is the rescaled and shifted line, then rounded once to floating point.
    """
    slope, intercept = theil_sen_exact(y, x)
    return float(slope), float(intercept)


def theil_sen_exact(y: Sequence[Real], x: Sequence[Real] | None = None) -> tuple[Fraction, Fraction]:
    """The Theil-Sen line as exact fractions ``(slope, intercept)``.

    Same definition as :func:`theil_sen` (Theil 1950; Sen 1968; CLINICAL.md §5.1), on the exact
    values of ``analytics.precision`` (whole numbers, decimals as typed, means of ratings as
    fractions), so the slope and intercept are the exact medians and values that are equal after
    detrending stay equal. Use it where equality matters (Tau-BC). Accepts NumPy arrays.
    """
    y_, x_ = _check_line_input(y, x)
    ky, y_scale = scaled_integers(y_)
    if x_ is None:
        kx, x_scale = list(range(1, len(ky) + 1)), 1
    else:
        kx, x_scale = scaled_integers(x_)
    # In grid steps: y = ky / y_scale, x = kx / x_scale, so slope = slope_steps * x_scale / y_scale.
    steps = _integer_slope_median(ky, kx)
    if steps is None:
        pairwise = [
            Fraction(ky[j] - ky[i], kx[j] - kx[i])
            for i in range(len(ky))
            for j in range(i + 1, len(ky))
            if kx[j] != kx[i]
        ]
        steps = _exact_median(pairwise)
    intercept_steps = _exact_median([Fraction(yv) - steps * xv for xv, yv in zip(kx, ky, strict=True)])
    return steps * x_scale / y_scale, intercept_steps / y_scale


def _integer_slope_median(ys: list[int], xi: list[int]) -> Fraction | None:
    """The exact median slope of whole-number data without Fraction arithmetic; None when not applicable.

    Each pairwise slope is the rational dy/dx of two integers. Sorting by the float quotient
    orders them exactly when max|dy| * max(dx)^2 < 2^50: two different slopes then differ by
    at least 1/dx^2, far more than the rounding of either quotient, and equal slopes give the
    same float because division is correctly rounded. Only the middle slopes become Fractions.
    """
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


def kendall_s(values: Sequence[Real]) -> int:
    """Kendall's S of a series against time: the sum over i < j of sign(v_j - v_i).

    Positive when later values tend to be higher. This is S_A in Tau-U (Parker, Vannest,
    Davis & Sauber 2011; CLINICAL.md §5.1). Ties contribute 0. Computed in O(n log n) with a
    Fenwick tree over the ranks, so long series are cheap.
    """
    plain, problems = real_series(values, "values")
    if problems:
        raise InvalidInput(problems)
    # Ties at the data's own precision (analytics.precision): 6.2 - 6.0 ties with 0.2 + 0.0.
    return kendall_s_of_keys(cast("list[int] | list[float]", comparison_keys(plain)))  # a list for a list


def kendall_s_of_keys(keys: Sequence[int] | Sequence[float]) -> int:
    """Kendall's S of comparison keys that are already at the data's precision (Tau-U passes the
    keys of both phases on one grid, so the baseline's ties are the ones NAP and Tau see)."""
    ranks = {v: r for r, v in enumerate(sorted(set(keys)), start=1)}
    tree = [0] * (len(ranks) + 1)
    total = 0
    for seen, value in enumerate(keys):
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
