"""Metric kinds: their scales, their own problems, and the local instrument range table."""

from __future__ import annotations

import pytest

from goalwise.core.metric import (
    INSTRUMENT_RANGES,
    MetricKind,
    MetricSpec,
    Period,
    describe,
    metric_problems,
    off_scale_problem,
    smallest_step,
)


@pytest.mark.parametrize(
    ("metric", "bounds"),
    [
        (MetricSpec(MetricKind.COUNT, "walks", Period.WEEK), (0.0, None)),
        (MetricSpec(MetricKind.DURATION, "minutes", Period.DAY), (0.0, 1440.0)),  # 24 x 60
        (MetricSpec(MetricKind.DURATION, "minutes", Period.WEEK), (0.0, 10080.0)),  # 7 x 24 x 60
        (MetricSpec(MetricKind.DURATION, "minutes"), (0.0, None)),
        (MetricSpec(MetricKind.PROPORTION), (0.0, 100.0)),
        (MetricSpec(MetricKind.CHECKLIST), (0.0, 7.0)),
        (MetricSpec(MetricKind.RATING, scale_min=1, scale_max=5), (1.0, 5.0)),
        (MetricSpec(MetricKind.RATING, scale_min=1), None),
        (MetricSpec(MetricKind.RATING, scale_min=5, scale_max=1), None),
        (MetricSpec(MetricKind.INSTRUMENT, instrument="phq9"), (0.0, 27.0)),
        (MetricSpec(MetricKind.INSTRUMENT, instrument="bdi"), None),
    ],
)
def test_bounds_follow_the_kind(metric: MetricSpec, bounds: tuple[float, float | None] | None) -> None:
    assert metric.bounds() == bounds


def test_instrument_ranges_match_clinical_md() -> None:
    # CLINICAL.md §1.2, §2.1, §2.2, §2.3, §2.4.
    assert dict(INSTRUMENT_RANGES) == {
        "phq9": (0, 27),
        "gad7": (0, 21),
        "phq2": (0, 6),
        "gad2": (0, 6),
        "hamd17": (0, 52),
        "who5": (0, 25),
        "pcl5": (0, 80),
    }


def test_only_count_and_duration_are_open_scales() -> None:
    assert [k for k in MetricKind if not MetricSpec(k).bounded] == [MetricKind.COUNT, MetricKind.DURATION]


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        (MetricSpec(MetricKind.COUNT, "panic attacks", Period.WEEK), []),
        (MetricSpec(MetricKind.COUNT, None, Period.WEEK), [("M-no-unit", "metric.unit")]),
        (MetricSpec(MetricKind.COUNT, " ", Period.WEEK), [("M-no-unit", "metric.unit")]),
        (MetricSpec(MetricKind.COUNT, "walks"), [("M-no-period", "metric.period")]),
        (MetricSpec(MetricKind.DURATION, "minutes", Period.DAY), []),
        (MetricSpec(MetricKind.DURATION, "mins", Period.DAY), []),
        (MetricSpec(MetricKind.DURATION, None, Period.DAY), [("M-no-unit", "metric.unit")]),
        (MetricSpec(MetricKind.DURATION, "hours", Period.DAY), [("M-duration-unit", "metric.unit")]),
        (MetricSpec(MetricKind.RATING, scale_min=0, scale_max=10), []),
        (MetricSpec(MetricKind.RATING, scale_max=10), [("M-no-scale", "metric.scale_min")]),
        (MetricSpec(MetricKind.RATING, scale_min=0), [("M-no-scale", "metric.scale_max")]),
        (MetricSpec(MetricKind.RATING, scale_min=3, scale_max=3), [("M-scale-order", "metric.scale_max")]),
        (MetricSpec(MetricKind.PROPORTION), []),
        (MetricSpec(MetricKind.CHECKLIST), []),
        (MetricSpec(MetricKind.INSTRUMENT, instrument="gad7"), []),
        (MetricSpec(MetricKind.INSTRUMENT), [("M-no-instrument", "metric.instrument")]),
        (
            MetricSpec(MetricKind.INSTRUMENT, instrument="ors"),
            [("M-unknown-instrument", "metric.instrument")],
        ),
    ],
)
def test_metric_problems_name_the_missing_part(metric: MetricSpec, expected: list[tuple[str, str]]) -> None:
    problems = metric_problems(metric)
    assert [(p.code, p.field) for p in problems] == expected
    assert all(p.severity == "error" and p.suggestion for p in problems)


def test_hours_are_refused_with_the_conversion_in_the_hint() -> None:
    [problem] = metric_problems(MetricSpec(MetricKind.DURATION, "hours", Period.DAY))
    assert "7 hours is 420" in problem.suggestion


def test_off_scale_problem_for_a_closed_and_an_open_scale() -> None:
    rating = MetricSpec(MetricKind.RATING, scale_min=0, scale_max=10)
    problem = off_scale_problem(
        rating, 12, code="M-target-off-scale", field="target.value", label="target.value"
    )
    assert problem is not None
    assert problem.message == "target.value is 12; rating (0-10) runs from 0 to 10."
    assert off_scale_problem(rating, 10, code="x", field="f", label="f") is None
    count = MetricSpec(MetricKind.COUNT, "walks", Period.WEEK)
    below = off_scale_problem(
        count, -1, code="M-baseline-off-scale", field="baseline.value", label="baseline"
    )
    assert below is not None and below.message == "baseline is -1; a count is 0 or more."
    assert off_scale_problem(count, 10_000, code="x", field="f", label="f") is None


def test_off_scale_is_silent_when_the_scale_is_unknown() -> None:
    unknown = MetricSpec(MetricKind.INSTRUMENT, instrument="bdi")
    assert off_scale_problem(unknown, 99, code="x", field="f", label="f") is None


@pytest.mark.parametrize(
    ("metric", "label"),
    [
        (MetricSpec(MetricKind.COUNT, "panic attacks", Period.WEEK), "panic attacks per week"),
        (MetricSpec(MetricKind.DURATION, "minutes", Period.DAY), "minutes per day"),
        (MetricSpec(MetricKind.PROPORTION, "of encounters"), "% of encounters"),
        (MetricSpec(MetricKind.CHECKLIST), "days per week"),
        (MetricSpec(MetricKind.RATING, scale_min=0, scale_max=10), "rating (0-10)"),
        (MetricSpec(MetricKind.INSTRUMENT, instrument="gad7"), "GAD-7 total (0-21)"),
    ],
)
def test_describe_gives_a_short_label(metric: MetricSpec, label: str) -> None:
    assert describe(metric) == label


def test_smallest_steps() -> None:
    assert smallest_step(MetricSpec(MetricKind.COUNT)) == 1
    assert smallest_step(MetricSpec(MetricKind.DURATION)) == 10
    assert smallest_step(MetricSpec(MetricKind.PROPORTION)) == 10


@pytest.mark.parametrize("value", [1e308, 1e10, 1_000_000_001])
def test_an_open_scale_still_ends_where_logged_values_do(value: float) -> None:
    count = MetricSpec(MetricKind.COUNT, "walks", Period.WEEK)
    duration = MetricSpec(MetricKind.DURATION, "minutes")
    for metric in (count, duration):
        problem = off_scale_problem(metric, value, code="M-target-off-scale", field="target.value", label="t")
        assert problem is not None and "1,000,000,000" in problem.message
        assert len(problem.message) < 120  # no 300-digit number
    assert off_scale_problem(count, 1_000_000_000, code="x", field="f", label="f") is None
