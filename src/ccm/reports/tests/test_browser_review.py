"""The ISU's review in a real browser (issue #10): staff raise a query on a submitted report; the
focal point answers it with an amendment; the changes page shows what changed; the staff lists
show the query answered. axe-core on each new page."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context
from ccm.reports import definition, services
from ccm.reports.models import Query, Report

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_query_answered_by_an_amendment_and_the_changes_shown(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    tmp_path: Path, settings: Any,
) -> None:  # fmt: skip
    example = definition.example_document(definition.load(services.CURRENT_TEMPLATE))
    services.import_report_document(example, received_on=date(2025, 4, 28), by=None)
    report = Report.objects.get()
    site = live_server.url
    shots = Path(os.environ.get("CCM_SCREENSHOTS") or tmp_path)

    staff = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings)
    page = staff.new_page()
    page.goto(f"{site}/my/reports/report/{report.pk}/")
    page.select_option("#q-form", "B")
    page.fill("#q-about", "M26 rocket")
    page.fill("#q-text", "120 rockets in stock and 120 destroyed in 2024: which is right?")
    page.get_by_role("button", name="Send the query").click()
    expect(page.get_by_role("status").first).to_contain_text("Query sent")
    expect(page.locator("#report-queries [data-query-state=open]")).to_have_count(1)
    assert_accessible(page)
    page.screenshot(path=str(shots / "review-query-staff.png"), full_page=True)

    focal = signed_in_context(browser, live_server, make_user(Role.FOCAL_POINT, "CHL"), settings)
    mine = focal.new_page()
    mine.goto(f"{site}/my/reports/report/{report.pk}/")
    expect(mine.locator("#report-queries")).to_contain_text("which is right?")
    mine.get_by_role("button", name="Amend the report (start from the last version)").click()
    mine.get_by_role("link", name="B: Stockpiles and their destruction").click()
    mine.fill("#id_stockpiles-0-munitions", "0")
    mine.fill("#id_stockpiles-0-submunitions", "0")
    with mine.expect_response(lambda r: r.request.method == "POST") as saved:
        mine.get_by_role("button", name="Save", exact=True).click()
    assert saved.value.status == 200
    mine.goto(f"{site}/my/reports/report/{report.pk}/")
    mine.get_by_role("link", name="Check your answers and submit").click()  # issue #26
    mine.get_by_label("I, ").check()
    mine.get_by_role("button", name="Declare and submit the report").click()
    expect(mine.locator("#report-queries")).to_contain_text("Answered by version 2")
    assert_accessible(mine)
    assert Query.objects.get().state == "answered"

    mine.get_by_role("link", name="Changes").click()
    row = mine.locator('tr[data-path="B.stockpiles[0].munitions"]')
    expect(row).to_contain_text("120")
    expect(row).to_contain_text("0")
    assert_accessible(mine)
    mine.screenshot(path=str(shots / "review-changes.png"), full_page=True)

    page.goto(f"{site}/staff/reporting/queries/?status=answered")
    expect(page.locator("#queries")).to_contain_text("by version 2")
    assert_accessible(page)
    page.goto(f"{site}/staff/reporting/checks/")
    assert_accessible(page)
    page.goto(f"{site}/my/reports/delegation/forged-link/")
    expect(page.locator("#refused")).to_contain_text("not valid")
    assert_accessible(page)
    staff.close()
    focal.close()
