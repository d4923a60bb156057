"""The public pages in a real browser: Debian's Chromium driven by Playwright, axe-core checks.

Chromium is never downloaded: `make test` installs Debian's package and we launch
/usr/bin/chromium through `executable_path`.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def site(live_server: Any, transactional_db: None, registry_reference: None) -> str:
    return str(live_server.url)


def test_home_as_of_15_august_2016(page: Page, site: str) -> None:
    page.goto(f"{site}/?as_of=2016-08-15")
    expect(page.locator('[data-figure="parties"]')).to_have_text("100")
    expect(page.locator('[data-figure="in_force"]')).to_have_text("98")
    expect(page.locator('svg.ccm-map a[aria-label="Lithuania: State Party"]')).to_have_count(1)
    assert_accessible(page)


def test_choosing_an_as_of_date_reproduces_history(page: Page, site: str) -> None:
    page.goto(site + "/")
    expect(page.locator('[data-figure="parties"]')).to_have_text("112")
    page.fill("#id_as_of", "2012-09-11")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{site}/?as_of=2012-09-11")
    expect(page.get_by_text("Key figures on 11 September 2012")).to_be_visible()
    parties = int(page.locator('[data-figure="parties"]').inner_text())
    assert 70 <= parties <= 80  # "about three quarters" were parties by the 3rd Meeting


def test_states_list_filters_and_links_to_a_state(page: Page, site: str) -> None:
    page.goto(f"{site}/states/")
    page.select_option("#id_status", "withdrawn")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 State, status on")).to_be_visible()
    page.get_by_role("link", name="Lithuania").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lithuania")
    expect(page.get_by_text("in effect from 6 March 2025")).to_be_visible()
    assert_accessible(page)


def test_state_page_shows_timeline_and_deadlines(page: Page, site: str) -> None:
    page.goto(f"{site}/states/CHL/")
    expect(page.get_by_text("Entry into force for Chile: 1 June 2011 (Art. 17).")).to_be_visible()
    expect(page.locator("#obligations")).to_contain_text("28 Nov 2011")  # initial report due
    assert_accessible(page)


def test_states_list_is_accessible(page: Page, site: str) -> None:
    page.goto(f"{site}/states/?q=guinea")
    expect(page.get_by_role("link", name="Guinea-Bissau")).to_be_visible()
    assert_accessible(page)


def test_language_switch_to_french_and_spanish(page: Page, site: str) -> None:
    page.goto(f"{site}/states/CHL/")
    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(f"{site}/fr/states/CHL/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chili")
    assert_accessible(page)
    page.get_by_role("link", name="español").click()
    expect(page).to_have_url(f"{site}/es/states/CHL/")
    expect(page.get_by_text("Ratificación").first).to_be_visible()


def test_pages_work_without_javascript_on_a_phone(browser: Browser, site: str) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    for path in ("/", "/states/", "/states/NGA/"):
        page.goto(site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 375, f"{path} is {overflow}px wide on a 375px screen"
    page.goto(site + "/states/")
    page.fill("#id_q", "Niger")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Nigeria")).to_be_visible()
    context.close()
