"""Goal Attainment Scaling: one T-score summarising how far a set of goals was attained.

Each goal is scored on five levels, -2 (much less than expected) to +2 (much more than
expected), with 0 the expected outcome. Kiresuk & Sherman (1968) combine them into a T-score
that is 50 when every goal lands exactly on its expected level (CLINICAL.md §4).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from fractions import Fraction
from types import MappingProxyType

from goalwise.analytics.precision import plain_list
from goalwise.core.errors import InvalidInput, Problem

__all__ = ["DEFAULT_RHO", "LEVELS", "t_score"]

#: Assumed correlation between goals' scores (Kiresuk & Sherman 1968; gasr ``calc_tscore``).
DEFAULT_RHO = 0.3

LEVELS: MappingProxyType[int, str] = MappingProxyType(
    {
        -2: "much less than expected",
        -1: "somewhat less than expected",
        0: "expected level",
        1: "somewhat more than expected",
        2: "much more than expected",
    }
)


def _exact(value: float | Fraction) -> Fraction:
    # A float is taken at its shortest decimal form (0.3 -> 3/10), so weights and rho written
    # as decimals give the exact T-score a hand calculation gives (55.0, not 55.00000000000001).
    if isinstance(value, Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    return Fraction(str(float(value)))


def _problems(levels: Sequence[int], weights: Sequence[float] | None, rho: float) -> list[Problem]:
    problems: list[Problem] = []
    if not levels:
        problems.append(
            Problem(
                "gas-empty", "levels", "No goal levels were given.", "Score at least one goal from -2 to +2."
            )
        )
    for index, level in enumerate(levels):
        if isinstance(level, bool) or not isinstance(level, int) or not -2 <= level <= 2:
            problems.append(
                Problem(
                    "gas-level",
                    f"levels[{index}]",
                    f"The level of goal {index + 1} is {level!r}; levels are whole numbers from -2 to +2.",
                    "Score the goal as -2, -1, 0, +1 or +2.",
                )
            )
    if weights is not None:
        if len(weights) != len(levels):
            problems.append(
                Problem(
                    "gas-weights-length",
                    "weights",
                    f"There are {len(weights)} weights for {len(levels)} goals.",
                    "Give one weight per goal, or none for equal weights.",
                )
            )
        for index, weight in enumerate(weights):
            if (
                isinstance(weight, bool)
                or not isinstance(weight, numbers.Real)
                or not math.isfinite(weight)
                or weight < 0
            ):
                problems.append(
                    Problem(
                        "gas-weight",
                        f"weights[{index}]",
                        f"The weight of goal {index + 1} is {weight!r}; weights are numbers of 0 or more.",
                        "Use e.g. importance × difficulty, each 0-3 (Turner-Stokes 2009).",
                    )
                )
    if isinstance(rho, bool) or not isinstance(rho, numbers.Real) or not 0 <= rho <= 1:
        problems.append(
            Problem(
                "gas-rho",
                "rho",
                f"rho is {rho!r}; it is a correlation from 0 to 1.",
                f"Leave it at {DEFAULT_RHO}, the conventional value.",
            )
        )
    return problems


def t_score(levels: Sequence[int], weights: Sequence[float] | None = None, rho: float = DEFAULT_RHO) -> float:
    """GAS T-score T = 50 + 10·Σwᵢxᵢ / √[(1 - ρ)·Σwᵢ² + ρ·(Σwᵢ)²] (Kiresuk & Sherman 1968,
    as implemented by gasr ``calc_tscore``; CLINICAL.md §4).

    Lists, tuples and NumPy arrays (and NumPy numbers) are accepted. ``levels`` are the goals'
    attainment levels (-2..+2), ``weights`` optional non-negative
    weights (default 1 each; Turner-Stokes uses importance × difficulty), ``rho`` the assumed
    correlation between goals. If every weight is 0 they are reset to 1, as gasr does. Missing
    goals are not accepted: drop them (gasr drops NA) before calling. The sum is exact, so the
    published example x = (-2, 0, -1, 2, 0, 1), w = (3, 5, 1, 4, 2, 6) gives 55.0 exactly.
    """
    levels_list, problems = plain_list(levels, "levels")
    weights_list: list[object] | None = None
    if weights is not None:
        weights_list, found = plain_list(weights, "weights")
        problems += found
    if isinstance(rho, numbers.Real) and not isinstance(rho, bool | float | int | Fraction):
        rho = float(rho)  # a NumPy scalar
    if not problems:
        problems = _problems(levels_list, weights_list, rho)  # type: ignore[arg-type]
    if problems:
        raise InvalidInput(problems)
    levels, weights = levels_list, weights_list  # type: ignore[assignment]
    exact_weights = [Fraction(1)] * len(levels) if weights is None else [_exact(w) for w in weights]
    if not any(exact_weights):
        exact_weights = [Fraction(1)] * len(levels)
    ratio = _exact(rho)
    total = sum(exact_weights, Fraction(0))
    squares = sum((w * w for w in exact_weights), Fraction(0))
    weighted = sum((w * x for w, x in zip(exact_weights, levels, strict=True)), Fraction(0))
    spread = (1 - ratio) * squares + ratio * total * total
    return 50 + 10 * float(weighted) / math.sqrt(spread)
