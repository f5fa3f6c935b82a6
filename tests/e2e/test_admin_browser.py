"""The administration page on a phone: wide tables scroll inside their own box, never the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.e2e.test_login_browser import _login
from tests.support.cast import Cast, make_cast
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


@pytest.mark.parametrize("width", [360, 390])
def test_admin_page_never_scrolls_sideways_on_a_phone(page: Any, site: tuple[str, Cast], width: int) -> None:
    url, _ = site
    page.set_viewport_size({"width": width, "height": 800})
    _login(page, url, "admin@example.org")
    page.wait_for_load_state()
    page.goto(url + "/admin")
    assert page.locator("h1").inner_text() == "Administration"
    page.screenshot(path=f"/tmp/admin-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Every table sits inside its own scrolling box, so none spills out of its card.
    spilled = page.evaluate(
        """() => [...document.querySelectorAll('section.card')].filter(
            c => [...c.querySelectorAll('*')].some(
                e => e.getBoundingClientRect().right > c.getBoundingClientRect().right + 1
                    && !e.closest('.table-scroll')))
            .map(c => c.querySelector('h2').textContent)"""
    )
    assert spilled == []
