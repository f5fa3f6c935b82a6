"""The integer fast paths of Theil-Sen and Tau-BC give exactly what the Fraction paths give."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.analytics.overlap import tau_bc
from goalwise.analytics.trend import theil_sen_exact

small = st.lists(st.integers(min_value=-20, max_value=20), min_size=2, max_size=25)


@settings(max_examples=200, deadline=None)
@given(small)
def test_integer_theil_sen_equals_the_fraction_path(values: list[int]) -> None:
    fast = theil_sen_exact(values)
    slow = theil_sen_exact([Fraction(v) for v in values], [Fraction(i) for i in range(1, len(values) + 1)])
    assert fast == slow


@settings(max_examples=200, deadline=None)
@given(small, st.lists(st.integers(min_value=-20, max_value=20), min_size=1, max_size=25))
def test_tau_bc_on_whole_floats_equals_tau_bc_on_fractions(a: list[int], b: list[int]) -> None:
    as_floats = tau_bc([float(v) for v in a], [float(v) for v in b])
    as_fractions = tau_bc([Fraction(v) for v in a], [Fraction(v) for v in b])
    assert as_floats == as_fractions


def test_tie_after_detrending_stays_a_tie_on_the_fast_path() -> None:
    # Parker, Vannest & Davis (2011) example 1 (CLINICAL.md §5.2 V1): Tau-BC 0.285714286.
    a = [20, 20, 26, 25, 22, 23]
    b = [28, 25, 24, 27, 30, 30, 29]
    assert abs(tau_bc(a, b).value - 0.285714286) < 1e-9
    assert abs(tau_bc([float(v) for v in a], [float(v) for v in b]).value - 0.285714286) < 1e-9
