""" "Who saw my records", in words a client reads: names and plain actions, never internal ids.

The audit log stores who acted as ``role:account-id`` and what as an action on an object type
(``services/accounts/audit.py``). For the client's own page each event becomes a person ("You", the
therapist's or supporter's name, "Someone with your share link for Mum") and a sentence ("viewed your
goal “Walk three times a week”", "opened your share for Mum").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.core.text.numbers import plain_int
from goalwise.services.accounts import authz
from goalwise.services.context import Context
from goalwise.services.sharing.privacy import AuditEntry
from goalwise.storage.tables import audit_events, clients, goals, shares, users

__all__ = ["AccessLine", "access_story"]

#: (action, object type) -> the plain sentence; ``{goal}`` and ``{share}`` are filled from the object.
_PHRASES: dict[tuple[str, str], str] = {
    ("view", "share"): "opened your share for {share}",
    ("share", "share"): "made a share for {share}",
    ("revoke", "share"): "ended the share for {share}",
    ("view", "goal"): "viewed your goal {goal}",
    ("view", "goals"): "viewed your goals",
    ("create", "goal"): "wrote the goal {goal}",
    ("update", "goal"): "changed the goal {goal}",
    ("status-change", "goal"): "changed the status of the goal {goal}",
    ("view", "plan"): "viewed the plan of the goal {goal}",
    ("view", "progress"): "viewed your progress charts",
    ("view", "outcomes"): "viewed your questionnaire results",
    ("view", "assessments"): "viewed your questionnaire answers",
    ("create", "assessment"): "recorded a questionnaire",
    ("create", "checkin"): "recorded a check-in",
    ("create", "observation"): "recorded a value",
    ("update", "observation"): "corrected a value",
    ("view", "observations"): "viewed your logged values",
    ("view", "episodes"): "viewed your episodes",
    ("create", "episode"): "recorded an episode",
    ("acknowledge", "alert"): "followed up your questionnaire answer",
    ("view", "review"): "viewed a review",
    ("view", "reviews"): "viewed your reviews",
    ("create", "review"): "recorded a review",
    ("view", "review-summary"): "prepared a review",
    ("export", "client"): "downloaded all your data",
    ("export", "progress-report"): "made a progress report",
    ("update", "client-settings"): "changed your settings",
    ("create", "calendar-feed"): "made a calendar link",
    ("revoke", "calendar-feed"): "ended the calendar links",
    ("view", "calendar-feed"): "a calendar app read your reminder dates",
    ("link", "client"): "was linked to you as your therapist",
    ("register", "client"): "created your account",
    ("invite", "client"): "invited you to Goalwise",
    ("invite-link", "user"): "made you a new invitation link",
    ("reset-link", "user"): "made you a password reset link",
    ("login", "user"): "logged in",
    ("set-password", "user"): "set your password",
    ("logout", "session"): "logged out",
    ("revoke-sessions", "user"): "logged out everywhere",
    ("create", "api-token"): "made an API token",
    ("revoke", "api-token"): "revoked an API token",
    ("create", "plan-item"): "added a step to a plan",
    ("update", "plan-item"): "updated a step of a plan",
    ("create", "phase"): "started a new phase of your care",
    ("view", "baseline"): "viewed your baseline",
    ("view", "readiness"): "viewed how ready you felt for a goal",
    ("view", "goal-revisions"): "viewed the history of a goal",
    ("view", "reviews-due"): "checked when your goals are due for review",
}

_NOUNS = {"goal-obstacles": "obstacles of a goal", "needs-assessments": "needs assessments"}


@dataclass(frozen=True, slots=True)
class AccessLine:
    """One event as the client reads it."""

    at: datetime
    who: str
    what: str
    #: The time in the client's own time zone, as they read it.
    local_text: str = ""


def _names(conn: Connection, entries: list[AuditEntry]) -> dict[str, str]:
    ids = {
        int(e.actor.split(":", 1)[1]) for e in entries if ":" in e.actor and e.actor.split(":")[1].isdigit()
    }
    if not ids:
        return {}
    rows = conn.execute(select(users.c.id, users.c.role, users.c.name).where(users.c.id.in_(ids)))
    return {
        f"{r.role}:{r.id}": f"{r.name} ({'your therapist' if r.role == 'therapist' else r.role})"
        for r in rows
    }


def _lookup(conn: Connection, table: Any, column: Any, client_id: int, raw: list[str]) -> dict[str, str]:
    ids = [n for i in raw if (n := plain_int(i)) is not None]
    if not ids:
        return {}
    query = select(table.c.id, column).where(table.c.client_id == client_id, table.c.id.in_(ids))
    return {str(r[0]): str(r[1]) for r in conn.execute(query)}


def _who(entry: AuditEntry, me: str, names: dict[str, str], share: str) -> str:
    if entry.actor == me:
        return "You"
    if entry.actor in names:
        return names[entry.actor]
    if entry.actor == "anonymous" and entry.object_type == "share":
        return f"Someone with your share link for {share}" if share else "Someone with a share link"
    if entry.actor == "system:cli":
        return "Your clinic's administrator (from the command line)"
    return "A person whose account was removed"


def _what(entry: AuditEntry, goal: str, share: str) -> str:
    phrase = _PHRASES.get((entry.action, entry.object_type))
    if phrase is None:
        noun = _NOUNS.get(entry.object_type, entry.object_type.replace("-", " "))
        verb = {"view": "viewed", "create": "added", "update": "changed", "delete": "removed"}.get(
            entry.action, entry.action.replace("-", " ")
        )
        return f"{verb} {noun}"
    return phrase.format(goal=f"“{goal}”" if goal else "(since removed)", share=share or "a supporter")


def _entries(conn: Connection, client_id: int, me: str, limit: int, others_only: bool) -> list[AuditEntry]:
    query = (
        select(audit_events)
        .where(audit_events.c.client_id == client_id)
        .order_by(audit_events.c.at.desc(), audit_events.c.id.desc())
        .limit(limit)
    )
    if others_only:
        query = query.where(audit_events.c.actor != me)
    return [
        AuditEntry(
            r.id,
            r.at.replace(tzinfo=UTC) if r.at.tzinfo is None else r.at,
            r.actor,
            r.action,
            r.object_type,
            r.object_id,
            r.client_id,
            None,
            None,
        )
        for r in conn.execute(query)
    ]


def access_story(
    ctx: Context, actor: Actor, client_id: int, limit: int = 50, *, others_only: bool = True
) -> list[AccessLine]:
    """The client's access log, newest first, in plain words (module docstring): the client themself or
    their therapist. With ``others_only`` (the default) the reader's own actions are left out, so the
    list answers "who saw my records"."""
    me = f"{actor.role}:{actor.user_id}"
    with ctx.db.read() as conn:
        authz.require_client(conn, actor, client_id)
        if actor.role not in ("client", "therapist"):
            raise NotFound(f"client {client_id} not found")
        entries = _entries(conn, client_id, me, limit, others_only)
        raw = [e.object_id or "" for e in entries]
        names = _names(conn, entries)
        titles = _lookup(conn, goals, goals.c.title, client_id, raw)
        labels = _lookup(conn, shares, shares.c.label, client_id, raw)
        timezone = conn.execute(select(clients.c.timezone).where(clients.c.id == client_id)).scalar_one()
    zone = ZoneInfo(timezone)
    lines = []
    for e in entries:
        goal = titles.get(e.object_id or "", "") if "goal" in e.object_type or e.object_type == "plan" else ""
        share = labels.get(e.object_id or "", "") if e.object_type == "share" else ""
        local = e.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        lines.append(AccessLine(e.at, _who(e, me, names, share), _what(e, goal, share), local))
    return lines
