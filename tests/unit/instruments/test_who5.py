"""WHO-5: raw total, percentage (raw × 4), poor well-being below raw 13 (CLINICAL.md §2.4)."""

from __future__ import annotations

import pytest

from goalwise.core.errors import InvalidInput
from goalwise.core.instruments import get, score
from goalwise.core.instruments.who5 import WHO5


@pytest.mark.parametrize(
    ("answers", "raw", "percentage", "label"),
    [
        ([0, 0, 0, 0, 0], 0, 0, "poor"),
        ([3, 3, 3, 3, 0], 12, 48, "poor"),  # 12 × 4 = 48 ≤ 50
        ([3, 3, 3, 3, 1], 13, 52, "adequate"),  # 13 × 4 = 52 > 50
        ([5, 5, 5, 5, 5], 25, 100, "adequate"),
    ],
)
def test_who5_raw_percentage_and_band(answers: list[int], raw: int, percentage: int, label: str) -> None:
    result = score("who5", answers)
    assert result.total == raw
    assert result.percentage == percentage
    assert result.severity == label


def test_who5_percentage_is_none_for_other_instruments() -> None:
    assert score("phq9", [0] * 9).percentage is None


def test_who5_rejects_6() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("who5", [0, 6, 0, 0, 0])
    assert caught.value.problems[0].message == "WHO-5 item 2 is 6; answers run from 0 to 5."


def test_who5_refuses_missing_items() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("who5", [5, 5, 5, 5, None])
    assert caught.value.problems[0].code == "answer_missing"


def test_who5_data() -> None:
    assert get("who5") is WHO5
    assert WHO5.higher_is_better is True
    assert WHO5.stem == "Over the last two weeks:"
    assert [item.text for item in WHO5.items] == [
        "I have felt cheerful and in good spirits",
        "I have felt calm and relaxed",
        "I have felt active and vigorous",
        "I woke up feeling fresh and rested",
        "My daily life has been filled with things that interest me",
    ]
    scale = WHO5.items[0].scale
    assert (scale.option(0).text, scale.option(5).text) == ("At no time", "All of the time")
    assert [o.score for o in scale.options] == [0, 1, 2, 3, 4, 5]
    assert (WHO5.min_total, WHO5.max_total) == (0, 25)
    assert WHO5.risk_items == ()
    assert [(b.lower, b.upper, b.label) for b in WHO5.bands] == [(0, 12, "poor"), (13, 25, "adequate")]
