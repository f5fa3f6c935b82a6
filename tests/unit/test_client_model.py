from __future__ import annotations

from datetime import UTC, date, datetime

from goalwise.core.client import validate_client
from goalwise.core.measurement.observation import local_day, validate_value
from goalwise.core.measurement.phase import Phase, phase_on, validate_phase


def test_client_validation_reports_every_problem() -> None:
    problems = validate_client("  ", "Mars/Olympus")
    assert [p.field for p in problems] == ["name", "timezone"]
    assert validate_client("Robin", "Europe/London") == []


def test_local_day_follows_the_client_time_zone() -> None:
    at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert local_day(at, "Europe/London") == date(2026, 3, 1)
    assert local_day(at, "Europe/Berlin") == date(2026, 3, 2)  # 00:30 the next day in Berlin
    assert local_day(at, "America/New_York") == date(2026, 3, 1)


def test_mood_eleven_is_off_the_scale() -> None:
    problems = validate_value("rating", 11, field="mood", label="Mood", scale_min=1, scale_max=10)
    assert [p.field for p in problems] == ["mood"]
    assert "1 to 10" in problems[0].message
    assert validate_value("rating", 10, field="mood", label="Mood", scale_min=1, scale_max=10) == []


def test_negative_duration_and_fractional_count_are_rejected() -> None:
    assert validate_value("duration", -5)[0].code == "observation-duration"
    assert validate_value("count", 2.5)[0].code == "observation-count"
    assert validate_value("count", 3) == []


def test_proportion_needs_whole_numbers_within_the_total() -> None:
    assert validate_value("proportion", 4, denominator=5) == []
    assert validate_value("proportion", 6, denominator=5)[0].field == "value"
    assert validate_value("proportion", 1, denominator=0)[0].field == "denominator"


def test_a_time_more_than_a_day_ahead_is_refused() -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    late = datetime(2026, 3, 2, 13, tzinfo=UTC)  # 25 hours ahead
    assert validate_value("count", 1, at=late, now=now)[0].field == "at"
    assert validate_value("count", 1, at=datetime(2026, 3, 2, 11, tzinfo=UTC), now=now) == []


def test_booleans_are_not_numbers() -> None:
    assert validate_value("count", True)[0].code == "observation-number"


def test_baseline_length_must_be_one_to_three_weeks() -> None:
    assert validate_phase("baseline", "Baseline", 6)[0].field == "baseline_days"
    assert validate_phase("baseline", "Baseline", 21) == []
    assert validate_phase("intervention", "", None)[0].field == "name"


def test_phase_on_picks_the_latest_started_phase() -> None:
    phases = [
        Phase(1, 1, "baseline", "Baseline", date(2026, 1, 1)),
        Phase(2, 1, "intervention", "CBT module 1", date(2026, 1, 15)),
    ]
    assert phase_on(phases, date(2025, 12, 31)) is None
    assert phase_on(phases, date(2026, 1, 14)).name == "Baseline"  # type: ignore[union-attr]
    assert phase_on(phases, date(2026, 1, 15)).name == "CBT module 1"  # type: ignore[union-attr]


def test_nan_and_infinity_are_not_numbers() -> None:
    for kind in ("count", "duration", "rating", "checklist"):
        assert validate_value(kind, float("nan"), scale_min=1, scale_max=10)[0].code == "observation-number"
    assert validate_value("duration", float("inf"))[0].message == "The value is not a number."
