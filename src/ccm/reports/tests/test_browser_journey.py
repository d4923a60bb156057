"""A focal point's whole year in a real browser (issue #9): they sign in with two-factor, land on
their State's work, start the annual report that is due, fill every form (a screenshot of each,
at desktop and phone width; axe-core on each), submit, get the receipt, and the public report
page and the dashboard show the report at once.

Screenshots go to $CCM_SCREENSHOTS when it is set (to look at them), else to a temporary folder."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.testing.browser import assert_accessible, needs_chromium
from ccm.core.testing.totp import current_code
from ccm.registry.tests.factories import ContactFactory
from ccm.reports import definition, services
from ccm.reports.models import ReportVersion
from ccm.reports.tests.factories import typed

pytestmark = [pytest.mark.browser, needs_chromium]
PASSWORD = "correct horse battery staple"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def fill_form(page: Page, form: definition.Form, values: dict[str, Any]) -> None:
    """Type a form's values as a person would: choose, tick, type; cell by cell."""

    def put(key: str, field: definition.Field | None, value: Any) -> None:
        if value in ("", None):
            return
        target = page.locator(f"#id_{key}")
        if key == "status" or (field is not None and field.choices):
            target.select_option(str(value))
        elif field is not None and field.type == "boolean":
            target.set_checked(bool(value))
        else:
            target.fill(str(value))

    fields = {f.name: f for f in form.fields}
    tables = {t.name: t for t in form.tables}
    for key, value in values.items():
        if key in tables:
            columns = {c.name: c for c in tables[key].columns}
            for index, row in enumerate(value):
                for name, cell in row.items():
                    put(f"{key}-{index}-{name}", columns[name], cell)
        else:
            put(key, fields.get(key), value)


def test_a_focal_point_fills_submits_and_the_public_sees_it(
    browser: Browser, live_server: Any, transactional_db: None, registry_reference: None,
    tmp_path: Path, settings: Any,
) -> None:  # fmt: skip
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed at a period's edge still counts
    settings.MEDIA_ROOT = tmp_path / "media"
    shots = Path(os.environ.get("CCM_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    # The ISU holds its register of annual reports complete: one not in it is missing (#24).
    call_command("mark_record_complete", "--kind", "annual", stdout=io.StringIO())
    user = make_user(Role.FOCAL_POINT, "CHL", two_factor=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    ContactFactory(state_id="CHL", email=user.email)
    template = definition.load(services.CURRENT_TEMPLATE)
    example = definition.example_document(template)
    site = live_server.url

    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    # The dashboard before: Chile is among the States missing their annual report.
    page.goto(f"{site}/reporting/")
    missing_before = int(page.locator("[data-figure=annual_missing]").inner_text())
    expect(page.locator("#missing-annual")).to_contain_text("Chile")

    # Sign in with the password and the authenticator's code: straight to Chile's work.
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{site}/accounts/2fa/authenticate/")
    page.fill("input[name=code]", current_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(f"{site}/my/reports/CHL/")
    expect(page.get_by_role("heading", name="Reports owed")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(shots / "journey-00-workspace.png"), full_page=True)

    # Start the annual report for 2025, due on 30 April 2026.
    row = page.get_by_role("row", name=re.compile(r"^annual report 2025 "))
    row.get_by_role("button", name="Prepare this report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chile: annual report 2025")
    overview = page.url

    for number, form in enumerate(template.forms, start=1):
        values = dict(example["forms"][form.code])
        if form.code == "cover":
            values.update(period_from="2025-01-01", period_to="2025-12-31")
        page.goto(overview)
        label = "Cover" if form.code == "cover" else f"{form.code}: {form.title['en']}"
        page.get_by_role("link", name=label).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(form.title["en"])
        fill_form(page, form, values)
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="Save", exact=True).click()
        assert answer.value.status == 200, form.code
        expect(page.locator("#form-fields [role=status]")).to_have_text("Saved.")
        expect(page.locator(".invalid-feedback")).to_have_count(0)
        assert_accessible(page)
        page.screenshot(path=str(shots / f"journey-{number:02d}-{form.code}-1280.png"),
                        full_page=True)  # fmt: skip
        page.set_viewport_size(PHONE)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"Form {form.code} at phone width: {overflow}px too wide"
        page.screenshot(path=str(shots / f"journey-{number:02d}-{form.code}-390.png"),
                        full_page=True)  # fmt: skip
        page.set_viewport_size(DESKTOP)

    # Every form answered: submit, and the receipt.
    page.goto(overview)
    expect(page.get_by_text("11 of 11 forms answered.")).to_be_visible()
    page.get_by_role("link", name="Check your answers and submit").click()  # issue #26
    page.get_by_label("I, ").check()
    page.get_by_role("button", name="Declare and submit the report").click()
    expect(page.get_by_role("status")).to_contain_text("receipt CCM-A7-CHL-annual-2025-v1")
    page.screenshot(path=str(shots / "journey-12-submitted.png"), full_page=True)
    version = ReportVersion.objects.get()
    expected = {code: typed(values) for code, values in example["forms"].items()}
    expected["cover"].update(period_from="2025-01-01", period_to="2025-12-31")
    assert version.forms == expected  # what was typed is what was submitted
    (receipt,) = mail.outbox
    assert receipt.to == [user.email] and "CCM-A7-CHL-annual-2025-v1" in receipt.subject
    name, content, mimetype = receipt.attachments[0]
    assert mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Chile" in text and "M26 rocket" in text

    # The public: the report page (as the world reads it, signed out) and the dashboard.
    public = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    public.goto(f"{site}/reports/?state=CHL")
    public.get_by_role("link", name="annual report 2025").first.click()
    expect(public.get_by_role("heading", name="Chile: annual report 2025")).to_be_visible()
    expect(public.get_by_text("M26 rocket").first).to_be_visible()
    public.screenshot(path=str(shots / "journey-13-public-390.png"), full_page=True)
    public.goto(f"{site}/reporting/")
    missing_after = int(public.locator("[data-figure=annual_missing]").inner_text())
    assert missing_after == missing_before - 1
    expect(public.locator("#missing-annual")).not_to_contain_text("Chile")
    public.goto(f"{site}/states/CHL/")
    expect(public.locator("#reports-received")).to_contain_text("the report, version 1")
    public.context.close()
    context.close()
