"""Sharing with a supporter: scoped, hashed, read-only, revocable, expiring, and every view recorded;
the shared values are made per local day as on the goal page, and "today" is the client's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update
from tests.support.cast import Cast

from goalwise.core.errors import InvalidInput, NotFound
from goalwise.services.context import Context
from goalwise.services.sharing import family, sharing
from goalwise.storage.tables import clients, goals, journal_entries, metrics, observations, shares


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


def _in_zone(ctx: Context, client_id: int, zone: str) -> None:
    with ctx.db.write() as conn:
        conn.execute(update(clients).where(clients.c.id == client_id).values(timezone=zone))


def test_the_supporters_week_turns_on_the_clients_monday_in_auckland(ctx: Context, cast: Cast) -> None:
    client = int(cast.client_a.client_id)  # type: ignore[arg-type]
    _in_zone(ctx, client, "Pacific/Auckland")
    # 11:30 UTC on Sun 29 Nov is 00:30 on Mon 30 Nov in Auckland (NZDT, UTC+13). A weekly walking
    # goal: walks on Tue 24, Thu 26 and Sun 29 Nov at 10:00 local, and one on Mon 30 Nov at 00:10.
    now = datetime(2026, 11, 29, 11, 30, tzinfo=UTC)
    auckland = ZoneInfo("Pacific/Auckland")
    days = [date(2026, 11, 24), date(2026, 11, 26), date(2026, 11, 29)]
    logged = [(datetime(d.year, d.month, d.day, 10, tzinfo=auckland), d, 1.0) for d in days]
    logged.append((datetime(2026, 11, 30, 0, 10, tzinfo=auckland), date(2026, 11, 30), 1.0))
    walks = _measured_goal(
        ctx,
        client,
        "count",
        "walks",
        [(at.astimezone(UTC), on, value) for at, on, value in logged],
        metric={"kind": "count", "unit": "walks", "period": "week"},
        target={"value": 3, "comparator": ">="},
    )
    _, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Mum", sections=["goals"], goal_ids=[walks], now=now
    )
    view = sharing.open_share(ctx, token, now=now)
    assert view.today == date(2026, 11, 30)
    (goal,) = family.summarise_share(view).goals
    # Monday in Auckland: the week of 23 to 29 Nov is complete with 3 walks (3 >= 3: met) and
    # Monday's walk is this week's so far. On the UTC date, Sunday, Monday's walk lay in the future
    # and was left out.
    assert goal.now_text == "3 walks a week (last full week, 23 to 29 Nov); 1 this week so far"
    assert goal.in_progress_on == date(2026, 11, 30) and goal.met is True


def test_the_supporters_last_7_days_end_on_the_clients_sunday_in_los_angeles(
    ctx: Context, cast: Cast
) -> None:
    client = int(cast.client_a.client_id)  # type: ignore[arg-type]
    _in_zone(ctx, client, "America/Los_Angeles")
    # 05:00 UTC on Mon 30 Nov is 21:00 on Sun 29 Nov in Los Angeles (PST, UTC-8). A daily calm
    # rating: 2 on Mon 23 Nov and 4 on Sat 28 Nov, each at 12:00 local (20:00 UTC).
    now = datetime(2026, 11, 30, 5, tzinfo=UTC)
    logged = [
        (datetime(2026, 11, 23, 20, tzinfo=UTC), date(2026, 11, 23), 2.0),
        (datetime(2026, 11, 28, 20, tzinfo=UTC), date(2026, 11, 28), 4.0),
    ]
    calm = _measured_goal(ctx, client, "rating", "calm", logged, target=5)
    _, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Mum", sections=["goals"], goal_ids=[calm], now=now
    )
    view = sharing.open_share(ctx, token, now=now)
    assert view.today == date(2026, 11, 29)
    (goal,) = family.summarise_share(view).goals
    # The client's last 7 days are Mon 23 to Sun 29 Nov: (2 + 4) / 2 = 3. On the UTC date, Monday
    # 30 Nov, they were 24 to 30 Nov and held only the 4.
    assert goal.now_text == "3 calm (average of the last 7 days)"
