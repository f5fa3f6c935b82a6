"""The home page in a real browser, on a phone-sized screen."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_home_page_opens_and_names_goalwise(page: Any, live_url: str) -> None:
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    response = page.goto(live_url + "/")
    assert response.status == 200
    assert page.title() == "Home · Goalwise"
    assert page.locator("h1").inner_text() == "Goalwise"
    # The stylesheet is served by the app and applied (the header takes the accent colour).
    colour = page.locator("header.site").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(27, 111, 92)"
    assert console_errors == []  # no CSP violations or missing assets


def test_skip_link_reaches_the_main_content(page: Any, live_url: str) -> None:
    page.goto(live_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
