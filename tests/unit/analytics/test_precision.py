"""Ties at the data's own precision: every statistic is unchanged by a change of units.

Decimals as people type them (0.1 and 0.25 steps) and daily means of a few ratings (thirds) are
exact values for every overlap index, the Theil-Sen line and the baseline summary (issue 11).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.analytics.aggregate import Point
from goalwise.analytics.baseline import summarise_baseline
from goalwise.analytics.overlap import ird, nap, pand, pem, pnd, tau, tau_bc, tau_u
from goalwise.analytics.precision import exact_values, grid_denominator, real_series
from goalwise.analytics.trend import kendall_s, theil_sen, theil_sen_exact
from goalwise.core.errors import InvalidInput

INDICES = (nap, tau, tau_u, tau_bc, pnd, pem, pand, ird)


def test_parker_series_gives_the_same_tau_bc_in_any_units() -> None:
    # A = 2,3,5,3; B = 4,5,5,7,6. Baseline slopes 1, 3/2, 1/3, 2, 0, -2 -> median (1/3 + 1)/2 = 2/3;
    # y - 2i/3 = 4/3, 5/3, 3, 1/3 -> intercept (4/3 + 5/3)/2 = 3/2. Residuals ×6:
    # A 3, 1, 9, -9; B (sessions 5..9) -5, -7, -11, -5, -17. S = (#B > A) - (#B < A) = 10 - 20 = -10
    # -> Tau-BC = -10/20 = -0.5.
    a, b = [2, 3, 5, 3], [4, 5, 5, 7, 6]
    assert tau_bc(a, b).value == -0.5
    # The same series as a person would type it in other units: 6.2, 6.3, 6.5, ...
    assert tau_bc([v * 0.1 + 6 for v in a], [v * 0.1 + 6 for v in b]).value == -0.5
    assert tau_bc([v * 0.25 - 3 for v in a], [v * 0.25 - 3 for v in b]).value == -0.5


def test_daily_means_of_three_ratings_give_the_exact_tau_bc() -> None:
    # Daily sums of three ratings /3. In thirds: A = 16, 23, 21, 19; B = 21, 24, 28, 20, 27, 27.
    # Baseline slopes 7, 5/2, 1, -2, -2, -2 -> median -1/2; y + i/2 = 16.5, 24, 22.5, 21 ->
    # intercept 21.75. Residuals: A -5.25, 2.25, 0.75, -0.75; B 1.75, 5.25, 9.75, 2.25, 9.75, 10.25.
    # Per B value, wins minus losses: 2, 4, 4, 3 (2.25 ties A's 2.25), 4, 4 -> S = 21 of 24 pairs.
    # Tau-BC = 21/24 = 0.875; binary floating point breaks the tie into a win and gives 22/24.
    a = [16 / 3, 23 / 3, 21 / 3, 19 / 3]
    b = [21 / 3, 24 / 3, 28 / 3, 20 / 3, 27 / 3, 27 / 3]
    assert tau_bc(a, b).value == 0.875


def test_pem_compares_decimals_with_the_baseline_median_exactly() -> None:
    # median(A) = (0.1 + 0.2)/2 = 0.15 exactly; B = 0.15 ties (1/2), 0.3 above, 0.1 below -> 1.5/3.
    # In binary, (0.1 + 0.2)/2 is 0.15000000000000002, which would make the tie a loss.
    assert pem([0.1, 0.2], [0.15, 0.3, 0.1]).value == 0.5


def test_grid_of_typed_decimals_and_of_means() -> None:
    assert grid_denominator([1.0, 2.0, 7.0]) == 1
    assert grid_denominator([6.2, 6.3, 6.5]) == 10
    assert grid_denominator([0.25, 7.5]) == 12  # quarters: the first lcm(1..k) with a 4 in it
    assert grid_denominator([16 / 3, 7.0]) == 6
    assert exact_values([6.2, 16 / 3, 2]) == [Fraction(31, 5), Fraction(16, 3), 2]
    # no grid: the exact decimal of each value's shortest representation
    assert exact_values([0.1234567891234, 2.0]) == [Fraction(Decimal("0.1234567891234")), 2]


def test_numpy_arrays_and_scalars_are_series_of_numbers() -> None:
    a, b = np.array([20, 20, 26, 25, 22, 23]), np.array([28.0, 25, 24, 27, 30, 30, 29])
    # Parker, Vannest & Davis (2011) example 1 (CLINICAL.md §5.2 V1): NAP 38.5/42, Tau-BC 0.285714286
    assert nap(a, b).value == pytest.approx(38.5 / 42, abs=1e-12)
    assert tau_bc(a, b).value == pytest.approx(0.285714286, abs=1e-9)
    assert kendall_s(np.array([20, 20, 26, 25, 22, 23])) == 4
    assert theil_sen(np.array([1.0, 2.0, 3.0])) == (1.0, 0.0)
    assert real_series([np.int64(3), np.float32(0.5)], "a") == ([3, 0.5], [])


@pytest.mark.parametrize("index", INDICES)
def test_other_input_is_refused_with_invalid_input(index: object) -> None:
    for bad_a in ("1234", {1: 2}, 5, np.array([[1, 2], [3, 4]]), ["1", 2], [True, 2]):
        with pytest.raises(InvalidInput) as caught:
            index(bad_a, [1, 2, 3])  # type: ignore[operator]
        assert caught.value.problems[0].field.startswith("a")


# --- Properties ----------------------------------------------------------------------------

steps = st.lists(st.integers(min_value=-12, max_value=12), min_size=2, max_size=10)
scales = st.sampled_from(["0.1", "0.25", "0.5", "2", "1.5", "10", "0.01"])
shifts = st.sampled_from(["0", "6", "-3.5", "0.7", "100"])


def typed(values: list[int], scale: str, shift: str) -> list[float]:
    """The series as a person types it in other units: the decimal k·scale + shift, as a float."""
    return [float(Decimal(v) * Decimal(scale) + Decimal(shift)) for v in values]


def means_of_three(triples: list[tuple[int, int, int]], scale: str, shift: str) -> list[float]:
    """Daily means of three ratings, each rating first put in other units, computed in floats."""
    s, c = float(scale), float(shift)
    return [((x * s + c) + (y * s + c) + (z * s + c)) / 3 for x, y, z in triples]


def same(first: float | None, second: float | None) -> bool:
    return first == second or (first is not None and second is not None and abs(first - second) < 1e-9)


@settings(max_examples=120, deadline=None)
@given(steps, steps, scales, shifts)
def test_overlap_indices_are_unchanged_by_rescaling_typed_decimals(
    a: list[int], b: list[int], scale: str, shift: str
) -> None:
    for index in INDICES:
        assert index(typed(a, scale, shift), typed(b, scale, shift)).value == index(a, b).value


ratings = st.tuples(*(st.integers(min_value=1, max_value=10),) * 3)
days = st.lists(ratings, min_size=2, max_size=8)


@settings(max_examples=120, deadline=None)
@given(days, days, scales, shifts)
def test_overlap_indices_are_unchanged_by_rescaling_means_of_ratings(
    a: list[tuple[int, int, int]], b: list[tuple[int, int, int]], scale: str, shift: str
) -> None:
    exact_a = [Fraction(sum(t), 3) for t in a]
    exact_b = [Fraction(sum(t), 3) for t in b]
    for index in INDICES:
        expected = index(exact_a, exact_b).value
        assert index(means_of_three(a, scale, shift), means_of_three(b, scale, shift)).value == expected


@settings(max_examples=120, deadline=None)
@given(steps, scales, shifts)
def test_theil_sen_follows_a_rescaling_exactly(y: list[int], scale: str, shift: str) -> None:
    slope, intercept = theil_sen_exact(y)
    new_slope, new_intercept = theil_sen_exact(typed(y, scale, shift))
    assert new_slope == slope * Fraction(scale)
    assert new_intercept == intercept * Fraction(scale) + Fraction(shift)
    assert kendall_s(typed(y, scale, shift)) == kendall_s(y)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=12), scales, shifts)
def test_baseline_summary_follows_a_rescaling(values: list[int], scale: str, shift: str) -> None:
    start = date(2026, 1, 1)
    points = [Point(start + timedelta(days=i), float(v)) for i, v in enumerate(values)]
    moved = [Point(p.on, f) for p, f in zip(points, typed(values, scale, shift), strict=True)]
    plain, other = summarise_baseline(points, "decrease"), summarise_baseline(moved, "decrease")
    s, c = float(scale), float(shift)
    assert same(other.mean, None if plain.mean is None else plain.mean * s + c)
    assert same(other.median, None if plain.median is None else plain.median * s + c)
    assert same(other.sd, None if plain.sd is None else plain.sd * s)
    assert same(other.slope_per_day, None if plain.slope_per_day is None else plain.slope_per_day * s)
    # The steepness rule compares the trend with the SD and with 20% of the mean; the mean part
    # depends on where zero is, so the verdict is unchanged by a rescaling without a shift.
    rescaled = [Point(p.on, f) for p, f in zip(points, typed(values, scale, "0"), strict=True)]
    assert summarise_baseline(rescaled, "decrease").verdict == plain.verdict


@settings(max_examples=60, deadline=None)
@given(steps, steps, st.booleans())
def test_numpy_input_equals_list_input(a: list[int], b: list[int], as_float: bool) -> None:
    kind = np.float64 if as_float else np.int64
    for index in INDICES:
        assert index(np.array(a, dtype=kind), np.array(b, dtype=kind)) == index(a, b)
        assert index([kind(v) for v in a], tuple(b)) == index(a, b)
    assert theil_sen(np.array(a, dtype=kind)) == theil_sen(a)


def test_gas_sudden_gains_and_change_take_numpy_data() -> None:
    from goalwise.analytics.change import reliable_change
    from goalwise.analytics.gas import t_score
    from goalwise.analytics.sudden_gain import sudden_gains

    # gasr's example (CLINICAL.md §4): x = (-2, 0, -1, 2, 0, 1), w = (3, 5, 1, 4, 2, 6) -> T = 55.0
    levels, weights = np.array([-2, 0, -1, 2, 0, 1]), np.array([3, 5, 1, 4, 2, 6])
    assert t_score(levels, weights) == 55.0
    assert t_score([np.int64(v) for v in levels], tuple(weights), rho=np.float64(0.3)) == 55.0
    # Tang & DeRubeis example of the sudden-gain tests: one gain from session index 2 to 3
    assert [g.session_index for g in sudden_gains(np.array([18, 17, 18, 10, 9, 8]), threshold=6)] == [2]
    # J&T RC with s = 7.5, r = .80, 32 -> 53: 4.427189 (CLINICAL.md §3.2)
    assert reliable_change(np.int64(32), np.float64(53), 7.5, 0.8) == pytest.approx(4.427189, abs=1e-6)
    with pytest.raises(InvalidInput):
        t_score("2, 1")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        sudden_gains({1: 18}, threshold=6)  # type: ignore[arg-type]
