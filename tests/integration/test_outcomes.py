"""Outcomes from stored questionnaires, with the thresholds from the settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from tests.support.cast import Cast

from goalwise.config import Settings
from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.progress.outcomes import client_outcomes
from goalwise.storage.tables import assessments


def _score(ctx: Context, client_id: int, code: str, total: float, days_ago: int) -> None:
    at = datetime.now(UTC) - timedelta(days=days_ago)
    with ctx.db.write() as conn:
        conn.execute(
            insert(assessments).values(
                client_id=client_id,
                instrument=code,
                answers=[],
                total=total,
                severity="",
                flags=[],
                prorated=False,
                at=at,
                local_on=at.date(),
                created_at=at,
            )
        )


def test_reliable_recovery_of_a_phq9_gad7_pair(ctx: Context, cast: Cast) -> None:
    a = cast.client_a.client_id
    assert a is not None
    # PHQ-9 16 -> 4: change -12 (>= 6 points: reliable), 4 < 5 remission, 12/16 = 75% >= 50% response.
    # GAD-7 12 -> 5: change -7 (>= 4: reliable); both below caseness (10, 8) at the end: recovery.
    _score(ctx, a, "phq9", 16, 60)
    _score(ctx, a, "gad7", 12, 60)
    _score(ctx, a, "phq9", 4, 1)
    _score(ctx, a, "gad7", 5, 1)
    result = client_outcomes(ctx, cast.therapist.actor, a)
    assert result.phq9 is not None and result.phq9.change == -12 and result.phq9.reliable_improvement
    assert result.phq9_response is True and result.phq9_remission is True
    assert result.pair is not None and result.pair.reliable_recovery is True


def test_thresholds_come_from_the_settings(ctx: Context, cast: Cast, settings: Settings) -> None:
    a = cast.client_a.client_id
    assert a is not None
    _score(ctx, a, "phq9", 12, 30)
    _score(ctx, a, "phq9", 7, 1)  # a fall of 5: not reliable at 6 points, reliable at 5
    assert client_outcomes(ctx, Actor.system(), a).phq9.reliable_improvement is False  # type: ignore[union-attr]
    strict = Context(ctx.db, settings.model_copy(update={"phq9_reliable_change": 5}), ctx.keys)
    assert client_outcomes(strict, Actor.system(), a).phq9.reliable_improvement is True  # type: ignore[union-attr]


def test_one_score_is_not_an_outcome(ctx: Context, cast: Cast) -> None:
    a = cast.client_a.client_id
    assert a is not None
    _score(ctx, a, "phq9", 12, 1)
    result = client_outcomes(ctx, cast.client_a.actor, a)
    assert result.phq9 is None and result.pair is None and result.phq9_response is None


def test_remission_needs_a_first_score_of_ten_or_more(ctx: Context, cast: Cast) -> None:
    a = cast.client_a.client_id
    assert a is not None
    _score(ctx, a, "phq9", 8, 30)  # below 10 at the start: outside the CMS159 denominator
    _score(ctx, a, "phq9", 3, 1)
    result = client_outcomes(ctx, cast.client_a.actor, a)
    assert result.phq9_remission is None and result.phq9_response is None


def test_a_prorated_4_5_is_counted_as_5_and_is_not_a_remission(ctx: Context, cast: Cast) -> None:
    a = cast.client_a.client_id
    assert a is not None
    _score(ctx, a, "phq9", 12, 40)
    _score(ctx, a, "phq9", 4.5, 1)
    with ctx.db.write() as conn:  # the latest was scored with a blank item: prorated
        conn.execute(assessments.update().where(assessments.c.total == 4.5).values(prorated=True))
    result = client_outcomes(ctx, cast.therapist.actor, a)
    assert result.phq9 is not None
    # counted 12 -> 5: change -7 (reliable at 6), 7/12 >= 50% response, 5 is not below 5
    assert result.phq9.latest_text == "4.5, prorated; counted as 5"
    assert result.phq9.change == -7 and result.phq9.reliable_improvement
    assert result.phq9_response is True and result.phq9_remission is False


def test_measure_windows_and_the_nhs_pair_from_stored_scores(ctx: Context, cast: Cast) -> None:
    a = cast.client_a.client_id
    assert a is not None
    # Index PHQ-9 16 about 200 days ago; 6 months later (±60 days) a 6 about 20 days ago:
    # (16 - 6)/16 = 62.5% response, 6 is no remission. The 12-month window has no score yet.
    _score(ctx, a, "phq9", 16, 200)
    _score(ctx, a, "gad7", 9, 200)
    _score(ctx, a, "phq9", 6, 20)
    _score(ctx, a, "gad7", 14, 20)
    result = client_outcomes(ctx, cast.therapist.actor, a)
    six, twelve = result.phq9_windows
    assert (six.score, six.response, six.remission) == (6, True, False)
    assert twelve.score is None and twelve.response is None and twelve.remission is None
    # Pairs on the same two days. PHQ-9 -10 (reliable improvement), GAD-7 +5 (reliable deterioration).
    assert result.nhs_pair is not None and result.nhs_pair.pairs == 2
    assert result.nhs_pair.label == "no reliable change"
    # PHQ-9 16 -> 6 crossed caseness 10 with a reliable fall: "recovered" on its own.
    assert (result.nhs_pair.phq9_category, result.nhs_pair.gad7_category) == ("recovered", "deteriorated")
