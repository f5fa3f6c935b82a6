"""Observations on both databases: logging, validation, edits with history, idempotency, access."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Table, func, select
from tests.support.cast import Cast

from goalwise.core.errors import Conflict, InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.measurement import observations as obs
from goalwise.storage.tables import audit_events, metrics, observations


def _count(ctx: Context, table: Table) -> int:
    with ctx.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_log_stores_the_clients_local_day_and_creates_the_standard_metric(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST, UTC+1).
    stored = obs.log(ctx, a.actor, a.client_id, "mood", 7, at=datetime(2024, 6, 30, 23, 30, tzinfo=UTC))
    assert (stored.metric_key, stored.value, stored.local_on) == ("mood", 7.0, date(2024, 7, 1))
    assert stored.at == datetime(2024, 6, 30, 23, 30, tzinfo=UTC)
    with ctx.db.read() as conn:
        row = conn.execute(select(metrics).where(metrics.c.client_id == a.client_id)).one()
    assert (row.key, row.kind, row.scale_min, row.scale_max, row.higher_is_better) == (
        "mood",
        "rating",
        1,
        10,
        True,
    )


def test_a_time_without_offset_is_the_clients_local_time(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    # 08:00 in London in January (GMT) is 08:00 UTC; in July (BST) it is 07:00 UTC.
    winter = obs.log(ctx, a.actor, a.client_id, "anxiety", 3, at=datetime(2024, 1, 10, 8, 0))
    summer = obs.log(ctx, a.actor, a.client_id, "anxiety", 3, at=datetime(2024, 7, 10, 8, 0))
    assert winter.at == datetime(2024, 1, 10, 8, 0, tzinfo=UTC)
    assert summer.at == datetime(2024, 7, 10, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("metric", "value", "extra", "field", "fragment"),
    [
        ("mood", 11, {}, "value", "Mood is 11; it runs from 1 to 10."),
        ("anxiety", 0, {}, "value", "Anxiety is 0; it runs from 1 to 10."),
        ("sleep_hours", -1, {}, "value", "a duration cannot be negative"),
        ("sleep_hours", 25, {}, "value", "Sleep is 25 hours; it runs from 0 to 24 hours."),
        ("mood", 5, {"at": "future"}, "at", "more than a day in the future"),
        ("steps", 5, {}, "metric", "There is no metric 'steps'"),
        ("mood", 5, {"client_ref": "x" * 65}, "client_ref", "1 to 64 characters"),
    ],
)
def test_bad_input_names_the_field_and_the_fix_and_stores_nothing(
    ctx: Context, cast: Cast, metric: str, value: float, extra: dict[str, object], field: str, fragment: str
) -> None:
    a = cast.client_a
    if extra.get("at") == "future":
        extra = {"at": datetime.now(UTC) + timedelta(days=2)}
    before = (_count(ctx, observations), _count(ctx, metrics), _count(ctx, audit_events))
    with pytest.raises(InvalidInput) as info:
        obs.log(ctx, a.actor, a.client_id, metric, value, **extra)  # type: ignore[arg-type]
    problem = info.value.problems[0]
    assert problem.field == field
    assert fragment in problem.message
    assert problem.hint  # every problem says how to fix it
    assert (_count(ctx, observations), _count(ctx, metrics), _count(ctx, audit_events)) == before


def test_every_problem_is_reported_at_once(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    with pytest.raises(InvalidInput) as info:
        obs.log(
            ctx, a.actor, a.client_id, "mood", 11, at=datetime.now(UTC) + timedelta(days=3), note="x" * 20_001
        )
    assert {p.field for p in info.value.problems} == {"value", "at", "note"}


def test_a_clock_a_few_hours_ahead_is_accepted(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    stored = obs.log(ctx, a.actor, a.client_id, "mood", 5, at=datetime.now(UTC) + timedelta(hours=3))
    assert stored.value == 5


def test_an_edit_keeps_history_and_reads_skip_the_old_version(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    first = obs.log(
        ctx, a.actor, a.client_id, "mood", 4, at=datetime(2024, 3, 1, 9, tzinfo=UTC), note="tired"
    )
    fixed = obs.edit(ctx, a.actor, a.client_id, first.id, value=6)
    assert (fixed.replaces_id, fixed.value, fixed.at, fixed.note) == (first.id, 6.0, first.at, "tired")
    assert [o.id for o in obs.list_observations(ctx, a.actor, a.client_id)] == [fixed.id]
    with ctx.db.read() as conn:
        old = conn.execute(select(observations).where(observations.c.id == first.id)).one()
    assert old.value == 4 and old.superseded_at is not None
    with pytest.raises(Conflict):
        obs.edit(ctx, a.actor, a.client_id, first.id, value=7)


def test_an_edit_is_validated_like_a_new_value(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    first = obs.log(ctx, a.actor, a.client_id, "mood", 4)
    with pytest.raises(InvalidInput) as info:
        obs.edit(ctx, a.actor, a.client_id, first.id, value=12)
    assert info.value.problems[0].field == "value"
    assert _count(ctx, observations) == 1


def test_a_retry_with_the_same_client_ref_stores_once(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    one = obs.log(ctx, a.actor, a.client_id, "mood", 6, client_ref="phone-42")
    two = obs.log(ctx, a.actor, a.client_id, "mood", 6, client_ref="phone-42")
    assert one == two
    assert _count(ctx, observations) == 1


def test_a_retry_after_an_edit_returns_the_newest_version(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    one = obs.log(ctx, a.actor, a.client_id, "mood", 6, client_ref="phone-43")
    fixed = obs.edit(ctx, a.actor, a.client_id, one.id, value=8)
    assert obs.log(ctx, a.actor, a.client_id, "mood", 6, client_ref="phone-43").id == fixed.id
    assert _count(ctx, observations) == 2


def test_list_filters_by_metric_and_local_days(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    for day, mood in ((1, 5), (2, 6), (3, 7)):
        obs.log(ctx, a.actor, a.client_id, "mood", mood, at=datetime(2024, 2, day, 12, tzinfo=UTC))
    obs.log(ctx, a.actor, a.client_id, "sleep_hours", 7.5, at=datetime(2024, 2, 2, 7, tzinfo=UTC))
    found = obs.list_observations(
        ctx, a.actor, a.client_id, metric="mood", start=date(2024, 2, 2), end=date(2024, 2, 3)
    )
    assert [o.value for o in found] == [6.0, 7.0]
    with pytest.raises(InvalidInput) as info:
        obs.list_observations(ctx, a.actor, a.client_id, metric="steps")
    assert info.value.problems[0].field == "metric"


def test_proportions_need_a_denominator(ctx: Context, cast: Cast) -> None:
    from sqlalchemy import insert

    a = cast.client_a
    with ctx.db.write() as conn:
        conn.execute(
            insert(metrics).values(
                client_id=a.client_id,
                key="talks",
                label="Conversations",
                kind="proportion",
                higher_is_better=True,
                created_at=datetime.now(UTC),
            )
        )
    with pytest.raises(InvalidInput) as info:
        obs.log(ctx, a.actor, a.client_id, "talks", 3)
    assert info.value.problems[0].field == "denominator"
    stored = obs.log(ctx, a.actor, a.client_id, "talks", 3, denominator=5)
    assert stored.denominator == 5
    # A correction of the count alone keeps "of 5".
    assert obs.edit(ctx, a.actor, a.client_id, stored.id, value=4).denominator == 5


def test_the_note_is_encrypted_at_rest(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    stored = obs.log(ctx, a.actor, a.client_id, "mood", 3, note="argued with my sister")
    with ctx.db.read() as conn:
        raw = bytes(conn.execute(select(observations.c.note_enc)).scalar_one())
    assert b"sister" not in raw and b"argued with my sister" not in raw
    assert stored.note == "argued with my sister"


def test_logging_is_audited(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    stored = obs.log(ctx, a.actor, a.client_id, "mood", 3)
    with ctx.db.read() as conn:
        row = conn.execute(select(audit_events).where(audit_events.c.object_type == "observation")).one()
    assert (row.action, row.object_id, row.client_id, row.actor) == (
        "create",
        str(stored.id),
        a.client_id,
        f"client:{a.user_id}",
    )


def test_others_cannot_reach_a_clients_observations(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    obs.log(ctx, cast.therapist.actor, a.client_id, "mood", 5)  # the linked therapist may write
    for person in (cast.client_b, cast.other_therapist, cast.supporter, cast.admin):
        with pytest.raises(NotFound):
            obs.list_observations(ctx, person.actor, a.client_id)
        with pytest.raises(NotFound):
            obs.log(ctx, person.actor, a.client_id, "mood", 5)
    assert _count(ctx, observations) == 1


def test_metrics_list_the_standard_three_before_first_use(ctx: Context, cast: Cast) -> None:
    a = cast.client_a
    found = obs.list_metrics(ctx, a.actor, a.client_id)
    assert [(m.key, m.id, m.in_checkin) for m in found] == [
        ("mood", None, True),
        ("anxiety", None, True),
        ("sleep_hours", None, True),
    ]
