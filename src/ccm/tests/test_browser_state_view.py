"""Everything about Chile in a real browser (issue #26): ISU staff open Chile's view, read each
part, and follow an action (record a payment, with Chile already chosen), in English and
Spanish, at 1280 and 390 px; axe-core on each page; screenshots under /tmp/i26-state-view/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context
from ccm.tests.state_file import BANK, CONTACT, OUTREACH, QUERY

pytestmark = [pytest.mark.browser, needs_chromium]
SHOTS = Path("/tmp/i26-state-view")


@pytest.mark.parametrize("language", ["en", "es"])
def test_staff_open_chile_and_record_a_payment(
    browser: Browser, live_server: Any, transactional_db: None, chile: Any, peru: Any,
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str,
) -> None:  # fmt: skip
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.finance import documents
    from ccm.tests import state_file

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: b"%PDF-1.4\n%%EOF\n")
    state_file.add_records(chile, 1, invoice=state_file.invoice_chile_and_peru())
    staff = make_user(Role.ISU_STAFF)
    prefix = "" if language == "en" else f"/{language}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        context = signed_in_context(browser, live_server, staff, settings, width=width)
        page = context.new_page()
        # From the public page of Chile, staff find the link to everything about it.
        page.goto(f"{live_server.url}{prefix}/states/CHL/")
        page.locator("#state-view-link a").click()
        expect(page.locator("h1")).to_contain_text("CHL")
        for words in (CONTACT, QUERY, BANK, OUTREACH, "14MSP"):
            expect(page.locator("#state-view-panels")).to_contain_text(words)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways
        assert_accessible(page)
        page.screenshot(path=str(SHOTS / f"chile-{language}-{width}.png"), full_page=True)
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.locator('[data-actions="finance"] a').first.click()
        expect(page.locator("select[name=state]")).to_have_value("CHL")
        assert_accessible(page)
        page.screenshot(path=str(SHOTS / f"payment-{language}-{width}.png"), full_page=True)
        context.close()
