"""The client's records page: ABC entries with the summary by behaviour and time of day, episodes,
shared journal entries only, sessions and phases, and starting a phase from it (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.support.cast import Cast

from goalwise.services.context import Context
from goalwise.services.measurement import abc, episodes, journal, therapy_sessions
from goalwise.storage.tables import phases

LONDON = ZoneInfo("Europe/London")  # Client A's time zone


def _at(days_ago: int, hour: int) -> datetime:
    day = (datetime.now(LONDON) - timedelta(days=days_ago)).date()
    return datetime(day.year, day.month, day.day, hour, 15, tzinfo=LONDON).astimezone(UTC)


def _fill(ctx: Context, cast: Cast) -> int:
    a, actor = cast.client_a.client_id, cast.client_a.actor
    assert a is not None
    for days_ago, hour, before in ((1, 8, "Crowded bus"), (2, 8, "crowded bus"), (3, 20, "Argument at home")):
        abc.add_entry(
            ctx,
            actor,
            a,
            antecedent=before,
            behaviour="Left early",
            consequence="Felt relief",
            at=_at(days_ago, hour),
        )
    abc.add_entry(
        ctx, actor, a, antecedent="Email", behaviour="Checked twice", consequence="Late", at=_at(1, 14)
    )
    episodes.add_episode(ctx, actor, a, at=_at(2, 9), intensity=7, situation="Queue at the bank")
    journal.add_entry(ctx, actor, a, "Shared-marker: a calmer week", private=False, at=_at(1, 21))
    journal.add_entry(ctx, actor, a, "Private-marker: not for anyone", private=True, at=_at(1, 22))
    week_ago = (datetime.now(LONDON) - timedelta(days=7)).date()
    therapy_sessions.add_session(ctx, cast.therapist.actor, a, week_ago, instruments_given=["phq9", "gad7"])
    return a


def test_records_show_the_abc_summary_by_behaviour_and_time_of_day(
    api: TestClient, ctx: Context, cast: Cast
) -> None:
    a = _fill(ctx, cast)
    page = api.get(f"/clients/{a}/records", headers=cast.therapist.headers)
    assert page.status_code == 200
    summary = page.text.split('class="abc-summary"', 1)[1].split("</table>", 1)[0]
    row = summary.split("Left early</th>", 1)[1].split("</tr>", 1)[0]
    cells = [c.split("</td>")[0] for c in row.split("<td>")[1:]]
    # 3 times; "Crowded bus" twice (case folded), once "Argument at home"; night, morning, afternoon, evening.
    assert cells[0] == "3" and "rowded bus (2)" in cells[1] and "Argument at home (1)" in cells[1]
    assert "Felt relief (3)" in cells[2]
    assert cells[3:] == ["0", "2", "0", "1"]
    assert "Queue at the bank" in page.text
    sessions = page.text.split('id="sessions-h"', 1)[1].split("</section>", 1)[0]
    assert "PHQ-9, GAD-7" in sessions and "PHQ9" not in page.text, sessions  # one way of writing PHQ-9
    assert "Shared-marker" in page.text and "Private-marker" not in page.text
    assert "Europe/London" in page.text
    own = api.get(f"/clients/{a}/records", headers=cast.client_a.headers)
    assert "Private-marker" in own.text  # the client sees their own private entries
    assert api.get(f"/clients/{a}/records", headers=cast.other_therapist.headers).status_code == 404


def test_records_days_out_of_range_is_422(api: TestClient, cast: Cast) -> None:
    url = f"/clients/{cast.client_a.client_id}/records"
    for days in ("3", "99999", "ninety"):
        assert api.get(f"{url}?days={days}", headers=cast.therapist.headers).status_code == 422


def test_starting_a_phase_from_the_records_page(api: TestClient, ctx: Context, cast: Cast) -> None:
    a = cast.client_a.client_id
    url = f"/clients/{a}/phases"
    done = api.post(
        url, headers=cast.therapist.headers, data={"name": "Exposure practice"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"].startswith(f"/clients/{a}/records")
    with ctx.db.read() as conn:
        row = conn.execute(select(phases).where(phases.c.client_id == a)).one()
    assert row.name == "Exposure practice" and row.kind == "intervention"
    assert "Exposure practice" in api.get(f"/clients/{a}/records", headers=cast.therapist.headers).text
    again = api.post(url, headers=cast.therapist.headers, data={"name": "Second", "start_on": "31-01-2026"})
    assert again.status_code == 422 and 'id="start_on-error"' in again.text and 'value="Second"' in again.text
    clash = api.post(url, headers=cast.therapist.headers, data={"name": "Same day"})
    assert clash.status_code == 422 and "already starts" in clash.text
    blank = api.post(url, headers=cast.therapist.headers, data={"name": " "})
    assert blank.status_code == 422 and 'id="name-error"' in blank.text
    with ctx.db.read() as conn:
        assert len(conn.execute(select(phases).where(phases.c.client_id == a)).all()) == 1
