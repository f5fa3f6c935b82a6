"""The client's journal: free text, tagged with triggers and coping strategies, private by default.

The body and the tags are encrypted (``journal_entries.body_enc`` and ``tags_enc``). An entry is
private unless the client shares it: a private entry is seen by the client (and the local
operator, who holds the database) only; a shared entry is also seen by the client's linked
therapists. The journal belongs to the client: only the client (or the local operator) writes it
or changes whether an entry is shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, NotFound, Problem
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import (
    as_utc,
    clean_list,
    client_timezone,
    decrypt_json,
    encrypt_json,
    find_by_ref,
    future_problem,
    insert_timed,
    ref_problem,
    resolve_at,
    rows_between,
    text_problem,
)
from goalwise.storage.tables import journal_entries

__all__ = ["JournalEntry", "add_entry", "list_entries", "set_private"]

BODY_CONTEXT = b"journal_entries.body_enc"
TAGS_CONTEXT = b"journal_entries.tags_enc"
_MAX_TAGS = 20
_MAX_TAG = 80


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A journal entry, decrypted."""

    id: int
    client_id: int
    at: datetime
    local_on: date
    body: str
    triggers: tuple[str, ...]
    coping: tuple[str, ...]
    tags: tuple[str, ...]
    private: bool
    client_ref: str | None


def _to_entry(ctx: Context, row: Any) -> JournalEntry:
    tags = decrypt_json(ctx, row.tags_enc, TAGS_CONTEXT)
    return JournalEntry(
        id=row.id,
        client_id=row.client_id,
        at=as_utc(row.at),
        local_on=row.local_on,
        body=ctx.keys.decrypt(row.body_enc, context=BODY_CONTEXT) or "",
        triggers=tuple(tags.get("triggers", ())),
        coping=tuple(tags.get("coping", ())),
        tags=tuple(tags.get("tags", ())),
        private=bool(row.private),
        client_ref=row.client_ref,
    )


def _tag_problems(field: str, values: list[str]) -> list[Problem]:
    problems = []
    if len(values) > _MAX_TAGS:
        problems.append(
            Problem("tags-too-many", field, f"{field} has {len(values)} tags; the limit is {_MAX_TAGS}.", "")
        )
    if any(len(value) > _MAX_TAG for value in values):
        problems.append(
            Problem(
                "tag-too-long",
                field,
                f"A tag in {field} is longer than {_MAX_TAG} characters.",
                "Use a short label, e.g. 'crowds' or 'breathing'.",
            )
        )
    return problems


def _require_owner(conn: Connection, actor: Actor, client_id: int) -> None:
    authz.require_client(conn, actor, client_id, write=True)
    if not (actor.is_system or actor.role == "client"):
        # Not found rather than forbidden, as for anything outside the caller's reach (policy client-self).
        raise NotFound(
            "no journal to write here: the client writes their journal; shared entries can be read"
        )


def add_entry(
    ctx: Context,
    actor: Actor,
    client_id: int,
    body: str,
    *,
    triggers: Sequence[str] = (),
    coping: Sequence[str] = (),
    tags: Sequence[str] = (),
    private: bool = True,
    at: datetime | None = None,
    client_ref: str | None = None,
) -> JournalEntry:
    """Write a journal entry (private unless ``private=False``), tagged with triggers and coping.

    Raises ``InvalidInput`` naming every bad field; nothing is stored then. A retry with the
    same ``client_ref`` returns the stored entry.
    """
    now = datetime.now(UTC)
    lists = {"triggers": clean_list(triggers), "coping": clean_list(coping), "tags": clean_list(tags)}
    with ctx.db.write() as conn:
        _require_owner(conn, actor, client_id)
        stored = find_by_ref(conn, journal_entries, client_id, client_ref)
        if stored is not None:
            return _to_entry(ctx, stored)
        tz = client_timezone(conn, client_id)
        when = resolve_at(at, tz, now)
        problems = [
            p
            for p in (
                text_problem("body", body, required=True),
                future_problem(when, now),
                ref_problem(client_ref),
            )
            if p
        ]
        for field, values in lists.items():
            problems.extend(_tag_problems(field, values))
        if problems:
            raise InvalidInput(problems)
        row, created = insert_timed(
            conn,
            journal_entries,
            client_id=client_id,
            when=when,
            timezone=tz,
            client_ref=client_ref,
            now=now,
            body_enc=ctx.keys.encrypt(body, context=BODY_CONTEXT),
            tags_enc=encrypt_json(ctx, lists, TAGS_CONTEXT),
            private=private,
        )
        if created:
            audit.record(conn, actor, "create", "journal_entry", row.id, client_id)
        return _to_entry(ctx, row)


def list_entries(
    ctx: Context, actor: Actor, client_id: int, *, start: date | None = None, end: date | None = None
) -> list[JournalEntry]:
    """Journal entries by time; a therapist sees only the entries the client shared. Audited."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        # A therapist sees only what the client marked as shared; the client sees everything.
        shared_only = (
            () if actor.is_system or actor.role == "client" else (journal_entries.c.private.is_(False),)
        )
        rows = rows_between(conn, journal_entries, client_id, start, end, *shared_only)
        audit.record(conn, actor, "view", "journal_entries", None, client_id)
        return [_to_entry(ctx, row) for row in rows]


def set_private(ctx: Context, actor: Actor, client_id: int, entry_id: int, private: bool) -> JournalEntry:
    """Share an entry with the client's therapists (``private=False``) or make it private again."""
    with ctx.db.write() as conn:
        _require_owner(conn, actor, client_id)
        where = (journal_entries.c.id == entry_id, journal_entries.c.client_id == client_id)
        if conn.execute(update(journal_entries).where(*where).values(private=private)).rowcount != 1:
            raise NotFound(f"journal entry {entry_id} not found")
        audit.record(conn, actor, "update", "journal_entry", entry_id, client_id)
        return _to_entry(ctx, conn.execute(select(journal_entries).where(*where)).one())
