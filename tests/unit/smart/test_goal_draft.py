"""Reading the DRAFT.json shape into a GoalDraft: never raises, names the field and the fix."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.core.goal import (
    Baseline,
    BaselineSource,
    Comparator,
    Direction,
    Framing,
    GoalDraft,
    Priority,
    SetBy,
    Target,
    draft_to_dict,
    effective_comparator,
    implied_deadline,
    parse_draft,
)
from goalwise.core.metric import MetricKind, MetricSpec, Period


def test_full_draft_is_read_into_values() -> None:
    data = {
        "title": "  Fewer panic attacks ",
        "behaviour": "Log each attack.",
        "metric": {"kind": "count", "unit": "panic attacks", "period": "week"},
        "direction": "decrease",
        "baseline": {"value": 5, "source": "baseline_period"},
        "target": {"value": 2, "comparator": "<="},
        "start_on": "2026-01-05",
        "deadline_on": "2026-03-16",
        "review_every_weeks": 4,
        "priority": "Primary",
        "framing": "approach",
        "set_by": "together",
        "importance": 9,
        "confidence": 7,
        "related_goals": [12, "15"],
        "status": "ignored: not part of the shape",
    }
    draft, problems = parse_draft(data)
    assert problems == []
    assert draft == GoalDraft(
        title="Fewer panic attacks",
        behaviour="Log each attack.",
        metric=MetricSpec(MetricKind.COUNT, unit="panic attacks", period=Period.WEEK),
        direction=Direction.DECREASE,
        baseline=Baseline(5.0, BaselineSource.BASELINE_PERIOD),
        target=Target(2.0, Comparator.LE),
        start_on=date(2026, 1, 5),
        deadline_on=date(2026, 3, 16),
        review_every_weeks=4,
        priority=Priority.PRIMARY,
        framing=Framing.APPROACH,
        set_by=SetBy.TOGETHER,
        importance=9,
        confidence=7,
        related_goals=("12", "15"),
    )


def test_empty_draft_is_all_missing_without_problems() -> None:
    assert parse_draft({}) == (GoalDraft(), [])


def test_plain_numbers_are_an_entered_baseline_and_a_bare_target() -> None:
    draft, problems = parse_draft({"baseline": 5, "target": 2})
    assert problems == []
    assert draft.baseline == Baseline(5.0, BaselineSource.ENTERED)
    assert draft.target == Target(2.0)


def test_maintain_target_is_a_range() -> None:
    draft, _ = parse_draft({"target": {"low": 6, "high": 8}})
    assert draft.target == Target(low=6.0, high=8.0)


def test_numeric_strings_from_forms_are_accepted() -> None:
    draft, problems = parse_draft({"baseline": " 5 ", "review_every_weeks": "6", "confidence": "7.0"})
    assert problems == []
    assert (draft.baseline, draft.review_every_weeks, draft.confidence) == (Baseline(5.0), 6, 7)


def test_instrument_names_are_normalised() -> None:
    draft, problems = parse_draft({"metric": {"kind": "Instrument", "instrument": "PHQ-9"}})
    assert problems == []
    assert draft.metric == MetricSpec(MetricKind.INSTRUMENT, instrument="phq9")


def test_period_accepts_daily_and_weekly() -> None:
    draft, _ = parse_draft({"metric": {"kind": "duration", "unit": "minutes", "period": "daily"}})
    assert draft.metric is not None and draft.metric.period is Period.DAY


def test_date_objects_are_accepted_and_datetimes_become_dates() -> None:
    draft, problems = parse_draft({"start_on": date(2026, 1, 5), "deadline_on": datetime(2026, 3, 16, 9, 30)})
    assert problems == []
    assert (draft.start_on, draft.deadline_on) == (date(2026, 1, 5), date(2026, 3, 16))


def test_unknown_metric_kind_names_the_field_and_the_kinds() -> None:
    draft, problems = parse_draft({"metric": {"kind": "steps"}})
    assert draft.metric is None
    [problem] = problems
    assert (problem.code, problem.field) == ("M-unknown-kind", "metric.kind")
    kinds = "count, duration, rating, proportion, checklist, instrument"
    assert problem.message == f"metric.kind 'steps' is unknown; use one of {kinds}."


def test_metric_without_kind_is_a_problem() -> None:
    _, problems = parse_draft({"metric": {"unit": "walks"}})
    assert [(p.code, p.field) for p in problems] == [("M-no-kind", "metric.kind")]


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"title": 5}, "S-wrong-type", "title"),
        ({"behaviour": ["a"]}, "S-wrong-type", "behaviour"),
        ({"framing": "sideways"}, "S-unknown-value", "framing"),
        ({"metric": "count"}, "M-wrong-type", "metric"),
        ({"metric": {"kind": "count", "period": "month"}}, "M-unknown-value", "metric.period"),
        ({"metric": {"kind": "rating", "scale_max": "ten"}}, "M-wrong-type", "metric.scale_max"),
        ({"direction": "down"}, "M-unknown-value", "direction"),
        ({"baseline": "five"}, "M-wrong-type", "baseline"),
        ({"baseline": True}, "M-wrong-type", "baseline"),
        ({"baseline": "nan"}, "M-wrong-type", "baseline"),
        ({"baseline": {"source": "entered"}}, "M-incomplete", "baseline.value"),
        ({"baseline": {"value": 5, "source": "guess"}}, "M-unknown-value", "baseline.source"),
        ({"target": {"value": 2, "comparator": "=<"}}, "M-unknown-value", "target.comparator"),
        ({"target": [2]}, "M-wrong-type", "target"),
        ({"confidence": 7.5}, "A-wrong-type", "confidence"),
        ({"importance": "high"}, "A-wrong-type", "importance"),
        ({"priority": 1}, "R-wrong-type", "priority"),
        ({"set_by": "mum"}, "R-unknown-value", "set_by"),
        ({"related_goals": "12"}, "R-wrong-type", "related_goals"),
        ({"start_on": "05/01/2026"}, "T-bad-date", "start_on"),
        ({"deadline_on": "2026-02-30"}, "T-bad-date", "deadline_on"),
        ({"deadline_on": 20260316}, "T-bad-date", "deadline_on"),
        ({"deadline_sessions": "three"}, "T-wrong-type", "deadline_sessions"),
        ({"review_every_weeks": 4.5}, "T-wrong-type", "review_every_weeks"),
    ],
)
def test_bad_values_become_problems_naming_the_field(data: dict[str, Any], code: str, field: str) -> None:
    _, problems = parse_draft(data)
    assert [(p.code, p.field) for p in problems] == [(code, field)]
    problem = problems[0]
    assert field in problem.message
    assert problem.suggestion
    assert problem.severity == "error"


def test_bad_date_suggests_the_iso_form() -> None:
    [problem] = parse_draft({"start_on": "05/01/2026"})[1]
    assert problem.message == "start_on is '05/01/2026'; it must be an ISO date."
    assert problem.suggestion == "Write the date as YYYY-MM-DD, e.g. 2026-01-05."


def test_a_non_object_draft_is_one_problem() -> None:
    draft, problems = parse_draft("not a draft")  # type: ignore[arg-type]
    assert draft == GoalDraft()
    assert [(p.code, p.field) for p in problems] == [("S-wrong-type", "draft")]


def test_effective_comparator_follows_the_direction() -> None:
    assert effective_comparator(GoalDraft(direction=Direction.DECREASE)) is Comparator.LE
    assert effective_comparator(GoalDraft(direction=Direction.INCREASE)) is Comparator.GE
    assert effective_comparator(GoalDraft(direction=Direction.MAINTAIN)) is None
    explicit = GoalDraft(direction=Direction.DECREASE, target=Target(10, Comparator.LT))
    assert effective_comparator(explicit) is Comparator.LT


def test_implied_deadline_counts_session_intervals() -> None:
    assert implied_deadline(date(2026, 1, 5), 3) == date(2026, 1, 26)  # 3 x 7 days
    assert implied_deadline(date(2026, 1, 5), 3, session_interval_days=14) == date(2026, 2, 16)  # 42 days


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3))
words = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=12
)
metrics = st.builds(
    MetricSpec,
    kind=st.sampled_from(MetricKind),
    unit=st.none() | words,
    period=st.none() | st.sampled_from(Period),
    scale_min=st.none() | finite,
    scale_max=st.none() | finite,
    instrument=st.none() | st.sampled_from(["phq9", "gad7", "who5"]),
)
targets = st.builds(
    Target,
    value=st.none() | finite,
    comparator=st.none() | st.sampled_from(Comparator),
    low=st.none() | finite,
    high=st.none() | finite,
).filter(lambda t: not (t.value is None and t.low is None and t.high is None))
drafts = st.builds(
    GoalDraft,
    title=st.none() | words,
    behaviour=st.none() | words,
    metric=st.none() | metrics,
    direction=st.none() | st.sampled_from(Direction),
    baseline=st.none() | st.builds(Baseline, finite, st.sampled_from(BaselineSource)),
    target=st.none() | targets,
    start_on=st.none() | st.dates(),
    deadline_on=st.none() | st.dates(),
    deadline_sessions=st.none() | st.integers(-3, 40),
    review_every_weeks=st.none() | st.integers(-3, 40),
    priority=st.none() | st.sampled_from(Priority),
    framing=st.none() | st.sampled_from(Framing),
    set_by=st.none() | st.sampled_from(SetBy),
    importance=st.none() | st.integers(-2, 12),
    confidence=st.none() | st.integers(-2, 12),
    related_goals=st.lists(st.integers(1, 99).map(str), max_size=3).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(drafts)
def test_draft_to_dict_reads_back_to_the_same_draft(draft: GoalDraft) -> None:
    assert parse_draft(draft_to_dict(draft)) == (draft, [])
