"""Logging in and out in a real browser, on a phone-sized screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from tests.support.cast import PASSWORD, Cast, make_cast
from tests.support.live_server import serve

from goalwise.config import Settings
from goalwise.services.context import Context
from goalwise.storage.engine import Database
from goalwise.web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sqlite_db: Database, settings: Settings) -> Iterator[tuple[str, Cast]]:
    cast = make_cast(Context.open(settings, sqlite_db))
    with serve(create_app(settings, sqlite_db)) as url:
        yield url, cast


def _login(page: Any, url: str, email: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_therapist_logs_in_sees_the_caseload_and_logs_out(page: Any, site: tuple[str, Cast]) -> None:
    url, _ = site
    _login(page, url, "t1@example.org")
    page.wait_for_url(url + "/dashboard")
    assert page.locator("h1").inner_text() == "Your caseload"
    expect(page.get_by_role("rowheader", name="Client A")).to_be_visible()
    expect(page.get_by_text("Client B")).to_have_count(0)
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(url + "/login*")
    assert "You are logged out." in page.content()
    page.goto(url + "/dashboard")
    assert page.url.startswith(url + "/login")  # the ended session no longer opens the dashboard


def test_wrong_password_is_explained_without_saying_which_part(page: Any, site: tuple[str, Cast]) -> None:
    url, _ = site
    page.goto(url + "/login")
    page.get_by_label("Email").fill("t1@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").inner_text() == "The email or password is not right."


def test_client_creates_a_share_and_the_link_opens_read_only(
    page: Any, browser: Any, site: tuple[str, Cast]
) -> None:
    url, _ = site
    _login(page, url, "a@example.org")
    page.wait_for_url(url + "/dashboard")
    page.goto(url + "/account")
    page.get_by_label("Who is it for?").fill("Mum")
    page.get_by_role("button", name="Create share link").click()
    link = page.locator("code.copy").first.inner_text()
    # A whole link built from GOALWISE_BASE_URL; the test's server listens on its own port.
    assert link.startswith("http") and "/s/" in link
    visitor = browser.new_context().new_page()
    visitor.goto(url + "/s/" + link.split("/s/", 1)[1])
    assert visitor.locator("h1").inner_text() == "Client A's progress, shared with you"
    assert "Client A" in visitor.locator("aside.banner").inner_text()
    expect(visitor.locator("form")).to_have_count(0)
    visitor.context.close()


def test_shared_goal_chart_draws_under_the_strict_policy(
    page: Any, sqlite_db: Database, settings: Settings
) -> None:
    """The chart must not turn into a black box: its inline styles are refused when inlined in the page."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert, select

    from goalwise.services.measurement import observations
    from goalwise.services.sharing import sharing
    from goalwise.storage.tables import goals, metrics

    ctx = Context.open(settings, sqlite_db)
    cast = make_cast(ctx)
    a = cast.client_a.client_id
    assert a is not None
    now = datetime.now(UTC)
    for day in range(10):
        observations.log(ctx, cast.client_a.actor, a, "mood", 4 + day % 4, at=now - timedelta(days=day))
    with ctx.db.write() as conn:
        metric_id = conn.execute(select(metrics.c.id).where(metrics.c.key == "mood")).scalar_one()
        gid = conn.execute(
            insert(goals)
            .values(
                client_id=a,
                metric_id=metric_id,
                status="active",
                title="Brighter days",
                priority="primary",
                spec={
                    "title": "Brighter days",
                    "target": {"value": 6, "comparator": ">="},
                    "direction": "increase",
                },
                revision=1,
                created_at=now,
                updated_at=now,
            )
            .returning(goals.c.id)
        ).scalar_one()
    _, token = sharing.create_share(ctx, cast.client_a.actor, label="Mum", sections=["goals"], goal_ids=[gid])
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    with serve(create_app(settings, sqlite_db)) as url:
        page.goto(url + f"/s/{token}")
        image = page.locator("figure.chart img")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert "Brighter days" in (image.get_attribute("alt") or "")
        page.get_by_text("Data table").click()
        expect(page.locator("figure.chart table tbody tr")).to_have_count(10)
        page.screenshot(path=str(settings.data_dir.parent / "shared.png"), full_page=True)
    assert errors == []
