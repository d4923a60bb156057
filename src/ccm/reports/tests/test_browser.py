"""A public report page in a real browser (Debian's Chromium via Playwright), with axe-core, at
desktop and phone width."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context
from ccm.core.testing.files import PDF as TINY_PDF
from ccm.reports import definition, services

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_public_report_page_reads_on_a_desktop_and_a_phone(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    tmp_path: Path,
) -> None:  # fmt: skip
    services.import_report_document(
        definition.example_document(definition.load(services.CURRENT_TEMPLATE)),
        received_on=date(2025, 4, 28), by=None,
    )  # fmt: skip
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        page = context.new_page()
        page.goto(f"{live_server.url}/reports/CHL/annual/2024/")
        expect(page.get_by_role("heading", name="Chile: annual report 2024")).to_be_visible()
        expect(page.locator("section h2")).to_have_count(11)  # the cover page and Forms A–J
        # Nothing wider than the screen but the tables, which scroll inside their box.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{width}px: the page is {overflow}px too wide"
        assert_accessible(page)
        page.screenshot(path=str(tmp_path / f"report-{width}.png"), full_page=True)
        context.close()


def test_a_focal_point_fills_a_form_that_saves_as_they_work(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    tmp_path: Path,
) -> None:  # fmt: skip
    from django.conf import settings

    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.registry.models import State

    user = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(
        state=State.objects.get(iso3="CHL"), kind="annual", period=2024, by=user
    )
    for width in (1280, 390):
        context = signed_in_context(browser, live_server, user, settings, width)
        page = context.new_page()
        page.goto(f"{live_server.url}/my/reports/report/{report.pk}/form/B/")
        expect(
            page.get_by_role("heading", name="Form B: Stockpiles and their destruction")
        ).to_be_visible()
        page.select_option("#id_status", "changed")
        page.fill("#id_stockpiles-0-munition_type", f"M26 rocket {width}")
        page.fill("#id_stockpiles-0-munitions", "-1")
        with page.expect_response(lambda r: r.request.method == "POST") as saved:
            page.locator("#id_stockpiles-0-submunitions").focus()  # leaving the cell saves
        assert saved.value.status == 200
        expect(page.locator("#err_stockpiles-0-munitions")).to_contain_text("At least 0.")
        assert_accessible(page)
        page.screenshot(path=str(tmp_path / f"form-B-{width}.png"), full_page=True)
        page.reload()  # the draft was saved as they worked
        expect(page.locator("#id_stockpiles-0-munition_type")).to_have_value(f"M26 rocket {width}")
        context.close()


def test_staff_record_a_report_a_state_sent_by_email(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    tmp_path: Path, settings: Any,
) -> None:  # fmt: skip
    import copy

    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.registry.models import State
    from ccm.reports.models import ReportVersion

    settings.MEDIA_ROOT = tmp_path / "media"
    staff = make_user(Role.ISU_STAFF)
    report = services.start_report(
        state=State.objects.get(iso3="PER"), kind="annual", period=2024, by=staff
    )
    example = definition.example_document(definition.load(services.CURRENT_TEMPLATE))
    for code, values in example["forms"].items():
        services.save_form(report, code, copy.deepcopy(values), revision=None, by=staff)
    context = signed_in_context(browser, live_server, staff, settings)
    page = context.new_page()
    page.goto(f"{live_server.url}/states/PER/")
    page.get_by_role("link", name="Enter a report the State sent by e-mail").click()
    page.get_by_role("link", name="annual report 2024").click()
    expect(page.get_by_role("heading", name="Record the report the State sent")).to_be_visible()
    expect(page.get_by_role("link", name="Check your answers and submit")).to_have_count(0)
    page.fill("#id_received_on", "2025-04-29")
    page.get_by_label("Spanish", exact=True).check()
    page.set_input_files("#id_file", files=[{
        "name": "peru-2024.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF,
    }])  # fmt: skip
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "record-1280.png"), full_page=True)
    page.get_by_role("button", name="Record as received").click()
    expect(page.get_by_role("status").first).to_contain_text("CCM-A7-PER-annual-2024-v1")
    expect(page.locator("#versions")).to_contain_text("entered by the ISU on the State")
    version = ReportVersion.objects.get()
    assert version.entered_by_isu and version.record.file.name.endswith(".pdf")
    context.close()


def test_leaving_by_a_link_right_after_typing_saves_first(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    settings: Any,
) -> None:  # fmt: skip

    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.registry.models import State
    from ccm.reports.models import Draft

    user = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(
        state=State.objects.get(iso3="CHL"), kind="annual", period=2024, by=user
    )
    context = signed_in_context(browser, live_server, user, settings)
    page = context.new_page()
    page.goto(f"{live_server.url}/my/reports/report/{report.pk}/form/G/")
    page.select_option("#id_status", "changed")
    page.fill("#id_measures", "Radio spots in three languages.")
    # At once, before the save that typing schedules has gone: the link waits for it.
    page.get_by_role("link", name="Back to the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chile: annual report 2024")
    draft = Draft.objects.get(report=report, form="G")
    assert draft.values == {"status": "changed", "measures": "Radio spots in three languages."}
    context.close()
