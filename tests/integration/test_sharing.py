"""Sharing with a supporter: scoped, hashed, read-only, revocable, expiring, and every view recorded;
the shared values are made per local day as on the goal page."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from tests.support.cast import Cast

from goalwise.core.errors import InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.sharing import sharing
from goalwise.storage.tables import goals, journal_entries, metrics, observations, shares


def _goal(ctx: Context, client_id: int, title: str) -> int:
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        return int(
            conn.execute(
                insert(goals)
                .values(
                    client_id=client_id,
                    status="active",
                    title=title,
                    priority="primary",
                    spec={"title": title},
                    revision=1,
                    created_at=now,
                    updated_at=now,
                )
                .returning(goals.c.id)
            ).scalar_one()
        )


def test_share_token_is_stored_only_as_a_hash(ctx: Context, cast: Cast) -> None:
    gid = _goal(ctx, cast.client_a.client_id, "Walk daily")  # type: ignore[arg-type]
    info, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Mum", sections=["goals"], goal_ids=[gid]
    )
    with ctx.db.read() as conn:
        row = conn.execute(select(shares).where(shares.c.id == info.id)).one()
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert token not in row.token_hash and len(row.token_hash) == 64
    assert row.message_enc is None


def test_share_scope_is_checked(ctx: Context, cast: Cast) -> None:
    other = _goal(ctx, cast.client_b.client_id, "B's goal")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as info:
        sharing.create_share(
            ctx, cast.client_a.actor, label="", sections=["goals", "diary"], goal_ids=[other]
        )
    assert {p.field for p in info.value.problems} == {"label", "sections", "goal_ids"}
    with pytest.raises(NotFound):  # therapists do not share on a client's behalf
        sharing.create_share(ctx, cast.therapist.actor, label="x", sections=["assessments"], goal_ids=[])


def test_supporter_sees_only_shared_goals_and_sections(ctx: Context, cast: Cast) -> None:
    a1 = _goal(ctx, cast.client_a.client_id, "Walk daily")  # type: ignore[arg-type]
    _goal(ctx, cast.client_a.client_id, "Secret goal")  # type: ignore[arg-type]
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        conn.execute(
            insert(journal_entries).values(
                client_id=cast.client_a.client_id,
                at=now,
                local_on=date.today(),
                private=False,
                created_at=now,
                body_enc=ctx.keys.encrypt("a journal line", context=b"journal_entries.body_enc"),
            )
        )
    _, token = sharing.create_share(
        ctx,
        cast.client_a.actor,
        label="Mum",
        sections=["goals", "assessments"],
        goal_ids=[a1],
        message="Ask me about my walks.",
    )
    view = sharing.open_share(ctx, token, address="127.0.0.9")
    assert [g["title"] for g in view.goals] == ["Walk daily"]
    assert view.journal == [] and "journal" not in view.sections  # never unless chosen explicitly
    assert view.message == "Ask me about my walks."
    assert view.client_name == "Client A"
    shares_now = sharing.list_shares(ctx, cast.client_a.actor)
    assert len(shares_now[0].views) == 1  # the client sees the view


def test_revoked_and_expired_shares_stop_working(ctx: Context, cast: Cast) -> None:
    info, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Friend", sections=["assessments"], goal_ids=[], expires_days=30
    )
    assert sharing.open_share(ctx, token)
    with pytest.raises(NotFound):
        sharing.open_share(ctx, token, now=datetime.now(UTC) + timedelta(days=31))
    sharing.revoke_share(ctx, cast.client_a.actor, info.id)
    with pytest.raises(NotFound):
        sharing.open_share(ctx, token)
    with pytest.raises(NotFound):  # another client cannot revoke it
        sharing.revoke_share(ctx, cast.client_b.actor, info.id)


def test_supporter_page_shows_a_banner_and_is_read_only(ctx: Context, cast: Cast, api: TestClient) -> None:
    gid = _goal(ctx, cast.client_a.client_id, "Walk daily")  # type: ignore[arg-type]
    _, token = sharing.create_share(
        ctx,
        cast.client_a.actor,
        label="Mum",
        sections=["goals"],
        goal_ids=[gid],
        message="<script>alert(1)</script>",
    )
    page = api.get(f"/s/{token}")
    assert page.status_code == 200
    assert "Client A</strong> shared this with <strong>Mum" in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<form" not in page.text.split("</header>", 1)[1]  # no forms: read-only
    assert api.post(f"/s/{token}").status_code == 405
    assert api.get("/s/not-a-real-token").status_code == 404


def test_a_shared_goal_shows_progress_fields_only(ctx: Context, cast: Cast) -> None:
    now = datetime.now(UTC)
    spec = {
        "title": "Walk",
        "behaviour": "private definition",
        "confidence": 4,
        "baseline": {"value": 1},
        "target": {"value": 3, "comparator": ">="},
        "direction": "increase",
    }
    with ctx.db.write() as conn:
        gid = conn.execute(
            insert(goals)
            .values(
                client_id=cast.client_a.client_id,
                status="active",
                title="Walk",
                priority="primary",
                spec=spec,
                revision=1,
                created_at=now,
                updated_at=now,
            )
            .returning(goals.c.id)
        ).scalar_one()
    _, token = sharing.create_share(ctx, cast.client_a.actor, label="Mum", sections=["goals"], goal_ids=[gid])
    shared_spec = sharing.open_share(ctx, token).goals[0]["spec"]
    assert shared_spec == {
        "title": "Walk",
        "direction": "increase",
        "target": {"value": 3, "comparator": ">="},
    }


def _measured_goal(
    ctx: Context,
    client_id: int,
    kind: str,
    unit: str,
    logged: list[tuple[datetime, date, float]],
    **spec: object,
) -> int:
    """A metric of ``kind``, its goal and the ``(at, local day, value)`` entries, straight to the tables."""
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        mid = conn.execute(
            insert(metrics)
            .values(client_id=client_id, key=f"m-{kind}", label=unit, kind=kind, unit=unit, created_at=now)
            .returning(metrics.c.id)
        ).scalar_one()
        gid = conn.execute(
            insert(goals)
            .values(
                client_id=client_id,
                status="active",
                title=f"A {kind} goal",
                priority="primary",
                metric_id=mid,
                spec={"direction": "increase", "metric": {"kind": kind, "unit": unit}, **spec},
                revision=1,
                created_at=now,
                updated_at=now,
            )
            .returning(goals.c.id)
        ).scalar_one()
        for at, on, value in logged:
            conn.execute(
                insert(observations).values(
                    client_id=client_id, metric_id=mid, at=at, local_on=on, value=value, created_at=now
                )
            )
    return int(gid)


def test_a_day_of_ratings_is_shared_as_their_mean_and_a_day_of_counts_as_their_total(
    ctx: Context, cast: Cast
) -> None:
    # Client A is in London (UTC in November). On Thu 26 Nov: mood 6 at 09:00 and 8 at 20:00, walks
    # 2 at 09:00 and 1 at 20:00; on Fri 27 Nov mood 5 once. As on the goal page (aggregate.daily):
    # the rating's day is the mean (6 + 8) / 2 = 7, not the total 14; the count's day is 2 + 1 = 3.
    client = int(cast.client_a.client_id)  # type: ignore[arg-type]
    thu, fri = date(2026, 11, 26), date(2026, 11, 27)
    morning, evening = datetime(2026, 11, 26, 9, tzinfo=UTC), datetime(2026, 11, 26, 20, tzinfo=UTC)
    mood = _measured_goal(
        ctx,
        client,
        "rating",
        "mood",
        [(morning, thu, 6.0), (evening, thu, 8.0), (datetime(2026, 11, 27, 9, tzinfo=UTC), fri, 5.0)],
    )
    walks = _measured_goal(ctx, client, "count", "walks", [(morning, thu, 2.0), (evening, thu, 1.0)])
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    _, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Mum", sections=["goals"], goal_ids=[mood, walks], now=now
    )
    shared = {g["id"]: g["daily"] for g in sharing.open_share(ctx, token, now=now).goals}
    assert shared[mood] == [(thu, 7.0), (fri, 5.0)]
    assert shared[walks] == [(thu, 3.0)]
