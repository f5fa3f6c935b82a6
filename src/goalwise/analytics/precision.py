"""Numbers at the data's own precision: the one place where input series become exact values.

People type decimals (6.2, 7.25) and Goalwise averages a few ratings a day (19/3). In binary
floating point 6.2 - 6.0 is not 0.2 and 19/3 is not a third, so two values that are equal on
paper can compare as unequal after a shift, a rescale or a detrend, and every statistic built on
ties (NAP, Tau, Tau-U, Tau-BC, PND, PEM, PAND, IRD, Theil-Sen, the baseline summary) would change
with the units of the data. The rule used everywhere instead (issue 11; CLINICAL.md §5.3 asks for
exact detrending or a documented tolerance):

* **The grid.** A series of floats is on the grid 1/D when every value lies within
  ``GRID_TOLERANCE`` of a step (1e-7 of a step, plus 1e-13 of the value in steps, to absorb the
  rounding of sums and means) of some k/D. D is tried from small to large among
  lcm(1..k)·10^j for k = 1..12 and j = 0..6, so whole numbers (D = 1), halves, thirds, quarters,
  typed decimals to 6 places and means of up to 12 such ratings are all recognised. Each value is
  then the exact rational k/D.
* **Otherwise** each float is the exact decimal of its shortest representation
  (``Decimal(repr(x))``, so 0.1 is 1/10, not 3602879701896397/36028797018963968). Distinct floats
  have distinct shortest representations in the same order, so comparisons of such values are
  the float comparisons.
* ints and Fractions are exact already.

Because a positive rescaling and shift of a series keeps it on a grid (6.2, 6.3, ... for
2, 3, ... times 0.1 plus 6), every statistic computed from these exact values is unchanged by
the change of units.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np

from goalwise.core.errors import Problem

__all__ = [
    "GRID_TOLERANCE",
    "Exact",
    "Real",
    "comparison_keys",
    "exact_values",
    "grid_denominator",
    "plain_list",
    "real_series",
    "scaled_integers",
]

Real = int | float | Fraction
Exact = int | Fraction

#: Distance from a grid point, in steps, still taken as on it: floating noise, not a different value.
GRID_TOLERANCE = 1e-7
_RELATIVE_NOISE = 1e-13
#: Above this many steps the float cannot resolve the tolerance; finer grids are not tried.
_MAX_STEPS = 1e10
_LCM_BASES = (1, 2, 6, 12, 60, 420, 840, 2520, 27720)  # lcm(1..k) for k = 1..12, without repeats
_DENOMINATORS = tuple(sorted({base * 10**power for base in _LCM_BASES for power in range(7)}))
_SAMPLE = 64


def real_series(values: object, field: str) -> tuple[list[Real], list[Problem]]:
    """``values`` as a list of plain ints, floats and Fractions, and the problems with it.

    Accepts any sequence of real numbers: lists, tuples, NumPy arrays, NumPy scalars in a list.
    Anything that is not a finite real number is a problem naming its position; the value itself
    is never echoed (series hold client measurements).
    """
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            return [], [
                Problem(
                    "series-shape",
                    field,
                    f"{field} is a {values.ndim}-dimensional array; a series is one row of numbers.",
                    "Pass a 1-dimensional array or a list.",
                )
            ]
        if values.dtype.kind in "iuf":
            items: list[object] = values.tolist()
        else:
            items = list(values)
    elif isinstance(values, str | bytes) or not isinstance(values, Sequence):
        return [], [
            Problem(
                "series-type",
                field,
                f"{field} is not a series of numbers (got {type(values).__name__}).",
                "Pass a list, tuple or NumPy array of numbers.",
            )
        ]
    else:
        items = list(values)
    kinds = set(map(type, items))
    if kinds <= {int, Fraction}:
        return items, []  # type: ignore[return-value]
    if kinds <= {int, float, Fraction} and all(map(math.isfinite, items)):  # type: ignore[arg-type]
        return items, []  # type: ignore[return-value]
    out: list[Real] = []
    problems: list[Problem] = []
    for index, value in enumerate(items):
        converted = _plain(value)
        if converted is None:
            problems.append(
                Problem(
                    "series-number",
                    f"{field}[{index}]",
                    f"Value {index + 1} of {field} is not a number.",
                    "Pass only numbers (int, float or Fraction).",
                )
            )
        elif isinstance(converted, float) and not math.isfinite(converted):
            problems.append(
                Problem(
                    "series-finite",
                    f"{field}[{index}]",
                    f"Value {index + 1} of {field} is not finite.",
                    "Drop missing (NaN) or infinite values before the analysis.",
                )
            )
        else:
            out.append(converted)
    return out, problems


def plain_list(values: object, field: str) -> tuple[list[object], list[Problem]]:
    """Any sequence (list, tuple, 1-dimensional NumPy array) as a list, NumPy numbers as plain ones.

    Values that are not numbers stay as they are, for the caller's own checks and messages; the
    problem is only that ``values`` is no sequence at all.
    """
    if isinstance(values, np.ndarray) and values.ndim == 1:
        items: list[object] = values.tolist()
    elif isinstance(values, str | bytes) or not isinstance(values, Sequence):
        return [], [
            Problem(
                "series-type",
                field,
                f"{field} is not a series of numbers (got {type(values).__name__}).",
                "Pass a list, tuple or NumPy array of numbers.",
            )
        ]
    else:
        items = list(values)
    return [
        v if isinstance(v, int | float | Fraction) else (_plain(v) if _plain(v) is not None else v)
        for v in items
    ], []


def _plain(value: object) -> Real | None:
    """A plain int, float or Fraction for a real number of any kind (NumPy's included); else None."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | Fraction):
        return value
    if isinstance(value, numbers.Integral):
        return operator.index(value)
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, numbers.Real):
        return float(value)
    return None


def _fits(array: np.ndarray, denominator: int) -> bool:
    scaled = array * denominator
    off = np.abs(scaled - np.rint(scaled))
    return bool(np.all(off <= GRID_TOLERANCE + _RELATIVE_NOISE * np.abs(scaled)))


def grid_denominator(floats: Sequence[float] | np.ndarray) -> int | None:
    """The smallest D of the ladder (module docstring) with every value on the grid 1/D; None if none."""
    array = np.asarray(floats, dtype=np.float64)
    if not len(array):
        return 1
    if array.dtype.kind == "f" and bool(np.all(array == np.floor(array))):
        return 1  # whole numbers, the usual ratings and counts: one pass, no tolerance needed
    top = float(np.abs(array).max())
    sample = array[:_SAMPLE]
    for denominator in _DENOMINATORS:
        if top * denominator > _MAX_STEPS:
            break
        if _fits(sample, denominator) and (len(array) <= _SAMPLE or _fits(array, denominator)):
            return int(denominator)
    return None


def _exact_decimal(value: float) -> Exact:
    exact = Fraction(Decimal(repr(value)))
    return exact.numerator if exact.denominator == 1 else exact


def exact_values(values: Sequence[Real]) -> list[Exact]:
    """Each value as an exact rational at the data's own precision (rule in the module docstring)."""
    floats = [v for v in values if isinstance(v, float)]
    if not floats:
        return list(values)  # type: ignore[arg-type]
    denominator = grid_denominator(floats)
    out: list[Exact] = []
    for value in values:
        if not isinstance(value, float):
            out.append(value)
        elif denominator is None:
            out.append(_exact_decimal(value))
        else:
            steps = round(value * denominator)
            out.append(steps // denominator if steps % denominator == 0 else Fraction(steps, denominator))
    return out


def scaled_integers(values: Sequence[Real]) -> tuple[list[int], int]:
    """``(k, scale)`` with ``k[i] / scale`` the exact value of ``values[i]``; ``scale`` is positive.

    Comparisons, sums and medians of k are those of the exact values times ``scale``, at integer speed.
    """
    exact = exact_values(values)
    scale = math.lcm(1, *(v.denominator for v in exact if isinstance(v, Fraction)))
    if scale == 1:
        return [int(v) for v in exact], 1
    return [
        v.numerator * (scale // v.denominator) if isinstance(v, Fraction) else v * scale for v in exact
    ], scale


def comparison_keys(values: Sequence[Real] | np.ndarray) -> list[int] | list[float] | np.ndarray:
    """Keys that order and tie exactly as the exact values do (for counting statistics).

    A NumPy array stays an array (float64 holding whole numbers below 2**53, or the floats as
    given when they lie on no grid): the fast counting paths need no conversion.
    """
    if isinstance(values, np.ndarray):
        denominator = grid_denominator(values)
        if denominator is None:
            return values
        if denominator == 1 and values.dtype.kind in "iu":
            return values
        keys: np.ndarray = np.rint(values * denominator)
        if float(np.abs(keys).max()) < 2**53:
            return keys
        return scaled_integers(values.tolist())[0]
    kinds = set(map(type, values))
    if kinds <= {int}:
        return [int(v) for v in values]
    if kinds == {float} and grid_denominator([float(v) for v in values]) is None:
        return [float(v) for v in values]
    return scaled_integers(values)[0]
