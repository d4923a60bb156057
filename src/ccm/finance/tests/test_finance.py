"""Finance (issue #13): the scale, stored assessments and their versions, invoices, payments,
the ledger, the status of contributions, the cash before a meeting, reminders, publication."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

import ccm.meetings.tests.factories as meeting_factories
from ccm.core.models import AuditEvent, OutgoingEmail
from ccm.core.tables import RowsRefused
from ccm.finance import documents, reminders, selectors, services
from ccm.finance.choices import InvoiceKind
from ccm.finance.models import (
    Allocation,
    Assessment,
    Entry,
    Immutable,
    Invoice,
    InvoiceReminder,
    Line,
    Payment,
    Rate,
)
from ccm.finance.tests.factories import assessed
from ccm.registry.models import Contact, State

pytestmark = pytest.mark.django_db
TINY_PDF = b"%PDF-1.4\n%%EOF\n"
D = Decimal


@pytest.fixture
def fast_pdf(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> list[str]:
    """Invoices as tiny PDFs (WeasyPrint takes a tenth of a second each; one test below prints
    real ones): the numbers printed are recorded."""
    settings.MEDIA_ROOT = tmp_path
    printed: list[str] = []

    def pdf(invoice: Invoice) -> bytes:
        printed.append(invoice.number)
        return TINY_PDF

    monkeypatch.setattr(documents, "invoice_pdf", pdf)
    return printed


def contact(iso3: str, email: str) -> None:
    Contact.objects.create(
        state_id=iso3, name="Focal point", role="national_focal_point", email=email, active=True
    )


def ledger_matches_documents() -> None:
    """Every State's balance, per currency, sums from its ledger entries and equals what its
    invoices, credit notes, payments and reversals say."""
    entries = {
        (r["state_id"], r["currency"]): r["s"]
        for r in Entry.objects.values("state_id", "currency").annotate(s=Sum("amount"))
    }
    expected: dict[tuple[str, str], Decimal] = {}
    for inv in Invoice.objects.all():
        key = (inv.state_id, inv.currency)
        expected[key] = expected.get(key, D(0)) + inv.signed
    for p in Payment.objects.all():
        key = (p.state_id, p.currency)
        expected[key] = expected.get(key, D(0)) + (p.amount if p.reverses_id else -p.amount)
    assert entries == expected
    for iso3 in State.objects.values_list("iso3", flat=True):
        for currency in ("CHF", "USD"):
            assert selectors.balance(iso3, currency) == expected.get((iso3, currency), D(0))


# The scale -------------------------------------------------------------------------------------


def test_the_scale_is_loaded_with_its_sources_and_every_period_adds_up(reference: None) -> None:
    periods = selectors.periods()
    assert periods == ["2010-2012", "2013-2015", "2016-2018", "2019-2021", "2022-2024", "2025-2027"]
    for period in periods:
        total = Rate.objects.filter(period=period, notional=False).aggregate(s=Sum("rate"))["s"]
        assert total == D("100.000"), period
    assert Rate.objects.get(period="2016-2018", state_id="USA").rate == D("22.000")
    assert Rate.objects.get(period="2025-2027", state_id="VAT").notional
    assert not Rate.objects.filter(state_id__in=["COK", "NIU"]).exists()
    assert not Rate.objects.filter(source="").exists()
    again = services.load_scale()
    assert "0 rates of assessment created" in again.summary and not again.flagged
    assert selectors.period_for(2026) == "2025-2027"
    with pytest.raises(selectors.Unknown):
        selectors.period_for(2031)


def test_a_scale_file_with_a_bad_row_loads_nothing(reference: None, tmp_path: Path) -> None:
    Rate.objects.all().delete()
    bad = tmp_path / "scale.csv"
    bad.write_text(
        "state,iso3,period,rate_percent,source\nChile,CHL,2025-2027,0.4,src\n"
        "Nowhere,XXX,2025-2027,0.1,src\nPeru,PER,2025-27,abc,src\n"
    )
    with pytest.raises(RowsRefused) as refused:
        services.load_scale(bad, services.NOTIONAL_CSV)
    reasons = " ".join(str(e) for e in refused.value.errors)
    assert "unknown State 'XXX'" in reasons and "not a number" in reasons
    assert Rate.objects.count() == 0


# Assessments ---------------------------------------------------------------------------------


def test_an_assessment_covers_exactly_the_states_parties_and_adds_up(reference: None) -> None:
    on = date(2026, 1, 1)
    computed = selectors.compute(
        cost=D("1234567.89"), currency="CHF", year=2026, payers="parties", as_of=on
    )
    from ccm.registry.selectors import state_rows

    parties = {r.state.iso3 for r in state_rows(on) if r.status.is_party}
    paying = {ln.payer for ln in computed.result.lines}
    assert paying | set(computed.result.excluded) == parties and not paying & set(
        computed.result.excluded
    )
    assert set(computed.result.excluded) == {"COK", "NIU"}  # no UN rate: said, not dropped
    assert sum(ln.amount for ln in computed.result.lines) == D("1234567.89")
    total = sum((ln.rate or D(0) for ln in computed.result.lines), D(0))
    chile = next(ln for ln in computed.result.lines if ln.payer == "CHL")
    assert chile.rate is not None
    assert abs(chile.share - chile.rate / total) < D("1e-30")
    # A configured rate or the minimum contribution instead
    rated = selectors.compute(
        cost=D("1000.00"),
        currency="CHF",
        year=2026,
        payers="parties",
        as_of=on,
        options=selectors.Options(without_rate="rate", without_rate_value=D("0.001")),
    )
    assert {"COK", "NIU"} <= {ln.payer for ln in rated.result.lines} and not rated.result.excluded
    minimum = selectors.compute(
        cost=D("1000.00"),
        currency="CHF",
        year=2026,
        payers="parties",
        as_of=on,
        options=selectors.Options(without_rate="minimum", minimum=D("5.00")),
    )
    amounts = {ln.payer: ln.amount for ln in minimum.result.lines}
    assert amounts["COK"] == amounts["NIU"] == D("5.00")
    assert min(amounts.values()) == D("5.00") and sum(amounts.values()) == D("1000.00")


def test_a_stored_assessment_is_never_changed_and_a_new_one_is_its_next_version(
    reference: None,
) -> None:
    first = assessed("1000.00")
    assert first.reference == "ISU-2026-1" and first.lines.count() == 112
    first.cost = D("1.00")
    with pytest.raises(Immutable):
        first.save()
    line = first.lines.first()
    assert line is not None
    line.amount = D("0.01")
    with pytest.raises(Immutable):
        line.save()
    with pytest.raises(Immutable):
        first.delete()
    second = assessed("1100.00")
    assert (second.version, second.reference) == (2, "ISU-2026-2")
    assert Assessment.objects.get(pk=first.pk).cost == D("1000.00")
    assert AuditEvent.objects.filter(verb="assessment.saved").count() == 2
    with pytest.raises(services.Refused):
        computed = selectors.compute(
            cost=D("1.00"), currency="USD", year=2026, payers="parties", as_of=date(2026, 1, 1)
        )
        services.save_assessment(computed, purpose="isu", by=None)


def test_meeting_costs_are_shared_with_the_states_not_party_taking_part(reference: None) -> None:
    from ccm.participation import services as participation

    meeting = meeting_factories.coming_meeting("15MSP", opens=date(2027, 9, 6))
    usa = State.objects.get(iso3="USA")
    invitation = participation.add_invitee(meeting, state=usa, by=None)
    participation.save_delegation(
        invitation,
        members=[{"role": "head", "name": "A. Head"}],
        note_verbale=None,
        revision=0,
        by=None,
        staff=True,
    )
    computed = selectors.compute(
        cost=D("500000.00"),
        currency="USD",
        year=2027,
        payers="meeting:15MSP",
        as_of=date(2027, 1, 1),
    )
    amounts = {ln.payer: ln.amount for ln in computed.result.lines}
    assert "USA" in amounts and sum(amounts.values()) == D("500000.00")
    # 22% of the scale among a payer set far below 100%: the optional ceiling holds it
    assert amounts["USA"] > D("0.22") * D("500000")
    capped = selectors.compute(
        cost=D("500000.00"),
        currency="USD",
        year=2027,
        payers="meeting:15MSP",
        as_of=date(2027, 1, 1),
        options=selectors.Options(ceiling=D("22")),
    )
    capped_amounts = {ln.payer: ln.amount for ln in capped.result.lines}
    assert capped_amounts["USA"] == D("110000.00") and sum(capped_amounts.values()) == D(
        "500000.00"
    )
    with pytest.raises(selectors.Unknown):
        selectors.compute(
            cost=D("1.00"), currency="USD", year=2027, payers="meeting:NOPE", as_of=date(2027, 1, 1)
        )


# Invoices --------------------------------------------------------------------------------------


def test_issuing_in_batches_never_issues_twice(reference: None, fast_pdf: list[str]) -> None:
    contact("CHL", "fp@chile.example")
    first = assessed("100000.00")
    today = timezone.localdate()
    batch = services.issue_invoices(first, by=None, issued_on=today, size=50)
    assert (len(batch.issued), batch.remaining, batch.total) == (50, 60, 110)
    batch = services.issue_invoices(first, by=None, issued_on=today, size=None)
    assert (len(batch.issued), batch.remaining) == (60, 0)
    again = services.issue_invoices(first, by=None, issued_on=today, size=None)
    assert (again.issued, again.remaining) == ([], 0)
    assert Invoice.objects.count() == 110 and len(fast_pdf) == 110
    assert Invoice.objects.aggregate(s=Sum("amount"))["s"] == D("100000.00")
    chile = Invoice.objects.get(number="ISU-2026-1-CHL")
    assert chile.sent_to == ["fp@chile.example"] and chile.language == "es"
    assert chile.due_on == today + timedelta(days=30)
    mail = OutgoingEmail.objects.get(purpose="invoice")
    assert "ISU-2026-1-CHL" in mail.subject and "fp@chile.example" in mail.to
    assert not Invoice.objects.filter(state_id__in=["COK", "NIU"]).exists()
    chile.amount = D("1.00")
    with pytest.raises(Immutable):
        chile.save()
    with pytest.raises(Immutable):
        Invoice.objects.get(number="ISU-2026-1-CHL").delete()
    ledger_matches_documents()


def test_a_new_version_charges_or_credits_the_difference(
    reference: None, fast_pdf: list[str]
) -> None:
    first = assessed("100000.00")
    services.issue_invoices(first, by=None, size=None, send=False)
    second = assessed("90000.00", without_rate="minimum", minimum=D("50.00"))
    dues = {d.state.iso3: d for d in services.dues(second)}
    assert dues["CHL"].invoiced_before == Invoice.objects.get(number="ISU-2026-1-CHL").amount
    services.issue_invoices(second, by=None, size=None, send=False)
    chile = Invoice.objects.get(number="ISU-2026-2-CHL")
    assert chile.kind == InvoiceKind.CREDIT_NOTE and chile.corrects.number == "ISU-2026-1-CHL"
    cook = Invoice.objects.get(number="ISU-2026-2-COK")  # newly a payer: charged
    assert cook.kind == InvoiceKind.INVOICE and cook.amount == D("50.00")
    for line in Line.objects.filter(assessment=second):
        net = sum(
            (
                i.signed
                for i in Invoice.objects.filter(state=line.state_id, assessment__scope="isu:2026")
            ),
            D(0),
        )
        assert net == (line.amount or D(0)), line.state_id
    assert selectors.status("isu:2026", timezone.localdate()).total("assessed") == D("90000.00")
    ledger_matches_documents()


def test_real_invoice_pdfs_in_the_states_language(
    reference: None, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.CCM_BANK_DETAILS = {"CHF": "IBAN CH00 0000 0000 0000 0000 0", "USD": ""}
    first = assessed("100000.00", ceiling=D("22"))
    for iso3 in ("FRA", "CHL", "DEU"):
        due = next(d for d in services.dues(first) if d.state.iso3 == iso3)
        invoice = services._draft(first, due, date(2026, 2, 2), date(2026, 3, 4), None, None)
        text = " ".join(
            p.extract_text() for p in PdfReader(io.BytesIO(documents.invoice_pdf(invoice))).pages
        )
        assert f"ISU-2026-1-{iso3}" in text and "IBAN CH00" in text
        amount = f"{invoice.amount:,.2f}"
        if iso3 == "FRA":
            assert "Facture" in text and "2025-2027" in text and "plafond" in text.lower()
        elif iso3 == "CHL":
            assert "Factura" in text and "Chile" in text
        else:
            assert "Invoice" in text and amount in text and "largest-remainder" in text


# Payments and the ledger ---------------------------------------------------------------------


@pytest.fixture
def invoiced(reference: None, fast_pdf: list[str]) -> Assessment:
    first = assessed("100000.00", year=2025, as_of=date(2025, 1, 1))
    services.issue_invoices(first, by=None, issued_on=date(2025, 2, 1), size=None, send=False)
    return first


def test_partial_over_and_unallocated_payments(invoiced: Assessment) -> None:
    chile = State.objects.get(iso3="CHL")
    invoice = Invoice.objects.get(number="ISU-2025-1-CHL")
    owed = invoice.amount
    services.record_payment(
        chile,
        received_on=date(2025, 3, 1),
        amount=D("100.00"),
        currency="CHF",
        bank_reference="BR-1",
        invoice=invoice,
        by=None,
    )
    assert selectors.outstanding(invoice) == owed - D("100.00")
    over = services.record_payment(
        chile,
        received_on=date(2025, 4, 1),
        amount=owed,
        currency="CHF",
        bank_reference="BR-2",
        invoice=invoice,
        by=None,
    )
    assert selectors.outstanding(invoice) == 0
    assert selectors.unallocated(over) == D("100.00")  # the excess is Chile's credit
    assert selectors.balance("CHL", "CHF") == D("-100.00")
    # Refused: another State's invoice, another currency, nothing
    with pytest.raises(services.Refused):
        services.record_payment(
            State.objects.get(iso3="PER"),
            received_on=date(2025, 4, 1),
            amount=D("1.00"),
            currency="CHF",
            bank_reference="",
            invoice=invoice,
            by=None,
        )
    with pytest.raises(services.Refused):
        services.record_payment(
            chile,
            received_on=date(2025, 4, 1),
            amount=D("1.00"),
            currency="USD",
            bank_reference="",
            invoice=invoice,
            by=None,
        )
    with pytest.raises(services.Refused):
        services.record_payment(
            chile,
            received_on=date(2025, 4, 1),
            amount=D("0.00"),
            currency="CHF",
            bank_reference="",
            by=None,
        )
    # A payment quoting no invoice waits, then is allocated to the next year's invoice
    peru = State.objects.get(iso3="PER")
    loose = services.record_payment(
        peru,
        received_on=date(2025, 5, 1),
        amount=D("50.00"),
        currency="CHF",
        bank_reference="PERU-X",
        by=None,
    )
    assert [p.pk for p, _left in selectors.unallocated_payments()] == [loose.pk, over.pk]
    peru_invoice = Invoice.objects.get(number="ISU-2025-1-PER")
    with pytest.raises(services.Refused):
        services.allocate(loose, invoice, amount=D("10.00"), by=None)  # Chile's invoice
    with pytest.raises(services.Refused):
        services.allocate(loose, peru_invoice, amount=D("50.01"), by=None)
    services.allocate(loose, peru_invoice, amount=D("50.00"), by=None, on=date(2025, 6, 1))
    assert selectors.unallocated(loose) == 0
    st = selectors.status("isu:2025", date(2025, 5, 15))
    peru_row = next(r for r in st.rows if r.state.iso3 == "PER")
    assert peru_row.paid == 0  # allocated on 1 June only
    assert next(
        r for r in selectors.status("isu:2025", date(2025, 6, 1)).rows if r.state.iso3 == "PER"
    ).paid == D("50.00")
    ledger_matches_documents()


def test_corrections_are_credit_notes_and_reversals(invoiced: Assessment) -> None:
    invoice = Invoice.objects.get(number="ISU-2025-1-CHL")
    chile = invoice.state
    note = services.credit_note(
        invoice, amount=D("10.00"), reason="Rounding agreed", by=None, on=date(2025, 2, 10)
    )
    assert note.number == "ISU-2025-1-CHL-C1" and note.corrects == invoice
    assert selectors.outstanding(invoice) == invoice.amount - D("10.00")
    with pytest.raises(services.Refused):
        services.credit_note(invoice, amount=invoice.amount, reason="too much", by=None)
    with pytest.raises(services.Refused):
        services.credit_note(invoice, amount=D("1.00"), reason=" ", by=None)
    paid = services.record_payment(
        chile,
        received_on=date(2025, 3, 1),
        amount=D("200.00"),
        currency="CHF",
        bank_reference="BR",
        invoice=invoice,
        by=None,
    )
    reversal = services.reverse_payment(paid, reason="Recorded twice", by=None, on=date(2025, 3, 2))
    assert reversal.reverses == paid
    assert selectors.outstanding(invoice) == invoice.amount - D("10.00")
    assert Allocation.objects.filter(payment=paid).aggregate(s=Sum("amount"))["s"] == 0
    with pytest.raises(services.Refused):
        services.reverse_payment(paid, reason="again", by=None)
    with pytest.raises(Immutable):
        paid.delete()
    with pytest.raises(Immutable):
        Entry.objects.first().delete()  # type: ignore[union-attr]
    # The status on a date before the reversal still shows the payment
    before = next(
        r for r in selectors.status("isu:2025", date(2025, 3, 1)).rows if r.state.iso3 == "CHL"
    )
    assert before.paid == D("200.00")
    after = next(
        r for r in selectors.status("isu:2025", date(2025, 3, 2)).rows if r.state.iso3 == "CHL"
    )
    assert after.paid == 0 and after.assessed == invoice.amount - D("10.00")
    ledger_matches_documents()


def test_arrears_from_earlier_years(invoiced: Assessment) -> None:
    chile = State.objects.get(iso3="CHL")
    old = Invoice.objects.get(number="ISU-2025-1-CHL")
    services.record_payment(
        chile,
        received_on=date(2025, 3, 1),
        amount=D("5.00"),
        currency="CHF",
        bank_reference="",
        invoice=old,
        by=None,
    )
    second_year = assessed("120000.00", year=2026, as_of=date(2026, 1, 1))
    services.issue_invoices(second_year, by=None, issued_on=date(2026, 2, 1), size=None, send=False)
    st = selectors.status("isu:2026", date(2026, 3, 1))
    row = next(r for r in st.rows if r.state.iso3 == "CHL")
    assert row.arrears == old.amount - D("5.00")
    assert row.assessed == Invoice.objects.get(number="ISU-2026-1-CHL").amount
    assert st.total("assessed") == D("120000.00")
    assert st.total("arrears") == D("100000.00") - D("5.00")
    # Before 2026's invoices were issued, nothing of 2026 is assessed
    early = selectors.status("isu:2026", date(2026, 1, 15))
    assert early.total("assessed") == 0 and early.total("arrears") == D("99995.00")


def test_the_ledger_sums_for_every_state(invoiced: Assessment) -> None:
    for n, iso3 in enumerate(["CHL", "PER", "FRA", "DEU"]):
        state = State.objects.get(iso3=iso3)
        inv = Invoice.objects.get(number=f"ISU-2025-1-{iso3}")
        with pytest.raises(services.Refused):  # money is to the cent
            services.record_payment(
                state,
                received_on=date(2025, 3, 1),
                amount=D("1.005"),
                currency="CHF",
                bank_reference="",
                invoice=inv,
                by=None,
            )
        services.record_payment(
            state,
            received_on=date(2025, 3, 1 + n),
            amount=(inv.amount / 2).quantize(D("0.01")) + n,
            currency="CHF",
            bank_reference=f"R{n}",
            invoice=inv,
            by=None,
        )
    ledger_matches_documents()


# The cash before a meeting -----------------------------------------------------------------------


def test_the_cash_before_a_meeting_on_any_date(
    reference: None, fast_pdf: list[str], settings: Any
) -> None:
    opens = timezone.localdate() + timedelta(days=120)
    meeting = meeting_factories.coming_meeting("15MSP", opens=opens)
    estimate = assessed(
        "300000.00",
        year=opens.year,
        as_of=timezone.localdate(),
        purpose="estimate",
        meeting="15MSP",
    )
    today = timezone.localdate()
    # Issue #25 changed this test's rule: it issued the meeting's invoices from the ISU and
    # recorded France's payment on its invoice; the costs are paid through the UN, so the ISU
    # records the UN's notice to France and the payment the UN received.
    france = State.objects.get(iso3="FRA")
    share = estimate.lines.get(state=france).amount
    services.record_un("notice", meeting, state=france, on=today, amount=share,
                       reference="UNODA/15MSP/FRA", reported_on=today, by=None)  # fmt: skip
    services.record_un("payment", meeting, state=france, on=today, amount=D("1000.00"),
                       reference="RCPT-1", reported_on=today, by=None)  # fmt: skip
    cash = selectors.cash(meeting, today)
    assert cash.required == D("300000.00") and cash.received == D("1000.00")
    assert cash.short == D("299000.00")
    assert cash.go_no_go == opens - timedelta(days=90) and not cash.go_no_go_passed
    assert "FRA" in {r.state.iso3 for r in cash.unpaid}
    yesterday = selectors.cash(meeting, today - timedelta(days=1))
    assert yesterday.received == 0 and not yesterday.known and not yesterday.all_paid
    assert [c.meeting.code for c in selectors.upcoming_cash(today)] == ["15MSP"]


# Reminders ----------------------------------------------------------------------------------


def test_reminders_of_unpaid_invoices_are_sent_once(invoiced: Assessment) -> None:
    contact("CHL", "fp@chile.example")
    due = Invoice.objects.get(number="ISU-2025-1-CHL").due_on
    assert due is not None
    assert reminders.send_invoice_reminders(due + timedelta(days=29)).sent == []
    first = reminders.send_invoice_reminders(due + timedelta(days=30))
    assert [s.split()[:2] for s in first.sent] == [["ISU-2025-1-CHL", "first"]]
    assert len(first.skipped) == 109  # every other State: no address on record
    again = reminders.send_invoice_reminders(due + timedelta(days=31))
    assert again.sent == [] and again.already == 1
    second = reminders.send_invoice_reminders(due + timedelta(days=60))
    assert [s.split()[:2] for s in second.sent] == [["ISU-2025-1-CHL", "second"]]
    assert InvoiceReminder.objects.count() == 2
    mails = OutgoingEmail.objects.filter(purpose="invoice reminder").order_by("pk")
    assert len(mails) == 2 and "Recordatorio" in mails[0].subject  # Chile reads Spanish
    # A paid invoice is not reminded
    peru_invoice = Invoice.objects.get(number="ISU-2025-1-PER")
    contact("PER", "fp@peru.example")
    services.record_payment(
        peru_invoice.state,
        received_on=date(2025, 3, 1),
        amount=peru_invoice.amount,
        currency="CHF",
        bank_reference="",
        invoice=peru_invoice,
        by=None,
    )
    assert not [
        s for s in reminders.send_invoice_reminders(due + timedelta(days=90)).sent if "PER" in s
    ]


def test_the_appeal_letter_lists_each_state_that_owes(invoiced: Assessment) -> None:
    pdf, letters = documents.appeal_pdf(date(2025, 6, 1))
    assert letters == 110
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "ISU-2025-1-AFG" in text and "Excellency" in text


# Pages ---------------------------------------------------------------------------------------


def test_status_pages_and_files(invoiced: Assessment, personas: dict[str, Client]) -> None:
    staff = personas["staff"]
    page = staff.get("/staff/finance/status/isu/2025/?as_of=2025-06-01")
    assert page.status_code == 200 and 'id="status-CHL"' in page.content.decode()
    xlsx = staff.get("/staff/finance/status/isu/2025/contributions.xlsx?as_of=2025-06-01")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[-1][1] == "Total" and D(str(rows[-1][2])) == D("100000.00")
    assert len(rows) == 111
    pdf = staff.get("/staff/finance/status/isu/2025/contributions.pdf?as_of=2025-06-01")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Status of contributions" in text and "Chile" in text
    assert staff.get("/staff/finance/status/isu/1999/").status_code == 404
    assert staff.get("/staff/finance/status/isu/2025/?as_of=1999-01-01").status_code == 400
    assert staff.get("/staff/finance/status/other/2025/").status_code == 404
    # Public only once published
    assert Client().get("/contributions/isu/2025/").status_code == 404
    assert "Nothing has been published" in Client().get("/contributions/").content.decode()
    assert (
        personas["presidency"].post("/staff/finance/status/isu/2025/?as_of=2025-06-01").status_code
        == 403
    )
    staff.post("/staff/finance/status/isu/2025/?as_of=2025-06-01")
    public = Client().get("/contributions/isu/2025/")
    assert public.status_code == 200 and 'id="status-CHL"' in public.content.decode()
    assert "ISU budget 2025" in Client().get("/contributions/").content.decode()
