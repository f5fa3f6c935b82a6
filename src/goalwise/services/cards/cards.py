"""Use cases of a daily report card: create it (with its goal), read it, list a client's cards, revise it.

A card's goal is an ordinary SMART goal: a proportion metric ("targets met", percent 0-100), direction
increase, the card's goal percentage as its target (``>=``), twelve weeks from today, reviewed every four
weeks. It is SMART-checked like any goal; a card whose goal cannot be saved is refused with the goal's
problems and nothing is stored (the goal and the card are written in one transaction). A revision of
the card writes a new row to ``card_revisions`` (the old ones are kept) and, when the goal percentage
changes, a revision of the goal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.cards.card import Card, card_from_dict, card_to_dict, parse_card
from goalwise.core.errors import InvalidInput, NotFound
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.goals import goals
from goalwise.services.measurement.record_store import client_timezone, local_now
from goalwise.storage.tables import card_revisions, cards

__all__ = [
    "CardRevision",
    "CardView",
    "card_history",
    "card_of_client",
    "card_view",
    "create_card",
    "get_card",
    "goal_draft",
    "list_cards",
    "require_card",
    "revise_card",
]

GOAL_WEEKS = 12
REVIEW_WEEKS = 4


@dataclass(frozen=True, slots=True)
class CardView:
    """A stored card at its latest revision."""

    id: int
    client_id: int
    goal_id: int
    card: Card
    revision: int
    created_at: datetime


def card_view(row: Any) -> CardView:
    """A stored card row as a value."""
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return CardView(row.id, row.client_id, row.goal_id, card_from_dict(row.spec), row.revision, created)


def require_card(
    conn: Connection, actor: Actor, card_id: int, *, write: bool = False, client_id: int | None = None
) -> Any:
    """The card's row when ``actor`` may read (or change) its client's records (and, with ``client_id``,
    it is that client's card); else ``NotFound``."""
    row = conn.execute(select(cards).where(cards.c.id == card_id)).first()
    if row is None or (client_id is not None and row.client_id != client_id):
        raise NotFound(f"card {card_id} not found")
    try:
        authz.require_client(conn, actor, row.client_id, write=write)
    except NotFound:
        raise NotFound(f"card {card_id} not found") from None
    return row


def goal_draft(card: Card, today: Any) -> dict[str, object]:
    """The SMART draft of the card's goal (see the module docstring)."""
    rated = {"teacher": "the teacher", "parent": "a parent", "client": "the client"}[card.rated_by]
    named = "; ".join(t.text + (f" ({t.criterion})" if t.criterion else "") for t in card.targets)
    return {
        "title": card.title,
        "behaviour": f"Meets the daily report card's targets ({named}), each rated yes or no by {rated} "
        "at the end of the day; not applicable left out.",
        "metric": {"kind": "proportion", "unit": "targets met"},
        "direction": "increase",
        "target": {"value": card.goal_percent, "comparator": ">="},
        "start_on": today.isoformat(),
        "deadline_on": (today + timedelta(weeks=GOAL_WEEKS)).isoformat(),
        "review_every_weeks": REVIEW_WEEKS,
    }


def _parse(data: object) -> Card:
    card, problems = parse_card(data)
    if card is None:
        raise InvalidInput(problems)
    return card


def create_card(ctx: Context, actor: Actor, client_id: int, data: object) -> CardView:
    """A therapist makes a card for a client, with its active goal; ``InvalidInput`` names every problem."""
    authz.require_role(actor, "therapist")
    card = _parse(data)
    now = datetime.now(UTC)
    spec = card_to_dict(card)
    with ctx.db.write() as conn:  # the goal and the card together, or neither
        authz.require_client(conn, actor, client_id, write=True)
        today = local_now(client_timezone(conn, client_id))
        draft = goal_draft(card, today)
        goal = goals.create_in(ctx, conn, actor, client_id, draft, activate=True, reason="Daily report card")
        card_id = conn.execute(
            insert(cards)
            .values(
                client_id=client_id, goal_id=goal.id, spec=spec, revision=1, created_at=now, updated_at=now
            )
            .returning(cards.c.id)
        ).scalar_one()
        conn.execute(
            insert(card_revisions).values(
                card_id=card_id, revision=1, spec=spec, changed_by=audit.actor_label(actor), changed_at=now
            )
        )
        audit.record(conn, actor, "create", "card", card_id, client_id)
        return card_view(conn.execute(select(cards).where(cards.c.id == card_id)).one())


def get_card(ctx: Context, actor: Actor, card_id: int) -> CardView:
    """One card, for those who may read its client's records."""
    with ctx.db.read() as conn:
        return card_view(require_card(conn, actor, card_id))


def card_of_client(ctx: Context, actor: Actor, client_id: int, card_id: int) -> CardView:
    """The card ``card_id`` when it belongs to ``client_id`` and the actor may read it; else ``NotFound``."""
    found = get_card(ctx, actor, card_id)
    if found.client_id != client_id:
        raise NotFound(f"card {card_id} not found")
    return found


def list_cards(ctx: Context, actor: Actor, client_id: int) -> list[CardView]:
    """The client's cards, oldest first."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        rows = conn.execute(select(cards).where(cards.c.client_id == client_id).order_by(cards.c.id))
        return [card_view(r) for r in rows]


def revise_card(
    ctx: Context, actor: Actor, card_id: int, data: object, *, reason: str, client_id: int | None = None
) -> CardView:
    """A new revision of the card (a raised criterion, a replaced target); earlier revisions are kept.

    With ``client_id``, a card of another client is not found."""
    authz.require_role(actor, "therapist")
    card = _parse(data)
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        row = require_card(conn, actor, card_id, write=True, client_id=client_id)
        old = card_from_dict(row.spec)
        if old.goal_percent != card.goal_percent:
            target = {"target": {"value": card.goal_percent, "comparator": ">="}}
            goals.revise_in(ctx, conn, actor, row.goal_id, target, reason=reason, merge=True)
        revision = row.revision + 1
        spec = card_to_dict(card)
        conn.execute(
            update(cards).where(cards.c.id == card_id).values(spec=spec, revision=revision, updated_at=now)
        )
        conn.execute(
            insert(card_revisions).values(
                card_id=card_id,
                revision=revision,
                spec=spec,
                changed_by=audit.actor_label(actor),
                changed_at=now,
            )
        )
        audit.record(conn, actor, "update", "card", card_id, row.client_id)
        return card_view(conn.execute(select(cards).where(cards.c.id == card_id)).one())


@dataclass(frozen=True, slots=True)
class CardRevision:
    """One version of a card: what it was, when and by whom it was saved."""

    revision: int
    card: Card
    changed_at: datetime
    changed_by: str


def card_history(ctx: Context, actor: Actor, card_id: int) -> list[CardRevision]:
    """Every version of the card, oldest first (a revision never overwrites an earlier one)."""
    with ctx.db.read() as conn:
        require_card(conn, actor, card_id)
        rows = conn.execute(
            select(card_revisions)
            .where(card_revisions.c.card_id == card_id)
            .order_by(card_revisions.c.revision)
        ).all()
    return [
        CardRevision(
            r.revision,
            card_from_dict(r.spec),
            r.changed_at if r.changed_at.tzinfo else r.changed_at.replace(tzinfo=UTC),
            r.changed_by,
        )
        for r in rows
    ]
