"""Payments as banks make them, in a real browser (issue #25): staff record a payment Chile sent
in euros, credited in francs less the bank charges, and read Chile's ledger, which adds up to
nothing owed; axe-core on both pages; screenshots under /tmp/i25-fin-rates/."""

from __future__ import annotations

import csv
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from ccm.core.testing.browser import assert_accessible, needs_chromium

pytestmark = [pytest.mark.browser, needs_chromium]
SHOTS = Path("/tmp/i25-fin-rates")


def test_staff_record_a_payment_in_euros_with_bank_charges_and_see_the_ledger(
    browser: Browser, live_server: Any, transactional_db: None, chile: Any, peru: Any,
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from ccm.accounts.models import Role
    from ccm.accounts.tests.factories import make_user
    from ccm.core.testing.browser import signed_in_context
    from ccm.finance import documents, selectors, services
    from ccm.finance.models import Entry, Invoice, Rate
    from ccm.finance.tests.factories import assessed

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: b"%PDF-1.4\n%%EOF\n")
    year = timezone.localdate().year
    with services.SCALE_CSV.open(encoding="utf-8") as fh:  # the real rates of the two States
        for row in csv.DictReader(fh):
            first, last = (int(y) for y in row["period"].split("-"))
            if row["iso3"] in ("CHL", "PER") and first <= year <= last:
                Rate.objects.create(period=row["period"], first_year=first, last_year=last,
                                    state_id=row["iso3"], rate=Decimal(row["rate_percent"]),
                                    source=row["source"])  # fmt: skip
    today = timezone.localdate()
    found = assessed("10000.00", year=year, as_of=today)
    services.issue_invoices(found, by=None, issued_on=today - timedelta(days=1), send=False)
    invoice = Invoice.objects.get(state_id="CHL")
    credited = invoice.amount - Decimal("18.50")
    staff = signed_in_context(browser, live_server, make_user(Role.ISU_STAFF), settings)
    page = staff.new_page()
    page.goto(f"{live_server.url}/staff/finance/payments/")
    expect(page.locator("#setup-warning")).to_be_visible()  # not set yet: said on every page
    page.get_by_label("State", exact=True).select_option("CHL")
    page.get_by_label("Amount", exact=True).fill(str(credited))
    page.get_by_label("Currency", exact=True).select_option("CHF")
    page.get_by_label("Amount sent by the State").fill("7,123.45")
    page.get_by_label("Currency sent (such as EUR)").fill("EUR")
    page.get_by_label("Bank charges").fill("18.50")
    page.get_by_label("Bank reference").fill("UBS-EUR-0042")
    page.get_by_label("Invoice number (if the payment quotes one)").fill(invoice.number)
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_role("status")).to_contain_text("Payment recorded")
    recorded = page.locator("#recent-payments tbody tr").first
    expect(recorded).to_contain_text("EUR 7,123.45")
    expect(recorded).to_contain_text("CHF 18.50")
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "payments.png"), full_page=True)
    recorded.get_by_role("link", name="Chile").click()
    expect(page.locator("h1")).to_contain_text("Chile")
    ledger = page.locator("#ledger-CHF")
    expect(ledger).to_contain_text("EUR 7,123.45 sent")
    expect(ledger.locator("tr.ledger-charges")).to_contain_text("-18.50")
    expect(page.locator("#ledger-balance-CHF")).to_have_text("CHF 0.00")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "ledger.png"), full_page=True)
    # The invoice with its write-off form, the rates and the settings: accessible too
    for url in (f"/staff/finance/invoices/{invoice.pk}/", "/staff/finance/rates/",
                "/staff/finance/settings/"):  # fmt: skip
        page.goto(f"{live_server.url}{url}")
        assert_accessible(page)
    page.screenshot(path=str(SHOTS / "settings.png"), full_page=True)
    kinds = sorted(Entry.objects.filter(state_id="CHL").values_list("kind", flat=True))
    assert kinds == ["charges", "invoice", "payment"]
    assert selectors.balance("CHL", "CHF") == 0 and selectors.outstanding(invoice) == 0
