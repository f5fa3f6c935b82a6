"""End to end: a PHQ-9 with item 9 = 1 shows crisis resources at once and leaves an alert on the
therapist's caseload until the therapist acknowledges it with a note (issue: Measurement)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from tests.e2e.test_login_browser import _login
from tests.support.cast import Cast, make_cast
from tests.support.live_server import serve

from goalwise.config import Settings
from goalwise.services.context import Context
from goalwise.storage.engine import Database
from goalwise.storage.tables import alerts, audit_events
from goalwise.web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sqlite_db: Database, settings: Settings) -> Iterator[tuple[str, Cast, Context]]:
    ctx = Context.open(settings, sqlite_db)
    cast = make_cast(ctx)
    with serve(create_app(settings, sqlite_db)) as url:
        yield url, cast, ctx


def test_item9_shows_crisis_resources_and_alerts_the_therapist(
    browser: Any, site: tuple[str, Cast, Context]
) -> None:
    url, cast, ctx = site
    client = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _login(client, url, "a@example.org")
    client.wait_for_url(url + "/dashboard")
    client.get_by_role("link", name="Patient Health Questionnaire-9").click()
    client.wait_for_load_state()  # the page the click opened, before reading it whole
    assert "Little interest or pleasure in doing things" in client.content()
    for item in range(1, 10):
        score = "1" if item == 9 else "0"
        client.locator(f'input[name="item{item}"][value="{score}"]').check()
    client.get_by_role("button", name="Submit answers").click()
    crisis = client.locator("section.crisis")
    expect(crisis).to_be_visible()
    # The crisis text for the client's place (Client A lives in Europe/London), shown at once.
    assert "If you are thinking about harming yourself" in crisis.inner_text()
    assert "does not diagnose" in client.content()
    client.context.close()

    therapist = browser.new_context().new_page()
    _login(therapist, url, "t1@example.org")
    therapist.wait_for_url(url + "/dashboard")
    alert_box = therapist.locator("section.crisis-list")
    assert "Client A" in alert_box.inner_text() and "PHQ-9 item 9" in alert_box.inner_text()
    therapist.get_by_label("Note").fill("Called the client; safety plan reviewed.")
    therapist.get_by_role("button", name="Acknowledge").click()
    therapist.wait_for_url(url + "/dashboard*")
    # The caseload was already the page shown: wait for the reloaded one to drop the alert.
    expect(therapist.locator("section.crisis-list")).to_have_count(0)
    therapist.context.close()

    with ctx.db.read() as conn:
        row = conn.execute(select(alerts)).one()
        assert row.acknowledged_by == cast.therapist.user_id and row.acknowledged_at is not None
        assert b"safety plan" not in bytes(row.note_enc)  # the note is encrypted at rest
        assert conn.execute(select(audit_events).where(audit_events.c.object_type == "alert")).first()
