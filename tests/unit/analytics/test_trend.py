"""Theil-Sen lines and Kendall's S: published baselines (CLINICAL.md §5.2), hand cases, properties."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.analytics.precision import exact_values
from goalwise.analytics.trend import kendall_s, theil_sen, theil_sen_exact
from goalwise.core.errors import InvalidInput

EXACT = 1e-9


def fields(error: InvalidInput) -> list[str]:
    return [p.field for p in error.problems]


@pytest.mark.parametrize(
    ("baseline", "slope", "intercept"),
    [
        ([20, 20, 26, 25, 22, 23], Fraction(3, 5), Fraction(97, 5)),  # V1: 0.6, 19.4
        ([3, 3, 4, 5], Fraction(5, 6), Fraction(19, 12)),  # V2
        ([1, 2, 3, 4, 5], Fraction(1), Fraction(0)),  # V3
        ([4, 3, 4, 3, 4, 7, 5, 2, 3, 2], Fraction(-1, 8), Fraction(33, 8)),  # V4: -0.125, 4.125
    ],
)
def test_theil_sen_reproduces_the_published_baselines(
    baseline: list[int], slope: Fraction, intercept: Fraction
) -> None:
    assert theil_sen_exact(baseline) == (slope, intercept)
    fitted_slope, fitted_intercept = theil_sen(baseline)
    assert fitted_slope == pytest.approx(float(slope), abs=EXACT)
    assert fitted_intercept == pytest.approx(float(intercept), abs=EXACT)


def test_theil_sen_ignores_one_outlier() -> None:
    # 1,2,3,4,100 at x=1..5: the six pairs among the first four have slope 1, the four pairs
    # with 100 have slopes 24.75..96, so the median of the ten is 1; y - x = 0,0,0,0,95 -> 0.
    assert theil_sen([1, 2, 3, 4, 100]) == (1.0, 0.0)


def test_theil_sen_skips_pairs_with_equal_x() -> None:
    # x = 1, 1, 2: only the pairs (1,2) qualify, slopes 2 and 4 -> 3; intercept median(y - 3x)
    # = median(-2, 0, -1) = -1
    assert theil_sen_exact([1, 3, 5], x=[1, 1, 2]) == (Fraction(3), Fraction(-1))


def test_theil_sen_order_of_points_does_not_matter() -> None:
    assert theil_sen([5, 1, 3], x=[3, 1, 2]) == theil_sen([1, 3, 5])


def test_theil_sen_rejects_a_single_point() -> None:
    with pytest.raises(InvalidInput) as caught:
        theil_sen([4])
    assert fields(caught.value) == ["y"]


def test_theil_sen_rejects_mismatched_lengths() -> None:
    with pytest.raises(InvalidInput) as caught:
        theil_sen([1, 2, 3], x=[1, 2])
    assert fields(caught.value) == ["x"]


def test_theil_sen_rejects_all_equal_x() -> None:
    with pytest.raises(InvalidInput) as caught:
        theil_sen_exact([1, 2, 3], x=[4, 4, 4])
    assert fields(caught.value) == ["x"]


def test_theil_sen_names_the_index_of_a_missing_value() -> None:
    with pytest.raises(InvalidInput) as caught:
        theil_sen([1, math.nan, 3])
    assert fields(caught.value) == ["y[1]"]
    assert "value 2" in caught.value.problems[0].message.lower()


def test_kendall_s_of_hand_series() -> None:
    assert kendall_s([1, 2, 3, 4]) == 6  # all 6 pairs rise
    assert kendall_s([4, 3, 2, 1]) == -6
    # 20,20,26,25,22,23 (V1 baseline): S_A = 4, which makes Tau-U = (35 - 4)/42
    assert kendall_s([20, 20, 26, 25, 22, 23]) == 4
    assert kendall_s([7]) == 0
    assert kendall_s([]) == 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=-4, max_value=4) | st.floats(-10, 10), max_size=30))
def test_kendall_s_equals_all_pairs_sign_sum(values: list[float]) -> None:
    # compared at the data's own precision, as every statistic is (analytics.precision)
    values = exact_values(values)  # type: ignore[assignment]
    expected = sum(
        (values[j] > values[i]) - (values[j] < values[i])
        for i in range(len(values))
        for j in range(i + 1, len(values))
    )
    assert kendall_s(values) == expected


@settings(max_examples=100, deadline=None)
@given(
    slope=st.fractions(min_value=-20, max_value=20, max_denominator=12),
    intercept=st.fractions(min_value=-50, max_value=50, max_denominator=12),
    xs=st.lists(st.integers(min_value=-100, max_value=100), min_size=2, max_size=15, unique=True),
)
def test_theil_sen_recovers_an_exact_line(slope: Fraction, intercept: Fraction, xs: list[int]) -> None:
    ys = [slope * x + intercept for x in xs]
    assert theil_sen_exact(ys, x=xs) == (slope, intercept)
    fitted_slope, fitted_intercept = theil_sen(ys, x=xs)
    assert fitted_slope == pytest.approx(float(slope), abs=EXACT)
    assert fitted_intercept == pytest.approx(float(intercept), abs=1e-7)
