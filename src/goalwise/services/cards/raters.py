"""Raters: a teacher or parent rates a card through a private link, without an account.

The link carries a 256-bit random token; only its SHA-256 hash is stored (``secret_token``, like share
links). It expires (120 days, about a school term, by default), can be revoked at once, is listed on the
client's sharing page and every invitation, revocation, opening and rating is in the audit log. It opens
today's card and the previous school day (Monday to Friday) when that day was not rated, and nothing else:
no other record and no chart beyond the card's own days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.cards.card import Card, card_from_dict
from goalwise.core.errors import InvalidInput, NotFound, Problem
from goalwise.services.accounts import audit, authz
from goalwise.services.accounts.secret_token import hash_token, new_token
from goalwise.services.cards.card_days import DayView, days_between, rate_in
from goalwise.services.cards.card_reading import read_ratings
from goalwise.services.cards.cards import require_card
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import client_timezone, local_now
from goalwise.storage.tables import card_raters, cards

__all__ = [
    "RATER_DAYS",
    "RaterInfo",
    "RaterPage",
    "invite_rater",
    "list_raters",
    "open_rater",
    "rate_by_link",
    "rater_path",
    "revoke_rater",
    "revoke_rater_id",
]

RATER_DAYS = 120


def rater_path(token: str) -> str:
    """The path of a rater's link (made absolute with ``Context.link``)."""
    return f"/rate/{token}"


@dataclass(frozen=True, slots=True)
class RaterInfo:
    """A rater's link as the therapist and the client see it (never the token)."""

    id: int
    card_id: int
    card_title: str
    name: str
    email: str | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def active(self, now: datetime) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and self.expires_at > now


@dataclass(frozen=True, slots=True)
class RaterPage:
    """What a rater's link shows: the card and the days it may rate, with what is already rated."""

    rater_name: str
    card: Card
    today: date
    days: list[date]
    rated: dict[date, DayView]


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _info(row: Any, title: str) -> RaterInfo:
    return RaterInfo(
        row.id,
        row.card_id,
        title,
        row.name,
        row.email,
        _utc(row.created_at),  # type: ignore[arg-type]
        _utc(row.expires_at),  # type: ignore[arg-type]
        _utc(row.revoked_at),
    )


def _invite_problems(name: str, email: str | None, days: int) -> list[Problem]:
    problems = []
    if not name.strip() or len(name.strip()) > 120:
        problems.append(
            Problem(
                "rater-name",
                "name",
                "The rater's name is missing or too long.",
                "Write a name of up to 120 characters, e.g. Ms Patel.",
            )
        )
    if email and ("@" not in email or len(email) > 254 or any(c.isspace() for c in email.strip())):
        problems.append(
            Problem(
                "rater-email",
                "email",
                "The email is not an address.",
                "Write e.g. teacher@school.org, or leave it out.",
            )
        )
    if not 1 <= days <= 365:
        problems.append(
            Problem("rater-days", "days", f"The link would last {days} days.", "Choose 1 to 365 days.")
        )
    return problems


def invite_rater(
    ctx: Context,
    actor: Actor,
    card_id: int,
    name: str,
    *,
    email: str | None = None,
    days: int = RATER_DAYS,
    now: datetime | None = None,
    client_id: int | None = None,
) -> tuple[RaterInfo, str]:
    """A therapist invites a rater to a card; returns the rater and the link's token (shown once).

    With ``client_id``, a card of another client is not found."""
    authz.require_role(actor, "therapist")
    now = now or datetime.now(UTC)
    with ctx.db.write() as conn:
        row = require_card(conn, actor, card_id, write=True, client_id=client_id)
        problems = _invite_problems(name, email, days)
        if not problems and _live(conn, card_id, name.strip(), now):
            problems.append(
                Problem(
                    "rater-exists",
                    "name",
                    f"{name.strip()} already has a live link to this card.",
                    "Revoke it first, or use another name.",
                )
            )
        if problems:
            raise InvalidInput(problems)
        token = new_token()
        rater_id = conn.execute(
            insert(card_raters)
            .values(
                client_id=row.client_id,
                card_id=card_id,
                name=name.strip(),
                email=(email or "").strip() or None,
                token_hash=hash_token(token),
                created_by=audit.actor_label(actor),
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
            .returning(card_raters.c.id)
        ).scalar_one()
        audit.record(conn, actor, "invite", "card_rater", rater_id, row.client_id)
        rater = conn.execute(select(card_raters).where(card_raters.c.id == rater_id)).one()
        return _info(rater, card_from_dict(row.spec).title), token


def _live(conn: Connection, card_id: int, name: str, now: datetime) -> list[Any]:
    rows = conn.execute(
        select(card_raters).where(
            card_raters.c.card_id == card_id, card_raters.c.name == name, card_raters.c.revoked_at.is_(None)
        )
    ).all()
    return [r for r in rows if _utc(r.expires_at) > now]  # type: ignore[operator]


def revoke_rater(ctx: Context, actor: Actor, card_id: int, name: str) -> int:
    """End the live links of the rater ``name`` on the card at once; how many ended (``NotFound`` if none)."""
    authz.require_role(actor, "therapist")
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        row = require_card(conn, actor, card_id, write=True)
        live = _live(conn, card_id, name.strip(), now)
        if not live:
            raise NotFound(f"no live rater link named {name.strip()!r} on card {card_id}")
        for rater in live:
            conn.execute(update(card_raters).where(card_raters.c.id == rater.id).values(revoked_at=now))
            audit.record(conn, actor, "revoke", "card_rater", rater.id, row.client_id)
        return len(live)


def revoke_rater_id(ctx: Context, actor: Actor, rater_id: int) -> None:
    """End one rater link (by the therapist linked to the client, or the client on their sharing page)."""
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        rater = conn.execute(select(card_raters).where(card_raters.c.id == rater_id)).first()
        if (
            rater is None
            or not authz.can_read_client(conn, actor, rater.client_id)
            or actor.role == "supporter"
        ):
            raise NotFound(f"rater link {rater_id} not found")
        if rater.revoked_at is None:
            conn.execute(update(card_raters).where(card_raters.c.id == rater_id).values(revoked_at=now))
        audit.record(conn, actor, "revoke", "card_rater", rater_id, rater.client_id)


def list_raters(ctx: Context, actor: Actor, client_id: int) -> list[RaterInfo]:
    """Every rater link of the client's cards, newest first (for the sharing page and the card page)."""
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        titles = {
            r.id: card_from_dict(r.spec).title
            for r in conn.execute(select(cards).where(cards.c.client_id == client_id))
        }
        rows = conn.execute(
            select(card_raters)
            .where(card_raters.c.client_id == client_id)
            .order_by(card_raters.c.created_at.desc())
        )
        return [_info(r, titles.get(r.card_id, "")) for r in rows]


def _previous_school_day(today: date) -> date:
    day = today - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _open(conn: Connection, token: str, now: datetime) -> tuple[Any, Any]:
    rater = conn.execute(select(card_raters).where(card_raters.c.token_hash == hash_token(token))).first()
    if rater is None or rater.revoked_at is not None or _utc(rater.expires_at) <= now:  # type: ignore[operator]
        raise NotFound("this rating link is not available: it was revoked, has expired, or never existed")
    return rater, conn.execute(select(cards).where(cards.c.id == rater.card_id)).one()


def _page(ctx: Context, conn: Connection, rater: Any, card: Any) -> RaterPage:
    today = local_now(client_timezone(conn, card.client_id))
    before = _previous_school_day(today)
    rated = {d.on: d for d in days_between(ctx, conn, card, before, today)}
    # The previous school day stays open to this rater when it was missed, or to correct their own rating.
    missed = before not in rated or rated[before].rated_by == f"rater:{rater.id}"
    days = [today, before] if missed else [today]
    return RaterPage(rater.name, card_from_dict(card.spec), today, days, rated)


def open_rater(
    ctx: Context,
    token: str,
    *,
    address: str | None = None,
    user_agent: str | None = None,
    now: datetime | None = None,
) -> RaterPage:
    """What the rater's link opens (audited); ``NotFound`` for an unknown, revoked or expired link."""
    with ctx.db.write() as conn:
        rater, card = _open(conn, token, now or datetime.now(UTC))
        audit.record(
            conn, Actor.anonymous(address, user_agent), "view", "card_rater", rater.id, card.client_id
        )
        return _page(ctx, conn, rater, card)


def rate_by_link(
    ctx: Context,
    token: str,
    on: date,
    ratings: str | list[str],
    *,
    period: str | None = None,
    comment: str | None = None,
    address: str | None = None,
    user_agent: str | None = None,
) -> DayView:
    """The rater rates today, or the previous school day when it was missed; other days are refused."""
    with ctx.db.write() as conn:
        rater, card = _open(conn, token, datetime.now(UTC))
        page = _page(ctx, conn, rater, card)
        if on not in page.days:
            problem = Problem(
                "rater-day",
                "on",
                f"{on.isoformat()} cannot be rated with this link.",
                "Rate today, or the previous school day if it was missed.",
            )
            raise InvalidInput([problem])
        parsed = read_ratings(ratings, len(page.card.targets))
        actor = Actor.anonymous(address, user_agent)
        return rate_in(
            ctx, conn, actor, card, on, period, parsed, comment=comment, rated_by=f"rater:{rater.id}"
        )
