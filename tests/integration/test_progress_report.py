"""The progress report: its values, its PDF's text, the session summary, the CLI and the download."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import insert
from tests.support.cast import Cast

from goalwise.config import Settings
from goalwise.core.accounts.actor import Actor
from goalwise.core.errors import InvalidInput, NotFound
from goalwise.reports.pdf import report_html, report_pdf
from goalwise.services.accounts.encrypted_columns import context_for
from goalwise.services.clinic.demo import load_demo
from goalwise.services.context import Context
from goalwise.services.goals import goal_plans, goals, obstacles
from goalwise.services.measurement import assessments, observations
from goalwise.services.progress.report import progress_report
from goalwise.storage.engine import Database
from goalwise.storage.tables import reviews
from goalwise.web.app import create_app

END = date.today()
START = END - timedelta(weeks=12)
LAST = END - timedelta(days=2)
NOTES = "Keeps the walks going"
# PHQ-9 18 -> 9: a fall of 9 (6 or more is reliable), 50% of 18 (response), 9 is not below 5.
PHQ9_FIRST = [2, 2, 2, 2, 2, 2, 2, 2, 2]
PHQ9_LAST = [1, 1, 1, 1, 1, 1, 1, 1, 1]
# GAD-7 12 -> 10: a fall of 2, less than the 4 points of reliable change.
GAD7_FIRST = [2, 2, 2, 2, 2, 2, 0]
GAD7_LAST = [2, 2, 2, 2, 1, 1, 0]


Setup = tuple[Context, Cast, int]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 18, tzinfo=UTC)


def _flat(text: str) -> str:
    """PDF text without white space: text extraction splits words at kerning ("T arget")."""
    return re.sub(r"\s+", "", text)


def _pdf_text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture
def client_ctx(ctx: Context, cast: Cast) -> Setup:
    """Client A with a walking goal (baseline 1, target 3 walks a week), scores, a milestone,
    an obstacle and a review."""
    therapist = cast.therapist.actor
    client_id = cast.client_a.client_id
    assert client_id is not None
    draft = {
        "title": "Walk more",
        "behaviour": "Walk outside for 20 minutes or more, counted once per walk, logged in the evening.",
        "metric": {"kind": "count", "unit": "walks", "period": "week"},
        "direction": "increase",
        "baseline": {"value": 1, "source": "entered"},
        "target": {"value": 3, "comparator": ">="},
        "start_on": START.isoformat(),
        "deadline_on": (END + timedelta(weeks=4)).isoformat(),
        "review_every_weeks": 4,
    }
    goal = goals.create(ctx, therapist, client_id, draft, activate=True)
    assert goal.metric_key is not None
    for week in range(12):
        for walk in range(1 + week // 4):
            observations.log(
                ctx,
                therapist,
                client_id,
                goal.metric_key,
                1,
                at=_at(START + timedelta(weeks=week, days=walk)),
            )
    for day, phq, gad in ((START, PHQ9_FIRST, GAD7_FIRST), (LAST, PHQ9_LAST, GAD7_LAST)):
        assessments.record(ctx, therapist, client_id, "phq9", phq, at=_at(day))
        assessments.record(ctx, therapist, client_id, "gad7", gad, at=_at(day))
    item = goal_plans.add_item(ctx, therapist, goal.id, title="Walk to the park gate", kind="milestone")
    goal_plans.mark_done(ctx, therapist, item.id, at=_at(START + timedelta(days=20)))
    obstacles.log(ctx, therapist, goal.id, "procrastination", "time_bound")
    with ctx.db.write() as conn:
        for number, weeks, t_score in ((1, 2, 45.0), (2, 4, 53.4)):
            conn.execute(
                insert(reviews).values(
                    client_id=client_id,
                    number=number,
                    kind="goals",
                    held_on=START + timedelta(weeks=weeks),
                    t_score=t_score,
                    notes_enc=ctx.keys.encrypt(NOTES, context=context_for("reviews", "notes_enc")),
                    created_by="test",
                    created_at=datetime.now(UTC),
                )
            )
    return ctx, cast, client_id


def test_report_gathers_goals_outcomes_milestones_obstacles_and_the_last_review(client_ctx: Setup) -> None:
    ctx, cast, client_id = client_ctx
    report = progress_report(ctx, cast.therapist.actor, client_id, start=START, end=END)
    assert report.client_name == "Client A" and report.therapists
    (goal,) = report.goals
    assert (goal.title, goal.baseline, goal.target, goal.comparator, goal.unit) == (
        "Walk more",
        1,
        3,
        ">=",
        "walks",
    )
    assert goal.milestones_done[0].title == "Walk to the park gate"
    assert goal.analysis is not None and goal.analysis.labelled  # charted from the period's start only
    assert min(on for on, _, _ in goal.analysis.labelled) >= START
    assert all(on >= START for on in goal.analysis.review_dates)
    assert goal.obstacles[0].obstacle and goal.obstacles[0].strategy
    phq, gad = report.outcomes
    assert (phq.instrument, phq.first, phq.latest, phq.change, phq.verdict) == (
        "PHQ-9",
        18,
        9,
        -9,
        "reliable improvement",
    )
    assert (gad.instrument, gad.first, gad.latest, gad.verdict) == ("GAD-7", 12, 10, "no reliable change")
    assert report.phq9_response is True and report.phq9_remission is False
    assert report.last_review is not None
    assert (report.last_review.t_score, report.last_review.notes) == (53.4, "Keeps the walks going")
    assert [score for _, score, _ in report.t_scores] == [45.0, 53.4]


def test_pdf_text_names_the_client_goals_and_reliable_change(client_ctx: Setup) -> None:
    ctx, cast, client_id = client_ctx
    text, pages = _pdf_text(
        report_pdf(progress_report(ctx, cast.therapist.actor, client_id, start=START, end=END))
    )
    flat = _flat(text)
    for expected in (
        "Progress report: Client A",
        f"Period: {START} to {END}",
        "Walk more 1",  # the goals table row starts with the baseline
        ">= 3 walks",
        f"PHQ-9: 18 on {START}, 9 on {LAST} (change -9 points): reliable improvement",
        f"GAD-7: 12 on {START}, 10 on {LAST} (change -2 points): no reliable change",
        "PHQ-9 response (a fall of 50% or more from a first score of 10 or more): yes",
        "Goal Attainment Scaling T-score 53.4",
        "Keeps the walks going",
        f"Walk more: Walk to the park gate ({START + timedelta(days=20)})",
        "Goal attainment over reviews (GAS T-score)",
    ):
        assert _flat(expected) in flat, expected
    assert pages >= 2  # charts follow the tables


def test_session_summary_has_no_charts_and_fits_on_two_pages(client_ctx: Setup) -> None:
    ctx, cast, client_id = client_ctx
    report = progress_report(ctx, cast.client_a.actor, client_id, start=START, end=END, summary=True)
    assert report.instruments == () and all(g.analysis is None for g in report.goals)
    text, pages = _pdf_text(report_pdf(report))
    assert pages <= 2
    assert _flat("Session summary: Client A") in _flat(text)
    assert "<img" not in report_html(report)


def test_report_is_only_for_those_who_may_read_the_record(client_ctx: Setup) -> None:
    ctx, cast, client_id = client_ctx
    for person in (cast.other_therapist, cast.client_b, cast.supporter):
        with pytest.raises(NotFound):
            progress_report(ctx, person.actor, client_id)
    with pytest.raises(InvalidInput) as info:
        progress_report(ctx, cast.therapist.actor, client_id, start=END, end=START)
    assert info.value.problems[0].code == "report-period"


def test_download_route_serves_the_pdf_to_the_client_and_their_therapist(
    client_ctx: Setup, settings: Settings
) -> None:
    ctx, cast, client_id = client_ctx
    with TestClient(create_app(settings, ctx.db)) as web:
        url = f"/clients/{client_id}/report.pdf?from={START}&to={END}&summary=true"
        response = web.get(url, headers=cast.client_a.headers)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["cache-control"] == "no-store"
        assert "attachment" in response.headers["content-disposition"]
        assert _flat("Client A") in _flat(_pdf_text(response.content)[0])
        assert web.get(url, headers=cast.other_therapist.headers).status_code == 404
        page = web.get(f"/clients/{client_id}", headers=cast.therapist.headers).text
        assert f'href="/clients/{client_id}/report.pdf"' in page


def test_report_command_writes_a_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from goalwise.cli.main import main

    assert main(["db", "upgrade"]) == 0
    assert main(["demo", "--clients", "2", "--days", "60", "--end-on", "2026-06-30"]) == 0
    out = tmp_path / "report.pdf"
    assert main(["report", "--client", "1", "--to", "2026-06-30", "--summary", "-o", str(out)]) == 0
    assert "session summary" in capsys.readouterr().err
    text, pages = _pdf_text(out.read_bytes())
    assert "PHQ-9" in text and pages <= 2
    assert main(["report", "--client", "1", "--from", "2026-13-01", "-o", str(out)]) == 1


def test_a_year_of_data_reports_both_questionnaires(sqlite_db: Database, settings: Settings) -> None:
    """A year of demo data renders to a PDF. Its speed is measured by ``make bench`` (``report``),
    against a floor in the same run, not here: timings on a shared machine are not pass or fail."""
    ctx = Context.open(settings, sqlite_db)
    load_demo(ctx, Actor.system(), n_clients=2, days=365, seed=7, end_on=date(2026, 6, 30))
    report_pdf(progress_report(ctx, Actor.system(), 1, summary=True))
    for client_id in (1, 2):
        report = progress_report(
            ctx, Actor.system(), client_id, start=date(2025, 7, 1), end=date(2026, 6, 30)
        )
        pdf = report_pdf(report)
        assert len(report.instruments) == 2 and pdf.startswith(b"%PDF")
