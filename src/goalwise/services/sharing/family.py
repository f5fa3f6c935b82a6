"""The supporter's family dashboard: every goal shared with them, one section per client.

Each live share addressed to the supporter's account is opened as the share page opens it (so the
client sees the view in "who saw my records"), and each shared goal is summed up for a reader who is
not a clinician: which way it should go, where it is now, the target, and progress in words.
Only what the share's sections allow is read (``sharing.open_share_for_supporter``): never a goal's
private definition, the journal or episodes unless the client ticked them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from goalwise.analytics import aggregate
from goalwise.analytics.aggregate import Point
from goalwise.analytics.now import goal_now
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import NotFound
from goalwise.core.metric import value_unit
from goalwise.services.context import Context
from goalwise.services.sharing import sharing
from goalwise.storage.tables import clients, shares

__all__ = ["ClientSection", "GoalSummary", "ShareSummary", "family_view", "summarise_goal", "summarise_share"]

_DIRECTION_WORDS = {"increase": "more is better", "decrease": "less is better", "maintain": "keep it steady"}

#: From a week's Monday to its Sunday.
_WEEK_END = timedelta(days=6)


@dataclass(frozen=True, slots=True)
class GoalSummary:
    """One shared goal in plain words; ``points`` are what its chart draws, ``target`` the single
    target line (None for a range).

    For a weekly goal the points are calendar weeks (Monday to Sunday, stamped by their Monday) as
    the goal page charts them: totals for counts, the mean of the days for ratings, a week without
    an entry left out (absent, not zero). The last point may be the week in progress, whose Monday
    is ``in_progress_on``: it is drawn but not judged against the target ("so far" on the goal page).
    Otherwise the points are daily values.
    """

    title: str
    direction: str
    unit: str
    now_text: str
    target_text: str
    progress_text: str
    deadline_on: date | None
    points: tuple[tuple[date, float], ...]
    target: float | None
    met: bool | None
    comparator: str = ">="
    band: tuple[float, float] | None = None
    in_progress_on: date | None = None

    def meets(self, value: float) -> bool | None:
        """Whether ``value`` meets the target (None without a target)."""
        if self.target is None and self.band is None:
            return None
        return _meets(value, self.target, self.band, self.comparator)

    def point_label(self, on: date, value: float) -> str:
        """A chart point's label: "week in progress" for the week not over yet (as on the goal page),
        else met / not met against the target, or "logged" without a target."""
        if on == self.in_progress_on:
            return "week in progress"
        met = self.meets(value)
        return "logged" if met is None else "met" if met else "not met"


@dataclass(frozen=True, slots=True)
class ShareSummary:
    """One share as the supporter reads it: the view (banner, message, sections) and its goals in words."""

    view: sharing.SharedView
    goals: tuple[GoalSummary, ...]
    #: The share's id for a supporter account (its chart images are served under it); None for a link.
    share_id: int | None = None


@dataclass
class ClientSection:
    """One client's live shares with this supporter."""

    client_name: str
    shares: list[ShareSummary] = field(default_factory=list)


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _target(spec: dict[str, Any]) -> tuple[float | None, tuple[float, float] | None, str]:
    """(single value, range, comparator) of a goal's target shape (goal.py, DRAFT.json)."""
    target = spec.get("target")
    direction = str(spec.get("direction") or "increase")
    default = "<=" if direction == "decrease" else ">="
    if isinstance(target, int | float):
        return float(target), None, default
    if isinstance(target, dict) and isinstance(target.get("value"), int | float):
        return float(target["value"]), None, str(target.get("comparator") or default)
    if isinstance(target, dict) and isinstance(target.get("low"), int | float):
        low = float(target["low"])
        high = target.get("high")
        return None, (low, float(high) if isinstance(high, int | float) else low), default
    return None, None, default


def _unit_words(metric: dict[str, Any], weekly: bool) -> str:
    """The words after a value: "walks a week", "calm", or for a proportion "% of targets met".

    A proportion's values are percentages (core.metric: 0-100), so a daily report card's 81.2 reads
    "81.2 % of targets met", as the card's own pages word it, never "81.2 targets met"; a percentage
    is not an amount per week, so it takes no "a week"."""
    words = value_unit(metric.get("kind"), metric.get("unit")) or ""
    if metric.get("kind") == "proportion" or not weekly:
        return words
    return f"{words} a week"


def _weekly(days: list[tuple[date, float]], today: date, counts: bool) -> list[tuple[date, float]]:
    """A weekly goal's calendar weeks up to ``today``, (Monday, value), as the goal page makes them
    (``analytics.summary.metric_summary``: ``aggregate.daily`` then ``aggregate.weekly``): Monday to
    Sunday, the total for counts and the mean of the days otherwise, weeks without an entry left out.
    The last week may still be in progress (its Sunday after ``today``)."""
    how: aggregate.How = "sum" if counts else "mean"
    points = aggregate.daily([Point(d, v) for d, v in days if d <= today], how=how)
    return [(w.monday, w.value) for w in aggregate.weekly(points, how=how)]


def _meets(value: float, single: float | None, band: tuple[float, float] | None, comparator: str) -> bool:
    if band is not None:
        return band[0] <= value <= band[1]
    assert single is not None
    return value <= single if comparator.startswith("<") else value >= single


def _trend_words(points: list[tuple[date, float]], direction: str) -> str:
    """Compare the mean of the last half of the points with the first half, in the goal's direction.

    For a weekly goal the points are complete calendar weeks only: a week in progress is not a
    week's total yet (the goal page and the forecast leave it out too)."""
    if len(points) < 4:
        return "There is not enough logged yet to see a direction."
    half = len(points) // 2
    before = sum(v for _, v in points[:half]) / half
    after = sum(v for _, v in points[half:]) / (len(points) - half)
    change = after - before
    if direction == "maintain":
        return ""  # whether it stays in its range is what counts, and the line before says so
    if abs(change) <= 0.05 * max(abs(before), 1.0):
        return "Over these weeks it has held steady."
    better = change > 0 if direction == "increase" else change < 0
    return (
        "Over these weeks it has been moving the right way."
        if better
        else "Over these weeks it has been harder."
    )


def summarise_goal(goal: dict[str, Any], today: date) -> GoalSummary:
    """A shared goal (``SharedView.goals`` item) in plain words for a supporter."""
    spec: dict[str, Any] = goal.get("spec") or {}
    metric = spec.get("metric") if isinstance(spec.get("metric"), dict) else {}
    assert isinstance(metric, dict)
    weekly = metric.get("period") == "week"
    per = _unit_words(metric, weekly)
    direction = str(spec.get("direction") or "increase")
    single, band, comparator = _target(spec)
    counts = metric.get("kind") in sharing.SUMMED_KINDS
    days = [(d, float(v)) for d, v in goal.get("daily") or []]
    points = _weekly(days, today, counts) if weekly else days
    # The week in progress is drawn (as the goal page draws it) but not judged: neither against the
    # target nor in the trend words, where a Monday's entry would read as a whole week's total.
    in_progress = points[-1][0] if weekly and points and points[-1][0] + _WEEK_END > today else None
    judged = [p for p in points if p[0] != in_progress]
    if band is not None:
        target_text = f"between {_number(band[0])} and {_number(band[1])} {per}".strip()
    elif single is not None:
        word = "at most" if comparator.startswith("<") else "at least"
        target_text = f"{word} {_number(single)} {per}".strip()
    else:
        target_text = "not set"
    met: bool | None = None
    if not points:
        now_text, progress = "nothing logged yet", "Nothing has been logged in the last months."
    else:
        # The same "now" as every page (analytics.now): for a weekly target the last full week
        # (Monday to Sunday) and the week in progress "so far", never the last 7 days as "this week".
        now = goal_now(
            [Point(d, v) for d, v in days], today, period="week" if weekly else "day", counts=counts
        )
        now_text = now.text(per or None)
        if now.value is not None and (single is not None or band is not None):
            met = _meets(now.value, single, band, comparator)
        lead = "The latest value meets the target. " if met else "The target is not reached yet. "
        progress = ((lead if met is not None else "") + _trend_words(judged, direction)).strip()
    deadline = spec.get("deadline_on")
    return GoalSummary(
        str(goal["title"]),
        _DIRECTION_WORDS.get(direction, direction),
        per,
        now_text,
        target_text,
        progress,
        date.fromisoformat(deadline) if isinstance(deadline, str) else None,
        tuple(points),
        single,
        met,
        comparator,
        band,
        in_progress,
    )


def summarise_share(view: sharing.SharedView, share_id: int | None = None) -> ShareSummary:
    """A share's view with each shared goal in plain words (the family dashboard and the share page),
    on the client's today when the share was opened (``SharedView.today``, their time zone)."""
    return ShareSummary(view, tuple(summarise_goal(g, view.today) for g in view.goals), share_id)


def family_view(ctx: Context, actor: Actor, *, now: datetime | None = None) -> list[ClientSection]:
    """Every live share addressed to the supporter ``actor``, grouped by client (by name), each goal
    summed up. Empty for anyone who is not a supporter account."""
    now = now or datetime.now(UTC)
    if actor.role != "supporter" or actor.user_id is None:
        return []
    with ctx.db.read() as conn:
        rows = conn.execute(
            select(shares.c.id, shares.c.client_id, clients.c.name)
            .join(clients, clients.c.id == shares.c.client_id)
            .where(shares.c.supporter_id == actor.user_id, shares.c.revoked_at.is_(None))
            .order_by(clients.c.name, shares.c.client_id, shares.c.id)
        ).all()
    sections: dict[int, ClientSection] = {}
    for row in rows:
        try:
            view = sharing.open_share_for_supporter(ctx, actor, int(row.id), now=now)
        except NotFound:  # expired between the two reads: not shown
            continue
        section = sections.setdefault(int(row.client_id), ClientSection(str(row.name)))
        section.shares.append(summarise_share(view, int(row.id)))
    return list(sections.values())
