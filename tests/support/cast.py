"""A standard cast of accounts for service, API and authorization tests.

- ``admin``: an administrator (not linked to any client).
- ``therapist``: linked to client A (``client_a``), with consent.
- ``other_therapist``: linked to client B only.
- ``client_a`` / ``client_b``: client accounts with their own records.
- ``supporter``: a supporter account (shares are made per test).

Each person has an ``actor`` for service calls and a write-scoped API ``token`` for HTTP calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts import accounts, login_sessions
from goalwise.services.context import Context

__all__ = ["Cast", "Person", "make_cast"]

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Person:
    """One account in the cast."""

    user_id: int
    email: str
    actor: Actor
    token: str
    client_id: int | None = None

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers that authenticate as this person."""
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True)
class Cast:
    admin: Person
    therapist: Person
    other_therapist: Person
    client_a: Person
    client_b: Person
    supporter: Person

    def everyone(self) -> dict[str, Person]:
        return {
            "admin": self.admin,
            "therapist": self.therapist,
            "other_therapist": self.other_therapist,
            "client_a": self.client_a,
            "client_b": self.client_b,
            "supporter": self.supporter,
        }


def _person(ctx: Context, user_id: int) -> Person:
    from goalwise.storage import user_repo

    with ctx.db.read() as conn:
        user = user_repo.get_user(conn, user_id)
    assert user is not None
    actor = accounts.actor_for(user)
    _, token = login_sessions.create_api_token(ctx, actor, name="tests", scope="write")
    return Person(user.id, user.email, actor, token, user.client_id)


def make_cast(ctx: Context) -> Cast:
    """Create the cast in ``ctx``'s database (every password is ``PASSWORD``)."""
    system = Actor.system()
    admin = accounts.create_user(
        ctx, system, email="admin@example.org", name="Admin", role="admin", password=PASSWORD
    )
    t1 = accounts.create_user(
        ctx, system, email="t1@example.org", name="Therapist One", role="therapist", password=PASSWORD
    )
    t2 = accounts.create_user(
        ctx, system, email="t2@example.org", name="Therapist Two", role="therapist", password=PASSWORD
    )
    sup = accounts.create_user(
        ctx, system, email="sup@example.org", name="Supporter", role="supporter", password=PASSWORD
    )
    inv_a = accounts.invite_client(
        ctx, accounts.actor_for(t1), name="Client A", email="a@example.org", timezone="Europe/London"
    )
    accounts.redeem_link(ctx, inv_a.token, PASSWORD, consent=True)
    inv_b = accounts.invite_client(
        ctx, accounts.actor_for(t2), name="Client B", email="b@example.org", timezone="America/New_York"
    )
    accounts.redeem_link(ctx, inv_b.token, PASSWORD, consent=True)
    return Cast(
        admin=_person(ctx, admin.id),
        therapist=_person(ctx, t1.id),
        other_therapist=_person(ctx, t2.id),
        client_a=_person(ctx, inv_a.user.id),
        client_b=_person(ctx, inv_b.user.id),
        supporter=_person(ctx, sup.id),
    )
