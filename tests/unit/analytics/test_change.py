"""Reliable change, clinical cut-offs and NHS Talking Therapies outcomes (CLINICAL.md §1.5, §3)."""

from __future__ import annotations

import math

import pytest

from goalwise.analytics.change import (
    INSTRUMENT_THRESHOLDS,
    Cutoffs,
    category,
    cutoffs,
    iapt_outcome,
    phq9_remission,
    phq9_response,
    reliable_change,
    reliable_change_threshold,
)
from goalwise.core.errors import InvalidInput


def fields(error: InvalidInput) -> list[str]:
    return [p.field for p in error.problems]


# --- Jacobson & Truax ----------------------------------------------------------------------


def test_cutoffs_reproduce_the_jacobson_truax_example_higher_is_better() -> None:
    # clinical 40 ± 7.5, functional 60 ± 7.5 (pedscience/clinicalsignificance test-calc_cutoff.R)
    assert cutoffs(40, 7.5, 60, 7.5, higher_is_better=True) == Cutoffs(a=55.0, b=45.0, c=50.0)


def test_cutoffs_lower_is_better() -> None:
    # a = 15 - 2·5 = 5, b = 3 + 2·3 = 9, c = (3·15 + 5·3)/(3 + 5) = 7.5
    assert cutoffs(15, 5, 3, 3, higher_is_better=False) == Cutoffs(a=5.0, b=9.0, c=7.5)


def test_cutoffs_reject_a_zero_sd() -> None:
    with pytest.raises(InvalidInput) as caught:
        cutoffs(15, 0, 3, -1, higher_is_better=False)
    assert fields(caught.value) == ["clinical_sd", "normal_sd"]


def test_reliable_change_index_worked_example() -> None:
    # s = 7.5, r = .80: SE = 7.5·√.2 = 3.354102, S_diff = 4.743416, RC = 21/4.743416 = 4.427189
    assert reliable_change(32, 53, 7.5, 0.80) == pytest.approx(4.427189, abs=1e-6)
    assert reliable_change_threshold(7.5, 0.80, z=1) == pytest.approx(4.743416, abs=1e-6)


def test_reliable_change_is_negative_when_the_score_falls() -> None:
    assert reliable_change(53, 32, 7.5, 0.80) == pytest.approx(-4.427189, abs=1e-6)


def test_reliable_change_threshold_for_the_illustrative_phq9_is_6_points() -> None:
    # s = 5, r = .84: S_diff = 5·√2·0.4 = 2.828427; 1.96·S_diff = 5.5437 -> 6 whole points
    threshold = reliable_change_threshold(5.0, 0.84)
    assert threshold == pytest.approx(5.5437, abs=1e-4)
    assert math.ceil(threshold) == INSTRUMENT_THRESHOLDS["PHQ-9"].reliable_change


@pytest.mark.parametrize(
    ("sd", "reliability", "field"),
    [(0, 0.8, "sd"), (5, 1.0, "reliability"), (5, -0.1, "reliability"), (math.nan, 0.8, "sd")],
)
def test_reliable_change_validates_sd_and_reliability(sd: float, reliability: float, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        reliable_change(10, 4, sd, reliability)
    assert fields(caught.value) == [field]


@pytest.mark.parametrize(
    ("pre", "post", "expected"),
    [
        (18, 8, "recovered"),  # 10 points down and from case (≥10) to non-case
        (10, 4, "recovered"),  # 10 is a case; exactly 6 points is reliable
        (18, 11, "improved"),  # 7 points down, still a case
        (9, 2, "improved"),  # reliable, but never was a case
        (12, 8, "unchanged"),  # crossed the cut-off by only 4 points
        (8, 14, "deteriorated"),  # 6 points up
        (14, 8, "recovered"),
    ],
)
def test_category_for_phq9_with_points_rule(pre: int, post: int, expected: str) -> None:
    assert category(pre, post, cutoff=10, higher_is_better=False, reliable_points=6) == expected


@pytest.mark.parametrize(
    ("pre", "post", "expected"),
    [
        (32, 53, "recovered"),  # RC = 4.43 and 53 > c = 50
        (32, 45, "improved"),  # RC = 13/4.743 = 2.74, 45 < 50
        (40, 36, "unchanged"),  # RC = -0.84
        (50, 38, "deteriorated"),  # RC = -12/4.743 = -2.53
    ],
)
def test_category_with_the_rc_index_higher_is_better(pre: int, post: int, expected: str) -> None:
    assert category(pre, post, cutoff=50, higher_is_better=True, sd=7.5, reliability=0.8) == expected


def test_category_needs_exactly_one_reliable_change_rule() -> None:
    with pytest.raises(InvalidInput) as both:
        category(18, 8, cutoff=10, higher_is_better=False, reliable_points=6, sd=5, reliability=0.84)
    assert fields(both.value) == ["reliable_points"]
    with pytest.raises(InvalidInput) as neither:
        category(18, 8, cutoff=10, higher_is_better=False)
    assert fields(neither.value) == ["reliable_points"]
    with pytest.raises(InvalidInput) as half:
        category(18, 8, cutoff=10, higher_is_better=False, sd=5)
    assert fields(half.value) == ["reliability"]


# --- PHQ-9 response and remission ----------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "followup", "expected"),
    [(20, 10, True), (20, 11, False), (10, 5, True), (10, 6, False), (9, 0, None), (13.5, 6.75, True)],
)
def test_phq9_response_is_a_50_percent_fall_from_10_or_more(
    baseline: float, followup: float, expected: bool | None
) -> None:
    assert phq9_response(baseline, followup) is expected


def test_phq9_remission_is_below_5() -> None:
    assert phq9_remission(4) is True
    assert phq9_remission(5) is False


def test_phq9_scores_outside_0_to_27_are_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        phq9_response(28, -1)
    assert fields(caught.value) == ["baseline", "followup"]
    assert "0 to 27" in caught.value.problems[0].message


# --- NHS Talking Therapies pair outcome ----------------------------------------------------


def test_instrument_thresholds_are_the_nhs_talking_therapies_values() -> None:
    phq9, gad7 = INSTRUMENT_THRESHOLDS["PHQ-9"], INSTRUMENT_THRESHOLDS["GAD-7"]
    assert (phq9.reliable_change, phq9.caseness, phq9.max_score) == (6, 10, 27)
    assert (gad7.reliable_change, gad7.caseness, gad7.max_score) == (4, 8, 21)


def test_iapt_reliable_recovery() -> None:
    # PHQ 18 -> 8 (-10 ≥ 6), GAD 12 -> 6 (-6 ≥ 4); both cases at start, both below at end
    outcome = iapt_outcome(18, 8, 12, 6)
    assert outcome.reliable_improvement and not outcome.reliable_deterioration
    assert outcome.caseness_at_start
    assert outcome.recovery is True
    assert outcome.reliable_recovery is True
    assert (outcome.phq9_change, outcome.gad7_change) == (-10, -6)


def test_iapt_improvement_on_one_and_deterioration_on_the_other_is_neither() -> None:
    # PHQ 18 -> 8 improves reliably, GAD 5 -> 10 (+5 ≥ 4) deteriorates reliably
    outcome = iapt_outcome(18, 8, 5, 10)
    assert not outcome.reliable_improvement
    assert not outcome.reliable_deterioration
    assert outcome.recovery is False  # GAD-7 10 is a case at the end


def test_iapt_recovery_without_reliable_improvement() -> None:
    # PHQ 12 -> 9 (-3), GAD 9 -> 7 (-2): both end below caseness, neither change is reliable
    outcome = iapt_outcome(12, 9, 9, 7)
    assert outcome.recovery is True
    assert outcome.reliable_improvement is False
    assert outcome.reliable_recovery is False


def test_iapt_deterioration_of_a_client_not_at_caseness() -> None:
    # PHQ 6 -> 13 (+7), GAD 5 -> 6: reliable deterioration; neither was a case at start
    outcome = iapt_outcome(6, 13, 5, 6)
    assert outcome.reliable_deterioration
    assert not outcome.caseness_at_start
    assert outcome.recovery is None
    assert outcome.reliable_recovery is None


def test_iapt_thresholds_are_inclusive() -> None:
    # PHQ 16 -> 10 is exactly 6 points: reliable; but 10 is still a case, so no recovery
    outcome = iapt_outcome(16, 10, 8, 7)
    assert outcome.reliable_improvement
    assert outcome.recovery is False
    assert outcome.reliable_recovery is False


def test_iapt_thresholds_can_be_overridden() -> None:
    # PHQ 15 -> 10 is 5 points: not reliable at the default 6, reliable at 5
    assert not iapt_outcome(15, 10, 6, 6).reliable_improvement
    assert iapt_outcome(15, 10, 6, 6, phq9_reliable=5).reliable_improvement


def test_iapt_rejects_out_of_range_scores_and_thresholds() -> None:
    with pytest.raises(InvalidInput) as caught:
        iapt_outcome(30, 8, 22, 6, gad7_reliable=0)
    assert fields(caught.value) == ["phq9_pre", "gad7_pre", "gad7_reliable"]
