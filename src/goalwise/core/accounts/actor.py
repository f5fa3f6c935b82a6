"""Who is acting: every service call names its actor, and authorization starts from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Actor", "Role"]

Role = Literal["admin", "therapist", "client", "supporter", "system", "anonymous"]


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting user.

    ``system`` is the local operator at the command line, who already holds the database file
    and the key; it is audited like any other actor. ``client_id`` is set for a client's own
    account.
    """

    role: Role
    user_id: int | None = None
    client_id: int | None = None
    label: str = ""
    address: str | None = None
    user_agent: str | None = None

    @classmethod
    def system(cls) -> Actor:
        """The local operator (CLI, demo loader, migrations)."""
        return cls(role="system", label="command line")

    @classmethod
    def anonymous(cls, address: str | None = None, user_agent: str | None = None) -> Actor:
        """Someone not logged in (a log-in attempt, a share-link visitor)."""
        return cls(role="anonymous", label="anonymous", address=address, user_agent=user_agent)

    @property
    def is_system(self) -> bool:
        """True for the local operator."""
        return self.role == "system"
