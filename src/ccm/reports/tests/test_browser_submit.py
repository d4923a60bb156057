"""Submitting a report people can trust (issue #26), in a real browser (Debian's Chromium,
axe-core on every page), at 1280 and 390 px, in English and French: a focal point fills the
cover, is told "Saved, with 2 problems", fixes them and goes on to the next form; the report
page gives the deadline and status; "check your answers" shows every form, a cross-year finding
that they explain, the words that the report is public at once; they declare and submit.

The other forms were saved before (a colleague's, or the workbook's): the journey is about the
cover's save and the submission. Screenshots: $CCM_SCREENSHOTS or /tmp/i26-submit/."""

from __future__ import annotations

import copy
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium, signed_in_context
from ccm.reports import definition, services

pytestmark = [pytest.mark.browser, needs_chromium]
EXAMPLE = definition.example_document(definition.load(services.CURRENT_TEMPLATE))


def _no_overflow(page: Any, width: int, what: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{what} at {width}px: {overflow}px too wide"


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [1280, 390])
def test_a_focal_point_is_told_of_problems_checks_explains_declares_and_submits(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    fast_pdf: None, lang: str, width: int,
) -> None:  # fmt: skip
    from django.conf import settings

    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.registry.models import State
    from ccm.reports.models import ReportVersion
    from ccm.reports.tests.test_cross_year import STOCK_ID, this_year

    shots = Path(os.environ.get("CCM_SCREENSHOTS") or "/tmp/i26-submit")
    shots.mkdir(parents=True, exist_ok=True)
    tag = f"{lang}-{width}"
    chile = State.objects.get(iso3="CHL")
    user = make_user(Role.FOCAL_POINT, "CHL")
    user.first_name, user.last_name = "Ana", "Pérez"
    user.save()
    colleague = make_user(Role.FOCAL_POINT, "CHL")
    # Last year's report, submitted: 120 rockets in stock.
    last = services.start_report(state=chile, kind="annual", period=2024, by=colleague)
    for code, values in EXAMPLE["forms"].items():
        services.save_form(last, code, copy.deepcopy(values), revision=None, by=colleague)
    services.submit_report(last, by=colleague, today=date(2025, 4, 20))
    # This year's: every form but the cover saved before; 100 rockets still reported.
    report, forms = this_year(chile)
    for code, values in forms.items():
        if code != "cover":
            services.save_form(report, code, copy.deepcopy(values), revision=None, by=colleague)

    context = signed_in_context(browser, live_server, user, settings, width)
    page = context.new_page()
    base = f"{live_server.url}/{lang}" if lang != "en" else live_server.url
    page.goto(f"{base}/my/reports/report/{report.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    # The deadline and the status, as the State's page gives them; the forms before colleagues.
    expect(page.locator("#report-deadline")).to_contain_text("2026")
    expect(page.locator("#report-compliance")).to_be_visible()
    forms_top = page.locator("table").first.bounding_box()
    colleagues_top = page.locator("#delegations").bounding_box()
    assert forms_top and colleagues_top and forms_top["y"] < colleagues_top["y"]
    assert_accessible(page)
    _no_overflow(page, width, "report page")
    page.screenshot(path=str(shots / f"submit-{tag}-1-report.png"), full_page=True)

    # The cover with two problems: saved all the same, and said so.
    page.goto(f"{base}/my/reports/report/{report.pk}/form/cover/")
    page.fill("#id_submission_date", "")
    page.fill("#id_contacts-0-name", "Ana Pérez")
    page.fill("#id_contacts-0-organisation", "Ministerio de Relaciones Exteriores")
    page.fill("#id_contacts-0-email", "ana.perez-at-minrel")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("#save-next").click()
    assert answer.value.status == 200
    status = page.locator("#form-fields [role=status]").first
    if lang == "en":
        expect(status).to_have_text("Saved, with 2 problems: see below.")
    else:  # the French catalogue gains the new message when the lead merges
        expect(status).to_contain_text("2")
    expect(page.locator(".invalid-feedback")).to_have_count(2)
    expect(page.locator("#saved-problems li")).to_have_count(2)  # listed, each a link
    assert report.drafts.filter(form="cover").exists()  # saved as a draft
    assert_accessible(page)
    _no_overflow(page, width, "cover with problems")
    page.screenshot(path=str(shots / f"submit-{tag}-2-saved-with-problems.png"), full_page=True)

    # Fixed: "save and go to the next form" goes to Form A.
    page.fill("#id_submission_date", "2026-04-28")
    page.fill("#id_contacts-0-email", "ana.perez@minrel.example")
    page.locator("#save-next").click()
    expect(page).to_have_url(f"{base}/my/reports/report/{report.pk}/form/A/")
    assert_accessible(page)
    page.screenshot(path=str(shots / f"submit-{tag}-3-next-form.png"), full_page=True)

    # "Check your answers": every form, the finding to explain, public at once, the declaration.
    page.goto(f"{base}/my/reports/report/{report.pk}/")
    page.locator("#check-answers").click()
    expect(page).to_have_url(f"{base}/my/reports/report/{report.pk}/submit/")
    expect(page.locator("#answers .card")).to_have_count(len(EXAMPLE["forms"]))
    expect(page.locator("#summary-cover")).to_contain_text("ana.perez@minrel.example")
    expect(page.locator("#blocking-problems")).to_have_count(0)
    expect(page.locator("#public-at-once")).to_be_visible()
    checks = page.locator("#cross-year-checks")
    expect(checks).to_contain_text("100")
    assert_accessible(page)
    _no_overflow(page, width, "check your answers")
    page.screenshot(path=str(shots / f"submit-{tag}-4-check.png"), full_page=True)
    page.locator(f'textarea[name="explain:{STOCK_ID}"]').fill("20 rockets went to training.")
    # Submitting without the declaration is refused, the explanation kept.
    page.locator("#declaration button[type=submit]").click()
    expect(page.locator("#declaration-errors")).to_be_visible()
    expect(page.locator(f'textarea[name="explain:{STOCK_ID}"]')).to_have_value(
        "20 rockets went to training."
    )
    assert not ReportVersion.objects.filter(report=report).exists()
    assert_accessible(page)
    page.screenshot(path=str(shots / f"submit-{tag}-5-not-declared.png"), full_page=True)
    expect(page.locator("label[for=id_declaration]")).to_contain_text("Ana Pérez")
    page.locator("#id_declaration").check()
    page.locator("#declaration button[type=submit]").click()
    expect(page.get_by_role("status").first).to_contain_text("CCM-A7-CHL-annual-2025-v1")
    expect(page.locator("#version-findings")).to_contain_text("20 rockets went to training.")
    assert_accessible(page)
    _no_overflow(page, width, "submitted report")
    page.screenshot(path=str(shots / f"submit-{tag}-6-submitted.png"), full_page=True)
    version = ReportVersion.objects.get(report=report)
    assert version.declared_by_name == "Ana Pérez" and version.declared_at is not None
    assert version.checks[0]["explanation"] == "20 rockets went to training."
    context.close()
