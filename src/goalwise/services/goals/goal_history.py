"""A goal's history as people read it: each revision with the name of who made it, not an account id.

Revisions store who as an audit label (``therapist:2``, ``client:5``, ``system:cli``); pages show a
name. Labels of accounts are looked up in one query; the local operator and the demo loader have
plain words of their own; an account that no longer exists shows its role ("a therapist").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.goals.goals import history
from goalwise.storage.tables import users

__all__ = ["NamedRevision", "named_history", "names_for_labels"]

_SPECIAL = {
    "system:cli": "Goalwise (command line)",
    "system:demo": "Goalwise (demo data)",
    "therapist:demo": "the demo therapist",
    "anonymous": "someone not logged in",
}
_ROLE_WORDS = {"therapist": "a therapist", "client": "the client", "admin": "an administrator"}


@dataclass(frozen=True, slots=True)
class NamedRevision:
    """One revision of a goal with who made it by name, when (UTC) and why."""

    revision: int
    status: str
    spec: dict[str, Any]
    who: str
    changed_at: datetime
    reason: str | None


def _account_id(label: str) -> int | None:
    role, _, rest = label.partition(":")
    return int(rest) if role in _ROLE_WORDS and rest.isdigit() else None


def names_for_labels(conn: Connection, labels: Iterable[str]) -> dict[str, str]:
    """The name to show for each audit label (``therapist:2`` -> the account's name), in one query."""
    wanted = set(labels)
    ids = {i for i in (_account_id(label) for label in wanted) if i is not None}
    found = {}
    if ids:
        found = {
            int(r.id): r.name
            for r in conn.execute(select(users.c.id, users.c.name).where(users.c.id.in_(ids)))
        }
    out = {}
    for label in wanted:
        account = _account_id(label)
        if account is not None and account in found:
            out[label] = found[account]
        else:
            out[label] = _SPECIAL.get(label) or _ROLE_WORDS.get(label.partition(":")[0], "Goalwise")
    return out


def named_history(ctx: Context, actor: Actor, goal_id: int) -> list[NamedRevision]:
    """Every revision of the goal, newest first, with who by name; the view is audited (``goals.history``)."""
    revisions = history(ctx, actor, goal_id)
    with ctx.db.read() as conn:
        names = names_for_labels(conn, (r.changed_by for r in revisions))
    return [
        NamedRevision(r.revision, r.status, r.spec, names[r.changed_by], r.changed_at, r.reason)
        for r in reversed(revisions)
    ]
