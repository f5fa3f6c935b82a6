"""The client's own pages on a phone (issue 14): Today, a goal's page, logging, and a check-in by
keyboard alone. Each page is checked at 360 px for horizontal scrolling and 44 px touch targets;
screenshots at 390 px and 1280 px are saved under tests/e2e/artifacts/ for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from tests.e2e.test_login_browser import _login
from tests.support.cast import Cast, make_cast
from tests.support.clock import shift_clock
from tests.support.live_server import serve

from goalwise.config import Settings
from goalwise.services.context import Context
from goalwise.services.goals import goal_plans, goals
from goalwise.services.progress.progress import local_today
from goalwise.storage.engine import Database
from goalwise.storage.tables import abc_entries, journal_entries, observations, plan_items
from goalwise.web.app import create_app

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts"
PHONE = {"width": 390, "height": 844}
NARROW = 360
# Links, buttons and disclosure toggles a finger taps; the skip link is off screen until focused.
TARGETS = "a:not(.skip), button, summary"


def _screenshots(browser: Any, url: str, page: Any, name: str) -> None:
    """Save the current page at 390 px and 1280 px wide (same session, same state)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)


def _check_phone_layout(page: Any) -> None:
    """At 360 px: no horizontal scrolling, and every visible tap target at least 44 px high and wide."""
    # Called right after a click on a link: measure the page it opened, not one still being replaced.
    page.wait_for_load_state("load")
    page.set_viewport_size({"width": NARROW, "height": 780})
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW, page.url
    small = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, r]) => r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden')
            .filter(([e, r]) => r.height < 44 || r.width < 44)
            .map(([e, r]) => `${e.tagName} "${e.textContent.trim().slice(0, 40)}" ${r.width}x${r.height}`)""",
        TARGETS,
    )
    assert small == [], f"{page.url}: tap targets under 44 px: {small}"
    page.set_viewport_size(PHONE)


@pytest.fixture
def site(
    sqlite_db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Cast, Context, Any]]:
    ctx = Context.open(settings, sqlite_db)
    cast = make_cast(ctx)
    app = create_app(settings, sqlite_db)
    app.openapi()  # built (and cached) now: FastAPI reads route annotations naming ``datetime``
    clock = shift_clock(monkeypatch)  # after the app is built, so every module it loaded is patched
    with serve(app) as url:
        yield url, cast, ctx, clock


def _walking_goal(ctx: Context, cast: Cast) -> tuple[int, int]:
    """An active goal of client A (walks a week) with a plan step; returns (goal id, step id)."""
    client_id = cast.client_a.client_id
    assert client_id is not None
    start = local_today("UTC")
    draft = {
        "title": "Walk outside more",
        "behaviour": "Walk outside for 20 minutes or more, counted once per walk, logged in the evening.",
        "metric": {"kind": "count", "unit": "walks", "period": "week"},
        "direction": "increase",
        "baseline": {"value": 1, "source": "entered"},
        "target": {"value": 3, "comparator": ">="},
        "start_on": start.isoformat(),
        "deadline_on": (start + timedelta(weeks=8)).isoformat(),
        "review_every_weeks": 4,
    }
    goal = goals.create(ctx, cast.therapist.actor, client_id, draft, activate=True)
    step = goal_plans.add_item(ctx, cast.therapist.actor, goal.id, title="Put my walking shoes by the door")
    return goal.id, step.id


def test_a_new_client_checks_in_every_day_for_a_week_and_sees_a_small_win(
    browser: Any, site: tuple[str, Cast, Context, Any]
) -> None:
    url, _, ctx, clock = site
    for day in range(7):
        if day:
            clock.advance(timedelta(days=1))
        context = browser.new_context(viewport=PHONE)  # a new day, a fresh log-in
        page = context.new_page()
        _login(page, url, "a@example.org")
        page.wait_for_url(url + "/dashboard")
        if day == 0:
            expect(page.locator(".wins")).to_have_count(0)  # nothing to celebrate before the first check-in
            _check_phone_layout(page)
        page.get_by_role("link", name="Today's check-in").click()
        page.get_by_label("Mood (1 very low, 10 very good)").fill(str(4 + day % 3))
        page.get_by_role("button", name="Save check-in").click()
        page.wait_for_url(url + "/dashboard*")
        assert "Check-in saved" in page.content(), page.inner_text("main")[:3000]
        assert "You've checked in today" in page.content()
        if day < 6:
            context.close()
    wins = page.locator("section.wins")
    assert "7 days in a row" in wins.inner_text()
    _screenshots(browser, url, page, "today-after-a-week")
    context.close()
    with ctx.db.read() as conn:
        days = set(conn.execute(select(observations.c.local_on)).scalars())
    assert len(days) == 7  # one check-in on each of seven different days


def test_client_opens_a_goal_ticks_the_next_step_and_logs_yesterday(
    page: Any, browser: Any, site: tuple[str, Cast, Context, Any]
) -> None:
    url, cast, ctx, _ = site
    goal_id, step_id = _walking_goal(ctx, cast)
    _login(page, url, "a@example.org")
    page.wait_for_url(url + "/dashboard")
    card = page.locator("article.goal-card")
    assert "Put my walking shoes by the door" in card.inner_text()
    assert "at least 3 walks a week" in card.inner_text()
    expect(card.locator("img")).to_have_count(0)  # no values yet: no empty chart, the words say so
    _screenshots(browser, url, page, "today-with-a-goal")
    page.get_by_role("link", name="Walk outside more").click()
    page.wait_for_url(url + f"/my/goals/{goal_id}")
    _check_phone_layout(page)
    page.get_by_role("button", name="Mark done: Put my walking shoes by the door").click()
    page.wait_for_url(url + f"/my/goals/{goal_id}*")
    assert "Step ticked off" in page.content()
    with ctx.db.read() as conn:
        assert (
            conn.execute(select(plan_items.c.done_at).where(plan_items.c.id == step_id)).scalar() is not None
        )

    page.get_by_role("link", name="Log a value").click()
    yesterday = local_today("UTC") - timedelta(days=1)
    page.get_by_label("Day").fill(yesterday.isoformat())
    page.get_by_label("Value").fill("2")
    page.get_by_role("button", name="Save value").click()
    page.wait_for_url(url + f"/my/goals/{goal_id}*")
    assert "Value saved" in page.content()
    assert page.locator("figure.chart img").evaluate("img => img.naturalWidth > 0")
    _screenshots(browser, url, page, "goal-page")
    page.goto(url + "/dashboard")
    spark = page.locator("article.goal-card img.spark")
    spark.scroll_into_view_if_needed()
    assert spark.evaluate("img => img.complete && img.naturalWidth > 0")
    with ctx.db.read() as conn:
        rows = conn.execute(select(observations.c.local_on, observations.c.value)).all()
    assert [(r.local_on, r.value) for r in rows] == [(yesterday, 2.0)]


def test_client_writes_an_abc_entry_and_a_journal_entry_on_a_phone(
    page: Any, browser: Any, site: tuple[str, Cast, Context, Any]
) -> None:
    url, _, ctx, _ = site
    _login(page, url, "a@example.org")
    page.wait_for_url(url + "/dashboard")
    page.get_by_role("link", name="An ABC entry").click()
    page.wait_for_url(url + "/my/abc*")
    _check_phone_layout(page)
    page.get_by_label("A: what happened just before?").fill("Email from my manager")
    page.get_by_label("B: what did you do?").fill("Put off answering it")
    page.get_by_label("C: what happened after?").fill("Relief, then worry in the evening")
    page.get_by_label("How strong, 1 to 10 (optional)").fill("6")
    page.get_by_role("button", name="Save ABC entry").click()
    page.wait_for_url(url + "/my/abc*")
    assert "ABC entry saved" in page.content()
    assert "Put off answering it" in page.locator("article.entry").first.inner_text()
    _screenshots(browser, url, page, "abc")

    page.goto(url + "/dashboard")
    page.get_by_role("link", name="My journal").click()
    page.wait_for_url(url + "/my/journal*")
    _check_phone_layout(page)
    page.get_by_label("Today's entry").fill("A calmer day. The walk helped.")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(url + "/my/journal*")
    entry = page.locator("article.entry").first.inner_text()
    assert "A calmer day" in entry and "private" in entry  # private unless the client shares it
    page.get_by_label("Today's entry").fill("Something I'd like to talk about.")
    page.get_by_label("Share this entry with my therapist").check()
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(url + "/my/journal*")
    assert "shared with your therapist" in page.locator("article.entry").first.inner_text()
    _screenshots(browser, url, page, "journal")
    with ctx.db.read() as conn:
        assert conn.execute(select(abc_entries.c.intensity)).scalars().all() == [6]
        assert conn.execute(
            select(journal_entries.c.private).order_by(journal_entries.c.id)
        ).scalars().all() == [
            True,
            False,
        ]


def _tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_check_in_completed_with_the_keyboard_alone(
    page: Any, site: tuple[str, Cast, Context, Any]
) -> None:
    url, _, ctx, _ = site
    _login(page, url, "a@example.org")
    page.wait_for_url(url + "/dashboard")
    _tab_to(page, "a[href$='/checkin']")
    page.keyboard.press("Enter")
    page.wait_for_url(url + "/clients/*/checkin")
    _tab_to(page, "input[name=mood]")
    page.keyboard.type("7")
    page.keyboard.press("Tab")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("8")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(url + "/dashboard*")
    assert "Check-in saved" in page.content()
    with ctx.db.read() as conn:
        assert sorted(conn.execute(select(observations.c.value)).scalars()) == [3.0, 7.0, 8.0]


def test_client_proposes_a_goal_in_their_own_words_with_smart_guidance(
    page: Any, browser: Any, site: tuple[str, Cast, Context, Any]
) -> None:
    url, cast, ctx, _ = site
    _login(page, url, "a@example.org")
    page.wait_for_url(url + "/dashboard")
    page.get_by_role("link", name="Propose a goal").click()
    page.get_by_label("What would you like to change?").fill("I want to feel better and sleep more")
    page.get_by_role("button", name="Get guidance").click()
    guidance = page.locator("section.guidance").inner_text()
    assert "cannot be observed or counted" in guidance  # the SMART check a therapist sees too
    _check_phone_layout(page)
    _screenshots(browser, url, page, "propose")
    page.get_by_role("button", name="Send to my therapist").click()
    page.wait_for_url(url + "/dashboard*")
    assert "sent to your therapist as a proposal" in page.content()
    assert cast.client_a.client_id is not None
    proposed = goals.list_goals(ctx, cast.therapist.actor, cast.client_a.client_id, status="proposed")
    assert [g.spec.get("behaviour") for g in proposed] == ["I want to feel better and sleep more"]


def test_every_client_page_fits_a_360_pixel_phone(page: Any, site: tuple[str, Cast, Context, Any]) -> None:
    url, cast, ctx, _ = site
    goal_id, _ = _walking_goal(ctx, cast)
    client_id = cast.client_a.client_id
    _login(page, url, "a@example.org")
    page.wait_for_url(url + "/dashboard")
    for path in (
        "/dashboard",
        f"/my/goals/{goal_id}",
        "/my/log",
        "/my/abc",
        "/my/episodes",
        "/my/journal",
        "/my/propose",
        f"/clients/{client_id}/checkin",
        f"/clients/{client_id}/assess/phq9",
    ):
        page.goto(url + path)
        _check_phone_layout(page)
