"""The demo clinic's review history is coherent: reviews every four weeks with GAS levels, adjusted
targets, achieved and discontinued goals, and no active goal past its deadline without a decision;
most clients keep two or three active goals, and a few reviews are due."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

from sqlalchemy import select

from goalwise.core.accounts.actor import Actor
from goalwise.services.clinic.demo import load_demo
from goalwise.services.clinic.demo_data import generate_clients
from goalwise.services.clinic.demo_reviews import LATE_AT, LATE_EVERY, review_history
from goalwise.services.context import Context
from goalwise.services.reviews import due, reviews
from goalwise.storage.tables import goals, review_goals, users
from goalwise.storage.tables import reviews as reviews_table

END = date(2026, 6, 30)


def test_demo_history_decides_every_deadline_and_uses_every_decision() -> None:
    decisions: Counter[str] = Counter()
    keeping = 0
    for client in generate_clients(40, 240, 7, END):
        history = review_history(client, END)
        assert history == review_history(client, END)  # deterministic
        held = [r.held_on for r in history.reviews]
        assert all(b - a == timedelta(weeks=4) for a, b in pairwise(held))
        # The latest review is held within four weeks, except for the clients who have not held it yet.
        late = client.index % LATE_EVERY == LATE_AT
        assert (END - held[-1] >= timedelta(weeks=4)) is late
        active = [s for s in history.goals if s.status == "active"]
        for state in active:
            assert date.fromisoformat(state.spec["deadline_on"]) > END
        keeping += 2 <= len(active) <= 3
        for r in history.reviews:
            for g in r.goals:
                if g.decision == "adjust":  # a new target, and a deadline after the review
                    assert g.new_target is not None and g.new_deadline_on is not None
                    assert g.new_deadline_on > r.held_on
        decisions.update(g.decision for r in history.reviews for g in r.goals)
        assert all(-2 <= g.gas_level <= 2 for r in history.reviews for g in r.goals)
    assert set(decisions) == {"continue", "adjust", "add-steps", "achieved", "discontinue"}, decisions
    assert keeping >= 36  # of 40


def test_loaded_demo_has_reviews_with_readable_notes_and_nothing_overdue_past_a_deadline(
    sqlite_ctx: Context,
) -> None:
    load_demo(sqlite_ctx, Actor.system(), n_clients=4, days=150, end_on=END)
    with sqlite_ctx.db.read() as conn:
        held = conn.execute(select(reviews_table.c.client_id, reviews_table.c.number)).all()
        scored = conn.execute(select(review_goals.c.gas_level)).scalars().all()
        open_goals = (
            conn.execute(select(goals.c.deadline_on).where(goals.c.status == "active")).scalars().all()
        )
    assert len({c for c, _ in held}) == 4 and scored
    assert all(deadline > END for deadline in open_goals)
    first = reviews.list_reviews(sqlite_ctx, Actor.system(), held[0][0])
    assert [r.number for r in first] == list(range(1, len(first) + 1))
    shown = reviews.get_review(sqlite_ctx, Actor.system(), first[0].id)
    assert shown.notes is not None and shown.notes.startswith("Demo review 1")
    assert all(d.reason == "cadence" for d in due.reviews_due(sqlite_ctx, Actor.system(), as_of=END))


def test_a_20_client_demo_has_goals_to_review_and_a_realistic_caseload(sqlite_ctx: Context) -> None:
    load_demo(sqlite_ctx, Actor.system(), n_clients=20, days=150, end_on=END)
    with sqlite_ctx.db.read() as conn:
        columns = (goals.c.client_id, goals.c.status, goals.c.deadline_on, goals.c.spec)
        rows = conn.execute(select(*columns)).all()
        adjusted = conn.execute(
            select(review_goals.c.new_target, review_goals.c.new_deadline_on).where(
                review_goals.c.decision == "adjust"
            )
        ).all()
        client_one = conn.execute(
            select(users.c.client_id).where(users.c.email == "client1@demo.goalwise.test")
        ).scalar_one()
    active = Counter(r.client_id for r in rows if r.status == "active")
    assert sum(2 <= n <= 3 for n in active.values()) >= 16, active  # most of the 20 clients
    assert active[client_one] >= 2  # the client who logs in has goal cards on their Today page
    assert all(r.deadline_on > END for r in rows if r.status == "active")  # none past its deadline
    statuses = Counter(r.status for r in rows)
    assert statuses["achieved"] >= 1 and statuses["discontinued"] >= 1, statuses
    assert adjusted and all(t is not None and new is not None for t, new in adjusted)
    counts = [r.spec for r in rows if (r.spec.get("metric") or {}).get("kind") == "count"]
    assert counts and all(float(s["target"]["value"]).is_integer() for s in counts)  # "at most 3", never 3.4
    due_now = due.reviews_due(sqlite_ctx, Actor.system(), as_of=END)
    assert due_now and all(d.reason == "cadence" and d.overdue_days >= 0 for d in due_now)
    assert len({d.client_id for d in due_now}) <= 20 // 4  # a few clients, not the whole caseload
