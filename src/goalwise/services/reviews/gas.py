"""A goal's Goal Attainment Scale and weight: shown, derived by default, edited by the therapist.

A goal without a stored scale (or with only its weight stored) uses the one derived from its
current baseline and target (``core.reviews.gas_scale.default_scale``), so adjusting a goal's
target moves its default levels with it; edited levels are stored in ``goal_gas_scales`` and
kept until edited again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput
from goalwise.core.goal import parse_draft
from goalwise.core.reviews.gas_scale import GasLevel, GasScale, default_scale, parse_scale, scale_to_dict
from goalwise.services.accounts import audit, authz
from goalwise.services.context import Context
from goalwise.services.goals.goal_rows import require_goal, spec_of
from goalwise.storage.tables import goal_gas_scales

__all__ = ["GoalScale", "get_scale", "scale_of", "scales_of", "set_scale"]


@dataclass(frozen=True, slots=True)
class GoalScale:
    """A goal's scale, with the goal it belongs to."""

    goal_id: int
    client_id: int
    title: str
    scale: GasScale

    def to_dict(self) -> dict[str, Any]:
        """The GAS.json shape with the goal's id and title."""
        return {"goal_id": self.goal_id, "title": self.title, **scale_to_dict(self.scale)}


def _stored(row: Any, goal_row: Any) -> GasScale:
    if not row.levels:  # only the weight was edited: the levels still follow baseline and target
        return default_scale(parse_draft(spec_of(goal_row.spec))[0], float(row.weight))
    levels = tuple(
        GasLevel(int(lv["level"]), str(lv["description"]), lv.get("low"), lv.get("high")) for lv in row.levels
    )
    return GasScale(levels, float(row.weight), derived=False)


def scales_of(conn: Connection, goal_rows: list[Any]) -> dict[int, GasScale]:
    """The scale of each goal row (stored, else derived), in one query."""
    ids = [int(r.id) for r in goal_rows]
    stored = {
        int(r.goal_id): r
        for r in conn.execute(select(goal_gas_scales).where(goal_gas_scales.c.goal_id.in_(ids))).all()
    }
    found = {}
    for row in goal_rows:
        saved = stored.get(int(row.id))
        found[int(row.id)] = (
            _stored(saved, row) if saved is not None else default_scale(parse_draft(spec_of(row.spec))[0])
        )
    return found


def scale_of(conn: Connection, goal_row: Any) -> GasScale:
    """The goal's scale: stored, else derived from its baseline and target."""
    return scales_of(conn, [goal_row])[int(goal_row.id)]


def get_scale(ctx: Context, actor: Actor, goal_id: int) -> GoalScale:
    """The goal's scale and weight; ``NotFound`` for a goal the actor may not read."""
    with ctx.db.read() as conn:
        row = require_goal(conn, actor, goal_id)
        return GoalScale(goal_id, int(row.client_id), row.title, scale_of(conn, row))


def set_scale(ctx: Context, actor: Actor, goal_id: int, data: Mapping[str, object]) -> GoalScale:
    """Edit the goal's scale and/or weight from GAS.json (``core.reviews.gas_scale.parse_scale``);
    ``{"derived": true}`` alone returns the goal to the scale derived from its baseline and target.
    Raises ``InvalidInput`` with every problem; nothing is stored then; ``Forbidden`` for anyone but
    a therapist (the scale is part of the review the therapist holds). Audited."""
    authz.require_role(actor, "therapist")
    with ctx.db.write() as conn:
        # The lock makes two edits at once replace the scale in turn (delete, then insert) instead
        # of both inserting the goal's one row.
        row = require_goal(conn, actor, goal_id, write=True, lock=True)
        current = scale_of(conn, row)
        if isinstance(data, Mapping) and data.get("derived") is True and set(data) == {"derived"}:
            conn.execute(delete(goal_gas_scales).where(goal_gas_scales.c.goal_id == goal_id))
            audit.record(conn, actor, "update", "goal-gas-scale", goal_id, row.client_id)
            return GoalScale(goal_id, int(row.client_id), row.title, scale_of(conn, row))
        scale, problems = parse_scale(data, current)
        if problems:
            raise InvalidInput(problems)
        stored = scale_to_dict(scale)
        conn.execute(delete(goal_gas_scales).where(goal_gas_scales.c.goal_id == goal_id))
        conn.execute(
            insert(goal_gas_scales).values(
                goal_id=goal_id,
                weight=scale.weight,
                levels=[] if scale.derived else stored["levels"],
                updated_by=audit.actor_label(actor),
                updated_at=datetime.now(UTC),
            )
        )
        audit.record(conn, actor, "update", "goal-gas-scale", goal_id, row.client_id)
        return GoalScale(goal_id, int(row.client_id), row.title, scale)
