"""Needs assessment: validation, parsing, and ordering suggestions by priority and unmet need."""

from __future__ import annotations

from typing import Any

import pytest

from goalwise.core.need import (
    Concern,
    ConcernArea,
    CoreNeed,
    Impact,
    NeedRating,
    NeedsAssessment,
    order_by_needs,
    parse_assessment,
    validate_assessment,
)


def test_a_sound_assessment_has_no_problems() -> None:
    assessment = NeedsAssessment(
        concerns=(
            Concern(ConcernArea.EMOTIONAL_BARRIERS, Impact.HIGH, 1),
            Concern(ConcernArea.OTHER, Impact.LOW, 5, "money worries"),
        ),
        needs=tuple(NeedRating(need, 3) for need in CoreNeed),
    )
    assert validate_assessment(assessment) == []


@pytest.mark.parametrize(
    ("assessment", "expected"),
    [
        (
            NeedsAssessment(concerns=(Concern(ConcernArea.CORE_VALUES, Impact.LOW, 0),)),
            [("needs-priority", "concerns[0].priority")],
        ),
        (
            NeedsAssessment(concerns=(Concern(ConcernArea.CORE_VALUES, Impact.LOW, 6),)),
            [("needs-priority", "concerns[0].priority")],
        ),
        (
            NeedsAssessment(concerns=(Concern(ConcernArea.OTHER, Impact.LOW, 2, " "),)),
            [("needs-label", "concerns[0].label")],
        ),
        (NeedsAssessment(needs=(NeedRating(CoreNeed.SAFETY, 0),)), [("needs-met", "needs[0].met")]),
        (NeedsAssessment(needs=(NeedRating(CoreNeed.SAFETY, 6),)), [("needs-met", "needs[0].met")]),
        (
            NeedsAssessment(needs=(NeedRating(CoreNeed.SAFETY, 2), NeedRating(CoreNeed.SAFETY, 4))),
            [("needs-repeated", "needs[1]")],
        ),
    ],
)
def test_validation_names_the_bad_entry(assessment: NeedsAssessment, expected: list[tuple[str, str]]) -> None:
    assert [(p.code, p.field) for p in validate_assessment(assessment)] == expected


def test_parse_reads_concerns_and_a_mapping_of_needs() -> None:
    data: dict[str, Any] = {
        "concerns": [{"area": "support_systems", "impact": "Medium", "priority": 2}],
        "needs": {"safety": 2, "playfulness": 5},
    }
    assessment, problems = parse_assessment(data)
    assert problems == []
    assert assessment == NeedsAssessment(
        concerns=(Concern(ConcernArea.SUPPORT_SYSTEMS, Impact.MEDIUM, 2),),
        needs=(NeedRating(CoreNeed.SAFETY, 2), NeedRating(CoreNeed.PLAYFULNESS, 5)),
    )


def test_parse_reads_a_list_of_needs() -> None:
    assessment, problems = parse_assessment({"needs": [{"need": "purpose", "met": 1}]})
    assert problems == []
    assert assessment.needs == (NeedRating(CoreNeed.PURPOSE, 1),)


def test_parse_reports_bad_entries_by_their_place_in_the_input() -> None:
    data: dict[str, Any] = {
        "concerns": [
            {"area": "money", "impact": "high", "priority": 1},
            "x",
            {"area": "other", "impact": "low", "priority": "1"},
            {"area": "other", "impact": "low", "priority": 2},
            {"area": "core_values", "impact": "low", "priority": 2},
        ],
        "needs": {"safety": "3", "joy": 2, "purpose": 9, "autonomy": 4},
    }
    assessment, problems = parse_assessment(data)
    assert [(p.code, p.field) for p in problems] == [
        ("needs-choice", "concerns[0].area"),
        ("needs-type", "concerns[1]"),
        ("needs-priority", "concerns[2].priority"),
        ("needs-label", "concerns[2].label"),  # both of the entry's problems, at once
        ("needs-label", "concerns[3].label"),
        ("needs-met", "needs.safety"),
        ("needs-choice", "needs.joy"),
        ("needs-met", "needs.purpose"),
    ]
    assert (
        problems[5].message
        == "The rating for safety is '3'; ratings run from 1 (hardly met) to 5 (fully met)."
    )
    # The sound entries are kept.
    assert assessment == NeedsAssessment(
        concerns=(Concern(ConcernArea.CORE_VALUES, Impact.LOW, 2),), needs=(NeedRating(CoreNeed.AUTONOMY, 4),)
    )


def test_parse_names_list_entries_by_index() -> None:
    _, problems = parse_assessment({"needs": [{"need": "safety", "met": 2}, {"need": "safety", "met": 0}]})
    assert [(p.code, p.field) for p in problems] == [
        ("needs-met", "needs[1].met"),
        ("needs-repeated", "needs[1]"),
    ]


def test_parse_refuses_wrong_container_types() -> None:
    _, problems = parse_assessment({"concerns": "many", "needs": 3})
    assert [(p.code, p.field) for p in problems] == [("needs-type", "concerns"), ("needs-type", "needs")]


ITEMS = {
    "a": ("safety",),
    "b": ("support_systems", "connection"),
    "c": ("behavioural_patterns",),
    "d": ("purpose",),
    "e": (),
}


def order(assessment: NeedsAssessment | None) -> list[str]:
    return order_by_needs(list(ITEMS), lambda name: ITEMS[name], assessment)


def test_without_an_assessment_the_order_is_kept() -> None:
    assert order(None) == ["a", "b", "c", "d", "e"]


def test_highest_priority_concern_comes_first_then_impact() -> None:
    assessment = NeedsAssessment(
        concerns=(
            Concern(ConcernArea.SUPPORT_SYSTEMS, Impact.LOW, 2),
            Concern(ConcernArea.BEHAVIOURAL_PATTERNS, Impact.HIGH, 2),
        )
    )
    # Both priority 2; high impact (c) before low impact (b); the rest keep their order.
    assert order(assessment) == ["c", "b", "a", "d", "e"]


def test_least_met_need_comes_next() -> None:
    assessment = NeedsAssessment(
        concerns=(Concern(ConcernArea.SUPPORT_SYSTEMS, Impact.LOW, 5),),
        needs=(NeedRating(CoreNeed.SAFETY, 4), NeedRating(CoreNeed.PURPOSE, 1)),
    )
    # b serves a concern; then d (purpose met 1) before a (safety met 4); e serves nothing.
    assert order(assessment) == ["b", "d", "a", "c", "e"]


def test_parse_reports_every_problem_of_an_entry_at_once_each_naming_its_field_once() -> None:
    data: dict[str, Any] = {
        "concerns": [{"area": "nope", "impact": "high", "priority": 9}],
        "needs": {"safty": 9},
    }
    _, problems = parse_assessment(data)
    assert [(p.code, p.field, p.message) for p in problems] == [
        ("needs-choice", "concerns[0].area", "'nope' is unknown."),
        (
            "needs-priority",
            "concerns[0].priority",
            "The priority is 9; priorities run from 1 (highest) to 5.",
        ),
        ("needs-choice", "needs.safty", "'safty' is unknown."),
        ("needs-met", "needs.safty", "The rating is 9; ratings run from 1 (hardly met) to 5 (fully met)."),
    ]
