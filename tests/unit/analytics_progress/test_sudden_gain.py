"""Sudden gains (Tang & DeRubeis 1999) with the short-window critical t (Lutz et al. 2013)."""

from __future__ import annotations

import math

import pytest

from goalwise.analytics.sudden_gain import SuddenGain, critical_t, pooled_sd, sudden_gains
from goalwise.core.errors import InvalidInput


def test_phq9_series_with_one_clear_gain_between_sessions_3_and_4() -> None:
    # 18 -> 10: (1) 8 >= 6; (2) 8 >= 0.25 * 18 = 4.5;
    # (3) before 18, 17, 18: mean 17.667, s² = 1/3; after 10, 9, 8: mean 9, s² = 1;
    #     pooled SD = sqrt((2/3 + 2) / 4) = sqrt(2/3) = 0.8165; 2.776 * 0.8165 = 2.267 < 8.667.
    gains = sudden_gains([18, 17, 18, 10, 9, 8], threshold=6)
    assert gains == [SuddenGain(session_index=2, pre=18.0, post=10.0, magnitude=8.0, reversed=False)]
    assert gains[0].post_index == 3
    assert pooled_sd([18, 17, 18], [10, 9, 8]) == pytest.approx(math.sqrt(2 / 3))


def test_a_big_drop_in_a_noisy_series_fails_criterion_3() -> None:
    # 20 -> 12 passes (1) 8 >= 6 and (2) 8 >= 5, but before 12, 24, 20 (mean 18.667, s² = 37.33) and
    # after 12, 22, 14 (mean 16, s² = 28): pooled SD = sqrt((74.67 + 56) / 4) = 5.715;
    # 2.776 * 5.715 = 15.87 > 2.667. 22 -> 14 has only one session after it (needs 2).
    assert sudden_gains([12, 24, 20, 12, 22, 14], threshold=6) == []


def test_a_gain_below_25_percent_of_the_pre_score_is_not_sudden() -> None:
    # 27 -> 21: 6 >= 6 but 6 < 0.25 * 27 = 6.75
    assert sudden_gains([27, 27, 27, 21, 21, 21], threshold=6) == []


def test_a_gain_below_the_absolute_threshold_is_not_sudden() -> None:
    # GAD-7 threshold 4: 12 -> 9 is 3
    assert sudden_gains([12, 12, 12, 9, 9, 9], threshold=4) == []
    assert [g.session_index for g in sudden_gains([12, 12, 12, 8, 8, 8], threshold=4)] == [2]


def test_two_and_two_sessions_use_the_df_2_critical_value() -> None:
    # before 20, 16 (mean 18, s² 8), after 10, 6 (mean 8, s² 8): pooled SD = sqrt(8) = 2.828.
    # 16 -> 10 passes (1) and (2) (6 >= 4). Difference 10 > 2.776 * 2.828 = 7.85 but
    # < 4.303 * 2.828 = 12.17, and with 2 and 2 sessions df = 2, so t = 4.303: not a gain.
    assert critical_t(2, 2) == 4.303
    assert sudden_gains([20, 16, 10, 6], threshold=6) == []


def test_critical_t_by_sessions_on_each_side() -> None:
    assert critical_t(3, 3) == 2.776
    assert critical_t(3, 2) == 3.182
    assert critical_t(2, 3) == 3.182
    with pytest.raises(InvalidInput):
        critical_t(4, 4)


def test_a_gain_needs_two_sessions_before_it() -> None:
    # 18 -> 8 at the very first interval: only one session before, so criterion 3 cannot be checked.
    assert sudden_gains([18, 8, 8, 8], threshold=6) == []


def test_reversal_when_half_the_gain_is_lost_later() -> None:
    # Gain 18 -> 10 (magnitude 8): reversed if a later score exceeds 10 + 8/2 = 14.
    assert not sudden_gains([18, 17, 18, 10, 9, 8, 14], threshold=6)[0].reversed
    assert sudden_gains([18, 17, 18, 10, 9, 8, 15], threshold=6)[0].reversed


def test_higher_is_better_mirrors_the_series() -> None:
    # WHO-5 raw scores rising 9, 10, 9 -> 17, 18, 19: gain 8 >= 6 and >= 0.25 * 9.
    gains = sudden_gains([9, 10, 9, 17, 18, 19], threshold=6, higher_is_better=True)
    assert gains == [SuddenGain(2, 9.0, 17.0, 8.0, False)]
    assert sudden_gains([18, 17, 18, 10, 9, 8], threshold=6, higher_is_better=True) == []


def test_rejects_a_threshold_of_zero_and_a_missing_score() -> None:
    with pytest.raises(InvalidInput) as caught:
        sudden_gains([18, float("nan"), 10], threshold=0)
    assert [p.field for p in caught.value.problems] == ["threshold", "scores[1]"]


def test_a_session_without_a_score_does_not_close_the_window_over_the_gap() -> None:
    # Sessions 1, 2, 3, 5, 6, 7 (session 4 not scored): 18, 17, 18, 10, 9, 8. By position 18 -> 10
    # looks like a gain from session 3 to 4; by session number 3 -> 5 is not an interval between
    # consecutive sessions, so no gain. Numbered 1..6 without a gap, the same scores give the gain.
    scores = [18, 17, 18, 10, 9, 8]
    assert sudden_gains(scores, threshold=6, sessions=[1, 2, 3, 5, 6, 7]) == []
    (gain,) = sudden_gains(scores, threshold=6, sessions=[1, 2, 3, 4, 5, 6])
    assert (gain.session, gain.post_session, gain.post_index) == (3, 4, 3)


def test_the_windows_hold_only_the_scored_sessions_within_n_minus_2_and_n_plus_3() -> None:
    # Sessions 1, 4, 5, 6, 7: 20, 18, 10, 9, 9. Gain 4 -> 5 (18 -> 10: 8 >= 6, 8 >= 4.5).
    # Window before: sessions 2..4 = [18] only (session 1 is N-3; 2 and 3 have no score): one
    # session, fewer than 2, so criterion 3 cannot be checked and no gain is reported. By position
    # the window would have been [20, 18]: mean 19, s² 2; after [10, 9, 9]: mean 9.33, s² 1/3;
    # pooled SD sqrt((2 + 2/3)/3) = 0.943, 3.182 * 0.943 = 3.0 < 9.67: a gain.
    assert sudden_gains([20, 18, 10, 9, 9], threshold=6, sessions=[1, 4, 5, 6, 7]) == []
    assert [g.session_index for g in sudden_gains([20, 18, 10, 9, 9], threshold=6)] == [1]


def test_session_numbers_must_match_the_scores() -> None:
    with pytest.raises(InvalidInput) as caught:
        sudden_gains([18, 10, 9], threshold=6, sessions=[1, 1, 2])
    assert [p.field for p in caught.value.problems] == ["sessions"]
