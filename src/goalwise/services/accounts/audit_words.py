"""The audit log as an administrator reads it: people by name and actions in plain words.

The log stores who acted as ``role:account-id`` and what as an action on an object type
(:mod:`services.accounts.audit`); the administrator's page shows "Tess Moreno (therapist)" and
"viewed the progress charts", never ``therapist:2`` or "share share". Raw values stay in the CSV
export, which is for tools.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from goalwise.core.accounts.actor import Actor
from goalwise.services.accounts import authz
from goalwise.services.context import Context
from goalwise.services.sharing.privacy import AuditEntry
from goalwise.storage.tables import clients, users

__all__ = ["AuditLine", "audit_lines", "plain_action"]

_VERBS = {
    "view": "viewed",
    "create": "added",
    "update": "changed",
    "delete": "deleted",
    "share": "made",
    "revoke": "revoked",
    "acknowledge": "acknowledged",
    "export": "exported",
    "import": "imported",
    "erase": "erased",
    "invite": "invited",
    "link": "linked a therapist to",
    "disable": "disabled",
    "rate": "rated",
    "rotate": "rotated",
    "status-change": "changed the status of",
    "reset-link": "made a password reset link for",
    "invite-link": "made an invitation link for",
    "set-password": "set the password of",
    "revoke-sessions": "ended the sessions of",
}
_NOUNS = {
    "abc_entry": "an ABC entry",
    "abc_entries": "the ABC entries",
    "api-token": "an API token",
    "assessment": "a questionnaire",
    "assessments": "the questionnaire answers",
    "alert": "a risk alert",
    "calendar-feed": "a calendar link",
    "card": "a daily report card",
    "card_rater": "a report card rater",
    "checkin": "a check-in",
    "client": "a client",
    "client-settings": "a client's settings",
    "demo": "the demo clinic",
    "episode": "an episode",
    "fhir": "a FHIR file",
    "goal": "a goal",
    "goal-gas-scale": "a goal's attainment scale",
    "goal-obstacle": "an obstacle of a goal",
    "goal-revisions": "a goal's history",
    "instrument_schedule": "a questionnaire schedule",
    "journal_entries": "the shared journal entries",
    "journal_entry": "a journal entry",
    "key": "the encryption key",
    "needs-assessment": "a needs assessment",
    "observation": "a value",
    "observations": "the logged values",
    "observations_csv": "the values as CSV",
    "outcomes": "the questionnaire outcomes",
    "phase": "a phase",
    "plan": "a goal's plan",
    "plan-item": "a plan step",
    "progress": "the progress charts",
    "progress-report": "a progress report",
    "readiness": "a readiness rating",
    "review": "a review",
    "review-summary": "a review summary",
    "reviews-due": "the reviews due",
    "share": "a share",
    "therapy_session": "a therapy session",
    "user": "an account",
}
_WHOLE = {
    ("login", "user"): "logged in",
    ("login-failed", "user"): "failed to log in",
    ("login-throttled", "user"): "was stopped after too many log-in attempts",
    ("invite-taken-email", "client"): "invited a client with an email that already has an account",
}


def plain_action(action: str, object_type: str) -> str:
    """``action`` on ``object_type`` as a phrase: ("share", "share") -> "made a share"."""
    if (action, object_type) in _WHOLE:
        return _WHOLE[(action, object_type)]
    verb = _VERBS.get(action, action.replace("-", " ").replace("_", " "))
    noun = _NOUNS.get(object_type, "the " + object_type.replace("-", " ").replace("_", " "))
    return f"{verb} {noun}"


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One event in words: when, who (a name and a role), what, about which client, from where."""

    at: datetime
    who: str
    what: str
    client: str
    address: str | None


def _who(label: str, names: dict[int, tuple[str, str]]) -> str:
    if label == "system:cli":
        return "the command line on the server"
    role, _, number = label.partition(":")
    if number.isdigit() and int(number) in names:
        name, stored_role = names[int(number)]
        return f"{name} ({stored_role})"
    return "someone not logged in" if label == "anonymous" else f"a {role} account no longer stored"


def audit_lines(ctx: Context, actor: Actor, entries: Sequence[AuditEntry]) -> list[AuditLine]:
    """``entries`` in words for an administrator (``Forbidden`` for anyone else)."""
    authz.require_role(actor, "admin")
    user_ids = {int(n) for e in entries for n in [e.actor.partition(":")[2]] if n.isdigit()}
    client_ids = {e.client_id for e in entries if e.client_id is not None}
    with ctx.db.read() as conn:
        names = {
            int(r.id): (r.name, r.role)
            for r in conn.execute(
                select(users.c.id, users.c.name, users.c.role).where(users.c.id.in_(user_ids))
            )
        }
        client_names = {
            int(r.id): r.name
            for r in conn.execute(select(clients.c.id, clients.c.name).where(clients.c.id.in_(client_ids)))
        }
    return [
        AuditLine(
            e.at,
            _who(e.actor, names),
            plain_action(e.action, e.object_type),
            client_names.get(e.client_id, "") if e.client_id is not None else "",
            e.address,
        )
        for e in entries
    ]
