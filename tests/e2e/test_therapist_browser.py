"""A therapist's day in the browser (issue 13): add a client and find them on the caseload, filter
the caseload, read a client's ABC summary on the records page, and print the overview.

Screenshots at 390 px (phone) and 1280 px (desk) go to tests/e2e/artifacts/therapist/.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.e2e.test_login_browser import _login
from tests.support.cast import Cast, make_cast
from tests.support.live_server import serve

from goalwise.config import Settings
from goalwise.services.context import Context
from goalwise.services.measurement import abc, assessments
from goalwise.storage.engine import Database
from goalwise.web.app import create_app

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parent / "artifacts" / "therapist"
WIDTHS = (390, 1280)


@pytest.fixture
def site(sqlite_db: Database, settings: Settings) -> Iterator[tuple[str, Cast, Context]]:
    ctx = Context.open(settings, sqlite_db)
    cast = make_cast(ctx)
    with serve(create_app(settings, sqlite_db)) as url:
        yield url, cast, ctx


def _therapist(browser: Any, url: str, width: int = 1280) -> Any:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    _login(page, url, "t1@example.org")
    page.wait_for_url(url + "/dashboard")
    return page


def _shots(browser: Any, url: str, path: str, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page = _therapist(browser, url, width)
        page.goto(url + path)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        page.context.close()


def test_therapist_adds_a_client_and_sees_them_on_the_caseload(
    browser: Any, site: tuple[str, Cast, Context]
) -> None:
    url, _, _ = site
    page = _therapist(browser, url)
    page.get_by_role("link", name="Add a client").click()
    page.wait_for_url(url + "/clients/new")
    page.get_by_role("button", name="Add client").click()  # nothing filled in: every problem shows
    page.wait_for_selector(".field-error")
    assert page.locator(".field-error").count() >= 2
    assert (
        page.get_by_label("Name (as the client likes to be called)").get_attribute("aria-invalid") == "true"
    )
    page.get_by_label("Name (as the client likes to be called)").fill("Robin Fields")
    page.get_by_label("Time zone (the client's days and reminders follow it)").fill("Europe/Berlin")
    page.get_by_label("The client has agreed to be added").check()
    page.get_by_role("button", name="Add client").click()
    page.wait_for_url(url + "/clients/*")
    assert page.locator("h1").inner_text() == "Robin Fields"
    assert "Europe/Berlin" in page.content()
    page.get_by_role("link", name="Home").click()
    page.wait_for_url(url + "/dashboard*")  # count() does not wait: the caseload must be the page shown
    page.wait_for_load_state()
    row = page.get_by_role("row").filter(has_text="Robin Fields")
    expect(row).to_have_count(1)
    assert "never" in row.inner_text()
    page.context.close()
    _shots(browser, url, "/dashboard", "caseload")
    _shots(browser, url, "/clients/new", "add-client")


def test_caseload_filter_keeps_only_clients_needing_attention(
    browser: Any, site: tuple[str, Cast, Context]
) -> None:
    url, cast, ctx = site
    a = cast.client_a.client_id
    assert a is not None
    for total, days_ago in ((4, 40), (13, 1)):  # +9 on PHQ-9: a reliable deterioration
        answers = [min(3, max(0, total - 3 * i)) for i in range(8)] + [0]
        at = datetime.now(UTC) - timedelta(days=days_ago)
        assessments.record(ctx, cast.therapist.actor, a, "phq9", answers, at=at)
    page = _therapist(browser, url)
    page.goto(url + "/clients/new")
    page.get_by_label("Name (as the client likes to be called)").fill("Quiet Client")
    page.get_by_label("Time zone (the client's days and reminders follow it)").fill("Europe/Paris")
    page.get_by_label("The client has agreed to be added").check()
    page.get_by_role("button", name="Add client").click()
    page.wait_for_url(url + "/clients/*")
    page.goto(url + "/dashboard")
    expect(page.get_by_role("row").filter(has_text="Quiet Client")).to_have_count(1)
    page.get_by_label("Show").select_option("deterioration")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(url + "/dashboard?show=deterioration*")
    table = page.locator("table.caseload").inner_text()
    assert "Client A" in table and "reliable deterioration" in table and "Quiet Client" not in table
    page.context.close()
    _shots(browser, url, "/dashboard?show=deterioration", "caseload-filtered")


def test_records_page_shows_the_abc_summary(browser: Any, site: tuple[str, Cast, Context]) -> None:
    url, cast, ctx = site
    a = cast.client_a.client_id
    assert a is not None
    for before in ("Crowded bus", "Crowded bus", "Loud meeting"):
        abc.add_entry(
            ctx, cast.client_a.actor, a, antecedent=before, behaviour="Left early", consequence="Relief"
        )
    page = _therapist(browser, url)
    page.goto(url + f"/clients/{a}")
    page.get_by_role("link", name="Records").first.click()
    page.wait_for_url(url + f"/clients/{a}/records")
    summary = page.locator("table.abc-summary")
    assert "Left early" in summary.inner_text()
    assert "Crowded bus (2)" in summary.inner_text() and "Relief (3)" in summary.inner_text()
    page.get_by_label("Name").fill("Exposure practice")
    page.get_by_role("button", name="Start the phase").click()
    page.wait_for_url(url + f"/clients/{a}/records*")
    assert "Exposure practice" in page.locator("#phases table").inner_text()
    page.context.close()
    _shots(browser, url, f"/clients/{a}/records", "records")


def test_overview_prints_without_navigation(browser: Any, site: tuple[str, Cast, Context]) -> None:
    url, cast, _ = site
    page = _therapist(browser, url)
    page.goto(url + f"/clients/{cast.client_a.client_id}")
    expect(page.locator("header.site")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator("nav.actions")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SHOTS / "overview.pdf"), format="A4")
    page.context.close()
    _shots(browser, url, f"/clients/{cast.client_a.client_id}", "overview")
