"""HAM-D-17: per-item ranges, maximum 52, both band schemes at their boundaries, suicide item.

Ranges and band schemes from CLINICAL.md §2.3.
"""

from __future__ import annotations

import pytest

from goalwise.core.errors import InvalidInput
from goalwise.core.instruments import get, score
from goalwise.core.instruments.hamd17 import HAMD17

# CLINICAL.md §2.3: the maximum of each item 1..17
ITEM_MAXIMA = (4, 4, 4, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 2, 2)


def vector_with_total(total: int) -> list[int]:
    """A valid answer vector summing to ``total`` that leaves item 3 (Suicide) at 0.

    Fills items in order up to each item's maximum; items other than 3 reach 52 - 4 = 48.
    """
    answers = [0] * 17
    remaining = total
    for index, maximum in enumerate(ITEM_MAXIMA):
        if index == 2:
            continue
        answers[index] = min(maximum, remaining)
        remaining -= answers[index]
    assert remaining == 0 and sum(answers) == total
    return answers


def test_hamd17_item_ranges_match_clinical_table() -> None:
    assert tuple(item.max_score for item in HAMD17.items) == ITEM_MAXIMA
    assert all(item.min_score == 0 for item in HAMD17.items)
    assert [item.text for item in HAMD17.items][:4] == [
        "Depressed mood",
        "Feelings of guilt",
        "Suicide",
        "Insomnia, early",
    ]


def test_hamd17_rejects_3_on_a_0_to_2_item() -> None:
    answers = [0] * 17
    answers[3] = 3  # item 4, Insomnia early, runs 0-2
    with pytest.raises(InvalidInput) as caught:
        score("hamd17", answers)
    (problem,) = caught.value.problems
    assert problem.field == "answers[4]"
    assert problem.message == "HAM-D-17 item 4 is 3; answers run from 0 to 2."


def test_hamd17_accepts_4_on_a_0_to_4_item_and_reports_every_bad_item() -> None:
    answers = [0] * 17
    answers[0] = 4  # item 1 runs 0-4: fine
    answers[4] = 3  # item 5 runs 0-2
    answers[16] = 3  # item 17 runs 0-2
    answers[14] = 5  # item 15 runs 0-4
    with pytest.raises(InvalidInput) as caught:
        score("hamd17", answers)
    assert [p.message for p in caught.value.problems] == [
        "HAM-D-17 item 5 is 3; answers run from 0 to 2.",
        "HAM-D-17 item 15 is 5; answers run from 0 to 4.",
        "HAM-D-17 item 17 is 3; answers run from 0 to 2.",
    ]


def test_hamd17_maximum_totals_52() -> None:
    # nine 0-4 items (36) + eight 0-2 items (16) = 52
    result = score("hamd17", list(ITEM_MAXIMA))
    assert result.total == 52
    assert result.severity == "very severe"
    assert score("hamd17", list(ITEM_MAXIMA), banding="zimmerman2013").severity == "severe"
    assert (HAMD17.min_total, HAMD17.max_total) == (0, 52)


@pytest.mark.parametrize(
    ("total", "label"),
    [
        (0, "normal"),
        (7, "normal"),
        (8, "mild"),
        (13, "mild"),
        (14, "moderate"),
        (18, "moderate"),
        (19, "severe"),
        (22, "severe"),
        (23, "very severe"),
        (48, "very severe"),
    ],
)
def test_hamd17_common_bands(total: int, label: str) -> None:
    result = score("hamd17", vector_with_total(total))
    assert result.total == total
    assert result.severity == label
    assert result.banding == "common"
    # default and explicit name agree
    assert score("hamd17", vector_with_total(total), banding="common").severity == label


@pytest.mark.parametrize(
    ("total", "label"),
    [
        (0, "none"),
        (7, "none"),
        (8, "mild"),
        (16, "mild"),
        (17, "moderate"),
        (23, "moderate"),
        (24, "severe"),
        (48, "severe"),
    ],
)
def test_hamd17_zimmerman2013_bands(total: int, label: str) -> None:
    result = score("hamd17", vector_with_total(total), banding="zimmerman2013")
    assert result.severity == label
    assert result.banding == "zimmerman2013"


def test_hamd17_suicide_item_flags_at_one() -> None:
    answers = [0] * 17
    answers[2] = 1  # item 3, Suicide: "Feels life is not worth living"
    result = score("hamd17", answers)
    assert result.flags == ("suicide_item_positive",)
    assert result.risk is True
    assert result.severity == "normal"  # the flag does not depend on the total


def test_hamd17_no_flag_when_suicide_item_is_zero() -> None:
    result = score("hamd17", vector_with_total(40))
    assert result.flags == ()
    assert result.risk is False


def test_hamd17_refuses_missing_items() -> None:
    answers: list[int | None] = [0] * 17
    answers[15] = None
    with pytest.raises(InvalidInput) as caught:
        score("hamd17", answers)
    assert caught.value.problems[0].code == "answer_missing"
    assert caught.value.problems[0].message == "HAM-D-17 item 16 is missing; answers run from 0 to 2."


def test_hamd17_refuses_21_item_version() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("hamd17", [0] * 21)
    assert caught.value.problems[0].message == "HAM-D-17 has 17 items; got 21 answers."


def test_unknown_banding_is_reported_with_answer_problems() -> None:
    answers = [0] * 17
    answers[3] = 3
    with pytest.raises(InvalidInput) as caught:
        score("hamd17", answers, banding="hamilton1960")
    assert [p.field for p in caught.value.problems] == ["answers[4]", "banding"]
    assert caught.value.problems[1].message == (
        "HAM-D-17 has no band scheme 'hamilton1960'; choose one of: common, zimmerman2013."
    )


def test_banding_of_another_instrument_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        score("phq9", [0] * 9, banding="zimmerman2013")
    assert caught.value.problems[0].field == "banding"


def test_hamd17_data() -> None:
    assert get("hamd17") is HAMD17
    assert [s.name for s in HAMD17.band_schemes] == ["common", "zimmerman2013"]
    assert HAMD17.default_banding == "common"
    assert "public domain" in HAMD17.licence.lower()
    assert HAMD17.higher_is_better is False
    assert HAMD17.proration is None
    assert [(r.item, r.threshold, r.flag) for r in HAMD17.risk_items] == [(3, 1, "suicide_item_positive")]
    assert HAMD17.anchors_note


def test_the_suicide_item_alert_addresses_the_clinician_who_rated_it() -> None:
    from goalwise.core.instruments import get

    (rule,) = get("hamd17").risk_items
    assert rule.item == 3 and rule.clinician_alert is not None
    assert rule.clinician_alert.startswith("You rated HAM-D-17 item 3 (Suicide) above 'Absent'.")
    assert "the patient's suicide risk" in rule.clinician_alert
    # the PHQ-9 is the client's own answer: its alert is the crisis text for the client
    assert get("phq9").risk_items[0].clinician_alert is None
