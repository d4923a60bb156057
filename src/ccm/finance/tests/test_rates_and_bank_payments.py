"""Every State Party assessed or its absence explained, and payments as banks make them
(issue #25, items 2 and 5): rates entered with their source, the choice named on the preview,
the finance settings set at first use, payments with the currency sent and the bank charges,
write-offs of small differences; with the refusals and the permission matrix of every new page."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from ccm.accounts.models import Role
from ccm.accounts.tests.factories import make_user
from ccm.core.models import AuditEvent
from ccm.core.testing.permissions import LOGIN, assert_matrix
from ccm.core.testing.queries import queries
from ccm.finance import documents, rules, selectors, services
from ccm.finance.models import Assessment, Entry, FinanceSettings, Invoice, Payment, Rate
from ccm.finance.tests.factories import assessed
from ccm.registry.models import State

pytestmark = pytest.mark.django_db
D = Decimal
STAFF_ONLY: dict[str, int | str] = {
    "anonymous": LOGIN,
    "other_focal_point": 403,
    "focal_point": 403,
    "presidency": 403,
    "staff": 200,
}
READERS: dict[str, int | str] = {**STAFF_ONLY, "presidency": 200}
ASSESS_2017 = [
    "--cost", "400000", "--currency", "USD", "--year", "2017", "--payers", "parties",
    "--as-of", "2017-01-15", "--format", "json",
]  # fmt: skip
SOURCE = "A/RES/70/245 (notional rate for 2016-2018), as entered for this test"


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("assess", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def isu() -> Any:
    return make_user(Role.ISU_STAFF)


# Rates with their sources, and the contract of `ccm assess` for 2017 ---------------------------


def test_2017_without_their_rates_the_holy_see_and_palestine_are_named_as_excluded(
    reference: None,
) -> None:
    found = run(*ASSESS_2017)
    excluded = {e["iso3"]: e["reason"] for e in found["excluded"]}
    assert {"VAT", "PSE", "COK"} <= set(excluded)  # Niue joined in 2021
    assert all("2016-2018" in why for why in excluded.values())
    assert set(found["without_rate_payers"]) == set(excluded)
    assert sum(D(p["amount"]) for p in found["payers"]) == D("400000.00")
    assert not {"VAT", "PSE"} & {p["iso3"] for p in found["payers"]}


def test_2017_with_their_rates_entered_the_holy_see_and_palestine_pay(
    reference: None, isu: Any
) -> None:
    for iso3, rate in (("VAT", "0.001"), ("PSE", "0.007")):
        services.add_rate(
            State.objects.get(iso3=iso3), period="2016-2018", rate=D(rate), source=SOURCE, by=isu
        )
    found = run(*ASSESS_2017)
    payers = {p["iso3"]: p for p in found["payers"]}
    assert payers["VAT"]["rate"] == "0.001" and payers["PSE"]["rate"] == "0.007"
    assert {e["iso3"] for e in found["excluded"]} == {"COK"}
    assert sum(D(p["amount"]) for p in found["payers"]) == D("400000.00")
    reason = run(*ASSESS_2017, "--exclude-reason", "not a UN Member State, no notional rate")
    assert reason["excluded"] == [
        {"iso3": "COK", "reason": "not a UN Member State, no notional rate"}
    ]
    assert AuditEvent.objects.filter(verb="rate.added").count() == 2


def test_a_rate_is_refused_without_source_over_another_or_out_of_a_period(
    reference: None, isu: Any
) -> None:
    holy_see = State.objects.get(iso3="VAT")
    chile = State.objects.get(iso3="CHL")
    for kwargs, message in (
        ({"state": holy_see, "source": " "}, "source"),
        ({"state": chile}, "has a rate for 2016-2018 already"),
        ({"state": holy_see, "period": "2016-2019"}, "three years"),
        ({"state": holy_see, "period": "2098-2100"}, "no UN scale"),
        ({"state": holy_see, "rate": D("0")}, "above 0"),
        ({"state": holy_see, "rate": D("0.0005")}, "three decimals"),
        ({"state": holy_see, "by": None}, "member of the ISU"),
    ):
        given = {"period": "2016-2018", "rate": D("0.001"), "source": SOURCE, "by": isu, **kwargs}
        state = given.pop("state")
        with pytest.raises(services.Refused, match=message):
            services.add_rate(state, **given)
    assert not Rate.objects.filter(added_by__isnull=False).exists()


def test_the_preview_names_the_payers_without_a_rate_with_the_choice_to_make(
    reference: None, personas: dict[str, Client], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    staff = personas["staff"]
    data = {
        "purpose": "isu", "year": "2017", "cost": "100000", "as_of": "2017-01-15",
        "action": "save",
    }  # fmt: skip
    none_chosen = staff.post("/staff/finance/assess/", data)
    html = none_chosen.content.decode()
    assert none_chosen.status_code == 400 and Assessment.objects.count() == 0
    panel = html.split('id="without-rate"', 1)[1].split("</section>", 1)[0]
    for name in ("Holy See", "State of Palestine", "Cook Islands"):
        assert name in panel
    assert "/staff/finance/rates/?state=VAT&amp;period=2016-2018" in panel
    no_reason = staff.post("/staff/finance/assess/", {**data, "without_rate": "exclude"})
    assert no_reason.status_code == 400 and Assessment.objects.count() == 0
    saved = staff.post(
        "/staff/finance/assess/",
        {**data, "without_rate": "exclude", "exclude_reason": "no notional rate for 2016-2018"},
    )
    assert saved.status_code == 302
    found = Assessment.objects.get()
    out = {ln.state_id: ln.excluded for ln in found.lines.filter(amount=None)}
    assert out == {c: "no notional rate for 2016-2018" for c in ("VAT", "PSE", "COK")}
    assert sum(ln.amount for ln in found.lines.exclude(amount=None)) == D("100000.00")
    page = staff.get(saved["Location"]).content.decode()
    assert "Holy See" in page.split('id="not-assessed"', 1)[1].split("</p>", 1)[0]
    services.issue_invoices(found, by=None, size=1, send=False)
    invoice_html = documents.invoice_html(Invoice.objects.get())
    said = invoice_html.split('id="not-assessed"', 1)[1].split("</p>", 1)[0]
    assert "Holy See" in said and "no notional rate for 2016-2018" in said


def test_the_minimum_choice_and_a_rate_entered_on_the_page(
    reference: None, personas: dict[str, Client]
) -> None:
    staff = personas["staff"]
    entered = staff.post(
        "/staff/finance/rates/",
        {"state": "VAT", "period": "2016-2018", "rate": "0.001", "source": SOURCE},
    )
    assert entered.status_code == 302
    assert Rate.objects.get(state_id="VAT", period="2016-2018").added_by is not None
    again = staff.post(
        "/staff/finance/rates/",
        {"state": "VAT", "period": "2016-2018", "rate": "0.002", "source": SOURCE},
    )
    assert again.status_code == 400 and "already" in again.content.decode()
    assert Rate.objects.get(state_id="VAT", period="2016-2018").rate == D("0.001")
    preview = staff.post(
        "/staff/finance/assess/",
        {"purpose": "isu", "year": "2017", "cost": "100000", "as_of": "2017-01-15",
         "without_rate": "minimum", "minimum": "50", "action": "preview"},
    ).content.decode()  # fmt: skip
    panel = preview.split('id="without-rate"', 1)[1].split("</section>", 1)[0]
    assert "Holy See" not in panel and "State of Palestine" in panel


# The finance settings ---------------------------------------------------------------------------


def test_the_settings_warn_until_set_and_then_print_on_the_invoices(
    reference: None, personas: dict[str, Client], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.CCM_BANK_DETAILS = {"CHF": "", "USD": ""}
    staff = personas["staff"]
    first = assessed("1000.00", year=2025, as_of=date(2025, 1, 1))
    services.issue_invoices(first, by=None, size=1, send=False)
    invoice = Invoice.objects.get()
    pages = (
        "/staff/finance/",
        "/staff/finance/assess/",
        "/staff/finance/payments/",
        f"/staff/finance/invoices/{invoice.pk}/",
        f"/staff/finance/assessments/{first.pk}/",
        "/staff/finance/settings/",
    )
    for url in pages:
        assert 'id="setup-warning"' in staff.get(url).content.decode(), url
    assert staff.post("/staff/finance/settings/", {"letterhead": " "}).status_code == 400
    refused = staff.post("/staff/finance/settings/", {"letterhead": "ISU", "minimum_CHF": "-5"})
    assert refused.status_code == 400 and not FinanceSettings.objects.exists()
    saved = staff.post(
        "/staff/finance/settings/",
        {
            "letterhead": "ISU of the CCM\nChemin Eugène-Rigot 2C, Geneva",
            "bank_CHF": "IBAN CH11 2222 3333 4444 5555 6",
            "bank_USD": "IBAN CH77 8888 9999 0000 1111 2",
            "minimum_CHF": "50",
            "limit_CHF": "10",
            "limit_USD": "10",
        },
    )
    assert saved.status_code == 302
    assert AuditEvent.objects.filter(verb="finance.settings_saved").count() == 1
    for url in pages:
        assert 'id="setup-warning"' not in staff.get(url).content.decode(), url
    html = documents.invoice_html(invoice)
    assert "Chemin Eugène-Rigot 2C" in html and "IBAN CH11 2222" in html
    assert 'value="50.00"' in staff.get("/staff/finance/assess/").content.decode()
    # a preview that leaves the minimum out says who would pay less than it
    preview = staff.post(
        "/staff/finance/assess/",
        {"purpose": "isu", "year": "2025", "cost": "20000", "as_of": "2025-01-01",
         "without_rate": "exclude", "exclude_reason": "no rate", "action": "preview"},
    ).content.decode()  # fmt: skip
    assert 'id="below-minimum"' in preview


def test_an_invoice_below_the_minimum_says_the_minimum_rule_was_used(
    reference: None, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    found = assessed("20000.00", year=2025, as_of=date(2025, 1, 1), minimum=D("50.00"))
    smallest = found.lines.exclude(amount=None).order_by("amount").first()
    assert smallest is not None and smallest.amount == D("50.00")
    assert sum(ln.amount for ln in found.lines.exclude(amount=None)) == D("20000.00")
    services.issue_invoices(found, by=None, size=None, send=False)
    html = documents.invoice_html(Invoice.objects.get(state_id=smallest.state_id))
    rule = html.split('id="minimum-rule"', 1)[1].split("</p>", 1)[0]
    assert "Minimum contribution: CHF 50.00" in rule and "minimum contribution" in rule
    assert "This invoice is for the minimum contribution" in rule


# Payments as banks make them --------------------------------------------------------------------


@pytest.fixture
def invoiced(reference: None, settings: Any, tmp_path: Path, monkeypatch: Any) -> Invoice:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(documents, "invoice_pdf", lambda invoice: b"%PDF-1.4\n%%EOF\n")
    first = assessed("100000.00", year=2025, as_of=date(2025, 1, 1))
    services.issue_invoices(first, by=None, issued_on=date(2025, 2, 1), size=None, send=False)
    return Invoice.objects.get(number="ISU-2025-1-CHL")


def test_a_payment_sent_in_euros_with_bank_charges_settles_the_invoice_and_the_ledger_adds_up(
    invoiced: Invoice, personas: dict[str, Client]
) -> None:
    staff = personas["staff"]
    credited = invoiced.amount - D("25.00")
    response = staff.post(
        "/staff/finance/payments/",
        {
            "state": "CHL", "received_on": "2025-03-01", "amount": str(credited),
            "currency": "CHF", "sent_amount": "1234.56", "sent_currency": "eur",
            "bank_charges": "25.00", "bank_reference": "UBS-1", "invoice": invoiced.number,
        },
    )  # fmt: skip
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.sent_currency, payment.sent_amount) == ("EUR", D("1234.56"))
    kinds = dict(Entry.objects.filter(state_id="CHL").values_list("kind", "amount"))
    assert kinds == {"invoice": invoiced.amount, "payment": -credited, "charges": D("-25.00")}
    assert selectors.balance("CHL", "CHF") == 0 and selectors.outstanding(invoiced) == 0
    ledger = staff.get("/staff/finance/ledger/CHL/").content.decode()
    assert "EUR 1,234.56 sent" in ledger and "bank charges" in ledger, ledger.split("<table", 1)[1][
        :3000
    ]
    assert 'id="ledger-balance-CHF">CHF 0.00' in ledger
    # Reversed (returned by the bank): the charges come back with it, the ledger still adds up
    services.reverse_payment(payment, reason="returned", by=None, on=date(2025, 3, 2))
    assert selectors.balance("CHL", "CHF") == invoiced.amount
    assert selectors.outstanding(invoiced) == invoiced.amount


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"bank_charges": "-1"}, "Give an amount of zero or more"),
        ({"sent_currency": "CHF", "sent_amount": "90.00"}, "amount credited plus the bank"),
        ({"sent_currency": "CHF", "sent_amount": "100.00", "bank_charges": "5"}, "plus the bank"),
        ({"sent_currency": "EUR"}, "together"),
        ({"sent_amount": "99"}, "together"),
        ({"sent_currency": "E1R", "sent_amount": "99"}, "three letters"),
        ({"currency": "EUR"}, "Select a valid choice"),
        ({"sent_currency": "EUR", "sent_amount": "0"}, "more than zero"),
    ],
)
def test_inconsistent_payment_fields_are_refused_and_nothing_is_written(
    invoiced: Invoice, personas: dict[str, Client], change: dict[str, str], message: str
) -> None:
    data = {
        "state": "CHL", "received_on": "2025-03-01", "amount": "100.00", "currency": "CHF",
        "invoice": invoiced.number, **change,
    }  # fmt: skip
    response = personas["staff"].post("/staff/finance/payments/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Payment.objects.exists() and not Entry.objects.exclude(kind="invoice").exists()


def test_payment_rules_as_plain_values() -> None:
    ok = {"credited": D("95"), "currency": "CHF", "charges": D("5")}
    assert rules.payment_problems(**ok, sent_amount=D("100"), sent_currency="CHF") == []
    assert rules.payment_problems(**ok, sent_amount=D("93.10"), sent_currency="EUR") == []
    assert rules.payment_problems(**ok, sent_amount=None, sent_currency="") == []
    assert rules.payment_problems(**ok, sent_amount=D("90"), sent_currency="CHF")
    assert rules.payment_problems(**{**ok, "charges": D("-1")}, sent_amount=None, sent_currency="")
    assert (
        rules.write_off_problems(amount=D("1"), outstanding=D("2"), limit=D("5"), reason="x") == []
    )
    assert rules.write_off_problems(amount=D("1"), outstanding=D("2"), limit=None, reason="x")


def test_a_write_off_needs_a_reason_and_stays_within_the_limit(invoiced: Invoice, isu: Any) -> None:
    services.save_settings(
        letterhead="ISU", bank_details={}, minimum={}, write_off_limit={"CHF": D("10.00")}, by=isu
    )
    services.record_payment(
        invoiced.state, received_on=date(2025, 3, 1), amount=invoiced.amount - D("12.40"),
        currency="CHF", sent_amount=D("4000.00"), sent_currency="EUR",
        bank_charges=D("4.00"), bank_reference="B", invoice=invoiced, by=isu,
    )  # fmt: skip
    assert selectors.outstanding(invoiced) == D("8.40")
    for kwargs, message in (
        ({"reason": "  "}, "say why"),
        ({"amount": D("8.41")}, "bears only 8.40"),
        ({"by": None}, "member of the ISU"),
    ):
        given = {"amount": D("8.40"), "reason": "exchange difference", "by": isu, **kwargs}
        with pytest.raises(services.Refused, match=message):
            services.write_off(invoiced, **given)
    services.save_settings(
        letterhead="ISU", bank_details={}, minimum={}, write_off_limit={"CHF": D("5.00")}, by=isu
    )
    with pytest.raises(services.Refused, match="at most 5.00"):
        services.write_off(invoiced, amount=D("8.40"), reason="exchange difference", by=isu)
    assert not Invoice.objects.filter(kind="writeoff").exists()
    services.save_settings(
        letterhead="ISU", bank_details={}, minimum={}, write_off_limit={"CHF": D("10.00")}, by=isu
    )
    done = services.write_off(invoiced, amount=D("8.40"), reason="exchange difference", by=isu)
    assert done.number == f"{invoiced.number}-W1" and done.entry.kind == "writeoff"
    assert selectors.outstanding(invoiced) == 0 and selectors.balance("CHL", "CHF") == 0
    assert AuditEvent.objects.filter(verb="invoice.written_off").count() == 1
    with pytest.raises(services.Refused):
        services.write_off(invoiced, amount=D("0.01"), reason="again", by=isu)


def test_the_write_off_page_refuses_without_reason_and_above_the_limit(
    invoiced: Invoice, personas: dict[str, Client]
) -> None:
    staff = personas["staff"]
    url = f"/staff/finance/invoices/{invoiced.pk}/write-off/"
    assert staff.post(url, {"amount": "1.00", "reason": ""}).status_code == 302
    assert staff.post(url, {"amount": "20.01", "reason": "too much"}).status_code == 302
    assert not Invoice.objects.filter(kind="writeoff").exists()  # refused, said on the page
    page = staff.get(f"/staff/finance/invoices/{invoiced.pk}/").content.decode()
    assert 'id="write-off-form"' in page
    assert staff.post(url, {"amount": "1.00", "reason": "rounding"}).status_code == 302
    written = Invoice.objects.get(kind="writeoff")
    assert staff.post("/staff/finance/invoices/999999/write-off/", {}).status_code == 404
    # on the State's page, without a PDF link (it has none: a 404, not an error)
    assert personas["focal_point"].get(f"/finance/invoices/{written.pk}.pdf").status_code == 404
    state_page = personas["focal_point"].get("/states/CHL/").content.decode()
    assert written.number in state_page and f"/finance/invoices/{written.pk}.pdf" not in state_page
    # a write-off is not written off, nor corrected with a credit note
    assert staff.post(f"/staff/finance/invoices/{written.pk}/write-off/",
                      {"amount": "0.50", "reason": "x"}).status_code == 302  # fmt: skip
    assert Invoice.objects.filter(kind="writeoff").count() == 1


# Who sees and changes what -----------------------------------------------------------------------


def test_the_permission_matrix_of_the_new_pages(
    invoiced: Invoice, personas: dict[str, Client]
) -> None:
    assert_matrix(personas, "/staff/finance/rates/", STAFF_ONLY)
    assert_matrix(personas, "/staff/finance/settings/", STAFF_ONLY)
    assert_matrix(personas, "/staff/finance/ledger/CHL/", READERS)
    assert personas["staff"].get("/staff/finance/ledger/XXX/").status_code == 404
    forged = {
        "/staff/finance/rates/": {
            "state": "VAT", "period": "2016-2018", "rate": "0.001", "source": SOURCE
        },
        "/staff/finance/settings/": {"letterhead": "forged", "limit_CHF": "99999"},
        f"/staff/finance/invoices/{invoiced.pk}/write-off/": {"amount": "1.00", "reason": "x"},
    }  # fmt: skip
    for url, data in forged.items():
        assert_matrix(personas, url, {**STAFF_ONLY, "staff": 302}, method="post", data=data)
    # only the ISU's posts were written, once each
    assert Rate.objects.filter(added_by__isnull=False).count() == 1
    assert FinanceSettings.objects.count() == 1
    assert Invoice.objects.filter(kind="writeoff").count() == 1
    # a payment with charges, forged by the Presidency or a focal point: refused
    data = {
        "state": "CHL", "received_on": "2025-03-01", "amount": "10", "currency": "CHF",
        "sent_currency": "EUR", "sent_amount": "11", "bank_charges": "1",
    }  # fmt: skip
    for persona in ("presidency", "focal_point", "other_focal_point"):
        assert personas[persona].post("/staff/finance/payments/", data).status_code == 403
    assert not Payment.objects.exists()


def test_the_ledger_page_takes_a_bounded_number_of_queries(
    invoiced: Invoice, personas: dict[str, Client]
) -> None:
    for n in range(5):
        services.record_payment(
            invoiced.state, received_on=date(2025, 3, 1), amount=D("10.00"), currency="CHF",
            bank_charges=D("1.00"), bank_reference=f"R{n}", by=None,
        )  # fmt: skip
    few = queries(personas["staff"], "/staff/finance/ledger/CHL/")
    for n in range(20):
        services.record_payment(
            invoiced.state, received_on=date(2025, 3, 2), amount=D("10.00"), currency="CHF",
            bank_charges=D("1.00"), bank_reference=f"S{n}", by=None,
        )  # fmt: skip
    assert queries(personas["staff"], "/staff/finance/ledger/CHL/") == few <= 20
