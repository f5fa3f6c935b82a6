"""Risk alerts on both databases: who sees them, and acknowledging them with a note."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.support.cast import Cast

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.measurement import alerts, assessments
from goalwise.storage.tables import alerts as alerts_table
from goalwise.storage.tables import audit_events


def _alert(ctx: Context, cast: Cast) -> int:
    done = assessments.record(ctx, cast.client_a.actor, cast.client_a.client_id, "phq9", [0] * 8 + [1])
    (alert_id,) = done.alert_ids
    return alert_id


def test_an_open_alert_is_on_the_linked_therapists_caseload_only(ctx: Context, cast: Cast) -> None:
    alert_id = _alert(ctx, cast)
    (seen,) = alerts.open_alerts(ctx, cast.therapist.actor)
    assert (seen.id, seen.client_id, seen.client_name, seen.kind) == (
        alert_id,
        cast.client_a.client_id,
        "Client A",
        "item9_positive",
    )
    assert seen.description.startswith("PHQ-9 item 9 answered above zero")
    assert alerts.open_alerts(ctx, cast.other_therapist.actor) == []
    assert alerts.open_alerts(ctx, cast.supporter.actor) == []
    assert alerts.open_alerts(ctx, cast.client_b.actor) == []
    assert [x.id for x in alerts.open_alerts(ctx, cast.client_a.actor)] == [alert_id]
    assert [x.id for x in alerts.open_alerts(ctx, Actor.system())] == [alert_id]


def test_acknowledging_needs_a_note(ctx: Context, cast: Cast) -> None:
    alert_id = _alert(ctx, cast)
    with pytest.raises(InvalidInput) as info:
        alerts.acknowledge(ctx, cast.therapist.actor, alert_id, "   ")
    assert info.value.problems[0].field == "note" and info.value.problems[0].hint
    assert len(alerts.open_alerts(ctx, cast.therapist.actor)) == 1


def test_acknowledging_records_who_when_and_the_note_encrypted_and_audits(ctx: Context, cast: Cast) -> None:
    alert_id = _alert(ctx, cast)
    done = alerts.acknowledge(ctx, cast.therapist.actor, alert_id, "Phoned; safety plan reviewed")
    assert done.acknowledged_by == cast.therapist.user_id and done.acknowledged_by_name == "Therapist One"
    assert done.acknowledged_at is not None and done.note == "Phoned; safety plan reviewed"
    assert alerts.open_alerts(ctx, cast.therapist.actor) == []
    (kept,) = alerts.list_alerts(
        ctx, cast.therapist.actor, cast.client_a.client_id, include_acknowledged=True
    )
    assert kept.acknowledged_at == done.acknowledged_at
    with ctx.db.read() as conn:
        raw = bytes(conn.execute(select(alerts_table.c.note_enc)).scalar_one())
        audit = conn.execute(select(audit_events).where(audit_events.c.action == "acknowledge")).one()
    assert b"safety plan" not in raw
    assert (audit.object_type, audit.object_id, audit.actor) == (
        "alert",
        str(alert_id),
        f"therapist:{cast.therapist.user_id}",
    )
    with pytest.raises(Conflict):
        alerts.acknowledge(ctx, cast.therapist.actor, alert_id, "again")


def test_only_a_linked_therapist_acknowledges(ctx: Context, cast: Cast) -> None:
    alert_id = _alert(ctx, cast)
    with pytest.raises(NotFound):
        alerts.acknowledge(ctx, cast.other_therapist.actor, alert_id, "seen")
    for person in (cast.client_a, cast.supporter, cast.admin):
        with pytest.raises(Forbidden):
            alerts.acknowledge(ctx, person.actor, alert_id, "seen")
    with pytest.raises(NotFound):
        alerts.acknowledge(ctx, cast.therapist.actor, alert_id + 999, "seen")
    assert len(alerts.open_alerts(ctx, cast.therapist.actor)) == 1


def test_the_client_does_not_see_the_therapists_note(ctx: Context, cast: Cast) -> None:
    alert_id = _alert(ctx, cast)
    alerts.acknowledge(ctx, cast.therapist.actor, alert_id, "Phoned")
    (mine,) = alerts.list_alerts(ctx, cast.client_a.actor, cast.client_a.client_id, include_acknowledged=True)
    assert mine.note is None
