"""The public site on a phone (issue #26): the navigation folds into one row with a "Menu"
disclosure at 390 px that opens with or without JavaScript, every link in one row at 1280 px,
and sources shown as named links; axe-core on each state. Screenshots in /tmp/i26-batches-nav/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]
SHOTS = Path("/tmp/i26-batches-nav")
MENU = {"en": "Menu", "fr": "Menu"}
MEETINGS = {"en": "Meetings", "fr": "Réunions"}


@pytest.fixture
def site(live_server: Any, transactional_db: None, reference: None) -> str:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return str(live_server.url)


def _one_row(page: Page) -> None:
    """The brand and the menu button share a row, and the bar is one row high."""
    brand = page.locator("header .ccm-brand").bounding_box()
    button = page.locator("#site-menu > summary").bounding_box()
    bar = page.locator("header nav").bounding_box()
    assert brand and button and bar
    assert abs((brand["y"] + brand["height"] / 2) - (button["y"] + button["height"] / 2)) < 8
    assert bar["height"] <= 64, bar
    assert brand["x"] + brand["width"] <= button["x"] + 1  # nothing hidden under the button


def _expanded(page: Page, name: str) -> bool | None:
    """The expanded state the browser gives assistive technology for the control named `name`
    (Chromium's accessibility tree, through the DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    for node in nodes:
        if node.get("name", {}).get("value") == name and not node.get("ignored"):
            for prop in node.get("properties", []):
                if prop["name"] == "expanded":
                    return bool(prop["value"]["value"])
            return None
    raise AssertionError(f"no control named {name!r}")


def _phone(browser: Browser, site: str, language: str, *, javascript: bool) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=javascript, bypass_csp=True
    )
    page = context.new_page()
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{site}{prefix}/states/CHL/")
    header = page.locator("header")
    menu = page.locator("#site-menu > summary")
    expect(menu).to_be_visible()
    expect(menu).to_have_text(MENU[language])
    meetings = header.get_by_role("link", name=MEETINGS[language])
    expect(meetings).to_be_hidden()
    assert _expanded(page, MENU[language]) is False
    _one_row(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows
    suffix = "" if javascript else "-nojs"
    page.screenshot(path=str(SHOTS / f"nav-390-{language}-closed{suffix}.png"))
    if javascript:
        assert_accessible(page)
    menu.click()
    expect(page.locator("#site-menu")).to_have_attribute("open", "")
    expect(meetings).to_be_visible()
    sign_in = "Sign in" if language == "en" else "Se connecter"
    expect(header.get_by_role("link", name=sign_in)).to_be_visible()
    page.screenshot(path=str(SHOTS / f"nav-390-{language}-open{suffix}.png"))
    # The button says it is expanded: the browser's own disclosure semantics, no script needed
    assert _expanded(page, MENU[language]) is True
    if javascript:
        assert_accessible(page)
    meetings.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/meetings/" in page.url
    context.close()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_menu_on_a_phone_is_one_row_and_opens(
    browser: Browser, site: str, language: str
) -> None:
    _phone(browser, site, language, javascript=True)


def test_the_menu_opens_without_javascript(browser: Browser, site: str) -> None:
    _phone(browser, site, "en", javascript=False)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_on_a_desk_every_link_is_in_the_bar_and_sources_are_named(
    browser: Browser, site: str, language: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    prefix = "" if language == "en" else f"/{language}"
    page.goto(f"{site}{prefix}/states/CHL/")
    expect(page.locator("#site-menu > summary")).to_be_hidden()
    expect(page.locator("header").get_by_role("link", name=MEETINGS[language])).to_be_visible()
    bar = page.locator("header nav").bounding_box()
    assert bar and bar["height"] <= 64, bar
    # Sources: links named after their site, never a raw address
    sources = page.locator("main .ccm-wrap a[href^='http']")
    expect(sources.first).to_be_visible()
    for text in sources.all_inner_texts():
        assert not text.startswith(("http", "www.")), text
    page.screenshot(path=str(SHOTS / f"nav-1280-{language}.png"), full_page=True)
    assert_accessible(page)
    context.close()
