"""Issue #10 in a real browser: a focal point downloads the workbook of their report, fills it
offline (openpyxl here), uploads it, sees the checks against last year's report, explains one,
submits; the public page shows what changed since last year. axe-core on the new pages."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context
from ccm.registry.models import State
from ccm.reports import definition, services
from ccm.reports.models import ReportVersion
from ccm.reports.tests.test_workbooks import fill

pytestmark = [pytest.mark.browser, needs_chromium]


def test_offline_workbook_checks_explained_and_the_changes_since_last_year(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    tmp_path: Path, settings: Any,
) -> None:  # fmt: skip
    example = definition.example_document(definition.load(services.CURRENT_TEMPLATE))
    services.import_report_document(example, received_on=date(2025, 4, 28), by=None)  # 2024
    user = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(
        state=State.objects.get(iso3="CHL"), kind="annual", period=2025, by=user
    )
    forms = copy.deepcopy(example["forms"])
    forms["cover"].update(period_from="2025-01-01", period_to="2025-12-31")
    forms["B"]["stockpiles"][0]["munitions"] = 100  # 120 last year, none destroyed in 2025
    forms["B"]["destroyed"] = []
    context = signed_in_context(browser, live_server, user, settings)
    page = context.new_page()
    page.goto(f"{live_server.url}/my/reports/report/{report.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="English").click()
    workbook = tmp_path / "chile-2025.xlsx"
    workbook.write_bytes(fill(Path(download.value.path()).read_bytes(), forms))
    page.set_input_files("#id_workbook", str(workbook))
    page.get_by_role("button", name="Upload and save").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved from the workbook")
    expect(page.get_by_text("11 of 11 forms answered.")).to_be_visible()
    page.get_by_role("link", name="Check your answers and submit").click()  # issue #26
    checks = page.locator("#cross-year-checks")
    expect(checks).to_contain_text("the stockpile reported (100 cluster munitions)")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "checks.png"), full_page=True)
    checks.locator("textarea").first.fill("20 rockets were transferred for training.")
    page.get_by_label("I, ").check()
    page.get_by_role("button", name="Declare and submit the report").click()
    expect(page.locator("#version-findings")).to_contain_text("20 rockets were transferred")
    version = ReportVersion.objects.get(report=report)
    assert version.checks[0]["explanation"] == "20 rockets were transferred for training."
    public = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True).new_page()
    public.goto(f"{live_server.url}/reports/CHL/annual/2025/")
    public.get_by_role("link", name="What changed since the report for 2024").click()
    expect(public.locator("#compared")).to_contain_text("the report for 2024, version 1")
    row = public.locator('tr[data-path="B.stockpiles[0].munitions"]')
    expect(row).to_contain_text("120")
    expect(row).to_contain_text("100")
    assert_accessible(public)
    public.context.close()
    context.close()
