"""The daily check-in on a phone, and the therapist's view of the client with charts."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.e2e.test_login_browser import _login
from tests.support.cast import make_cast
from tests.support.live_server import serve

from goalwise.config import Settings
from goalwise.core.accounts.actor import Actor
from goalwise.services.context import Context
from goalwise.services.measurement import assessments, checkins
from goalwise.storage.engine import Database
from goalwise.storage.tables import observations
from goalwise.web.app import create_app

pytestmark = pytest.mark.browser


def test_client_checks_in_from_a_phone_in_seconds(page: Any, sqlite_db: Database, settings: Settings) -> None:
    ctx = Context.open(settings, sqlite_db)
    make_cast(ctx)
    with serve(create_app(settings, sqlite_db)) as url:
        _login(page, url, "a@example.org")
        page.wait_for_url(url + "/dashboard")
        started = time.monotonic()
        page.get_by_role("link", name="Today's check-in").click()
        page.get_by_label("Mood (1 very low, 10 very good)").fill("6")
        page.get_by_label("Anxiety (1 calm, 10 very anxious)").fill("4")
        page.get_by_label("Sleep last night (hours)").fill("7.5")
        page.get_by_role("button", name="Save check-in").click()
        page.wait_for_url(url + "/dashboard*")
        assert "Check-in saved" in page.content()
        # The form itself takes seconds; the "under 30 seconds" is for a person, so this only
        # guards against a page that would make it impossible (a slow or many-step flow).
        assert time.monotonic() - started < 30
    with ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() == 3


def test_a_wrong_value_is_named_and_nothing_is_stored(
    page: Any, sqlite_db: Database, settings: Settings
) -> None:
    ctx = Context.open(settings, sqlite_db)
    make_cast(ctx)
    with serve(create_app(settings, sqlite_db)) as url:
        _login(page, url, "a@example.org")
        page.wait_for_url(url + "/dashboard")
        page.goto(url + page.get_by_role("link", name="Today's check-in").get_attribute("href"))
        page.evaluate("document.querySelector('input[name=mood]').removeAttribute('max')")
        page.get_by_label("Mood (1 very low, 10 very good)").fill("11")
        page.get_by_role("button", name="Save check-in").click()
        assert "mood" in page.locator("ul.problems").inner_text().lower()
        assert page.get_by_label("Mood (1 very low, 10 very good)").input_value() == "11"
    with ctx.db.read() as conn:
        assert conn.execute(select(func.count()).select_from(observations)).scalar_one() == 0


def test_therapist_sees_the_clients_charts(page: Any, sqlite_db: Database, settings: Settings) -> None:
    ctx = Context.open(settings, sqlite_db)
    cast = make_cast(ctx)
    a = cast.client_a.client_id
    assert a is not None
    now = datetime.now(UTC)
    for day in range(14):
        checkins.checkin(
            ctx, Actor.system(), a, mood=3 + day % 5, anxiety=7 - day % 3, at=now - timedelta(days=day)
        )
    for i, total in enumerate((15, 12, 9)):
        answers = [min(3, max(0, (total - j) // 9 + (1 if j < total % 9 else 0))) for j in range(9)]
        answers[8] = 0
        assessments.record(ctx, Actor.system(), a, "phq9", answers, at=now - timedelta(days=28 - 14 * i))
    with serve(create_app(settings, sqlite_db)) as url:
        _login(page, url, "t1@example.org")
        page.wait_for_url(url + "/dashboard")
        page.get_by_role("link", name="Client A").click()
        page.wait_for_url(url + f"/clients/{a}")
        images = page.locator("figure.chart img")
        assert images.count() >= 3  # mood, anxiety, PHQ-9
        for i in range(images.count()):  # charts load as the page scrolls to them
            images.nth(i).scroll_into_view_if_needed()
            images.nth(i).evaluate("img => img.decode()")
            assert images.nth(i).evaluate("img => img.naturalWidth > 0")
        assert "PHQ-9: " in page.locator("section.card").first.inner_text()
        page.screenshot(path=str(settings.data_dir.parent / "client.png"), full_page=True)
