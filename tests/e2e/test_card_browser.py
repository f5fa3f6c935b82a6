"""The daily report card journey in the browser (issue 16): a therapist makes a card and invites a teacher;
the teacher rates the day on a phone-sized screen; the parent's home report shows the day's percentage
and the reward reached.

Screenshots at 390 px (phone) and 1280 px (desk) go to tests/e2e/artifacts/cards/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from tests.e2e.test_login_browser import _login
from tests.support.cast import Cast, make_cast
from tests.support.live_server import serve

from goalwise.config import Settings
from goalwise.services.cards import cards
from goalwise.services.context import Context
from goalwise.services.sharing import sharing
from goalwise.storage.engine import Database
from goalwise.web.app import create_app

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "artifacts" / "cards"
WIDTHS = (390, 1280)


@pytest.fixture
def site(sqlite_db: Database, settings: Settings) -> Iterator[tuple[str, Cast, Context]]:
    ctx = Context.open(settings, sqlite_db)
    cast = make_cast(ctx)
    with serve(create_app(settings, sqlite_db)) as url:
        yield url, cast, ctx


def _shoot(browser: Any, url: str, name: str, email: str | None = None) -> None:
    """Screenshots of ``url`` at each width, logged in as ``email`` (or not logged in)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    for width in WIDTHS:
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        if email:
            _login(page, base, email)
            page.wait_for_url(base + "/dashboard")
        page.goto(url)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        page.context.close()


def _therapist_makes_a_card(browser: Any, url: str, client_id: int) -> tuple[str, str]:
    """The therapist's part: the card page's address and the teacher's link path."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    _login(page, url, "t1@example.org")
    page.wait_for_url(url + "/dashboard")
    page.goto(f"{url}/clients/{client_id}")
    page.get_by_role("link", name="Daily report cards").click()
    page.get_by_label("Title").fill("Sam's school day")
    page.get_by_label("Goal: % of targets met on a day").fill("75")
    page.locator("#t1-text").fill("Follows directions")
    page.locator("#t1-criterion").fill("with 3 or fewer reminders")
    page.locator("#t2-text").fill("Starts work")
    page.locator("#t2-criterion").fill("within 2 minutes of the task")
    page.locator("#t3-text").fill("Keeps hands to self")
    page.locator("#r1-text").fill("15 minutes of games")
    page.locator("#r2-text").fill("A trip to the park")
    page.locator("#r3-text").fill("Choose dinner")
    page.get_by_role("button", name="Make the card").click()
    page.wait_for_url(re.compile(r".*/cards/\d+\?notice=card-made"))
    card_page = page.url.split("?")[0]
    expect(page.get_by_role("heading", name="Sam's school day")).to_be_visible()
    page.get_by_label("Name").fill("Ms Patel")
    page.get_by_label("Email (optional)").fill("patel@school.example")
    page.get_by_role("button", name="Make a private link").click()
    link = page.locator("code.copy").inner_text()
    assert "/rate/" in link and link.startswith("http")
    page.context.close()
    return card_page, urlsplit(link).path


def test_a_teacher_rates_the_day_and_the_parent_sees_it(
    browser: Any, site: tuple[str, Cast, Context]
) -> None:
    url, cast, ctx = site
    assert cast.client_a.client_id is not None
    card_page, rate_path = _therapist_makes_a_card(browser, url, cast.client_a.client_id)

    # The teacher, on a phone, with no account: rate today from the private link.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    phone.goto(url + rate_path)
    expect(phone.get_by_role("heading", name="Sam's school day")).to_be_visible()
    assert "Client A" not in phone.content()
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "rate-empty-390.png"), full_page=True)
    targets = phone.locator("fieldset.rate-target")
    targets.nth(0).get_by_label("Yes").check()
    targets.nth(1).get_by_label("Yes").check()
    targets.nth(2).get_by_label("No").check()
    phone.get_by_label("Comment for home (optional)").fill("Settled quickly after lunch.")
    phone.get_by_role("button", name="Save the day").click()
    expect(phone.get_by_text("Thank you: the day is rated.")).to_be_visible()
    expect(phone.get_by_text("66.7 % of targets met")).to_be_visible()
    phone.screenshot(path=str(SHOTS / "rate-done-390.png"), full_page=True)
    box = phone.get_by_role("button", name="Save the day").bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390  # nothing runs off a phone's screen
    phone.context.close()
    _shoot(browser, url + rate_path, "rate")

    # The client shares the card's goal with a parent; the parent's home report shows the day.
    goal_id = cards.list_cards(ctx, cast.therapist.actor, cast.client_a.client_id)[0].goal_id
    _, token = sharing.create_share(
        ctx, cast.client_a.actor, label="Mum", sections=["goals"], goal_ids=[goal_id]
    )
    parent = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    parent.goto(f"{url}/s/{token}")
    parent.get_by_role("link", name=re.compile("Daily report card")).click()
    parent.wait_for_url(f"{url}/s/{token}/card")
    latest = parent.locator(".home-latest")
    assert "66.7 %" in latest.inner_text() and "A trip to the park" not in latest.inner_text()
    assert "15 minutes of games" in latest.inner_text()
    expect(parent.locator(".card-day.day-not-met")).to_have_count(1)  # 66.7 % is below the goal of 75 %
    expect(parent.get_by_text("Settled quickly after lunch.")).to_be_visible()
    parent.context.close()
    _shoot(browser, f"{url}/s/{token}/card", "home")
    _shoot(browser, card_page, "card", "t1@example.org")
    _shoot(browser, f"{url}/clients/{cast.client_a.client_id}/cards", "cards", "t1@example.org")
