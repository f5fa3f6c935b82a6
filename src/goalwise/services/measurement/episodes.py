"""The episode (trigger) log: what happened, what it felt like, what was done and how it helped.

Fields (issue 4, "Episode log"): situation, environment, preceding event, physiological
responses, emotion and its intensity 1-10, duration in minutes, behaviour (including avoidance
and other coping that did not help), the coping strategy used and how well it worked 1-5.

Every narrative field is stored in one encrypted JSON document (``episodes.details_enc``). The
plain ``emotion`` column holds only a category from :data:`EMOTIONS` so that lists can be
filtered without decrypting; the word the client typed is kept, encrypted, in the details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.measurement.record_store import (
    as_utc,
    client_timezone,
    decrypt_json,
    duration_problem,
    encrypt_json,
    find_by_ref,
    future_problem,
    insert_timed,
    int_range_problem,
    ref_problem,
    resolve_at,
    rows_between,
    text_problem,
)
from goalwise.storage.tables import episodes

__all__ = ["EMOTIONS", "NARRATIVE_FIELDS", "Episode", "add_episode", "list_episodes"]

DETAILS_CONTEXT = b"episodes.details_enc"

#: Categories for the plain emotion column; any other word is stored as "other" (and kept encrypted).
EMOTIONS = (
    "anger",
    "anxiety",
    "disgust",
    "fear",
    "frustration",
    "guilt",
    "joy",
    "loneliness",
    "panic",
    "sadness",
    "shame",
    "other",
)

NARRATIVE_FIELDS = (
    "situation",
    "environment",
    "preceding_event",
    "physiological",
    "emotion",
    "behaviour",
    "coping_strategy",
)


@dataclass(frozen=True, slots=True)
class Episode:
    """One logged episode, narrative fields decrypted."""

    id: int
    client_id: int
    at: datetime
    local_on: date
    emotion_category: str | None
    intensity: int | None
    duration_minutes: float | None
    coping_rating: int | None
    situation: str | None
    environment: str | None
    preceding_event: str | None
    physiological: str | None
    emotion: str | None
    behaviour: str | None
    coping_strategy: str | None
    client_ref: str | None


def _category(emotion: str | None) -> str | None:
    if emotion is None or not emotion.strip():
        return None
    word = emotion.strip().casefold()
    return word if word in EMOTIONS else "other"


def _to_episode(ctx: Context, row: Any) -> Episode:
    details = decrypt_json(ctx, row.details_enc, DETAILS_CONTEXT)
    return Episode(
        id=row.id,
        client_id=row.client_id,
        at=as_utc(row.at),
        local_on=row.local_on,
        emotion_category=row.emotion,
        intensity=row.intensity,
        duration_minutes=row.duration_minutes,
        coping_rating=row.coping_rating,
        client_ref=row.client_ref,
        **{name: details.get(name) for name in NARRATIVE_FIELDS},
    )


def add_episode(
    ctx: Context,
    actor: Actor,
    client_id: int,
    *,
    at: datetime | None = None,
    intensity: int | None = None,
    duration_minutes: float | None = None,
    coping_rating: int | None = None,
    client_ref: str | None = None,
    **narrative: str | None,
) -> Episode:
    """Log an episode. Narrative fields are keyword arguments named as in :data:`NARRATIVE_FIELDS`.

    Intensity runs 1-10, coping rating 1-5 (how well the coping worked), duration is minutes of 0
    or more. Raises ``InvalidInput`` naming every bad field; nothing is stored then. A retry with
    the same ``client_ref`` returns the stored episode.
    """
    unknown = sorted(set(narrative) - set(NARRATIVE_FIELDS))
    if unknown:
        raise TypeError(f"unknown episode fields: {', '.join(unknown)}")
    now = datetime.now(UTC)
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id, write=True)
        stored = find_by_ref(conn, episodes, client_id, client_ref)
        if stored is not None:
            return _to_episode(ctx, stored)
        tz = client_timezone(conn, client_id)
        when = resolve_at(at, tz, now)
        problems = [
            int_range_problem("intensity", intensity, 1, 10),
            int_range_problem("coping_rating", coping_rating, 1, 5),
            future_problem(when, now),
            ref_problem(client_ref),
            duration_problem("duration_minutes", duration_minutes),
            *(text_problem(name, narrative.get(name), limit=4000) for name in NARRATIVE_FIELDS),
        ]
        found = [p for p in problems if p is not None]
        if found:
            raise InvalidInput(found)
        details = encrypt_json(ctx, {name: narrative.get(name) for name in NARRATIVE_FIELDS}, DETAILS_CONTEXT)
        row, created = insert_timed(
            conn,
            episodes,
            client_id=client_id,
            when=when,
            timezone=tz,
            client_ref=client_ref,
            now=now,
            emotion=_category(narrative.get("emotion")),
            intensity=None if intensity is None else int(intensity),
            duration_minutes=None if duration_minutes is None else float(duration_minutes),
            coping_rating=None if coping_rating is None else int(coping_rating),
            details_enc=details,
        )
        if created:
            audit.record(conn, actor, "create", "episode", row.id, client_id)
        return _to_episode(ctx, row)


def list_episodes(
    ctx: Context, actor: Actor, client_id: int, *, start: date | None = None, end: date | None = None
) -> list[Episode]:
    """The client's episodes by time, optionally for local days ``start``..``end``; audited."""
    with ctx.db.write() as conn:
        authz.require_client(conn, actor, client_id)
        rows = rows_between(conn, episodes, client_id, start, end)
        audit.record(conn, actor, "view", "episodes", None, client_id)
        return [_to_episode(ctx, row) for row in rows]
