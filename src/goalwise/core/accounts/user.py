"""Accounts: who can log in, and in which role."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from goalwise.core.errors import Problem
from goalwise.core.text.characters import bad_characters_problem

__all__ = ["ROLES", "User", "UserRole", "validate_user"]

UserRole = Literal["admin", "therapist", "client", "supporter"]
ROLES: tuple[UserRole, ...] = ("admin", "therapist", "client", "supporter")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class User:
    """An account. ``client_id`` links a client's account to their records."""

    id: int
    email: str
    name: str
    role: UserRole
    is_active: bool
    client_id: int | None = None
    has_password: bool = False


def validate_user(email: str, name: str, role: str) -> list[Problem]:
    """Problems with a new account's email, name and role."""
    problems: list[Problem] = []
    if not _EMAIL.match(email.strip()):
        problems.append(
            Problem(
                "user-email", "email", "The email address is not valid.", "Use the form name@example.org."
            )
        )
    if not name.strip():
        problems.append(Problem("user-name", "name", "The name is empty.", "Give the name shown to others."))
    problems += [
        p for p in (bad_characters_problem("name", name), bad_characters_problem("email", email)) if p
    ]
    if role not in ROLES:
        problems.append(
            Problem("user-role", "role", f"Role {role!r} is unknown.", f"Use one of {', '.join(ROLES)}.")
        )
    return problems
