"""Single-case effect sizes against the published vectors of CLINICAL.md §5.2 and brute force."""

from __future__ import annotations

import math
import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.analytics.overlap import (
    Estimate,
    ird,
    level_and_slope_change,
    nap,
    pand,
    pem,
    phase_effects,
    pnd,
    tau,
    tau_bc,
    tau_u,
)
from goalwise.analytics.precision import exact_values
from goalwise.core.errors import InvalidInput

EXACT = 1e-9  # point estimates and SEs
INTERVAL = 1e-3  # SingleCaseES's uniroot is accurate to ~1e-4 (CLINICAL.md §5.3)

V1 = ([20, 20, 26, 25, 22, 23], [28, 25, 24, 27, 30, 30, 29])
V2 = ([3, 3, 4, 5], [4, 5, 6, 7, 7])
V3 = ([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
V4 = ([4, 3, 4, 3, 4, 7, 5, 2, 3, 2], [5, 9, 7, 9, 7, 5, 9, 11, 11, 10, 9])


def fields(error: InvalidInput) -> list[str]:
    return [p.field for p in error.problems]


# --- Published vectors (CLINICAL.md §5.2) -------------------------------------------------


def test_v1_parker_vannest_davis_example_1_point_estimates() -> None:
    a, b = V1
    assert nap(a, b).value == pytest.approx(38.5 / 42, abs=EXACT)
    assert tau(a, b).value == pytest.approx(35 / 42, abs=EXACT)
    assert tau_u(a, b).value == pytest.approx(31 / 42, abs=EXACT)
    assert pnd(a, b).value == pytest.approx(5 / 7, abs=EXACT)
    assert pem(a, b).value == 1.0
    assert pand(a, b).value == pytest.approx(1 - 2 / 13, abs=EXACT)
    assert ird(a, b).value == pytest.approx(6 / 7 - 1 / 6, abs=EXACT)


def test_v1_nap_standard_errors_match_singlecasees() -> None:
    a, b = V1
    assert nap(a, b).se == pytest.approx(0.0690065559342, abs=EXACT)
    assert nap(a, b, se_method="hanley").se == pytest.approx(0.0773918534097, abs=EXACT)
    assert nap(a, b, se_method="null").se == pytest.approx(0.166666666667, abs=EXACT)
    assert tau(a, b).se == pytest.approx(0.1380131118685, abs=EXACT)


def test_v1_nap_interval_matches_singlecasees_and_exact_newcombe_roots() -> None:
    estimate = nap(*V1)
    assert estimate.ci_low == pytest.approx(0.597340610527, abs=INTERVAL)
    assert estimate.ci_high == pytest.approx(0.986017584590, abs=INTERVAL)
    # our bisection runs to full precision, so it also hits the exact roots closely
    assert estimate.ci_low == pytest.approx(0.597319360, abs=1e-8)
    assert estimate.ci_high == pytest.approx(0.985997689, abs=1e-8)


def test_v1_tau_interval_is_the_nap_interval_mapped_by_2_theta_minus_1() -> None:
    estimate = tau(*V1)
    assert estimate.ci_low == pytest.approx(2 * 0.597340610527 - 1, abs=2 * INTERVAL)
    assert estimate.ci_high == pytest.approx(2 * 0.986017584590 - 1, abs=2 * INTERVAL)


def test_v1_tau_bc_matches_singlecasees() -> None:
    estimate = tau_bc(*V1)
    assert estimate.value == pytest.approx(0.285714286, abs=EXACT)
    assert estimate.se == pytest.approx(0.3595159254891, abs=EXACT)


def test_v2_parker_vannest_davis_example_2() -> None:
    a, b = V2
    assert tau(a, b).value == pytest.approx(0.8, abs=EXACT)
    assert tau_u(a, b).value == pytest.approx(0.55, abs=EXACT)
    assert nap(a, b).value == pytest.approx(0.9, abs=EXACT)
    assert nap(a, b).se == pytest.approx(0.1, abs=EXACT)
    assert pnd(a, b).value == pytest.approx(0.6, abs=EXACT)
    assert pand(a, b).value == pytest.approx(0.777777778, abs=EXACT)
    assert ird(a, b).value == pytest.approx(0.55, abs=EXACT)
    assert tau_bc(a, b).value == pytest.approx(-1.0, abs=EXACT)


def test_v3_tarlow_perfect_trend_is_fully_explained_by_the_baseline() -> None:
    a, b = V3
    assert tau(a, b).value == 1.0
    assert tau_u(a, b).value == pytest.approx(0.6, abs=EXACT)
    corrected = tau_bc(a, b)
    assert corrected.value == 0.0
    # every residual is 0: all pairs tie, NAP = 1/2, SE = 2·√(0.25/16) = 0.25
    assert corrected.se == pytest.approx(0.25, abs=EXACT)
    assert nap(a, b).se == pytest.approx(0.035, abs=EXACT)
    assert nap(a, b, se_method="hanley").se == pytest.approx(0.028, abs=EXACT)


def test_v3_nap_of_1_keeps_upper_bound_1_and_gives_the_proper_newcombe_lower_bound() -> None:
    # SingleCaseES reports the degenerate [1, 1]; CLINICAL.md §5.2 gives the proper root 0.6427.
    estimate = nap(*V3)
    assert estimate.ci_high == 1.0
    assert estimate.ci_low == pytest.approx(0.6427, abs=INTERVAL)


def test_v4_parker_vannest_2009_nap_example() -> None:
    a, b = V4
    estimate = nap(a, b)
    assert estimate.value == pytest.approx(106 / 110, abs=EXACT)
    assert estimate.se == pytest.approx(0.0319262234935, abs=EXACT)
    assert nap(a, b, se_method="hanley").se == pytest.approx(0.034833509778, abs=EXACT)
    assert estimate.ci_low == pytest.approx(0.749974108, abs=INTERVAL)
    assert estimate.ci_high == pytest.approx(0.995072899, abs=INTERVAL)
    assert estimate.ci_low == pytest.approx(0.749972007, abs=1e-8)
    assert estimate.ci_high == pytest.approx(0.995081286, abs=1e-8)
    assert tau(a, b).value == pytest.approx(0.927272727, abs=EXACT)
    assert pnd(a, b).value == pytest.approx(7 / 11, abs=EXACT)
    assert pand(a, b).value == pytest.approx(0.904761905, abs=EXACT)
    assert ird(a, b).value == pytest.approx(0.809090909, abs=EXACT)


def test_v4_parker_tau_u_exceeds_1() -> None:
    assert tau_u(*V4).value == pytest.approx(1.018181818, abs=EXACT)


# --- Hand-calculated cases ----------------------------------------------------------------


def test_tau_bc_keeps_ties_that_floating_point_detrending_would_break() -> None:
    # A = 5,1,4,4: pairwise slopes -4, -1/2, -1/3, 0, 3/2, 3 -> slope -1/6; y + x/6 gives
    # 31/6, 8/6, 27/6, 28/6 -> intercept 55/12. Residuals ×12: A 7, -39, -1, 1;
    # B (sessions 5..9) 27, -43, -17, -39, 47. S = 4 - 4 - 2 - 3 + 4 = -1 (the -39 pair ties),
    # Tau-BC = -1/20. Naive float detrending makes the tie a loss and gives -0.1.
    assert tau_bc([5, 1, 4, 4], [6, 0, 2, 0, 7]).value == pytest.approx(-0.05, abs=EXACT)


def test_decrease_negates_the_data() -> None:
    a, b = V1
    # all B values are above min(A) = 20, so none is "better" under a decrease
    assert pnd(a, b, "decrease").value == 0.0
    assert nap(a, b, "decrease").value == pytest.approx(3.5 / 42, abs=EXACT)
    # lower is better: B = 1,2 below A's minimum 3 -> PND 1
    assert pnd([3, 4, 5], [1, 2], "decrease").value == 1.0


def test_pem_counts_ties_with_the_baseline_median_as_half() -> None:
    # median(A) = 3; B = 3, 4, 2, 5 -> 0.5 + 1 + 0 + 1 = 2.5 of 4
    assert pem([1, 3, 5], [3, 4, 2, 5]).value == pytest.approx(0.625, abs=EXACT)


def test_unbiased_se_is_none_with_a_single_baseline_value() -> None:
    estimate = nap([3], [4, 5, 6])
    assert estimate.value == 1.0
    assert estimate.se is None
    assert nap([3], [4, 5, 6], se_method="hanley").se is not None


def test_nap_accepts_fractions_and_floats_together() -> None:
    # 1/3 < 0.34 < 1/2: B wins both pairs against A = 0.3
    assert nap([0.3], [Fraction(1, 3), 0.5]).value == 1.0


def test_level_and_slope_change_reports_level_and_trend_shifts() -> None:
    change = level_and_slope_change([1, 2, 3, 4], [10, 10, 10])
    assert change.median_a == 2.5
    assert change.median_change == 7.5
    assert change.mean_change == 7.5
    assert change.slope_a == 1.0
    assert change.slope_b == 0.0
    assert change.slope_change == -1.0


def test_level_and_slope_change_has_no_slope_for_a_single_value() -> None:
    change = level_and_slope_change([4], [5, 7])
    assert change.slope_a is None
    assert change.slope_change is None
    assert change.slope_b == 2.0


def test_phase_effects_bundles_every_index() -> None:
    effects = phase_effects(*V1)
    assert effects.nap == nap(*V1)
    assert effects.tau_u == tau_u(*V1)
    assert effects.tau_bc == tau_bc(*V1)
    assert effects.ird == ird(*V1)
    assert (effects.n_a, effects.n_b) == (6, 7)
    assert phase_effects([3], [4]).tau_bc is None


# --- Invalid input ------------------------------------------------------------------------


@pytest.mark.parametrize("index", [nap, tau, tau_u, tau_bc, pnd, pem, pand, ird])
def test_every_index_rejects_an_empty_baseline(index: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        index([], [1, 2])  # type: ignore[operator]
    assert fields(caught.value) == ["a"]


@pytest.mark.parametrize("index", [nap, tau, tau_u, tau_bc, pnd, pem, pand, ird])
def test_every_index_rejects_an_empty_intervention_phase(index: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        index([1, 2], [])  # type: ignore[operator]
    assert fields(caught.value) == ["b"]


def test_unknown_improvement_is_rejected_by_name() -> None:
    with pytest.raises(InvalidInput) as caught:
        nap([1], [2], "up")  # type: ignore[arg-type]
    assert fields(caught.value) == ["improvement"]


def test_nan_is_rejected_with_its_index_and_every_problem_is_listed() -> None:
    with pytest.raises(InvalidInput) as caught:
        tau([1, math.nan], [2, "x"])  # type: ignore[list-item]
    assert fields(caught.value) == ["a[1]", "b[1]"]


def test_tau_bc_needs_two_baseline_points() -> None:
    with pytest.raises(InvalidInput) as caught:
        tau_bc([1], [2, 3])
    assert fields(caught.value) == ["a"]


def test_bad_se_method_and_confidence_are_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        nap([1], [2], se_method="exact", confidence=1.5)  # type: ignore[arg-type]
    assert fields(caught.value) == ["se_method", "confidence"]


def test_estimate_is_frozen() -> None:
    with pytest.raises(AttributeError):
        Estimate(0.5).value = 1.0  # type: ignore[misc]


# --- Brute force and properties -----------------------------------------------------------


def at_precision(a: list[float], b: list[float]) -> tuple[list[float], list[float]]:
    """Both phases as the exact values the statistics compare (analytics.precision: one grid)."""
    exact = [float(v) for v in exact_values([*a, *b])]
    return exact[: len(a)], exact[len(a) :]


def brute_nap(a: list[float], b: list[float]) -> tuple[float, float]:
    """NAP and its unbiased SE over all m·n pairs, written as SingleCaseES 0.7.4 does."""
    m, n = len(a), len(b)
    q = [[1.0 if y > x else 0.5 if y == x else 0.0 for y in b] for x in a]
    value = sum(map(sum, q)) / (m * n)
    q1 = sum((sum(row) - n * value) ** 2 for row in q) / (m * n * n)
    q2 = sum((sum(q[i][j] for i in range(m)) - m * value) ** 2 for j in range(n)) / (m * m * n)
    q3 = sum((v - value) ** 2 for row in q for v in row) / (m * n)
    trunc = 0.5 / (m * n)
    clipped = min(max(value, trunc), 1 - trunc)
    variance = (clipped * (1 - clipped) + n * q1 + m * q2 - 2 * q3) / ((m - 1) * (n - 1))
    return value, math.sqrt(max(variance, 0.0))


def brute_tau_u(a: list[float], b: list[float]) -> float:
    s_ab = sum((y > x) - (y < x) for x in a for y in b)
    s_a = sum((a[j] > a[i]) - (a[j] < a[i]) for i in range(len(a)) for j in range(i + 1, len(a)))
    return (s_ab - s_a) / (len(a) * len(b))


def brute_pand(a: list[float], b: list[float]) -> float:
    # SingleCaseES calc_PAND: keep the i lowest A and the highest B from j on, with max(A) < min(B)
    xs, ys = [-math.inf, *sorted(a)], [*sorted(b), math.inf]
    m, n = len(a), len(b)
    kept = max(i + n - j for i in range(1, m + 2) for j in range(1, n + 2) if xs[i - 1] < ys[j - 1])
    return kept / (m + n)


tied_phase = st.lists(st.integers(min_value=0, max_value=6), min_size=2, max_size=12)
spread_phase = st.lists(
    st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False), min_size=2, max_size=12
)
phase = tied_phase | spread_phase
fast = settings(max_examples=150, deadline=None)


@fast
@given(phase, phase)
def test_fast_nap_and_se_equal_brute_force_all_pairs(a: list[float], b: list[float]) -> None:
    value, se = brute_nap(*at_precision(a, b))
    estimate = nap(a, b)
    assert estimate.value == pytest.approx(value, abs=EXACT)
    assert estimate.se == pytest.approx(se, abs=EXACT)


@fast
@given(phase, phase)
def test_fast_tau_u_and_pand_equal_brute_force(a: list[float], b: list[float]) -> None:
    assert tau_u(a, b).value == pytest.approx(brute_tau_u(*at_precision(a, b)), abs=EXACT)
    assert pand(a, b).value == pytest.approx(brute_pand(*at_precision(a, b)), abs=EXACT)


@fast
@given(phase, phase)
def test_nap_is_tau_plus_one_over_two(a: list[float], b: list[float]) -> None:
    n_est, t_est = nap(a, b), tau(a, b)
    assert n_est.value == pytest.approx((t_est.value + 1) / 2, abs=1e-15)
    assert t_est.se == pytest.approx(2 * n_est.se, abs=1e-15)  # type: ignore[operator]


@fast
@given(phase, phase)
def test_flipping_improvement_mirrors_the_estimates(a: list[float], b: list[float]) -> None:
    up, down = nap(a, b, "increase"), nap(a, b, "decrease")
    assert down.value == pytest.approx(1 - up.value, abs=1e-15)
    assert down.se == pytest.approx(up.se, abs=EXACT)
    assert down.ci_low == pytest.approx(1 - up.ci_high, abs=EXACT)  # type: ignore[operator]
    assert down.ci_high == pytest.approx(1 - up.ci_low, abs=EXACT)  # type: ignore[operator]
    assert tau(a, b, "decrease").value == pytest.approx(-tau(a, b).value, abs=1e-15)
    assert tau_u(a, b, "decrease").value == pytest.approx(-tau_u(a, b).value, abs=1e-15)
    assert pem(a, b, "decrease").value == pytest.approx(1 - pem(a, b).value, abs=1e-15)


@fast
@given(
    st.lists(st.integers(min_value=-5, max_value=5), min_size=2, max_size=12),
    st.lists(st.integers(min_value=-5, max_value=5), min_size=2, max_size=12),
)
def test_nap_and_tau_are_unchanged_by_a_strictly_increasing_transform(a: list[int], b: list[int]) -> None:
    for transform in (lambda v: 3 * v + 7, math.exp):
        ta, tb = [transform(v) for v in a], [transform(v) for v in b]
        assert nap(ta, tb) == nap(a, b)
        assert tau(ta, tb) == tau(a, b)


def test_nap_on_large_phases_is_not_quadratic() -> None:
    # 20,000 + 20,000 points: an all-pairs loop (4e8 pairs) would take minutes.
    a = [(i * 7919) % 10007 for i in range(20_000)]
    b = [(i * 104729) % 10009 + 3 for i in range(20_000)]
    started = time.perf_counter()
    estimate = nap(a, b)
    assert time.perf_counter() - started < 5.0
    assert 0.0 < estimate.value < 1.0
