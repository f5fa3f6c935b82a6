"""PHQ-9: bands, syndrome algorithm, item 9 flag, proration, rounding, difficulty question, errors.

Expected values come from CLINICAL.md §1 (bands §1.2, item 9 §1.3, algorithm §1.4, proration
vectors §1.6, LOINC codes §1.1) or from the hand calculations in the comments.
"""

from __future__ import annotations

import bisect
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.core.errors import InvalidInput
from goalwise.core.instruments import get, round_half_up, score
from goalwise.core.instruments.answer_lists import DIFFICULTY, FREQUENCY
from goalwise.core.instruments.phq9 import PHQ9

# Kroenke et al. (2001): 5, 10, 15 and 20 start mild, moderate, moderately severe and severe.
CUT_POINTS = (5, 10, 15, 20)
LABELS = ("minimal", "mild", "moderate", "moderately severe", "severe")


def expected_band(total: int) -> str:
    return LABELS[bisect.bisect_right(CUT_POINTS, total)]


# ---- bands (CLINICAL.md §1.2; LA codes from LL382-3, §1.1) -------------------------------------


@pytest.mark.parametrize(
    ("answers", "total", "label", "la_code"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal", "LA6708-7"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal", "LA6708-7"),  # 1+1+1+1
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild", "LA6709-5"),  # 5 × 1
        ([2, 2, 2, 1, 1, 1, 0, 0, 0], 9, "mild", "LA6709-5"),  # 6 + 3
        ([2, 2, 2, 2, 1, 1, 0, 0, 0], 10, "moderate", "LA6710-3"),  # 8 + 2
        ([2, 2, 2, 2, 2, 2, 2, 0, 0], 14, "moderate", "LA6710-3"),  # 7 × 2
        ([3, 2, 2, 2, 2, 2, 2, 0, 0], 15, "moderately severe", "LA6711-1"),  # 3 + 12
        ([3, 3, 3, 2, 2, 2, 2, 2, 0], 19, "moderately severe", "LA6711-1"),  # 9 + 10
        ([3, 3, 3, 3, 2, 2, 2, 2, 0], 20, "severe", "LA6712-9"),  # 12 + 8
        ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe", "LA6712-9"),  # 9 × 3
    ],
)
def test_phq9_bands_every_boundary(answers: list[int], total: int, label: str, la_code: str) -> None:
    result = score("phq9", answers)
    assert result.total == total
    assert isinstance(result.total, int)
    assert result.rounded_total == total
    assert result.severity == label
    assert result.severity_code == la_code
    assert result.prorated is False
    assert result.answered == 9


# ---- syndrome algorithm (CLINICAL.md §1.4) ------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "syndrome"),
    [
        # items 1, 3, 4, 5, 6 at 2: five present, core item 1 present
        ([2, 0, 2, 2, 2, 2, 0, 0, 0], "major depressive syndrome"),
        # items 2, 3, 4, 5 at 2 and item 9 at 1 (present at any answer): five present, core item 2
        ([0, 2, 2, 2, 2, 0, 0, 0, 1], "major depressive syndrome"),
        # all nine present
        ([3, 3, 3, 3, 3, 3, 3, 3, 3], "major depressive syndrome"),
        # items 1-4 at 2: four present with core
        ([2, 2, 2, 2, 0, 0, 0, 0, 0], "other depressive syndrome"),
        # items 1 and 3: two present with core
        ([3, 0, 2, 0, 0, 0, 0, 0, 0], "other depressive syndrome"),
        # item 1 at 2 and item 9 at 1: two present
        ([2, 0, 0, 0, 0, 0, 0, 0, 1], "other depressive syndrome"),
        # item 1 at 2 and item 8 at 1: items 1-8 need 2, so only one present
        ([2, 0, 0, 0, 0, 0, 0, 1, 0], None),
        # only item 1 present: items at 1 do not count (total 10, still no syndrome)
        ([3, 1, 1, 1, 1, 1, 1, 1, 0], None),
        # seven present but neither core item reaches 2
        ([1, 1, 3, 3, 3, 3, 3, 3, 1], None),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], None),
    ],
)
def test_phq9_syndrome_algorithm(answers: list[int], syndrome: str | None) -> None:
    assert score("phq9", answers).syndrome == syndrome


def test_phq9_syndrome_not_run_when_an_item_is_missing() -> None:
    # complete, items 1-5 at 2 would be major; with item 6 blank the algorithm is not run
    assert score("phq9", [2, 2, 2, 2, 2, 0, 0, 0, 0]).syndrome == "major depressive syndrome"
    assert score("phq9", [2, 2, 2, 2, 2, None, 0, 0, 0]).syndrome is None


def test_syndrome_is_none_for_other_instruments() -> None:
    assert score("gad7", [3] * 7).syndrome is None


# ---- item 9 (CLINICAL.md §1.3) -----------------------------------------------------------------


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_flag_on_at_one_or_more(item9: int) -> None:
    result = score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, item9])
    assert result.flags == ("item9_positive",)
    assert result.risk is True
    # total is only item9: the flag does not depend on the total
    assert result.severity == "minimal"


def test_phq9_item9_flag_off_at_zero() -> None:
    result = score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0])
    assert result.flags == ()
    assert result.risk is False


def test_phq9_item9_never_imputed_when_missing() -> None:
    # the other items average 3, so imputation would give item 9 a 3; the flag must not appear
    result = score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, None])
    assert "item9_positive" not in result.flags
    assert result.flags == ("item9_missing",)
    assert result.risk is False
    assert result.missing_items == (9,)


# ---- proration (NHS Data Dictionary, CLINICAL.md §1.6) ---------------------------------------


def test_phq9_prorates_one_missing_item() -> None:
    # CLINICAL.md §1.6: sum 9 over 8 answered → 9 × 9 / 8 = 81/8 = 10.125, banded as 10
    result = score("phq9", [2, 2, 1, 2, 1, 1, None, 0, 0])
    assert result.total == 10.125
    assert result.rounded_total == 10
    assert result.severity == "moderate"
    assert result.prorated is True
    assert result.answered == 8
    assert result.missing_items == (7,)
    assert result.items == (2, 2, 1, 2, 1, 1, None, 0, 0)


def test_phq9_prorates_two_missing_items() -> None:
    # CLINICAL.md §1.6: sum 12 over 7 answered → 12 × 9 / 7 = 108/7 = 15.428571..., banded as 15
    result = score("phq9", [3, 3, None, 2, 2, 1, None, 0, 1])
    assert result.total == pytest.approx(108 / 7, rel=1e-15)
    assert result.total == pytest.approx(15.428571428571, abs=1e-9)
    assert result.rounded_total == 15
    assert result.severity == "moderately severe"
    assert result.prorated is True
    assert result.flags == ("item9_positive",)  # item 9 was answered 1


def test_phq9_prorated_total_stays_float_when_whole() -> None:
    # 8 answered items of 1 → 8 × 9 / 8 = 9, reported as the float 9.0 because it was prorated
    result = score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, None])
    assert result.total == 9.0
    assert isinstance(result.total, float)
    assert result.severity == "mild"


def test_phq9_three_missing_items_is_invalid_and_names_each() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("phq9", [None, 1, None, 1, 1, 1, None, 1, 1])
    problems = caught.value.problems
    assert [p.field for p in problems] == ["answers[1]", "answers[3]", "answers[7]"]
    assert {p.code for p in problems} == {"too_many_missing"}
    assert problems[0].message == "PHQ-9 item 1 is missing: 3 items are blank, at most 2 may be."
    assert "at most 2" in problems[0].hint


# ---- rounding half up --------------------------------------------------------------------------


def test_phq9_prorated_half_rounds_up_across_the_mild_boundary() -> None:
    # Sum 4 over 8 answered → 4 × 9 / 8 = 36/8 = 4.5. Half up gives 5 (mild); Python's banker's
    # round gives 4 (minimal), so this vector tells the two rules apart.
    result = score("phq9", [1, 1, 1, 1, 0, 0, 0, None, 0])
    assert result.total == 4.5
    assert round(result.total) == 4
    assert result.rounded_total == 5
    assert result.severity == "mild"


def test_phq9_no_prorated_total_is_exactly_nine_and_a_half() -> None:
    # Prorated totals are 9S/8 (one missing) or 9S/7 (two missing), S the answered sum.
    # 9S/8 = 9.5 needs S = 76/9 and 9S/7 = 9.5 needs S = 133/18: neither is whole, so 9.5 (and
    # likewise 14.5 and 19.5) never arises. 9S/7 never ends in .5 at all (18S = 14k + 7 has no
    # solution: even = odd). The half-up rule is tested directly on the helper instead.
    halves = {
        Fraction(9 * s, n) for n in (7, 8) for s in range(3 * n + 1) if Fraction(9 * s, n).denominator == 2
    }
    assert Fraction(19, 2) not in halves
    assert Fraction(29, 2) not in halves
    assert Fraction(39, 2) not in halves
    assert halves == {Fraction(9, 2), Fraction(27, 2), Fraction(45, 2)}  # S = 4, 12, 20 with n = 8


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(19, 2), 10),  # 9.5 → 10 (banker's: 10)
        (Fraction(21, 2), 11),  # 10.5 → 11 (banker's: 10)
        (Fraction(29, 2), 15),  # 14.5 → 15 (banker's: 14)
        (4.5, 5),  # 4.5 → 5 (banker's: 4)
        (4.49, 4),
        (10.125, 10),
        (0, 0),
        (27, 27),
    ],
)
def test_round_half_up(value: Fraction | float, expected: int) -> None:
    assert round_half_up(value) == expected


# ---- difficulty question (item 10, CLINICAL.md §1.1) -------------------------------------------


def test_phq9_difficulty_is_recorded_not_added() -> None:
    # items sum to 8; the difficulty answer 3 is not added
    result = score("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0, 3])
    assert result.total == 8
    assert result.difficulty == 3
    assert result.items == (1, 1, 1, 1, 1, 1, 1, 1, 0)


def test_phq9_difficulty_absent_or_blank_is_none() -> None:
    assert score("phq9", [0] * 9).difficulty is None
    assert score("phq9", [0] * 9 + [None]).difficulty is None


def test_phq9_difficulty_off_range_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("phq9", [0] * 9 + [4])
    (problem,) = caught.value.problems
    assert problem.field == "answers[10]"
    assert problem.message == "PHQ-9 item 10 (functional difficulty question) is 4; answers run from 0 to 3."


def test_phq9_difficulty_answer_codes_are_ll359_1_exactly() -> None:
    # CLINICAL.md §1.1: the last two LA codes are out of numeric order in LOINC
    assert DIFFICULTY.loinc == "LL359-1"
    assert [(o.score, o.text, o.loinc) for o in DIFFICULTY.options] == [
        (0, "Not difficult at all", "LA6572-7"),
        (1, "Somewhat difficult", "LA6573-5"),
        (2, "Very difficult", "LA6575-0"),
        (3, "Extremely difficult", "LA6574-3"),
    ]
    assert PHQ9.extra_item is not None
    assert PHQ9.extra_item.loinc == "69722-7"


# ---- errors -----------------------------------------------------------------------------------


def test_phq9_rejects_item_above_3() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("phq9", [0, 0, 0, 5, 0, 0, 0, 0, 0])
    (problem,) = caught.value.problems
    assert problem.field == "answers[4]"
    assert problem.message == "PHQ-9 item 4 is 5; answers run from 0 to 3."
    assert problem.code == "answer_out_of_range"


def test_phq9_reports_every_bad_item_at_once() -> None:
    answers: list[object] = [-1, 0, "2", 5, 0, True, 0, 2.0, 0]
    with pytest.raises(InvalidInput) as caught:
        score("phq9", answers)  # type: ignore[arg-type]
    problems = caught.value.problems
    assert [p.field for p in problems] == [
        "answers[1]",
        "answers[3]",
        "answers[4]",
        "answers[6]",
        "answers[8]",
    ]
    assert [p.code for p in problems] == [
        "answer_out_of_range",
        "answer_not_whole_number",
        "answer_out_of_range",
        "answer_not_whole_number",  # bool is refused although it is an int subclass
        "answer_not_whole_number",
    ]
    assert problems[1].message == "PHQ-9 item 3 is not a whole number (got str); answers run from 0 to 3."
    assert problems[3].message == "PHQ-9 item 6 is not a whole number (got bool); answers run from 0 to 3."


def test_phq9_bad_items_and_too_many_missing_reported_together() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("phq9", [None, None, None, 4, 0, 0, 0, 0, 0])
    assert [(p.field, p.code) for p in caught.value.problems] == [
        ("answers[4]", "answer_out_of_range"),
        ("answers[1]", "too_many_missing"),
        ("answers[2]", "too_many_missing"),
        ("answers[3]", "too_many_missing"),
    ]


@pytest.mark.parametrize("count", [0, 8, 11])
def test_phq9_rejects_wrong_number_of_answers(count: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        score("phq9", [0] * count)
    (problem,) = caught.value.problems
    assert problem.field == "answers"
    assert problem.message == f"PHQ-9 has 9 items; got {count} answers."
    assert "10 with the unscored item 10 last" in problem.hint


def test_phq9_rejects_a_string_instead_of_a_list() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("phq9", "000000000")  # type: ignore[arg-type]
    assert caught.value.problems[0].code == "answers_not_a_list"


def test_phq9_messages_do_not_echo_text_answers() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, "private note"])  # type: ignore[list-item]
    assert "private note" not in str(caught.value)
    assert "private note" not in caught.value.problems[0].message


# ---- data (CLINICAL.md §1.1, §1.2, §1.7, §3.3) -------------------------------------------------


def test_phq9_data_matches_clinical_reference() -> None:
    assert get("phq9") is PHQ9
    assert PHQ9.loinc_panel == "44249-1"
    assert PHQ9.loinc_total == "44261-6"
    assert [item.loinc for item in PHQ9.items] == [
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    ]
    assert (PHQ9.min_total, PHQ9.max_total) == (0, 27)
    assert PHQ9.higher_is_better is False
    assert (PHQ9.reliable_change, PHQ9.caseness) == (6, 10)
    assert PHQ9.recall_period == "the last 2 weeks"
    assert "No permission required to reproduce, translate, display or distribute" in PHQ9.licence
    assert [(b.lower, b.upper, b.label) for b in PHQ9.bands] == [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 19, "moderately severe"),
        (20, 27, "severe"),
    ]
    assert PHQ9.proration is not None and PHQ9.proration.max_missing == 2


def test_phq9_answers_are_ll358_3() -> None:
    assert all(item.scale is FREQUENCY for item in PHQ9.items)
    assert FREQUENCY.loinc == "LL358-3"
    assert [(o.score, o.text, o.loinc) for o in FREQUENCY.options] == [
        (0, "Not at all", "LA6568-5"),
        (1, "Several days", "LA6569-3"),
        (2, "More than half the days", "LA6570-1"),
        (3, "Nearly every day", "LA6571-9"),
    ]


def test_phq9_item_wording_is_official() -> None:
    assert PHQ9.items[0].text == "Little interest or pleasure in doing things"
    assert (
        PHQ9.items[8].text == "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert (
        PHQ9.stem
        == "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )


# ---- properties -------------------------------------------------------------------------------

complete_vectors = st.lists(st.integers(0, 3), min_size=9, max_size=9)


@settings(max_examples=200, deadline=None)
@given(complete_vectors)
def test_phq9_complete_total_is_sum_and_band_matches_table(answers: list[int]) -> None:
    result = score("phq9", answers)
    assert result.total == sum(answers)
    assert result.severity == expected_band(sum(answers))
    assert result.prorated is False
    assert ("item9_positive" in result.flags) == (answers[8] >= 1)


@st.composite
def vectors_with_blanks(draw: st.DrawFn) -> list[int | None]:
    answers: list[int | None] = list(draw(complete_vectors))
    blanks = draw(st.sets(st.integers(0, 8), min_size=1, max_size=2))
    for index in blanks:
        answers[index] = None
    return answers


@settings(max_examples=200, deadline=None)
@given(vectors_with_blanks())
def test_phq9_prorated_total_scales_back_to_answered_sum(answers: list[int | None]) -> None:
    result = score("phq9", answers)
    answered = [a for a in answers if a is not None]
    assert result.prorated is True
    assert result.answered == len(answered)
    assert math.isclose(result.total * len(answered) / 9, sum(answered), rel_tol=1e-12, abs_tol=1e-12)
    assert result.severity == expected_band(result.rounded_total)
    assert abs(result.rounded_total - result.total) <= 0.5
    assert result.syndrome is None
