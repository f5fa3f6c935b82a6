"""The SMART check: acceptance cases from issue 3 and, for each rule, one case that triggers it and
one that does not."""

from __future__ import annotations

import copy
import importlib
import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.core.goal import parse_draft
from goalwise.core.smart import (
    ABSURD_RATE,
    LOW_CONFIDENCE,
    STEEP_RELATIVE_RATE,
    STEEP_SCALE_RATE,
    check_goal,
    check_text,
    has_errors,
)
from goalwise.core.smart_rules import RULES, SMART_CODES

Draft = dict[str, Any]

# Issue 3's acceptance draft: panic attacks from 5 to 2 per week in 10 weeks, reviewed every 4 weeks.
PANIC: Draft = {
    "title": "Fewer panic attacks",
    "behaviour": "Each panic attack (a sudden surge of intense fear that peaks within minutes) is logged in "
    "the app on the day it happens; the value is the number in the week.",
    "metric": {"kind": "count", "unit": "panic attacks", "period": "week"},
    "direction": "decrease",
    "baseline": {"value": 5, "source": "baseline_period"},
    "target": {"value": 2, "comparator": "<="},
    "start_on": "2026-01-05",
    "deadline_on": "2026-03-16",  # 2026-01-05 + 70 days = 10 weeks
    "review_every_weeks": 4,
}


def draft(**changes: Any) -> Draft:
    """PANIC with top-level keys replaced; a value of None removes the key."""
    data = copy.deepcopy(PANIC)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def codes(problems: list[Any]) -> list[str]:
    return [p.code for p in problems]


def one(problems: list[Any], code: str) -> Any:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, f"expected exactly one {code}, got {codes(problems)}"
    return found[0]


# -- acceptance -----------------------------------------------------------------------------------


def test_feel_better_text_yields_s_m_and_t_problems_with_concrete_suggestions() -> None:
    problems = check_text("I want to feel better")
    assert {p.code[0] for p in problems} >= {"S", "M", "T"}
    assert codes(problems) == ["S-vague-phrase", "M-no-metric", "M-no-target", "T-no-deadline"]
    for problem in problems:
        assert problem.severity == "error"
        assert problem.field == "text"
        # Concrete: every suggestion carries an example with a number in it.
        assert any(ch.isdigit() for ch in problem.suggestion), problem.suggestion
    assert "mood 1-10" in one(problems, "S-vague-phrase").suggestion  # the check-in's scale
    assert "mood rating" in one(problems, "M-no-metric").suggestion


def test_full_panic_draft_has_no_problems_at_all() -> None:
    problems = check_goal(PANIC, today=date(2026, 1, 5))
    assert problems == []
    assert not has_errors(problems)


def test_dict_and_parsed_draft_give_the_same_problems() -> None:
    data = draft(title=None, target={"value": 0}, review_every_weeks=None)
    parsed, parse_problems = parse_draft(data)
    assert parse_problems == []
    assert check_goal(data) == check_goal(parsed)


def test_problems_are_ordered_s_m_a_r_t() -> None:
    data = {"baseline": "x", "confidence": 3, "title": "Stop it", "target": {"value": 0}}
    letters = [p.code[0] for p in check_goal(data, active_primary_goals=5)]
    assert letters == sorted(letters, key="SMART".index)
    assert set(letters) == set("SMART")


def test_every_rule_code_starts_with_its_smart_letter() -> None:
    for code, rule in RULES.items():
        assert code == rule.code
        assert code[0] in "SMART" and code[1] == "-"
        assert rule.severity in ("error", "warning")
    assert set(RULES) <= SMART_CODES


# -- one triggering and one quiet case per rule ---------------------------------------------------

D = date(2026, 1, 5)
Case = tuple[Draft, dict[str, Any]]
# fmt: off
RULE_CASES: list[tuple[str, Case, Case]] = [
    ("S-no-title", (draft(title=None), {}), (PANIC, {})),
    ("S-no-title", (draft(title="   "), {}), (draft(title="Fewer attacks"), {})),
    ("S-no-behaviour", (draft(behaviour=None), {}), (PANIC, {})),
    ("S-vague-phrase", (draft(behaviour="I will feel better each day."), {}), (PANIC, {})),
    ("S-vague-phrase", (draft(title="Get my life together"), {}), (draft(title="My life, my way"), {})),
    ("S-avoidance-framing", (draft(title="Stop having panic attacks"), {}),
     (draft(title="Stopwatch practice"), {})),
    ("S-avoidance-framing", (draft(framing="avoidance"), {}), (draft(framing="approach"), {})),
    ("M-no-metric", (draft(metric=None), {}), (PANIC, {})),
    ("M-no-unit", (draft(metric={"kind": "count", "period": "week"}), {}), (PANIC, {})),
    ("M-no-period", (draft(metric={"kind": "count", "unit": "panic attacks"}), {}), (PANIC, {})),
    ("M-unknown-kind", (draft(metric={"kind": "steps"}), {}), (PANIC, {})),
    (
        "M-no-scale",
        (draft(metric={"kind": "rating", "scale_min": 0}, baseline=3, target=5, direction="increase"), {}),
        (draft(metric={"kind": "rating", "scale_min": 0, "scale_max": 10}, baseline=3, target=5,
               direction="increase"), {}),
    ),
    (
        "M-scale-order",
        (draft(metric={"kind": "rating", "scale_min": 10, "scale_max": 0}), {}),
        (draft(metric={"kind": "rating", "scale_min": 0, "scale_max": 10}), {}),
    ),
    ("M-no-instrument", (draft(metric={"kind": "instrument"}), {}),
     (draft(metric={"kind": "instrument", "instrument": "phq9"}), {})),
    ("M-unknown-instrument", (draft(metric={"kind": "instrument", "instrument": "bdi"}), {}),
     (draft(metric={"kind": "instrument", "instrument": "gad7"}), {})),
    ("M-duration-unit", (draft(metric={"kind": "duration", "unit": "hours", "period": "day"}), {}),
     (draft(metric={"kind": "duration", "unit": "minutes", "period": "day"}), {})),
    ("M-no-direction", (draft(direction=None), {}), (PANIC, {})),
    ("M-no-target", (draft(target=None), {}), (PANIC, {})),
    ("M-no-target", (draft(target={"low": 1, "high": 2}), {}), (PANIC, {})),
    ("M-no-baseline", (draft(baseline=None), {}), (PANIC, {})),
    ("M-no-range", (draft(direction="maintain", target={"low": 1}), {}),
     (draft(direction="maintain", target={"low": 1, "high": 6}), {})),
    ("M-no-range", (draft(direction="maintain", target={"low": 6, "high": 1}), {}),
     (draft(direction="maintain", target={"low": 1, "high": 1}), {})),
    ("M-target-off-scale", (draft(target=-1), {}), (draft(target=0), {})),
    ("M-baseline-off-scale", (draft(baseline=-2), {}), (draft(baseline=0.5), {})),
    ("M-target-equals-baseline", (draft(target=5), {}), (draft(target=4), {})),
    ("M-target-equals-baseline", (draft(target={"value": 5, "comparator": "="}), {}),
     (draft(target={"value": 5, "comparator": "<"}), {})),
    ("M-direction-mismatch", (draft(target=7), {}), (draft(target=3), {})),
    ("M-direction-mismatch", (draft(direction="increase", target=2), {}),
     (draft(direction="increase", target=7), {})),
    ("M-comparator-mismatch", (draft(target={"value": 2, "comparator": ">="}), {}),
     (draft(target={"value": 2, "comparator": "<"}), {})),
    ("M-proportion-as-fraction",
     (draft(metric={"kind": "proportion"}, direction="increase", baseline=30, target=0.8), {}),
     (draft(metric={"kind": "proportion"}, direction="increase", baseline=30, target=80), {})),
    # Change 3 against a baseline SD of 4 is within the noise; against SD 1 it is not.
    ("M-change-within-noise", (PANIC, {"baseline_sd": 4.0}), (PANIC, {"baseline_sd": 1.0})),
    # 5 -> 2 in 2 weeks: 1.5/week = 30% of 5 > 25%; in 10 weeks 0.3/week = 6%.
    ("A-steep-change", (draft(deadline_on="2026-01-19"), {}), (PANIC, {})),
    # SD 0.5: 5 -> 2 is 6 SDs; 3 weeks < 4 triggers, 10 weeks does not.
    ("A-far-from-baseline", (draft(deadline_on="2026-01-26"), {"baseline_sd": 0.5}),
     (PANIC, {"baseline_sd": 0.5})),
    ("A-low-confidence", (PANIC, {"confidence": 6}), (PANIC, {"confidence": 7})),
    ("A-low-confidence", (draft(confidence=3), {}), (draft(confidence=3), {"confidence": 8})),
    ("A-ruler-range", (draft(confidence=11), {}), (draft(confidence=10), {})),
    ("A-ruler-range", (draft(importance=-1), {}), (draft(importance=0), {})),
    ("R-elimination-target", (draft(target=0), {}), (PANIC, {})),
    ("R-elimination-target", (draft(target={"value": 1, "comparator": "<"}), {}),
     (draft(target={"value": 1, "comparator": "<="}), {})),
    ("R-too-many-primary", (PANIC, {"active_primary_goals": 3}), (PANIC, {"active_primary_goals": 2})),
    ("R-too-many-primary", (draft(priority="primary"), {"active_primary_goals": 5}),
     (draft(priority="secondary"), {"active_primary_goals": 5})),
    # 2026-01-05 -> 2026-08-01 is 208 days (> 183); -> 2026-06-01 is 147 days.
    ("R-long-deadline", (draft(deadline_on="2026-08-01"), {}), (draft(deadline_on="2026-06-01"), {})),
    ("T-no-start", (draft(start_on=None), {}), (PANIC, {})),
    ("T-no-deadline", (draft(deadline_on=None), {}), (draft(deadline_on=None, deadline_sessions=10), {})),
    ("T-deadline-before-start", (draft(deadline_on="2026-01-01"), {}), (PANIC, {})),
    ("T-deadline-before-start", (draft(deadline_on="2026-01-05"), {}), (draft(deadline_on="2026-01-06"), {})),
    ("T-deadline-past", (PANIC, {"today": date(2026, 3, 17)}), (PANIC, {"today": date(2026, 3, 16)})),
    ("T-deadline-past", (draft(deadline_on=None, deadline_sessions=2), {"today": date(2026, 1, 20)}),
     (draft(deadline_on=None, deadline_sessions=2), {"today": date(2026, 1, 19)})),
    ("T-sessions-range", (draft(deadline_sessions=0), {}), (draft(deadline_sessions=1), {})),
    ("T-no-review", (draft(review_every_weeks=None), {}), (PANIC, {})),
    ("T-review-range", (draft(review_every_weeks=1), {}), (draft(review_every_weeks=2), {})),
    ("T-review-range", (draft(review_every_weeks=27), {}),
     (draft(review_every_weeks=26, deadline_on="2026-12-31"), {})),
    ("T-review-after-deadline", (draft(review_every_weeks=12), {}), (draft(review_every_weeks=10), {})),
]
# fmt: on


@pytest.mark.parametrize(
    ("code", "triggers", "quiet"), RULE_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(RULE_CASES)]
)
def test_rule_triggers_on_one_case_and_not_on_the_other(code: str, triggers: Case, quiet: Case) -> None:
    data, context = triggers
    problem = one(check_goal(data, **context), code)
    assert problem.message and problem.suggestion
    quiet_data, quiet_context = quiet
    assert code not in codes(check_goal(quiet_data, **quiet_context))


def test_every_rule_in_the_table_has_a_triggering_case() -> None:
    assert set(RULES) <= {code for code, _, _ in RULE_CASES}


# -- details of individual rules ------------------------------------------------------------------


def test_vague_phrase_is_an_error_in_the_behaviour_and_a_warning_in_the_title() -> None:
    in_behaviour = one(check_goal(draft(behaviour="Sleep better most nights.")), "S-vague-phrase")
    in_title = one(check_goal(draft(title="Sleep better")), "S-vague-phrase")
    assert (in_behaviour.severity, in_behaviour.field) == ("error", "behaviour")
    assert (in_title.severity, in_title.field) == ("warning", "title")
    assert "420 minutes" in in_title.suggestion


def test_avoidance_framing_is_a_warning_whose_suggestion_says_approach() -> None:
    problem = one(check_goal(draft(title="Never miss work again")), "S-avoidance-framing")
    assert problem.severity == "warning"
    assert "approach" in problem.suggestion
    assert "'never'" in problem.message


@pytest.mark.parametrize("word", ["stop", "avoid", "never", "no more", "quit", "don't", "don’t"])
def test_each_avoidance_word_is_recognised(word: str) -> None:
    assert "S-avoidance-framing" in codes(check_goal(draft(title=f"{word} drinking coffee")))


def test_steep_change_suggests_a_first_milestone_and_a_later_deadline() -> None:
    problem = one(check_goal(draft(deadline_on="2026-01-19")), "A-steep-change")
    assert problem.severity == "warning"
    # 2 weeks at the 25% limit of 5: 1.25/week, so 5 - 2.5 = 2.5 by the deadline;
    # the full change of 3 needs ceil(3 / 1.25) = 3 weeks: 2026-01-05 + 21 days.
    assert "Make 2.5 by 2026-01-19" in problem.suggestion
    assert "2026-01-26 (3 weeks)" in problem.suggestion
    assert "30%" in problem.message  # 1.5 per week / 5


def test_steep_change_is_an_error_when_absurd() -> None:
    # 5 -> 2 in 3 days: 3 / (3/7) = 7 per week = 140% of 5 > ABSURD_RATE (100%).
    assert ABSURD_RATE == 1.0
    problem = one(check_goal(draft(deadline_on="2026-01-08", review_every_weeks=None)), "A-steep-change")
    assert problem.severity == "error"


def test_steep_change_on_a_bounded_scale_uses_the_scale_width() -> None:
    phq = {"kind": "instrument", "instrument": "phq9"}
    base = draft(metric=phq, baseline=20, target={"value": 5, "comparator": "<"}, review_every_weeks=2)
    # 20 -> 5 in 2 weeks: 7.5/week / 27 = 27.8% > 20%; in 12 weeks 1.25/27 = 4.6%.
    assert STEEP_SCALE_RATE == 0.20
    assert "A-steep-change" in codes(check_goal({**base, "deadline_on": "2026-01-19"}))
    assert "A-steep-change" not in codes(check_goal({**base, "deadline_on": "2026-03-30"}))


def test_change_of_one_step_is_never_steep() -> None:
    # 2 -> 1 in one week is 50% of 2, but a single event is the smallest change there is.
    small = draft(baseline=2, target=1, deadline_on="2026-01-12", review_every_weeks=None)
    assert "A-steep-change" not in codes(check_goal(small))


def test_increase_from_zero_is_judged_against_the_target() -> None:
    # 0 -> 3 social contacts in 8 weeks: 0.375/week / 3 = 12.5% <= 25%; in 1 week: 100% > 25%.
    assert STEEP_RELATIVE_RATE == 0.25
    social = draft(
        metric={"kind": "count", "unit": "contacts", "period": "week"},
        direction="increase",
        baseline=0,
        target=3,
        review_every_weeks=None,
    )
    assert "A-steep-change" not in codes(check_goal({**social, "deadline_on": "2026-03-02"}))
    fast = one(check_goal({**social, "deadline_on": "2026-01-12"}), "A-steep-change")
    assert fast.severity == "warning"  # exactly 100%: steep, not absurd


def test_low_confidence_suggests_a_half_way_first_step() -> None:
    problem = one(check_goal(PANIC, confidence=LOW_CONFIDENCE - 1), "A-low-confidence")
    assert problem.severity == "warning"
    assert "3.5" in problem.suggestion  # (5 + 2) / 2


def test_elimination_target_suggests_about_half_the_baseline() -> None:
    problem = one(check_goal(draft(target=0)), "R-elimination-target")
    assert problem.severity == "warning"
    assert "3 or fewer per week" in problem.suggestion  # ceil(5 / 2)


def test_long_deadline_suggests_a_first_milestone_eight_weeks_in() -> None:
    problem = one(check_goal(draft(deadline_on="2026-08-01")), "R-long-deadline")
    assert "2026-03-02" in problem.suggestion  # 2026-01-05 + 56 days


def test_deadline_past_is_skipped_without_today() -> None:
    assert "T-deadline-past" not in codes(check_goal(draft(deadline_on="2020-01-01", start_on="2019-12-01")))


def test_sessions_deadline_uses_the_session_interval() -> None:
    data = draft(deadline_on=None, deadline_sessions=3)
    # Weekly sessions: deadline 2026-01-26, passed on 2026-01-27; fortnightly: 2026-02-16.
    assert "T-deadline-past" in codes(check_goal(data, today=date(2026, 1, 27)))
    assert "T-deadline-past" not in codes(check_goal(data, today=date(2026, 1, 27), session_interval_days=14))


# -- bad input names the field and the fix --------------------------------------------------------


def test_target_off_scale_names_the_field_and_the_range() -> None:
    data = draft(metric={"kind": "instrument", "instrument": "phq9"}, baseline=18, target=30)
    problem = one(check_goal(data), "M-target-off-scale")
    assert problem.field == "target.value"
    assert problem.message == "target.value is 30; PHQ-9 total (0-27) runs from 0 to 27."
    assert problem.suggestion == "Enter a value between 0 and 27."


def test_deadline_before_start_names_both_dates() -> None:
    problem = one(check_goal(draft(deadline_on="2026-01-01")), "T-deadline-before-start")
    assert problem.field == "deadline_on"
    assert problem.message == "deadline_on (2026-01-01) is before start_on (2026-01-05)."
    assert "2026-03-16" in problem.suggestion  # start + 10 weeks


def test_unknown_metric_kind_lists_the_kinds() -> None:
    problems = check_goal(draft(metric={"kind": "steps"}))
    problem = one(problems, "M-unknown-kind")
    assert problem.field == "metric.kind"
    assert problem.message == (
        "metric.kind 'steps' is unknown; "
        "use one of count, duration, rating, proportion, checklist, instrument."
    )
    assert "M-no-metric" not in codes(problems)  # the parse problem replaces "missing"


def test_wrong_types_are_problems_naming_each_field() -> None:
    data = {
        "title": 5,
        "baseline": "five",
        "target": [2],
        "start_on": "05/01/2026",
        "review_every_weeks": 4.5,
        "metric": "count",
        "confidence": True,
    }
    problems = check_goal(data)
    fields = {p.field: p.code for p in problems if p.code.endswith(("wrong-type", "bad-date"))}
    assert fields == {
        "title": "S-wrong-type",
        "metric": "M-wrong-type",
        "baseline": "M-wrong-type",
        "target": "M-wrong-type",
        "start_on": "T-bad-date",
        "review_every_weeks": "T-wrong-type",
        "confidence": "A-wrong-type",
    }
    assert has_errors(problems)


def test_a_json_list_instead_of_an_object_is_a_problem_not_a_crash() -> None:
    problems = check_goal([1, 2])  # type: ignore[arg-type]
    assert [(p.code, p.field) for p in problems] == [("S-wrong-type", "draft")]


SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(-50, 10**12)
    | st.floats(allow_nan=True)
    | st.text(max_size=10)
    | st.sampled_from(
        [
            "count",
            "duration",
            "rating",
            "proportion",
            "checklist",
            "instrument",
            "day",
            "week",
            "phq9",
            "who5",
            "minutes",
            "increase",
            "decrease",
            "maintain",
            "<",
            "<=",
            "=",
            ">=",
            "primary",
            "avoidance",
            "0001-01-02",
            "2026-01-05",
            "2026-03-16",
            "9999-12-30",
        ]
    )
)
PARTS = [
    "kind",
    "unit",
    "period",
    "scale_min",
    "scale_max",
    "instrument",
    "value",
    "source",
    "comparator",
    "low",
    "high",
]
VALUE = SCALAR | st.dictionaries(st.sampled_from(PARTS), SCALAR, max_size=6) | st.lists(SCALAR, max_size=3)
FIELDS = [
    "title",
    "behaviour",
    "metric",
    "direction",
    "baseline",
    "target",
    "start_on",
    "deadline_on",
    "deadline_sessions",
    "review_every_weeks",
    "priority",
    "framing",
    "set_by",
    "importance",
    "confidence",
    "related_goals",
]


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from(FIELDS), VALUE, max_size=12),
    st.none() | st.dates(),
    st.none() | st.floats(min_value=0, allow_infinity=False),
    st.integers(-2, 10),
)
def test_check_goal_never_raises_and_every_code_has_a_smart_letter(
    data: Draft, today: date | None, sd: float | None, others: int
) -> None:
    for problem in check_goal(data, today=today, baseline_sd=sd, active_primary_goals=others):
        assert problem.code[0] in "SMART" and problem.code[1] == "-"
        assert problem.message and problem.suggestion
        assert problem.severity in ("error", "warning")


def test_dates_at_the_end_of_the_calendar_do_not_overflow() -> None:
    data = draft(
        start_on="9999-12-01",
        deadline_on="9999-12-31",
        deadline_sessions=10**9,
        baseline=1e300,
        target=-1e300,
    )
    assert "M-target-off-scale" in codes(check_goal(data, today=date.max, baseline_sd=1e-300))
    assert check_goal(draft(deadline_on=None, deadline_sessions=10**12))  # clamped, no crash


# -- free text ------------------------------------------------------------------------------------


def test_a_smart_sentence_has_no_problems() -> None:
    assert check_text("Have 2 panic attacks a week or fewer, down from 5, within 10 weeks") == []


def test_a_number_inside_the_deadline_is_not_a_target() -> None:
    assert codes(check_text("Feel better in 2 weeks")) == ["S-vague-phrase", "M-no-metric", "M-no-target"]


def test_avoidance_text_gets_an_approach_suggestion() -> None:
    problem = one(check_text("Stop avoiding the shops 3 times a week within 6 weeks"), "S-avoidance-framing")
    assert problem.severity == "warning"
    assert "approach" in problem.suggestion


@pytest.mark.parametrize(
    ("text", "has_deadline"),
    [
        ("walk 3 times a week by March", True),
        ("walk 3 times a week within three sessions", True),
        ("walk 3 times a week until 2026-05-01", True),
        ("walk 3 times a week by the end of the month", True),
        ("walk 3 times a week for 20 minutes", False),
        ("walk 3 times a week", False),
    ],
)
def test_deadline_words_are_recognised(text: str, has_deadline: bool) -> None:
    assert ("T-no-deadline" not in codes(check_text(text))) is has_deadline


def test_empty_text_is_one_problem() -> None:
    assert codes(check_text("   ")) == ["S-no-behaviour"]


def test_rule_table_messages_leave_no_placeholder_unfilled() -> None:
    many = check_goal({}) + check_goal(
        draft(deadline_on="2026-01-08", target=0, confidence=2, direction="maintain"),
        active_primary_goals=4,
        baseline_sd=0.2,
        today=date(2027, 1, 1),
    )
    assert len(many) > 10
    for problem in many:
        assert not re.search(r"\{[a-z_]+[:}]", problem.message + problem.suggestion), problem


@pytest.mark.parametrize(
    ("text", "has_metric"),
    [
        ("from 5 to 2 panic attacks", True),
        ("go from 5 to 2 by March", False),
        ("walk 20 minutes", True),
        ("three times a week", True),
        ("in 80% of conversations", True),
        ("PHQ-9 below 10", True),
        ("see a few friends", False),
    ],
)
def test_metric_words_are_recognised(text: str, has_metric: bool) -> None:
    assert ("M-no-metric" not in codes(check_text(text))) is has_metric


def test_a_few_is_not_a_number_to_aim_for() -> None:
    assert "M-no-target" in codes(check_text("see a few friends every week within 8 weeks"))


MODULES = [
    "metric",
    "goal",
    "smart",
    "smart_rules",
    "phrases",
    "template",
    "suggest",
    "lifecycle",
    "obstacle",
    "need",
    "action_plan",
]


@pytest.mark.parametrize("name", MODULES)
def test_public_api_is_pinned_by_all(name: str) -> None:
    module = importlib.import_module(f"goalwise.core.{name}")
    assert module.__doc__
    for public in module.__all__:
        assert hasattr(module, public), f"{name}.{public}"
