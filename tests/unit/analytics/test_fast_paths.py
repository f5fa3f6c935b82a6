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


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=2**31), st.booleans())
def test_nap_on_long_phases_equals_the_exact_python_path(seed: int, whole: bool) -> None:
    import random

    from goalwise.analytics.overlap import nap

    rng = random.Random(seed)
    # Above 2,000 values the counts come from numpy; Fractions force the pure-Python path.
    draw = (lambda: rng.randint(0, 10)) if whole else (lambda: round(rng.gauss(0, 1), 2))
    a = [draw() for _ in range(1_500)]
    b = [draw() for _ in range(1_300)]
    fast = nap(a, b)
    slow = nap([Fraction(v) for v in a], [Fraction(v) for v in b])
    assert fast.value == slow.value and fast.se == slow.se
    assert (fast.ci_low, fast.ci_high) == (slow.ci_low, slow.ci_high)
