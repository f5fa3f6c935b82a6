"""Phases and the baseline summary on both databases."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from tests.support.cast import Cast

from goalwise.core.errors import Conflict, InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.measurement import baseline, observations, phases
from goalwise.storage.tables import phases as phases_table


def _log_days(ctx: Context, cast: Cast, metric: str, start: date, values: list[float]) -> None:
    a = cast.client_a
    for offset, value in enumerate(values):
        day = date.fromordinal(start.toordinal() + offset)
        at = datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC)
        observations.log(ctx, a.actor, a.client_id, metric, value, at=at)


def test_a_baseline_plans_14_days_unless_told_otherwise(ctx: Context, cast: Cast) -> None:
    a, t = cast.client_a, cast.therapist.actor
    started = phases.start_phase(ctx, t, a.client_id, "Baseline", baseline=True, start_on=date(2024, 3, 1))
    assert (started.kind, started.planned_days, started.start_on) == ("baseline", 14, date(2024, 3, 1))
    later = phases.start_phase(ctx, t, a.client_id, "CBT module 1", start_on=date(2024, 3, 15))
    assert (later.kind, later.planned_days) == ("intervention", None)
    spans = phases.list_phases(ctx, a.actor, a.client_id)
    assert [(s.phase.name, s.end_on) for s in spans] == [
        ("Baseline", date(2024, 3, 14)),
        ("CBT module 1", None),
    ]


@pytest.mark.parametrize("days", [6, 22])
def test_a_baseline_outside_7_to_21_days_is_refused(ctx: Context, cast: Cast, days: int) -> None:
    with pytest.raises(InvalidInput) as info:
        phases.start_phase(
            ctx, cast.therapist.actor, cast.client_a.client_id, "Baseline", baseline=True, days=days
        )
    problem = info.value.problems[0]
    assert problem.field == "days" and "7-21 days" in problem.message and "14 days" in problem.hint
    with ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(phases_table)).scalar_one() == 0


def test_two_phases_cannot_start_on_the_same_day(ctx: Context, cast: Cast) -> None:
    a, t = cast.client_a, cast.therapist.actor
    phases.start_phase(ctx, t, a.client_id, "Baseline", baseline=True, start_on=date(2024, 3, 1))
    with pytest.raises(Conflict):
        phases.start_phase(ctx, t, a.client_id, "CBT", start_on=date(2024, 3, 1))


def test_the_client_may_start_a_phase_but_others_may_not(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    started = phases.start_phase(ctx, a.actor, a.client_id, "Medication change", start_on=date(2024, 4, 1))
    assert started.kind == "intervention"
    for person in (cast.other_therapist, cast.supporter, cast.client_b):
        with pytest.raises(NotFound):
            phases.start_phase(ctx, person.actor, a.client_id, "Baseline", baseline=True)


def test_14_days_of_baseline_give_a_summary(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    phases.start_phase(
        ctx, cast.therapist.actor, a.client_id, "Baseline", baseline=True, start_on=date(2024, 3, 1)
    )
    _log_days(ctx, cast, "mood", date(2024, 3, 1), [4, 6] * 7)
    _log_days(ctx, cast, "mood", date(2024, 2, 20), [10])  # before the baseline: left out
    report = baseline.show(ctx, a.actor, a.client_id, metric="mood", as_of=date(2024, 3, 14))
    (mood,) = report.metrics
    s = mood.summary
    # 4,6,4,6,...: mean 5, median 5; every value is 1 from the mean, so SD = sqrt(14 / 13).
    assert (s.n, s.mean, s.median) == (14, 5.0, 5.0)
    assert s.sd is not None and math.isclose(s.sd, math.sqrt(14 / 13))
    # Theil-Sen: 42 same-parity pairs have slope 0, 28 rise and 21 fall, so the median slope is 0.
    assert s.slope_per_day == 0.0
    assert s.stable
    assert s.verdict == "stable: enough data (14 entries over 14 days) and not already improving steeply."
    assert (report.start_on, report.end_on, report.days_so_far, report.planned_days) == (
        date(2024, 3, 1),
        date(2024, 3, 14),
        14,
        14,
    )


def test_3_days_of_baseline_say_how_many_more_days_are_needed(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    phases.start_phase(
        ctx, cast.therapist.actor, a.client_id, "Baseline", baseline=True, start_on=date(2024, 3, 1)
    )
    _log_days(ctx, cast, "anxiety", date(2024, 3, 1), [6, 5, 7])
    (anxiety,) = baseline.show(ctx, a.actor, a.client_id, as_of=date(2024, 3, 3)).metrics
    # 3 days so far; at least 7 are needed: 4 more days (and 2 more entries, fewer than the days).
    assert anxiety.summary.verdict.startswith("too short: 4 more days needed (")
    assert not anxiety.summary.enough_data


def test_the_baseline_ends_when_the_intervention_starts(ctx: Context, cast: Cast) -> None:
    a, t = cast.client_a, cast.therapist.actor
    phases.start_phase(ctx, t, a.client_id, "Baseline", baseline=True, days=7, start_on=date(2024, 3, 1))
    phases.start_phase(ctx, t, a.client_id, "CBT", start_on=date(2024, 3, 8))
    _log_days(ctx, cast, "mood", date(2024, 3, 1), [5, 5, 5, 5, 5, 5, 5, 9, 9])
    report = baseline.show(ctx, a.actor, a.client_id, metric="mood", as_of=date(2024, 3, 20))
    assert report.end_on == date(2024, 3, 7)
    assert (report.metrics[0].summary.n, report.metrics[0].summary.mean) == (7, 5.0)


def test_without_a_baseline_phase_the_report_names_the_command(ctx: Context, cast: Cast) -> None:
    report = baseline.show(ctx, cast.client_a.actor, cast.client_a.client_id)
    assert (report.phase, report.metrics) == (None, ())
    assert "goalwise phase start Baseline --baseline" in report.message


def test_an_unknown_metric_is_named(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    phases.start_phase(ctx, cast.therapist.actor, a.client_id, "Baseline", baseline=True)
    with pytest.raises(InvalidInput) as info:
        baseline.show(ctx, a.actor, a.client_id, metric="steps")
    assert info.value.problems[0].field == "metric"


def test_others_cannot_read_the_baseline(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    phases.start_phase(ctx, cast.therapist.actor, a.client_id, "Baseline", baseline=True)
    for person in (cast.client_b, cast.other_therapist, cast.supporter):
        with pytest.raises(NotFound):
            baseline.show(ctx, person.actor, a.client_id)
