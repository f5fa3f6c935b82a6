"""Assessments on both databases: scoring, storage, risk alerts in the same transaction, schedules."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import Table, func, select
from tests.support.cast import Cast

from goalwise.core.errors import Forbidden, InvalidInput, NotFound
from goalwise.services.clinic import client_settings
from goalwise.services.context import Context
from goalwise.services.measurement import assessments
from goalwise.storage.tables import alerts
from goalwise.storage.tables import assessments as assessments_table


def _count(ctx: Context, table: Table) -> int:
    with ctx.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_phq9_is_scored_and_stored(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    done = assessments.record(ctx, a.actor, a.client_id, "PHQ-9", [1, 1, 1, 1, 1, 1, 1, 1, 0], session_no=3)
    # 8 × 1 + 0 = 8: mild (5-9), CLINICAL.md §1.2.
    stored = done.assessment
    assert (stored.instrument, stored.total, stored.severity, stored.flags, stored.session_no) == (
        "phq9",
        8.0,
        "mild",
        (),
        3,
    )
    assert done.crisis is None and done.alert_ids == () and _count(ctx, alerts) == 0
    assert done.disclaimer == "Goalwise supports care; it does not diagnose."
    assert assessments.list_assessments(ctx, cast.therapist.actor, a.client_id) == [stored]


def test_phq9_item9_above_zero_returns_crisis_text_and_stores_an_alert(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    done = assessments.record(ctx, a.actor, a.client_id, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    # Client A lives in Europe/London: the UK lines, whatever the clinic's default region (US).
    assert done.crisis is not None and "116 123" in done.crisis and "988" not in done.crisis
    assert "item9_positive" in done.assessment.flags
    with ctx.db.read() as conn:
        row = conn.execute(select(alerts)).one()
    assert (row.kind, row.assessment_id, row.acknowledged_at) == ("item9_positive", done.assessment.id, None)
    assert done.alert_ids == (row.id,)


def test_the_crisis_text_follows_the_region_setting(ctx: Context, cast: Cast) -> None:
    """The clinic's region applies to a client whose time zone names no place (UTC)."""
    client_settings.save_settings(
        ctx,
        cast.client_a.actor,
        cast.client_a.client_id,
        timezone="UTC",
        region="",  # type: ignore[arg-type]
    )
    uk = dataclasses.replace(ctx, settings=ctx.settings.model_copy(update={"crisis_region": "uk"}))
    done = assessments.record(uk, cast.client_a.actor, cast.client_a.client_id, "phq9", [0] * 8 + [2])
    assert done.crisis is not None and "116 123" in done.crisis


def test_a_blank_item9_is_never_imputed_and_is_asked_for(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    done = assessments.record(ctx, a.actor, a.client_id, "phq9", [2, 2, 1, 2, 1, 1, 1, 0, None])
    # NHS rule: (2+2+1+2+1+1+1+0) × 9 / 8 = 10 × 9 / 8 = 11.25, prorated; CLINICAL.md §1.6.
    assert (done.assessment.total, done.assessment.prorated) == (11.25, True)
    assert done.assessment.answers[8] is None
    assert "item9_missing" in done.assessment.flags and "item9_positive" not in done.assessment.flags
    assert any("item 9 was left blank" in n for n in done.notices)
    assert done.crisis is None and _count(ctx, alerts) == 0


@pytest.mark.parametrize(
    ("answers", "fields", "fragment"),
    [
        ([0, 0, 0, 5, 0, 0, 0, 0, 0], {"answers[4]"}, "PHQ-9 item 4 is 5; answers run from 0 to 3."),
        (
            [None, None, None, 1, 1, 1, 1, 1, 0],
            {"answers[1]", "answers[2]", "answers[3]"},
            "item 1 is missing",
        ),
        ([0, 0], {"answers"}, "PHQ-9 has 9 items; got 2 answers."),
    ],
)
def test_bad_answers_name_the_item_and_store_nothing(
    ctx: Context, cast: Cast, answers: list[int | None], fields: set[str], fragment: str
) -> None:
    a = cast.client_a
    with pytest.raises(InvalidInput) as info:
        assessments.record(ctx, a.actor, a.client_id, "phq9", answers)
    assert {p.field for p in info.value.problems} == fields
    assert fragment in info.value.problems[0].message
    assert all(p.hint for p in info.value.problems)
    assert (_count(ctx, assessments_table), _count(ctx, alerts)) == (0, 0)


def test_an_unknown_instrument_is_named(ctx: Context, cast: Cast) -> None:
    with pytest.raises(InvalidInput) as info:
        assessments.record(ctx, cast.client_a.actor, cast.client_a.client_id, "bdi", [1])
    assert info.value.problems[0].field == "code"


def test_hamd_banding_comes_from_the_settings(ctx: Context, cast: Cast) -> None:
    a, t = cast.client_a, cast.therapist.actor
    answers = [4, 4, 0, 2, 2, 2, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]  # total 20
    common = assessments.record(ctx, t, a.client_id, "hamd17", answers)
    zimmerman = dataclasses.replace(
        ctx, settings=ctx.settings.model_copy(update={"hamd_banding": "zimmerman2013"})
    )
    other = assessments.record(zimmerman, t, a.client_id, "hamd17", answers)
    # 20 is "severe" in the common scheme (19-22) and "moderate" in Zimmerman 2013 (17-23), CLINICAL.md §2.3.
    assert (common.assessment.total, common.assessment.severity, other.assessment.severity) == (
        20.0,
        "severe",
        "moderate",
    )


def test_the_hamd_suicide_item_raises_an_alert(ctx: Context, cast: Cast) -> None:
    a, t = cast.client_a, cast.therapist.actor
    done = assessments.record(ctx, t, a.client_id, "hamd17", [0, 0, 1] + [0] * 14)
    # The clinician rated it: the text addresses the clinician, not the patient ("If you are thinking...").
    assert done.crisis is not None and done.crisis.startswith("You rated HAM-D-17 item 3 (Suicide)")
    assert "thinking about harming yourself" not in done.crisis
    with ctx.db.read() as conn:
        assert conn.execute(select(alerts.c.kind)).scalar_one() == "suicide_item_positive"


def test_a_client_cannot_rate_the_clinician_rated_hamd(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    with pytest.raises(Forbidden):
        assessments.record(ctx, a.actor, a.client_id, "hamd17", [0] * 17)


def test_others_cannot_record_or_read_assessments(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    for person in (cast.client_b, cast.other_therapist, cast.supporter):
        with pytest.raises(NotFound):
            assessments.record(ctx, person.actor, a.client_id, "gad7", [0] * 7)
        with pytest.raises(NotFound):
            assessments.list_assessments(ctx, person.actor, a.client_id)
    assert _count(ctx, assessments_table) == 0


def test_session_scores_feed_sudden_gains_by_session(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    for session, answers in ((1, [2] * 9), (2, [1] * 9), (2, [1] * 8 + [0]), (4, [0] * 9)):
        assessments.record(ctx, a.actor, a.client_id, "phq9", answers, session_no=session)
    assessments.record(ctx, a.actor, a.client_id, "phq9", [3] * 8 + [0])  # between sessions: left out
    # Session 2 had two administrations; the later one (total 8) counts.
    assert assessments.session_scores(ctx, a.actor, a.client_id, "phq9") == [(1, 18.0), (2, 8.0), (4, 0.0)]


@pytest.mark.parametrize(
    ("last_on", "as_of", "expected"),
    [
        (None, date(2024, 1, 1), (date(2024, 1, 8), "upcoming")),
        (None, date(2024, 1, 8), (date(2024, 1, 8), "due")),
        (None, date(2024, 1, 11), (date(2024, 1, 8), "due")),  # 3 days of grace
        (None, date(2024, 1, 12), (date(2024, 1, 8), "overdue")),
        (date(2024, 1, 9), date(2024, 1, 12), (date(2024, 1, 23), "upcoming")),  # 9 January + 14 days
        (date(2024, 1, 2), date(2024, 1, 12), (date(2024, 1, 8), "overdue")),  # given before the start
    ],
)
def test_schedule_status(last_on: date | None, as_of: date, expected: tuple[date, str]) -> None:
    assert assessments.schedule_status(date(2024, 1, 8), 14, last_on, as_of) == expected


def test_schedules_report_due_and_overdue_for_an_explicit_day(ctx: Context, cast: Cast) -> None:
    a, t = cast.client_a, cast.therapist.actor
    assessments.set_schedule(ctx, t, a.client_id, "phq9", 14, start_on=date(2024, 1, 1))
    assessments.set_schedule(ctx, t, a.client_id, "GAD-7", 28, start_on=date(2024, 1, 20))
    found = assessments.schedules(ctx, a.actor, a.client_id, as_of=date(2024, 1, 10))
    assert [(s.schedule.instrument, s.due_on, s.status) for s in found] == [
        ("phq9", date(2024, 1, 1), "overdue"),
        ("gad7", date(2024, 1, 20), "upcoming"),
    ]
    again = assessments.set_schedule(ctx, t, a.client_id, "phq9", 7, start_on=date(2024, 1, 9))
    assert (again.every_days, again.start_on) == (7, date(2024, 1, 9))
    with pytest.raises(InvalidInput) as info:
        assessments.set_schedule(ctx, t, a.client_id, "phq9", 0)
    assert info.value.problems[0].field == "every_days"
