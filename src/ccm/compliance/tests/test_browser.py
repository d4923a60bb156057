"""The compliance dashboard in a real browser (Debian's Chromium via Playwright), with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def site(live_server: Any, transactional_db: None, reference: None) -> str:
    return str(live_server.url)


def test_dashboard_with_an_as_of_date(page: Page, site: str) -> None:
    page.goto(f"{site}/reporting/?as_of=2019-08-01")
    expect(page.get_by_text("Key figures on 1 August 2019")).to_be_visible()
    in_force = int(page.locator('[data-figure="in_force"]').inner_text())
    assert 100 <= in_force <= 106
    overdue = page.locator("#overdue-initial tbody tr")
    count = int(page.locator('[data-figure="initial_overdue"]').inner_text())
    expect(overdue).to_have_count(count)
    # Sri Lanka's and Namibia's initial reports arrived on time in 2019: not in the list.
    expect(page.locator('#overdue-initial tr[data-iso3="LKA"]')).to_have_count(0)
    expect(page.locator('#overdue-initial tr[data-iso3="NAM"]')).to_have_count(0)
    expect(page.locator("svg.ccm-map a")).not_to_have_count(0)
    expect(page.locator("svg.ccm-chart rect")).not_to_have_count(0)
    assert_accessible(page)

    page.fill("#id_as_of", "2020-02-01")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{site}/reporting/?as_of=2020-02-01")
    expect(page.get_by_text("Key figures on 1 February 2020")).to_be_visible()
    # By then the Gambia's (due 28 Nov 2019) and the Philippines' reports are in.
    expect(page.locator('#overdue-initial tr[data-iso3="GMB"]')).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == "ccm-article7-compliance-2020-02-01.csv"


def test_dashboard_in_french_and_a_state_page_with_a_flagged_deadline(
    page: Page, site: str
) -> None:
    page.goto(f"{site}/fr/reporting/?as_of=2016-06-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapports de transparence")
    assert_accessible(page)
    page.goto(f"{site}/states/CHE/?as_of=2014-01-01")
    expect(page.locator('[data-flag="source-differs"]')).to_contain_text("28 Jun 2013")
    expect(page.locator('#obligations tr[data-kind="initial"] .ccm-compliance')).to_have_text(
        "submitted on time"
    )
    assert_accessible(page)


def test_the_dashboard_on_15_january_2017_with_its_ranges_and_a_states_evidence(
    browser: Browser, live_server: Any, transactional_db: None, reference: None
) -> None:
    """Issue #15: the public record's bounds on a date, then one State's evidence; axe-core."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/reporting/?as_of=2017-01-15")
    bounds = page.locator("#bounds-initial")
    expect(bounds).to_contain_text("Between 19 and 88 States Parties")
    expect(page.locator("body")).not_to_contain_text("Demonstration data")
    assert_accessible(page)
    page.locator("#bounds a", has_text="Bolivia").first.click()
    expect(page.locator("h1")).to_contain_text("Bolivia")
    row = page.locator('#obligations tr[data-kind="initial"]')
    expect(row.locator("td[data-certainty]")).to_have_attribute(
        "data-certainty", "certainly_overdue"
    )
    expect(row).to_contain_text("not received as of a date")
    assert_accessible(page)
    context.close()
