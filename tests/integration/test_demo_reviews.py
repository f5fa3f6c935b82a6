"""The demo clinic's review history is coherent: reviews every four weeks with GAS levels, adjusted
targets, achieved and discontinued goals, and no active goal past its deadline without a decision."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

from sqlalchemy import select

from goalwise.core.accounts.actor import Actor
from goalwise.services.clinic.demo import load_demo
from goalwise.services.clinic.demo_data import generate_clients
from goalwise.services.clinic.demo_reviews import review_history
from goalwise.services.context import Context
from goalwise.services.reviews import due, reviews
from goalwise.storage.tables import goals, review_goals
from goalwise.storage.tables import reviews as reviews_table

END = date(2026, 6, 30)


def test_demo_history_decides_every_deadline_and_uses_every_decision() -> None:
    decisions: Counter[str] = Counter()
    for client in generate_clients(40, 240, 7, END):
        history = review_history(client, END)
        held = [r.held_on for r in history.reviews]
        assert all(b - a == timedelta(weeks=4) for a, b in pairwise(held))
        for state in history.goals:
            if state.status == "active":
                assert date.fromisoformat(state.spec["deadline_on"]) > END
        decisions.update(g.decision for r in history.reviews for g in r.goals)
        assert all(-2 <= g.gas_level <= 2 for r in history.reviews for g in r.goals)
    assert set(decisions) == {"continue", "adjust", "add-steps", "achieved", "discontinue"}, decisions


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
