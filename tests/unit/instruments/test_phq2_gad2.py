"""PHQ-2 and GAD-2 screens: positive at 3, not 2 (CLINICAL.md §2.2); wording and codes."""

from __future__ import annotations

import pytest

from goalwise.core.errors import InvalidInput
from goalwise.core.instruments import score
from goalwise.core.instruments.gad2 import GAD2
from goalwise.core.instruments.gad7 import GAD7
from goalwise.core.instruments.phq2 import PHQ2
from goalwise.core.instruments.phq9 import PHQ9


@pytest.mark.parametrize("code", ["phq2", "gad2"])
@pytest.mark.parametrize(
    ("answers", "total", "label"),
    [
        ([0, 0], 0, "negative"),
        ([1, 1], 2, "negative"),
        ([2, 0], 2, "negative"),
        ([2, 1], 3, "positive"),
        ([0, 3], 3, "positive"),
        ([3, 3], 6, "positive"),
    ],
)
def test_screen_positive_at_3_not_2(code: str, answers: list[int], total: int, label: str) -> None:
    result = score(code, answers)
    assert result.total == total
    assert result.severity == label


@pytest.mark.parametrize("code", ["phq2", "gad2"])
def test_screens_have_no_risk_item_or_syndrome(code: str) -> None:
    result = score(code, [3, 3])
    assert result.flags == ()
    assert result.risk is False
    assert result.syndrome is None


@pytest.mark.parametrize("code", ["phq2", "gad2"])
def test_screens_refuse_missing_items(code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        score(code, [3, None])
    assert [p.field for p in caught.value.problems] == ["answers[2]"]


def test_phq2_rejects_a_third_answer() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("phq2", [1, 1, 1])
    assert caught.value.problems[0].message == "PHQ-2 has 2 items; got 3 answers."


def test_phq2_is_phq9_items_1_and_2() -> None:
    assert PHQ2.items == PHQ9.items[:2]
    assert [item.text for item in PHQ2.items] == [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
    ]
    assert (PHQ2.loinc_panel, PHQ2.loinc_total) == ("55757-9", "55758-7")
    assert (PHQ2.min_total, PHQ2.max_total, PHQ2.caseness) == (0, 6, 3)


def test_gad2_is_gad7_items_1_and_2_without_loinc_panel() -> None:
    assert GAD2.items == GAD7.items[:2]
    assert [item.loinc for item in GAD2.items] == ["69725-0", "68509-9"]
    assert (GAD2.loinc_panel, GAD2.loinc_total) == (None, None)
    assert "No LOINC" in GAD2.loinc_note
    assert (GAD2.min_total, GAD2.max_total, GAD2.caseness) == (0, 6, 3)
