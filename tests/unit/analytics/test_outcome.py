"""Measure-defined PHQ-9 response and remission windows, and the NHS Talking Therapies pair."""

from __future__ import annotations

from datetime import date

from goalwise.analytics.outcome import Scored, nhs_pair_outcome, phq9_window_outcomes

START = date(2025, 1, 10)


def test_response_and_remission_at_6_and_12_months_read_the_score_in_the_window() -> None:
    # Index 16 on 10 Jan 2025. 6 months = 10 Jul 2025, window 11 May - 8 Sep (±60 days):
    # the latest score in it is 7 on 1 Sep -> (16 - 7)/16 = 56% >= 50%: response; 7 >= 5: no remission.
    # 12 months = 10 Jan 2026, window 11 Nov 2025 - 11 Mar 2026: 4 on 2 Feb -> response and remission.
    scores = [
        Scored(START, 16),
        Scored(date(2025, 3, 1), 12),
        Scored(date(2025, 6, 20), 9),
        Scored(date(2025, 9, 1), 7),
        Scored(date(2025, 10, 1), 3),  # between the windows: counts for neither
        Scored(date(2026, 2, 2), 4),
    ]
    six, twelve = phq9_window_outcomes(scores)
    assert (six.window_from, six.window_to) == (date(2025, 5, 11), date(2025, 9, 8))
    assert (six.score_on, six.score, six.response, six.remission) == (date(2025, 9, 1), 7, True, False)
    assert (twelve.window_from, twelve.window_to) == (date(2025, 11, 11), date(2026, 3, 11))
    assert (twelve.score, twelve.response, twelve.remission) == (4, True, True)


def test_a_window_without_a_score_is_none() -> None:
    six, twelve = phq9_window_outcomes([Scored(START, 14), Scored(date(2025, 3, 1), 4)])
    assert six.score is None and six.response is None and six.remission is None
    assert twelve.response is None and twelve.remission is None


def test_the_index_is_the_first_score_of_10_or_more_counted() -> None:
    assert phq9_window_outcomes([Scored(START, 8), Scored(date(2025, 7, 10), 2)]) == []
    # a prorated 9.5 counts as 10 (banded moderate), so it is an index
    (six, _) = phq9_window_outcomes([Scored(START, 9.5), Scored(date(2025, 7, 10), 4.5)])
    assert six.index_total == 9.5
    assert six.response is True  # counted 10 -> 5: (10 - 5)/10 = 50%, and the rule is ">= 50%"
    assert six.remission is False  # 4.5 counts as 5


def test_nhs_pair_uses_same_session_or_day_and_first_and_last_pairs() -> None:
    phq = [
        Scored(date(2025, 1, 1), 15, 1),
        Scored(date(2025, 1, 8), 14),  # no GAD-7 that day or session: unpaired
        Scored(date(2025, 3, 1), 6, 8),
    ]
    gad = [Scored(date(2025, 1, 2), 12, 1), Scored(date(2025, 3, 1), 17, 8)]
    found = nhs_pair_outcome(phq, gad)
    assert found is not None and found.pairs == 2
    # PHQ-9 15 -> 6: -9 (reliable at 6), below caseness 10 at the end. GAD-7 12 -> 17: +5 (reliable
    # deterioration at 4). Improvement on one and deterioration on the other: neither reliable
    # improvement nor deterioration; not below caseness on both at the end: no recovery.
    assert found.label == "no reliable change"
    assert (found.phq9_category, found.gad7_category) == ("recovered", "deteriorated")


def test_recovery_with_a_reliable_gad7_deterioration_is_shown_as_such() -> None:
    # PHQ-9 12 -> 3 (recovered); GAD-7 2 -> 7 (+5: reliable deterioration, still below caseness 8).
    # NHS: at caseness at the start (PHQ-9 12 >= 10), below both at the end: recovery.
    phq = [Scored(date(2025, 1, 1), 12), Scored(date(2025, 4, 1), 3)]
    gad = [Scored(date(2025, 1, 1), 2), Scored(date(2025, 4, 1), 7)]
    found = nhs_pair_outcome(phq, gad)
    assert found is not None
    assert found.label == "recovery"
    assert found.gad7_category == "deteriorated"


def test_one_pair_is_not_an_nhs_outcome() -> None:
    phq = [Scored(date(2025, 1, 1), 15), Scored(date(2025, 3, 1), 5)]
    gad = [Scored(date(2025, 1, 1), 12), Scored(date(2025, 3, 2), 4)]
    assert nhs_pair_outcome(phq, gad) is None
