"""Clients and therapists: the people whose records Goalwise keeps.

A client is known by a display name or pseudonym (never required to be a legal name) and a
time zone, which decides the client's local day for every observation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import available_timezones

from goalwise.core.errors import Problem
from goalwise.core.text.characters import bad_characters_problem

__all__ = ["NAME_MAX", "Client", "Therapist", "is_iana_timezone", "timezone_names", "validate_client"]

NAME_MAX = 120


@dataclass(frozen=True, slots=True)
class Client:
    """A person in care. ``name`` is a display name or pseudonym."""

    id: int
    name: str
    timezone: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Therapist:
    """A clinician account that can be linked to clients."""

    id: int
    name: str
    email: str


#: Files in the zone database that are not places: the machine's own zone, a template, a placeholder.
_NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_PLACES


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """The IANA zone names a client may have, sorted (for a form's list of choices)."""
    return tuple(sorted(n for n in _zone_names() if not n.startswith(("posix/", "right/"))))


def is_iana_timezone(name: str) -> bool:
    """True for an IANA zone name such as ``Europe/London``.

    ``ZoneInfo`` also opens files that are not zones people live in (``localtime``, ``posixrules``,
    ``Factory``); so do names like ``posix/Europe/London``. Only the named zones count, and
    ``available_timezones()`` lists ``localtime`` on some systems, so it is left out by name.
    """
    return name in _zone_names()


def validate_client(name: str, timezone: str) -> list[Problem]:
    """Problems with a new client's name and time zone (every one, not only the first)."""
    problems: list[Problem] = []
    stripped = name.strip()
    if not stripped:
        problems.append(
            Problem(
                "client-name-empty",
                "name",
                "The client's name is empty.",
                "Give a display name or pseudonym.",
            )
        )
    elif len(stripped) > NAME_MAX:
        problems.append(
            Problem(
                "client-name-long",
                "name",
                f"The client's name has {len(stripped)} characters; the limit is {NAME_MAX}.",
                "Use a shorter display name or a pseudonym.",
            )
        )
    if (bad := bad_characters_problem("name", name)) is not None:
        problems.append(bad)
    if not is_iana_timezone(timezone):
        problems.append(
            Problem(
                "client-timezone-unknown",
                "timezone",
                f"The time zone {timezone!r} is unknown.",
                "Use an IANA name such as Europe/London or America/New_York.",
            )
        )
    return problems
