"""Sudden gains on a client's questionnaire scores count therapy sessions by their numbers."""

from __future__ import annotations

from tests.support.cast import Cast

from goalwise.services.context import Context
from goalwise.services.measurement import assessments
from goalwise.services.progress.progress import analyse_metric


def _answers(total: int) -> list[int]:
    """PHQ-9 answers with this total and item 9 at 0 (items 1-8 filled up to 3 each)."""
    items = [min(3, max(0, total - 3 * i)) for i in range(8)]
    return [*items, 0]


def _record(ctx: Context, cast: Cast, by_session: dict[int, int]) -> None:
    a = cast.client_a
    for session, total in by_session.items():
        assessments.record(ctx, a.actor, a.client_id, "phq9", _answers(total), session_no=session)


def test_a_session_without_a_score_is_a_gap_no_sudden_gain_spans(ctx: Context, cast: Cast) -> None:
    # Sessions 1, 2, 3, 5, 6, 7 (session 4 not scored): 18, 17, 18, 10, 9, 8. By position 18 -> 10
    # would be a gain (Tang & DeRubeis criteria: 8 >= 6, 8 >= 4.5, 8.67 > 2.776 * 0.816); by
    # session number 3 -> 5 is not between consecutive sessions.
    _record(ctx, cast, {1: 18, 2: 17, 3: 18, 5: 10, 6: 9, 7: 8})
    analysis = analyse_metric(ctx, cast.therapist.actor, cast.client_a.client_id, "phq9")
    assert analysis.sudden_gains == []


def test_consecutive_sessions_give_the_gain_and_the_chart_point_after_it(ctx: Context, cast: Cast) -> None:
    _record(ctx, cast, {1: 18, 2: 17, 3: 18, 4: 10, 5: 9, 6: 8})
    (gain,) = analyse_metric(ctx, cast.therapist.actor, cast.client_a.client_id, "phq9").sudden_gains
    assert (gain.session, gain.pre, gain.post, gain.post_index) == (3, 18.0, 10.0, 3)
