"""Load the demo clinic: accounts that can log in, and synthetic clients written in bulk.

Writes go in batches (one transaction per batch, rows inserted with executemany), so that
2,000 clients x 730 days load in minutes rather than hours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, insert, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import Conflict, InvalidInput, Problem
from goalwise.core.instruments import score
from goalwise.services.accounts import audit, authz
from goalwise.services.accounts.accounts import actor_for
from goalwise.services.accounts.passwords import hash_password
from goalwise.services.cards.demo_card import add_demo_card
from goalwise.services.clinic.demo_data import DemoClient, generate_clients
from goalwise.services.clinic.demo_reviews import DemoHistory, review_history
from goalwise.services.context import Context
from goalwise.services.goals.goal_rows import REASON_CONTEXT
from goalwise.services.reviews.reviews import NOTES_CONTEXT
from goalwise.services.reviews.reviews import REASON_CONTEXT as REVIEW_REASON_CONTEXT
from goalwise.services.sharing import sharing
from goalwise.storage import client_repo, user_repo
from goalwise.storage.tables import (
    alerts,
    assessments,
    cards,
    care_links,
    clients,
    goal_revisions,
    goals,
    metrics,
    observations,
    phases,
    review_goals,
    reviews,
    users,
)

__all__ = ["DEMO_ACCOUNTS", "DemoAccount", "DemoResult", "check_demo", "load_demo"]

BATCH = 25


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A demo login; the passwords are public and only for the demo clinic."""

    role: str
    email: str
    password: str
    name: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", "admin@demo.goalwise.test", "demo-admin-pass", "Demo Administrator"),
    DemoAccount("therapist", "therapist@demo.goalwise.test", "demo-therapist-pass", "Dr. Demo Therapist"),
    DemoAccount("client", "client1@demo.goalwise.test", "demo-client1-pass", "Demo Client One"),
    DemoAccount("client", "client2@demo.goalwise.test", "demo-client2-pass", "Demo Client Two"),
    DemoAccount("supporter", "supporter@demo.goalwise.test", "demo-supporter-pass", "Demo Supporter"),
)


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What was loaded."""

    clients: int
    observations: int
    assessments: int
    accounts: tuple[DemoAccount, ...]


@lru_cache(maxsize=8192)
def _evening_utc(day: date, zone: str) -> datetime:
    # Check-ins are stamped 20:00 local time; cached because every client repeats the same days.
    return datetime.combine(day, time(20, 0), ZoneInfo(zone)).astimezone(UTC)


def _validate(n_clients: int, days: int) -> None:
    problems = []
    if not 2 <= n_clients <= 100_000:
        problems.append(
            Problem(
                "demo-clients",
                "clients",
                f"--clients is {n_clients}.",
                "Use from 2 to 100000 clients (two demo clients have logins).",
            )
        )
    if not 21 <= days <= 3660:
        problems.append(
            Problem(
                "demo-days",
                "days",
                f"--days is {days}.",
                "Use from 21 days (a baseline and one week) to 3660.",
            )
        )
    if problems:
        raise InvalidInput(problems)


def _refuse_data(conn: Connection) -> None:
    if client_repo.count_clients(conn) or conn.execute(select(users.c.id).limit(1)).first():
        raise Conflict("the database already has data; the demo loads only into an empty database")


def check_demo(ctx: Context, actor: Actor, *, n_clients: int = 8, days: int = 120) -> None:
    """Raise what :func:`load_demo` would refuse with (a non-empty database, bad sizes), before a
    shell starts drawing its progress; ``load_demo`` checks again in its own transaction."""
    authz.require_role(actor)  # the local operator only
    _validate(n_clients, days)
    with ctx.db.read() as conn:
        _refuse_data(conn)


def load_demo(
    ctx: Context,
    actor: Actor,
    *,
    n_clients: int = 8,
    days: int = 120,
    seed: int = 7,
    end_on: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoResult:
    """Create the demo accounts and ``n_clients`` synthetic clients with ``days`` days of data.

    Refuses (``Conflict``) when the database already holds clients, so it never mixes demo data
    into a real clinic. ``progress`` is called with the number of clients written so far. The data
    ends yesterday by default: check-ins are stamped 20:00 local time and questionnaires mid-day,
    and today's would lie in the future, ahead of anything a visitor enters while trying the demo.
    """
    authz.require_role(actor)  # the local operator only
    _validate(n_clients, days)
    now = datetime.now(UTC)
    end_on = end_on or (now - timedelta(days=1)).date()
    with ctx.db.write() as conn:
        _refuse_data(conn)
        user_ids = _insert_accounts(conn, now)
        audit.record(conn, actor, "create", "demo", None)
    n_obs = n_assess = 0
    done = 0
    while done < n_clients:
        batch = list(generate_clients(min(BATCH, n_clients - done), days, seed, end_on, start_index=done))
        with ctx.db.write() as conn:
            o, a = _insert_batch(ctx, conn, batch, user_ids, first_index=done, now=now, end_on=end_on)
        n_obs += o
        n_assess += a
        done += len(batch)
        if progress:
            progress(done)
    _share_with_supporter(ctx, user_ids)
    # A child client with a daily report card rated by a teacher (issue 16), beside the generated clients.
    n_obs += add_demo_card(ctx, user_ids["therapist@demo.goalwise.test"], end_on, seed)
    _share_card_with_supporter(ctx)
    return DemoResult(n_clients + 1, n_obs, n_assess, DEMO_ACCOUNTS)


def _share_with_supporter(ctx: Context, user_ids: dict[str, int]) -> None:
    """Demo client one shares their first active goal and scores with the demo supporter."""
    with ctx.db.read() as conn:
        client_user = user_repo.get_user(conn, user_ids["client1@demo.goalwise.test"])
        assert client_user is not None and client_user.client_id is not None
        first_goal = conn.execute(
            select(goals.c.id)
            .where(goals.c.client_id == client_user.client_id)
            .order_by(goals.c.status != "active", goals.c.id)
            .limit(1)
        ).scalar_one()
    sharing.create_share(
        ctx,
        actor_for(client_user),
        label="Demo Supporter",
        sections=["goals", "milestones", "assessments"],
        goal_ids=[first_goal],
        message="Ask me on Sundays how the week went; a walk together helps.",
        supporter_email="supporter@demo.goalwise.test",
    )


def _share_card_with_supporter(ctx: Context) -> None:
    """The child's family shares the daily report card's goal with the demo supporter, so that the
    supporter's pages show the card's home report (the week's days, percentages and rewards).

    The child has no login of their own: the share is made as the client (the child's record), the
    way a parent holding the child's account would make it, with the goal section the home report
    reads (``home_report`` finds the card through the share's goals)."""
    with ctx.db.read() as conn:
        card = conn.execute(select(cards.c.client_id, cards.c.goal_id).order_by(cards.c.id).limit(1)).one()
    sharing.create_share(
        ctx,
        Actor(role="client", client_id=int(card.client_id), label="demo family"),
        label="Demo Supporter",
        sections=["goals"],
        goal_ids=[int(card.goal_id)],
        message="Ms Patel rates Sam's school day; ask about the good days, give the reward he earned.",
        supporter_email="supporter@demo.goalwise.test",
    )


def _insert_accounts(conn: Connection, now: datetime) -> dict[str, int]:
    rows = [
        {
            "email": a.email,
            "name": a.name,
            "role": a.role,
            "password_hash": hash_password(a.password),
            "is_active": True,
            "created_at": now,
        }
        for a in DEMO_ACCOUNTS
    ]
    ids = (
        conn.execute(insert(users).returning(users.c.id, sort_by_parameter_order=True), rows).scalars().all()
    )
    return {a.email: i for a, i in zip(DEMO_ACCOUNTS, ids, strict=True)}


def _insert_batch(
    ctx: Context,
    conn: Connection,
    batch: list[DemoClient],
    user_ids: dict[str, int],
    first_index: int,
    now: datetime,
    end_on: date,
) -> tuple[int, int]:
    client_ids = (
        conn.execute(
            insert(clients).returning(clients.c.id, sort_by_parameter_order=True),
            [{"name": c.name, "timezone": c.timezone, "created_at": now} for c in batch],
        )
        .scalars()
        .all()
    )
    therapist_id = user_ids["therapist@demo.goalwise.test"]
    conn.execute(
        insert(care_links),
        [
            {"therapist_id": therapist_id, "client_id": cid, "consent_at": now, "created_at": now}
            for cid in client_ids
        ],
    )
    for offset, cid in enumerate(client_ids):
        index = first_index + offset
        if index < 2:  # the first two clients have logins
            email = f"client{index + 1}@demo.goalwise.test"
            conn.execute(users.update().where(users.c.id == user_ids[email]).values(client_id=cid))
    n_obs = n_assess = 0
    for client, cid in zip(batch, client_ids, strict=True):
        n_obs += _insert_client_data(conn, client, cid, now)
        _insert_goals(ctx, conn, client, cid, review_history(client, end_on), now)
        n_assess += _insert_assessments(conn, client, cid, now)
    return n_obs, n_assess


def _insert_client_data(conn: Connection, client: DemoClient, cid: int, now: datetime) -> int:
    metric_ids = (
        conn.execute(
            insert(metrics).returning(metrics.c.id, sort_by_parameter_order=True),
            [
                {
                    "client_id": cid,
                    "key": m.key,
                    "label": m.label,
                    "kind": m.kind,
                    "unit": m.unit,
                    "period": m.period,
                    "scale_min": m.scale_min,
                    "scale_max": m.scale_max,
                    "higher_is_better": m.higher_is_better,
                    "created_at": now,
                }
                for m in client.metrics
            ],
        )
        .scalars()
        .all()
    )
    by_key = {m.key: mid for m, mid in zip(client.metrics, metric_ids, strict=True)}
    rows = [
        {
            "client_id": cid,
            "metric_id": by_key[m.key],
            "at": _evening_utc(day, client.timezone),
            "local_on": day,
            "value": value,
            "created_at": now,
        }
        for m in client.metrics
        for day, value in m.values
    ]
    if rows:
        conn.execute(insert(observations), rows)
    conn.execute(
        insert(phases),
        [
            {
                "client_id": cid,
                "kind": kind,
                "name": name,
                "start_on": start,
                "planned_days": client.baseline_days if kind == "baseline" else None,
                "created_at": now,
            }
            for kind, name, start in client.phases
        ],
    )
    return len(rows)


def _insert_goals(
    ctx: Context, conn: Connection, client: DemoClient, cid: int, history: DemoHistory, now: datetime
) -> None:
    """The client's goals (its first ones, then those set at reviews) at their state after the review
    history, every revision, and the reviews."""
    by_key = dict(conn.execute(select(metrics.c.key, metrics.c.id).where(metrics.c.client_id == cid)).all())
    goal_ids = []
    revisions = []
    for state in history.goals:
        spec = state.spec
        gid = conn.execute(
            insert(goals)
            .values(
                client_id=cid,
                metric_id=by_key[state.metric_key],
                status=state.status,
                title=spec["title"],
                priority=spec.get("priority", "primary"),
                start_on=date.fromisoformat(str(spec["start_on"])),
                deadline_on=date.fromisoformat(str(spec["deadline_on"])),
                review_every_weeks=spec["review_every_weeks"],
                spec=spec,
                revision=1 + len(state.revisions),
                created_at=now,
                updated_at=now,
            )
            .returning(goals.c.id)
        ).scalar_one()
        goal_ids.append(gid)
        first = {"goal_id": gid, "revision": 1, "status": "active", "spec": state.first_spec}
        if state.set_on is None:
            revisions.append(first | {"changed_by": "system:demo", "changed_at": now, "reason_enc": None})
        else:
            revisions.append(
                first
                | {"changed_by": "therapist:demo", "changed_at": _evening_utc(state.set_on, client.timezone)}
                | {"reason_enc": ctx.keys.encrypt(state.set_reason or "", context=REASON_CONTEXT)}
            )
        for number, (status, later, reason, day) in enumerate(state.revisions, start=2):
            revisions.append(
                {
                    "goal_id": gid,
                    "revision": number,
                    "status": status,
                    "spec": later,
                    "changed_by": "therapist:demo",
                    "changed_at": _evening_utc(day, client.timezone),
                    "reason_enc": ctx.keys.encrypt(reason, context=REASON_CONTEXT),
                }
            )
    conn.execute(insert(goal_revisions), revisions)
    _insert_reviews(ctx, conn, client, cid, history, goal_ids, now)


def _insert_reviews(
    ctx: Context,
    conn: Connection,
    client: DemoClient,
    cid: int,
    history: DemoHistory,
    goal_ids: list[int],
    now: datetime,
) -> None:
    if not history.reviews:
        return
    rows = [
        {
            "client_id": cid,
            "number": r.number,
            "kind": r.kind,
            "held_on": r.held_on,
            "next_review_on": r.next_review_on,
            "t_score": r.t_score,
            "notes_enc": ctx.keys.encrypt(r.notes, context=NOTES_CONTEXT),
            "created_by": "therapist:demo",
            "created_at": _evening_utc(r.held_on, client.timezone),
        }
        for r in history.reviews
    ]
    ids = (
        conn.execute(insert(reviews).returning(reviews.c.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    conn.execute(
        insert(review_goals),
        [
            {
                "review_id": rid,
                "goal_id": goal_ids[g.goal],
                "gas_level": g.gas_level,
                "suggested_level": g.suggested_level,
                "weight": 1.0,
                "decision": g.decision,
                "reason_enc": ctx.keys.encrypt(g.reason, context=REVIEW_REASON_CONTEXT),
                "new_target": g.new_target,
                "new_deadline_on": g.new_deadline_on,
            }
            for r, rid in zip(history.reviews, ids, strict=True)
            for g in r.goals
        ],
    )


def _insert_assessments(conn: Connection, client: DemoClient, cid: int, now: datetime) -> int:
    if not client.assessments:
        return 0
    scored = [(a, score(a.instrument, list(a.answers))) for a in client.assessments]
    rows = [
        {
            "client_id": cid,
            "instrument": a.instrument,
            "answers": list(a.answers),
            "total": float(r.total),
            "severity": r.severity,
            "flags": list(r.flags),
            "prorated": r.prorated,
            "at": _evening_utc(a.on, client.timezone) - timedelta(hours=6),
            "local_on": a.on,
            "session_no": a.session_no,
            "created_at": now,
        }
        for a, r in scored
    ]
    ids = (
        conn.execute(insert(assessments).returning(assessments.c.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    risky = [
        {"client_id": cid, "kind": "item9_positive", "assessment_id": aid, "created_at": row["at"]}
        for (_, r), aid, row in zip(scored, ids, rows, strict=True)
        if "item9_positive" in r.flags
    ]
    if risky:
        conn.execute(insert(alerts), risky)
    return len(rows)
