"""Issue #24 in a real browser: Italy's focal point, on the shipped record, reads its annual
reports as "not in our record (unknown)" with the request for a copy, never "overdue", at desktop
and phone width, in English and French; the State page says the same; axe-core on each.

Screenshots go to $CCM_SCREENSHOTS when it is set (to look at them), else to a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.mark.parametrize(("width", "language"), [(1280, ""), (390, "fr")])
def test_italys_focal_point_and_public_page_say_unknown_not_overdue(
    browser: Browser, live_server: Any, transactional_db: None, reference: None,
    settings: Any, tmp_path: Path, width: int, language: str,
) -> None:  # fmt: skip
    shots = Path(os.environ.get("CCM_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    prefix = f"/{language}" if language else ""
    user = make_user(Role.FOCAL_POINT, "ITA")
    context = signed_in_context(browser, live_server, user, settings, width=width)
    page = context.new_page()
    page.goto(f"{live_server.url}{prefix}/my/reports/ITA/")
    owed = page.locator("#owed")
    unknown = owed.locator('tr:has([data-status="unknown"])')
    expect(unknown.first).to_be_visible()
    assert unknown.count() >= 13
    expect(owed.locator('[data-status="overdue"]')).to_have_count(0)
    expect(unknown.first.locator('[data-hint="send-a-copy"] a[href^="mailto:"]')).to_be_visible()
    expect(owed).not_to_contain_text("overdue")
    expect(owed).not_to_contain_text("en retard")
    assert_accessible(page)
    page.screenshot(path=str(shots / f"truth-my-reports-ITA-{width}{language}.png"), full_page=True)

    page.goto(f"{live_server.url}{prefix}/states/ITA/?as_of=2017-01-15")
    table = page.locator("#obligations")
    expect(table.locator('[data-status="unknown"]').first).to_be_visible()
    expect(table.locator('[data-status="overdue"]')).to_have_count(0)
    expect(table.locator('[data-hint="unknown"] a').first).to_have_attribute(
        "href", f"{prefix}/reporting/?as_of=2017-01-15#bounds"
    )
    assert_accessible(page)
    page.screenshot(path=str(shots / f"truth-state-ITA-{width}{language}.png"), full_page=True)
    context.close()
