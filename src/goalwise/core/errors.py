"""Problems and the Goalwise error tree.

Validation never stops at the first mistake: it returns a ``list[Problem]`` so that a
user sees every issue at once. Code that must refuse an operation raises one of the
errors below; each shell (``web/errors.py`` and the CLI entry point) turns them into
output in exactly one place.

::

    GoalwiseError
     ├── NotAuthenticated  nobody is logged in (or the session or token has ended)
     ├── NotFound        the object does not exist, or the actor may not know it exists
     ├── Forbidden       the actor is known but may not do this
     ├── Conflict        the request clashes with the current state (duplicate, wrong status)
     ├── InvalidInput    carries ``problems: list[Problem]``; nothing was stored
     ├── TooManyAttempts too many failed log-ins in a short time
     ├── StorageError    the database cannot be reached, is read-only or is not migrated
     └── ConfigError     a setting is missing or malformed

Messages name the input and the fix and never contain client content.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

__all__ = [
    "ConfigError",
    "Conflict",
    "Forbidden",
    "GoalwiseError",
    "InvalidInput",
    "NotAuthenticated",
    "NotFound",
    "Problem",
    "Severity",
    "StorageError",
    "TooManyAttempts",
    "errors_only",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, tied to the field it concerns.

    ``code`` is a stable machine-readable identifier (for SMART checks its first letter is
    the SMART letter), ``field`` the input it concerns (dotted path, e.g. ``metric.unit``),
    ``message`` what is wrong, ``hint`` how to fix it. ``severity`` separates errors, which
    block the operation, from warnings, which only advise.
    """

    code: str
    field: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    @property
    def suggestion(self) -> str:
        """The concrete next step; an alias of ``hint`` used by the SMART check."""
        return self.hint

    def to_dict(self) -> dict[str, str]:
        """The JSON shape shared by the API and the CLI."""
        data = asdict(self)
        data["suggestion"] = self.hint
        return data


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that block an operation (severity ``error``)."""
    return [p for p in problems if p.severity == "error"]


class GoalwiseError(Exception):
    """Base of every error Goalwise raises on purpose."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAuthenticated(GoalwiseError):
    """Nobody is logged in, or the session or token has ended or been revoked."""

    status = 401


class TooManyAttempts(GoalwiseError):
    """Too many failed attempts in a short time; try again later."""

    status = 429


class NotFound(GoalwiseError):
    """The object does not exist, or the actor may not learn that it exists."""

    status = 404


class Forbidden(GoalwiseError):
    """The actor is known but is not allowed to do this."""

    status = 403


class Conflict(GoalwiseError):
    """The request clashes with the current state of the data."""

    status = 409


class InvalidInput(GoalwiseError):
    """The input has problems; ``problems`` lists every one of them. Nothing was stored."""

    status = 422

    def __init__(self, problems: Iterable[Problem], message: str | None = None) -> None:
        self.problems = list(problems)
        if message is None:
            first = self.problems[0].message if self.problems else "invalid input"
            extra = len(self.problems) - 1
            message = first if extra <= 0 else f"{first} (and {extra} more problem{'s' if extra > 1 else ''})"
        super().__init__(message)


class StorageError(GoalwiseError):
    """The database cannot be used: unreachable, read-only, not migrated or too new."""

    status = 503


class ConfigError(GoalwiseError):
    """A setting is missing or malformed."""

    status = 500
