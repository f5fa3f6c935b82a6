"""One total for every label: a prorated score is banded, and judged, on one counted total.

Also: NumPy answers are whole numbers (issue 11).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.analytics.change import iapt_outcome, phq9_remission, phq9_response
from goalwise.core.errors import InvalidInput
from goalwise.core.instruments import counted_total, score, total_text


def test_a_prorated_4_5_is_mild_and_not_a_remission() -> None:
    # Eight answers summing to 4, item 9 blank... item 9 is never imputed, so leave item 8 blank:
    # 4 × 9 / 8 = 4.5 (NHS rule, CLINICAL.md §1.6); counted half up as 5, banded "mild" (5-9).
    result = score("phq9", [1, 1, 1, 1, 0, 0, 0, None, 0])
    assert result.total == 4.5
    assert result.counted_total == 5
    assert result.severity == "mild"
    assert result.total_text == "4.5, prorated; counted as 5"
    assert phq9_remission(result.total) is False  # remission is "below 5", read on the counted 5


def test_whole_totals_are_shown_as_they_are() -> None:
    assert total_text(12, False) == "12"
    assert total_text(10.125, True) == "10.125, prorated; counted as 10"
    assert counted_total(9.5) == 10


def test_a_prorated_baseline_of_9_5_counts_as_10_for_response_and_caseness() -> None:
    # 9.5 is banded "moderate" (counted 10): it is eligible for response, and at caseness.
    assert phq9_response(9.5, 5) is True  # (10 - 5)/10 = 50%
    pair = iapt_outcome(9.5, 4, 3, 3)
    assert pair.caseness_at_start is True
    assert pair.recovery is True


phq9_answers = st.lists(st.integers(min_value=0, max_value=3), min_size=9, max_size=9)


@settings(max_examples=300, deadline=None)
@given(phq9_answers, st.sets(st.integers(min_value=0, max_value=7), max_size=2))
def test_every_label_of_a_prorated_phq9_agrees_with_its_band(answers: list[int], blanks: set[int]) -> None:
    given_answers: list[int | None] = [None if i in blanks else v for i, v in enumerate(answers)]
    result = score("phq9", given_answers)
    remission = phq9_remission(result.total)
    assert remission == (result.severity == "minimal")
    pair = iapt_outcome(result.total, result.total, 0, 0)
    assert pair.caseness_at_start == (result.severity not in ("minimal", "mild"))
    eligible = phq9_response(result.total, 0) is not None
    assert eligible == (result.severity not in ("minimal", "mild"))


def test_numpy_answers_score_as_lists_do() -> None:
    answers = [2, 2, 1, 2, 1, 1, 0, 0, 0]
    expected = score("phq9", answers)
    assert score("phq9", np.array(answers)) == expected
    assert score("phq9", [np.int64(v) for v in answers]) == expected
    assert score("phq9", np.array([2, 2, 1, 2, 1, 1, None, 0, 0], dtype=object)).total == 10.125


@pytest.mark.parametrize("bad", ["222222222", np.array([[1, 2], [3, 4]]), [1.5] * 9, 7])
def test_other_answers_are_refused_with_invalid_input(bad: object) -> None:
    with pytest.raises(InvalidInput):
        score("phq9", bad)  # type: ignore[arg-type]
