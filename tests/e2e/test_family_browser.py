"""End to end in Chromium: crisis lines for the client's own country, and the supporter's family page.

(4) A client in Europe/London answers PHQ-9 with item 9 = 1: the UK lines appear (Samaritans, 999; not
988), the result page offers the history, and the therapist sees the alert. (5) A client shares one of
two goals with a supporter account; the supporter sees only that goal on the family dashboard; the
client revokes; the supporter is refused. Screenshots at 390 px and 1280 px go to tests/e2e/artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from tests.e2e.test_login_browser import _login
from tests.support.cast import Cast, make_cast
from tests.support.live_server import serve
from tests.support.walk_goal import insert_walk_goal

from goalwise.config import Settings
from goalwise.services.context import Context
from goalwise.storage.engine import Database
from goalwise.storage.tables import shares
from goalwise.web.app import create_app

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).parent / "artifacts" / "family"
PHONE = {"width": 390, "height": 844}
NARROW = 360
# An image drawn on the server: wait for it to load, then check it has a size (false if it failed).
LOADED = """img => img.complete ? img.naturalWidth > 0 : new Promise(done => {
    img.addEventListener('load', () => done(img.naturalWidth > 0));
    img.addEventListener('error', () => done(false));
})"""


@pytest.fixture
def site(sqlite_db: Database, settings: Settings) -> Iterator[tuple[str, Cast, Context]]:
    ctx = Context.open(settings, sqlite_db)
    cast = make_cast(ctx)
    with serve(create_app(settings, sqlite_db)) as url:
        yield url, cast, ctx


def _shots(page: Any, name: str) -> None:
    """The page at 390 px and 1280 px, and at 360 px: no horizontal scrolling, tap targets of 44 px."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": NARROW, "height": 780})
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW, page.url
    small = page.evaluate(
        """() => [...document.querySelectorAll('main a, main button, main summary')]
            .map(e => [e, e.getBoundingClientRect()])
            .filter(([e, r]) => r.width > 0 && r.height > 0)
            .filter(([e, r]) => r.height < 44 || r.width < 44)
            .map(([e, r]) => `${e.tagName} "${e.textContent.trim().slice(0, 40)}" ${r.width}x${r.height}`)"""
    )
    assert small == [], f"{page.url}: tap targets under 44 px: {small}"
    page.set_viewport_size(PHONE)


def test_a_london_client_sees_uk_crisis_lines_and_the_therapist_the_alert(
    browser: Any, site: tuple[str, Cast, Context]
) -> None:
    url, cast, _ = site
    client = browser.new_context(viewport=PHONE).new_page()
    _login(client, url, "a@example.org")
    client.wait_for_url(url + "/dashboard")
    client.goto(url + f"/clients/{cast.client_a.client_id}/assess/phq9")
    for item in range(1, 10):
        client.locator(f'input[name="item{item}"][value="{1 if item == 9 else 0}"]').check()
    client.get_by_role("button", name="Submit answers").click()
    crisis = client.locator(".crisis").first
    expect(crisis).to_be_visible()
    text = crisis.inner_text()
    assert "Samaritans on 116 123" in text and "999" in text and "988" not in text
    assert "does not diagnose" in client.content()
    _shots(client, "phq9-item9-result")
    client.get_by_role("link", name="See my PHQ-9 over time").click()
    assert client.locator("h1").inner_text() == "Your PHQ-9 over time"
    assert "After your next PHQ-9" in client.content() and "does not diagnose" in client.content()
    assert client.locator("figure.chart img").evaluate(LOADED)
    _shots(client, "phq9-history")
    client.goto(url + "/settings")
    assert "116 123" in client.locator("section.card").first.inner_text()
    _shots(client, "settings")
    client.context.close()

    therapist = browser.new_context().new_page()
    _login(therapist, url, "t1@example.org")
    therapist.wait_for_url(url + "/dashboard")
    alert_box = therapist.locator("section.crisis-list")
    assert "Client A" in alert_box.inner_text() and "PHQ-9 item 9" in alert_box.inner_text()
    therapist.context.close()


def _goal_with_walks(ctx: Context, client_id: int, title: str, key: str) -> int:
    return insert_walk_goal(ctx, client_id, title, key=key, label=title, days=60, period="week")[1]


def test_a_shared_goal_reaches_the_family_page_until_revoked(
    browser: Any, site: tuple[str, Cast, Context]
) -> None:
    url, cast, ctx = site
    cid = int(cast.client_a.client_id)  # type: ignore[arg-type]
    _goal_with_walks(ctx, cid, "Walk three times a week", "walks")
    _goal_with_walks(ctx, cid, "Private goal not shared", "other")

    client = browser.new_context(viewport=PHONE).new_page()
    _login(client, url, "a@example.org")
    client.wait_for_url(url + "/dashboard")
    client.goto(url + "/account")
    client.get_by_label("Who is it for?").fill("Dad")
    client.get_by_label("Their email, if they have a Goalwise supporter account").fill("sup@example.org")
    client.get_by_label("Walk three times a week").check()
    client.get_by_label("How they can help").fill("Ask me on Sunday how the walks went.")
    client.get_by_role("button", name="Create share link").click()
    client.wait_for_load_state()  # the page the click opened, before reading it whole
    assert "Share created" in client.content()
    shares_table = client.locator("ul.share-list")
    assert "Walk three times a week" in shares_table.inner_text()
    assert "Private goal not shared" not in shares_table.inner_text()

    supporter = browser.new_context(viewport=PHONE).new_page()
    _login(supporter, url, "sup@example.org")
    supporter.wait_for_url(url + "/family")
    body = supporter.locator("main").inner_text()
    assert "Client A" in body and "Walk three times a week" in body
    assert "Private goal not shared" not in body and "PRIVATE-DEFINITION" not in supporter.content()
    assert "at least 3 walks a week" in body and "Ask me on Sunday how the walks went." in body
    expect(supporter.locator("aside.banner")).to_have_count(1)
    chart = supporter.locator("figure.chart img")
    expect(chart).to_have_count(1)
    assert chart.evaluate(LOADED)  # drawn under the strict policy
    _shots(supporter, "family-dashboard")

    client.goto(url + "/account")
    assert "opened your share for Dad" in client.locator("main").inner_text()
    _shots(client, "account-sharing")
    client.get_by_role("button", name="Revoke the share for Dad").click()
    client.wait_for_url(url + "/account*")

    with ctx.db.read() as conn:
        share_id = conn.execute(select(shares.c.id)).scalar_one()
    supporter.goto(url + "/family")
    assert "Walk three times a week" not in supporter.locator("main").inner_text()
    assert "Nothing is shared with you right now" in supporter.locator("main").inner_text()
    refused = supporter.goto(url + f"/shared-with-me/{share_id}")
    assert refused is not None and refused.status == 404
    supporter.context.close()
    client.context.close()
