"""Finance in a real browser (issue #13): staff assess the ISU budget, issue the invoices (in
batches that go on by themselves), record a partial payment, read the status of contributions;
the invoice's PDF is opened and its text checked; axe-core on every page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from ccm.core.testing.browser import assert_accessible, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]


def test_staff_assess_issue_and_record_a_partial_payment(
    browser: Browser, live_server: Any, transactional_db: None, chile: Any, peru: Any,
    settings: Any, tmp_path: Path,
) -> None:  # fmt: skip
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context
    from ccm.finance import services
    from ccm.finance.models import Invoice, Rate

    settings.MEDIA_ROOT = tmp_path
    settings.CCM_INVOICE_BATCH_SIZE = 1  # two States: two batches, the second by itself
    settings.CCM_BANK_DETAILS = {"CHF": "IBAN CH93 0076 2011 6238 5295 7", "USD": ""}
    year = timezone.localdate().year
    with services.SCALE_CSV.open(encoding="utf-8") as fh:  # the real rates of the two States
        for row in csv.DictReader(fh):
            first, last = (int(y) for y in row["period"].split("-"))
            if row["iso3"] in ("CHL", "PER") and first <= year <= last:
                Rate.objects.create(period=row["period"], first_year=first, last_year=last,
                                    state_id=row["iso3"], rate=Decimal(row["rate_percent"]),
                                    source=row["source"])  # fmt: skip
    type(chile).objects.filter(iso3="CHL").update(language="es")  # Chile's working language
    staff = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings)
    page = staff.new_page()
    page.goto(f"{live_server.url}/staff/finance/assess/")
    page.get_by_label("Purpose").select_option("isu")
    page.get_by_label("Year").fill(str(year))
    page.get_by_label("Cost", exact=True).fill("10,000")
    page.get_by_role("button", name="Compute").click()
    expect(page.locator("#preview")).to_contain_text("Chile")  # names, as saved (issue #24)
    assert_accessible(page)
    page.get_by_role("button", name="Save this assessment").click()
    expect(page.locator("h1")).to_contain_text(f"ISU-{year}-1")
    assert_accessible(page)
    page.get_by_role("button", name="Issue and e-mail the invoices").click()
    # The first batch issues one; the page continues by itself with the second
    expect(page.locator("#issue-progress")).to_contain_text("0 not issued yet", timeout=20000)
    assert Invoice.objects.count() == 2
    chile_invoice = Invoice.objects.get(state_id="CHL")
    expect(page.locator("#line-CHL")).to_contain_text(chile_invoice.number)
    # A partial payment
    page.goto(f"{live_server.url}/staff/finance/payments/")
    page.get_by_label("State", exact=True).select_option("CHL")
    page.get_by_label("Amount", exact=True).fill("1000")
    page.get_by_label("Currency", exact=True).select_option("CHF")
    page.get_by_label("Bank reference").fill("UBS-2026-0042")
    page.get_by_label("Invoice number (if the payment quotes one)").fill(chile_invoice.number)
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_role("status")).to_contain_text("Payment recorded")
    assert_accessible(page)
    page.goto(f"{live_server.url}/staff/finance/status/isu/{year}/")
    chile_row = page.locator("#status-CHL")
    expect(chile_row).to_contain_text("1,000.00")
    expect(chile_row).to_contain_text(f"{chile_invoice.amount - 1000:,.2f}")
    expect(page.locator("#status-total")).to_contain_text("10,000.00")
    assert_accessible(page)
    # The invoice's PDF, as Chile's focal point downloads it: in Spanish, with the bank details
    response = page.request.get(f"{live_server.url}/finance/invoices/{chile_invoice.pk}.pdf")
    assert response.status == 200
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert f"Factura {chile_invoice.number}" in text and "IBAN CH93" in text
    assert "resto mayor" in text  # the method, stated on the document


def test_staff_import_a_un_statement_and_see_the_cash_before_the_meeting(
    browser: Browser, live_server: Any, transactional_db: None, chile: Any, peru: Any,
    settings: Any, tmp_path: Path,
) -> None:  # fmt: skip
    """Issue #25: a meeting's costs are paid through the UN; staff import the UN's statement and
    the cash before the meeting reads it (a partial payment, who has not paid)."""
    from datetime import timedelta

    import ccm.meetings.tests.factories as meeting_factories
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context
    from ccm.finance import services
    from ccm.finance.models import Rate, UNNotice, UNPayment
    from ccm.finance.tests.factories import assessed

    out = Path("/tmp/i25-fin-un")
    out.mkdir(parents=True, exist_ok=True)
    today = timezone.localdate()
    opens = today + timedelta(days=120)
    with services.SCALE_CSV.open(encoding="utf-8") as fh:  # the real rates of the two States
        for row in csv.DictReader(fh):
            first, last = (int(y) for y in row["period"].split("-"))
            if row["iso3"] in ("CHL", "PER") and first <= opens.year <= last:
                Rate.objects.create(period=row["period"], first_year=first, last_year=last,
                                    state_id=row["iso3"], rate=Decimal(row["rate_percent"]),
                                    source=row["source"])  # fmt: skip
    meeting_factories.coming_meeting("15MSP", opens=opens)
    estimate = assessed("400000.00", year=opens.year, as_of=today, purpose="estimate",
                        meeting="15MSP")  # fmt: skip
    shares = {ln.state_id: ln.amount for ln in estimate.lines.all()}
    assert sum(shares.values()) == Decimal("400000.00")
    statement = out / "unoda-15msp.csv"
    statement.write_text(
        "meeting,iso3,type,date,amount_usd,reference\n"
        f"15MSP,CHL,notice,{today},{shares['CHL']},UNODA/15MSP/CHL\n"
        f"15MSP,PER,notice,{today},{shares['PER']},UNODA/15MSP/PER\n"
        f"15MSP,CHL,payment,{today},100000.00,UNOG-RCPT-0042\n",
        encoding="utf-8",
    )
    staff = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings)
    page = staff.new_page()
    page.goto(f"{live_server.url}/staff/finance/meetings/15MSP/cash/")
    expect(page.locator("#cash-unknown")).to_be_visible()  # nothing reported yet: unknown
    page.goto(f"{live_server.url}/staff/finance/meetings/15MSP/un/")
    assert_accessible(page)
    page.get_by_label("Statement dated").fill(today.isoformat())
    page.get_by_label("UN statement (CSV or XLSX", exact=False).set_input_files(str(statement))
    page.get_by_role("button", name="Import the statement").click()
    expect(page.get_by_role("status").first).to_contain_text("2 notices, 1 payment, 0 rows")
    assert UNNotice.objects.count() == 2 and UNPayment.objects.count() == 1
    expect(page.locator("#cash-figures")).to_contain_text("100,000.00")
    expect(page.locator("#cash-figures")).to_contain_text("400,000.00")
    expect(page.locator("#unpaid")).to_contain_text("Peru")
    expect(page.locator("#unpaid")).to_contain_text("Chile")
    expect(page.locator("#all-paid")).to_have_count(0)
    assert_accessible(page)
    page.screenshot(path=str(out / "cash-before-meeting.png"), full_page=True)
    page.goto(f"{live_server.url}/staff/finance/meetings/15MSP/un/")
    expect(page.locator("#un-payments")).to_contain_text("UNOG-RCPT-0042")
    page.screenshot(path=str(out / "un-records.png"), full_page=True)
