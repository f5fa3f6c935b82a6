"""Goal templates: the issue's examples as data, each filling a draft that passes the SMART check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goalwise.core.errors import NotFound
from goalwise.core.goal import BaselineSource, Comparator, Direction, Target
from goalwise.core.metric import MetricKind, Period
from goalwise.core.need import ConcernArea, CoreNeed
from goalwise.core.smart import check_goal
from goalwise.core.template import TEMPLATES, GoalTemplate, fill, get_template

START = date(2026, 1, 5)


def test_there_are_at_least_twelve_templates_with_unique_ids() -> None:
    ids = [t.id for t in TEMPLATES]
    assert len(ids) >= 12
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t.id)
def test_each_template_is_complete(template: GoalTemplate) -> None:
    assert template.title and template.behaviour and template.keywords
    low, high = template.plausible_baseline
    assert low < high
    assert template.days > 0
    tags = {c.value for c in ConcernArea} | {n.value for n in CoreNeed}
    assert template.needs and set(template.needs) <= tags


def test_the_issues_examples_are_all_templates() -> None:
    ids = {t.id for t in TEMPLATES}
    assert {
        "panic-reduce",
        "panic-weekly-to-monthly",
        "social-interactions",
        "mindfulness-daily",
        "conversations-80pct",
        "negative-thoughts-30pct",
        "phq9-below-10",
        "gad7-below-5",
        "work-attendance",
        "self-care-daily",
        "sleep-duration",
        "sleep-regularity",
        "deep-breathing",
    } <= ids


def test_panic_attacks_five_to_two_a_week() -> None:
    draft = fill("panic-reduce", baseline=5, start_on=START)
    assert draft.metric is not None
    assert (draft.metric.kind, draft.metric.unit, draft.metric.period) == (
        MetricKind.COUNT,
        "panic attacks",
        Period.WEEK,
    )
    assert draft.direction is Direction.DECREASE
    assert draft.target == Target(2.0, Comparator.LE)  # 5 x 0.4
    assert draft.deadline_on == date(2026, 3, 16)  # 10 weeks
    assert draft.review_every_weeks == 4
    assert check_goal(draft, today=START) == []


def test_panic_attacks_weekly_to_monthly_within_90_days() -> None:
    draft = fill("panic-weekly-to-monthly", baseline=1, start_on=START)
    assert draft.target == Target(0.25, Comparator.LE)  # one in four weeks
    assert draft.deadline_on == START + timedelta(days=90)


def test_negative_thoughts_down_thirty_percent_in_four_weeks() -> None:
    draft = fill("negative-thoughts-30pct", baseline=12, start_on=START)
    assert draft.target == Target(8.4, Comparator.LE)  # 12 x 0.7
    assert draft.deadline_on == date(2026, 2, 2)  # 28 days


def test_phq9_below_ten_within_twelve_weeks_uses_the_instrument_baseline() -> None:
    draft = fill("phq9-below-10", baseline=16, start_on=START)
    assert draft.metric is not None and draft.metric.instrument == "phq9"
    assert draft.target == Target(10, Comparator.LT)
    assert draft.baseline is not None and draft.baseline.source is BaselineSource.INSTRUMENT
    assert draft.deadline_on == START + timedelta(weeks=12)


def test_conversations_in_eighty_percent_of_encounters_is_a_percentage() -> None:
    draft = fill("conversations-80pct", baseline=30, start_on=START)
    assert draft.metric is not None and draft.metric.kind is MetricKind.PROPORTION
    assert draft.target == Target(80, Comparator.GE)


def test_mood_rating_target_is_two_points_above_the_baseline() -> None:
    assert fill("mood-rating", baseline=4.5, start_on=START).target == Target(6.5, Comparator.GE)


def test_deep_breathing_within_three_sessions_takes_its_date_from_the_session_schedule() -> None:
    weekly = fill("deep-breathing", baseline=3, start_on=START)
    assert weekly.deadline_sessions == 3
    assert weekly.deadline_on == date(2026, 1, 26)  # 3 x 7 days
    fortnightly = fill("deep-breathing", baseline=3, start_on=START, session_interval_days=14)
    assert fortnightly.deadline_on == date(2026, 2, 16)  # 3 x 14 days


def test_explicit_deadline_and_review_are_kept() -> None:
    draft = fill(
        "sleep-duration", baseline=300, start_on=START, deadline_on=date(2026, 4, 1), review_every_weeks=8
    )
    assert (draft.deadline_on, draft.review_every_weeks) == (date(2026, 4, 1), 8)


def test_unknown_template_raises_not_found_naming_the_known_ids() -> None:
    with pytest.raises(NotFound, match="'walking' does not exist; use one of panic-reduce"):
        get_template("walking")


@st.composite
def filled(draw: st.DrawFn) -> tuple[GoalTemplate, float, date]:
    template = draw(st.sampled_from(TEMPLATES))
    low, high = template.plausible_baseline
    baseline = draw(st.floats(min_value=low, max_value=high, allow_nan=False))
    start = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
    return template, baseline, start


@settings(max_examples=300, deadline=None)
@given(filled())
def test_every_template_with_a_plausible_baseline_passes_without_errors(
    case: tuple[GoalTemplate, float, date],
) -> None:
    template, baseline, start = case
    draft = template.fill(baseline, start)
    problems = check_goal(draft, today=start)
    assert [p for p in problems if p.severity == "error"] == []
