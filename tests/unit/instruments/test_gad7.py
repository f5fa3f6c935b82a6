"""GAD-7: bands at every boundary, no proration, data (CLINICAL.md §2.1, §3.3)."""

from __future__ import annotations

import pytest

from goalwise.core.errors import InvalidInput
from goalwise.core.instruments import get, score
from goalwise.core.instruments.answer_lists import FREQUENCY
from goalwise.core.instruments.gad7 import GAD7


@pytest.mark.parametrize(
    ("answers", "total", "label"),
    [
        ([0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0], 4, "minimal"),  # 4 × 1
        ([1, 1, 1, 1, 1, 0, 0], 5, "mild"),  # 5 × 1
        ([2, 2, 2, 1, 1, 1, 0], 9, "mild"),  # 6 + 3
        ([2, 2, 2, 2, 1, 1, 0], 10, "moderate"),  # 8 + 2
        ([2, 2, 2, 2, 2, 2, 2], 14, "moderate"),  # 7 × 2
        ([3, 2, 2, 2, 2, 2, 2], 15, "severe"),  # 3 + 12
        ([3, 3, 3, 3, 3, 3, 3], 21, "severe"),  # 7 × 3
    ],
)
def test_gad7_bands_every_boundary(answers: list[int], total: int, label: str) -> None:
    result = score("gad7", answers)
    assert result.total == total
    assert result.severity == label
    assert result.severity_code is None  # no LOINC answer list for GAD-7 bands
    assert result.flags == ()
    assert result.risk is False


def test_gad7_refuses_missing_items_without_a_published_rule() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("gad7", [1, None, 1, 1, 1, None, 1])
    problems = caught.value.problems
    assert [(p.field, p.code) for p in problems] == [
        ("answers[2]", "answer_missing"),
        ("answers[6]", "answer_missing"),
    ]
    assert problems[0].message == "GAD-7 item 2 is missing; answers run from 0 to 3."
    assert "no published rule" in problems[0].hint


def test_gad7_rejects_item_above_3_and_bool() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("gad7", [0, 0, 0, 0, 4, False, 0])  # type: ignore[list-item]
    problems = caught.value.problems
    assert [p.message for p in problems] == [
        "GAD-7 item 5 is 4; answers run from 0 to 3.",
        "GAD-7 item 6 is not a whole number (got bool); answers run from 0 to 3.",
    ]


def test_gad7_has_no_difficulty_item_so_eight_answers_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("gad7", [0] * 8)
    assert caught.value.problems[0].message == "GAD-7 has 7 items; got 8 answers."


def test_gad7_data_matches_clinical_reference() -> None:
    assert get("gad7") is GAD7
    assert (GAD7.loinc_panel, GAD7.loinc_total) == ("69737-5", "70274-6")
    assert [item.loinc for item in GAD7.items] == [
        "69725-0",
        "68509-9",
        "69733-4",
        "69734-2",
        "69735-9",
        "69689-8",
        "69736-7",
    ]
    assert [item.text for item in GAD7.items] == [
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ]
    assert all(item.scale is FREQUENCY for item in GAD7.items)
    assert (GAD7.min_total, GAD7.max_total) == (0, 21)
    assert (GAD7.reliable_change, GAD7.caseness) == (4, 8)
    assert GAD7.higher_is_better is False
    assert GAD7.proration is None
    assert GAD7.risk_items == ()
    assert "No published rule" in GAD7.missing_policy
    assert [(b.lower, b.upper, b.label) for b in GAD7.bands] == [
        (0, 4, "minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 21, "severe"),
    ]
