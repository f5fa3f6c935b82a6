"""The world the authorization matrix runs in: the cast plus one of each object of client A.

Built once per test session into a SQLite file and copied per test, so every cell starts from the
same state. Marker strings let the test look for other clients' data in response bodies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, update
from tests.support.cast import Cast, make_cast

from goalwise.config import Settings
from goalwise.core.accounts.actor import Actor
from goalwise.services.cards import cards, raters
from goalwise.services.context import Context
from goalwise.services.measurement import observations, therapy_sessions
from goalwise.services.reviews import reviews
from goalwise.services.sharing import calendar_feeds, sharing
from goalwise.storage.engine import Database
from goalwise.storage.migrate import upgrade
from goalwise.storage.tables import (
    alerts,
    api_tokens,
    assessments,
    goal_obstacles,
    goal_revisions,
    goals,
    journal_entries,
    plan_items,
    shares,
)

__all__ = ["A_MARKERS", "B_MARKERS", "World", "build_world"]

A_MARKERS = ("A-goal-marker", "A-journal-marker", "A-private-goal", "A-review-note")
B_MARKERS = ("Client B", "B-goal-marker")


@dataclass
class World:
    """Everything a matrix cell needs to make its request."""

    folder: Path
    cast: Cast
    params: dict[str, object]
    share_tokens: dict[str, str]
    token_ids: dict[str, int] = field(default_factory=dict)
    supporter_shares: dict[str, int] = field(default_factory=dict)


def _goal(ctx: Context, client_id: int, title: str) -> int:
    now = datetime.now(UTC)
    spec = {
        "title": title,
        "metric": {"kind": "count", "unit": "walks", "period": "week"},
        "direction": "increase",
        "target": {"value": 3, "comparator": ">="},
    }
    with ctx.db.write() as conn:
        gid = int(
            conn.execute(
                insert(goals)
                .values(
                    client_id=client_id,
                    status="active",
                    title=title,
                    priority="primary",
                    spec=spec,
                    revision=1,
                    start_on=date.today(),
                    deadline_on=date.today() + timedelta(weeks=8),
                    review_every_weeks=4,
                    created_at=now,
                    updated_at=now,
                )
                .returning(goals.c.id)
            ).scalar_one()
        )
        conn.execute(
            insert(goal_revisions).values(
                goal_id=gid, revision=1, status="active", spec=spec, changed_by="system:cli", changed_at=now
            )
        )
    return gid


def build_world(folder: Path) -> World:
    """Create the database, the cast and client A's objects in ``folder``."""
    settings = Settings(data_dir=folder)
    db = Database.from_url(f"sqlite:///{folder / 'goalwise.db'}")
    upgrade(db)
    ctx = Context.open(settings, db)
    cast = make_cast(ctx)
    a, b = cast.client_a.client_id, cast.client_b.client_id
    assert a is not None and b is not None
    goal_a = _goal(ctx, a, "A-goal-marker")
    _goal(ctx, a, "A-private-goal")
    _goal(ctx, b, "B-goal-marker")
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        item = conn.execute(
            insert(plan_items)
            .values(
                goal_id=goal_a,
                client_id=a,
                kind="milestone",
                position=1,
                title="First walk",
                micro=False,
                created_at=now,
            )
            .returning(plan_items.c.id)
        ).scalar_one()
        obstacle = conn.execute(
            insert(goal_obstacles)
            .values(
                goal_id=goal_a,
                client_id=a,
                obstacle="procrastination",
                strategy="micro-actions",
                logged_at=now,
            )
            .returning(goal_obstacles.c.id)
        ).scalar_one()
        assessment = conn.execute(
            insert(assessments)
            .values(
                client_id=a,
                instrument="phq9",
                answers=[1, 1, 1, 1, 1, 1, 1, 1, 1],
                total=9.0,
                severity="mild",
                flags=["item9_positive"],
                prorated=False,
                at=now,
                local_on=date.today(),
                created_at=now,
            )
            .returning(assessments.c.id)
        ).scalar_one()
        alert = conn.execute(
            insert(alerts)
            .values(client_id=a, kind="item9_positive", assessment_id=assessment, created_at=now)
            .returning(alerts.c.id)
        ).scalar_one()
        journal = conn.execute(
            insert(journal_entries)
            .values(
                client_id=a,
                at=now,
                local_on=date.today(),
                private=True,
                created_at=now,
                body_enc=ctx.keys.encrypt("A-journal-marker", context=b"journal_entries.body_enc"),
            )
            .returning(journal_entries.c.id)
        ).scalar_one()
    client_a = cast.client_a.actor
    observation = observations.log(ctx, client_a, a, "mood", 5).id
    session_number = therapy_sessions.add_session(ctx, client_a, a, date(2024, 1, 8)).number
    review = reviews.record(
        ctx,
        cast.therapist.actor,
        a,
        {
            # Yesterday: the matrix's own review posts are held today, and one day has one review.
            "held_on": (date.today() - timedelta(days=1)).isoformat(),
            "notes": "A-review-note",
            "goals": [{"goal_id": goal_a, "gas_level": 1, "decision": "continue"}],
        },
    )
    active, active_token = sharing.create_share(
        ctx,
        client_a,
        label="Supporter",
        sections=["goals"],
        goal_ids=[goal_a],
        supporter_email="sup@example.org",
    )
    revoked, revoked_token = sharing.create_share(
        ctx,
        client_a,
        label="Supporter",
        sections=["goals"],
        goal_ids=[goal_a],
        supporter_email="sup@example.org",
    )
    sharing.revoke_share(ctx, client_a, revoked.id)
    _, feed_token = calendar_feeds.create_feed(ctx, client_a, a)
    card = cards.create_card(
        ctx,
        cast.therapist.actor,
        a,
        {"title": "Matrix card", "rated_by": "teacher", "goal_percent": 80, "targets": [{"text": "Sits"}]},
    )
    rater, rater_token = raters.invite_rater(ctx, cast.therapist.actor, card.id, "Ms Matrix")
    expired, expired_token = sharing.create_share(
        ctx,
        client_a,
        label="Supporter",
        sections=["goals"],
        goal_ids=[goal_a],
        supporter_email="sup@example.org",
    )
    with ctx.db.write() as conn:
        conn.execute(
            update(shares).where(shares.c.id == expired.id).values(expires_at=now - timedelta(days=1))
        )
        token_ids = {
            name: int(
                conn.execute(
                    select(api_tokens.c.id).where(api_tokens.c.user_id == person.user_id)
                ).scalar_one()
            )
            for name, person in cast.everyone().items()
        }
    token_ids["supporter_revoked"] = token_ids["supporter_expired"] = token_ids["supporter"]
    assert Actor.system().is_system
    params: dict[str, object] = {
        "client_id": a,
        "goal_id": goal_a,
        "item_id": item,
        "obstacle_id": obstacle,
        "alert_id": alert,
        "assessment_id": assessment,
        "entry_id": journal,
        "share_id": active.id,
        "user_id": cast.client_b.user_id,
        "code": "phq9",
        "metric_key": "phq9",
        "observation_id": observation,
        "number": session_number,
        "review_id": review.id,
        "feed_token": feed_token,
        "card_id": card.id,
        "rater_id": rater.id,
        "rater_token": rater_token,
    }
    db.dispose()
    return World(
        folder,
        cast,
        params,
        {"supporter": active_token, "supporter_revoked": revoked_token, "supporter_expired": expired_token},
        token_ids,
        {"supporter": active.id, "supporter_revoked": revoked.id, "supporter_expired": expired.id},
    )
