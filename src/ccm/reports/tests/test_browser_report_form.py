"""The report form as published (issue #25) in a real browser (Debian's Chromium, axe-core): a
focal point fills two points of contact and the reporting period on the cover page, then answers
a form "changed" with nothing in it and is warned, not refused."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context
from ccm.reports import services

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_focal_point_fills_two_contacts_and_the_period_and_is_warned_of_an_empty_form(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    tmp_path: Path,
) -> None:  # fmt: skip
    from django.conf import settings

    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.registry.models import State
    from ccm.reports.models import Draft

    shots = Path(os.environ.get("CCM_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    user = make_user(Role.FOCAL_POINT, "CHL")
    report = services.start_report(
        state=State.objects.get(iso3="CHL"), kind="annual", period=2024, by=user
    )
    context = signed_in_context(browser, live_server, user, settings, 1280)
    page = context.new_page()
    page.goto(f"{live_server.url}/my/reports/report/{report.pk}/form/cover/")
    # The calendar year by default, shown.
    expect(page.locator("#id_period_from")).to_have_value("2024-01-01")
    expect(page.locator("#id_period_to")).to_have_value("2024-12-31")
    page.fill("#id_period_from", "2024-01-01")
    page.fill("#id_period_to", "2024-12-31")
    page.fill("#id_submission_date", "2025-04-28")
    contacts = [
        {"name": "A. Focal", "position": "Head of section", "organisation": "Ministry of "
         "Foreign Affairs", "telephone": "+56 2 1", "email": "a@minrel.example"},
        {"name": "B. Point", "organisation": "Ministry of Defence", "email": "b@mod.example"},
    ]  # fmt: skip
    for index, contact in enumerate(contacts):
        for name, value in contact.items():
            page.fill(f"#id_contacts-{index}-{name}", value)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Save", exact=True).click()
    assert answer.value.status == 200
    expect(page.locator("#form-fields [role=status]").first).to_have_text("Saved.")
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=str(shots / "report-form-cover.png"), full_page=True)
    cover = Draft.objects.get(report=report, form="cover").values
    assert cover["period_from"] == "2024-01-01" and cover["period_to"] == "2024-12-31"
    assert [c["organisation"] for c in cover["contacts"]] == [
        "Ministry of Foreign Affairs", "Ministry of Defence"
    ]  # fmt: skip

    # Form E answered "changed" with nothing in it: saved, and a warning to explain.
    page.goto(f"{live_server.url}/my/reports/report/{report.pk}/form/E/")
    page.select_option("#id_status", "changed")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Save", exact=True).click()
    assert answer.value.status == 200
    warning = page.locator("#form-warnings")
    expect(warning).to_contain_text("Form E is answered “changed” but holds nothing")
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=str(shots / "report-form-changed-empty.png"), full_page=True)
    assert Draft.objects.get(report=report, form="E").values == {"status": "changed"}
    context.close()
