"""State changes of the finance records (issue #13): each one function, atomic, audited,
`by=` the person acting. Nothing here changes or deletes an assessment, an invoice, a payment
or a ledger entry: a correction is a new record."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from ccm.core import audit, mail
from ccm.core.reference import Loaded
from ccm.core.tables import RowError, RowsRefused, check_header, csv_rows
from ccm.finance import rules, selectors
from ccm.finance.choices import (
    DEFAULT_CURRENCY,
    Currency,
    EntryKind,
    InvoiceKind,
    Purpose,
    UNSource,
)
from ccm.finance.models import (
    Allocation,
    Assessment,
    CostSharePublication,
    Entry,
    FinanceSettings,
    Invoice,
    Line,
    Payment,
    Publication,
    Rate,
    UNNotice,
    UNPayment,
    UNStatement,
)
from ccm.registry.models import State
from ccm.registry.selectors import mission_addresses

DATA = Path(__file__).resolve().parent / "data"
SCALE_CSV = DATA / "un_scale_of_assessments.csv"
NOTIONAL_CSV = DATA / "un_nonmember_notional_rates.csv"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class Refused(ValueError):
    """A step the rules refuse; the message is for the person."""


# The scale ------------------------------------------------------------------------------------


def _period(value: str, where: tuple[str, int], errors: list[RowError]) -> tuple[int, int] | None:
    first, _sep, last = value.partition("-")
    if not (first.isdigit() and last.isdigit() and int(last) - int(first) == 2):
        errors.append(RowError(*where, f"period {value!r} is not three years (YYYY-YYYY)"))
        return None
    return int(first), int(last)


def load_scale(scale_csv: Path = SCALE_CSV, notional_csv: Path = NOTIONAL_CSV) -> Loaded:
    """The UN scale of assessments and the notional rates, every row checked before anything is
    written (RowsRefused); each period must add up to 100.000 (the notional rates are outside
    it). Loading twice changes nothing."""
    errors: list[RowError] = []
    known = set(State.objects.values_list("iso3", flat=True))
    rows: list[dict[str, Any]] = []
    for path, column, notional in (
        (scale_csv, "rate_percent", False),
        (notional_csv, "notional_rate_percent", True),
    ):
        for line, row in csv_rows(path, ["iso3", "period", column, "source"], errors):
            where = (path.name, line)
            span = _period(row["period"], where, errors)
            try:
                rate = Decimal(row[column])
            except ArithmeticError:
                errors.append(RowError(*where, f"rate {row[column]!r} is not a number"))
                continue
            if row["iso3"] not in known:
                errors.append(RowError(*where, f"unknown State {row['iso3']!r}"))
            elif not row["source"]:
                errors.append(RowError(*where, "no source"))
            elif span is not None:
                rows.append(
                    {
                        "period": row["period"],
                        "first_year": span[0],
                        "last_year": span[1],
                        "state_id": row["iso3"],
                        "rate": rate,
                        "notional": notional,
                        "source": row["source"],
                    }
                )
    totals: dict[str, Decimal] = {}
    for r in rows:
        if not r["notional"]:
            totals[r["period"]] = totals.get(r["period"], ZERO) + r["rate"]
    flagged = [
        f"scale {p} sums to {t}%, not 100.000%"
        for p, t in sorted(totals.items())
        if t != Decimal(100)
    ]
    if errors:
        raise RowsRefused(errors)
    have = set(Rate.objects.values_list("period", "state_id"))
    new = [Rate(**r) for r in rows if (r["period"], r["state_id"]) not in have]
    Rate.objects.bulk_create(new)
    return Loaded(
        f"finance: {len(new)} rates of assessment created, {len(rows) - len(new)} unchanged",
        flagged,
    )


# Assessments ---------------------------------------------------------------------------------


def save_assessment(
    computed: selectors.Computed, *, purpose: str, by: Any, note: str = ""
) -> Assessment:
    """Store a computed assessment as the next version of its scope; two saved at once: the
    second is refused (the person looks again), never numbered twice."""
    try:
        return _save_assessment(computed, purpose=purpose, by=by, note=note)
    except IntegrityError:
        raise Refused("another version was saved meanwhile: look at it, then save again") from None


@transaction.atomic
def _save_assessment(
    computed: selectors.Computed, *, purpose: str, by: Any, note: str = ""
) -> Assessment:
    """Store a computed assessment as the next version of its scope (the ISU budget of its
    year, or its meeting): inputs, settings, method and every payer's line, excluded ones
    with the reason."""
    if purpose not in Purpose.values:
        raise Refused(f"purpose {purpose!r} is unknown")
    if purpose == Purpose.ISU_BUDGET and computed.payers != "parties":
        raise Refused("the ISU budget is shared by the States Parties only")
    if purpose != Purpose.ISU_BUDGET and computed.meeting is None:
        raise Refused("a meeting's costs are shared by the payers of that meeting")
    if computed.meeting is not None:
        try:
            selectors.assessable(computed.meeting)
        except selectors.NotAssessable as exc:
            raise Refused(str(exc)) from None
    currency = DEFAULT_CURRENCY[Purpose(purpose)]
    if computed.currency != currency:
        raise Refused(f"this purpose is assessed in {currency}")
    scope = selectors.scope_of(purpose, computed.year, computed.meeting)
    last = Assessment.objects.filter(scope=scope).aggregate(v=Max("version"))["v"] or 0
    assessment = Assessment.objects.create(
        scope=scope,
        version=last + 1,
        purpose=purpose,
        year=computed.year,
        meeting=computed.meeting,
        cost=computed.cost,
        currency=computed.currency,
        scale_period=computed.period,
        payers=computed.payers,
        as_of=computed.as_of,
        options=computed.options.as_json(),
        method=computed.result.method,
        note=note.strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    lines = [
        Line(
            assessment=assessment,
            state_id=ln.payer,
            rate=ln.rate,
            share=str(ln.share),
            amount=ln.amount,
        )
        for ln in computed.result.lines
    ]
    lines += [
        Line(assessment=assessment, state_id=p, excluded=why)
        for p, why in computed.result.excluded.items()
    ]
    Line.objects.bulk_create(lines)
    audit.record(
        "assessment.saved",
        by=by,
        actor_label="" if by else "ccm assess",
        obj=assessment,
        summary=f"{assessment.reference}: {assessment.cost} {assessment.currency} over "
        f"{len(computed.result.lines)} payers",
    )
    return assessment


# Invoices ----------------------------------------------------------------------------------


@dataclass
class Due:
    """What one State is to be invoiced (or credited) under an assessment: its amount under this
    version less what earlier versions of the scope invoiced."""

    state: State
    language: str
    assessed: Decimal
    invoiced_before: Decimal

    @property
    def difference(self) -> Decimal:
        return self.assessed - self.invoiced_before


def number_of(assessment: Assessment, iso3: str) -> str:
    return f"{assessment.reference}-{iso3}"


def dues(assessment: Assessment) -> list[Due]:
    """Every payer's due under an assessment, with what earlier versions invoiced (three
    queries at most). A State invoiced before and no longer a payer is credited back."""
    lines = list(assessment.lines.select_related("state"))
    before = {
        r["state_id"]: r
        for r in Invoice.objects.filter(
            assessment__scope=assessment.scope, assessment__version__lt=assessment.version
        )
        .values("state_id")
        .annotate(
            i=Sum("amount", filter=Q(kind=InvoiceKind.INVOICE)),
            c=Sum("amount", filter=Q(kind=InvoiceKind.CREDIT_NOTE)),
        )
    }
    out = []
    for line in lines:
        r = before.pop(line.state_id, None)
        billed = ((r["i"] or ZERO) - (r["c"] or ZERO)) if r else ZERO
        out.append(Due(line.state, _language(line.state), line.amount or ZERO, billed))
    gone = State.objects.in_bulk(list(before))  # invoiced before, not in this version at all
    for iso3, r in before.items():
        out.append(
            Due(gone[iso3], _language(gone[iso3]), ZERO, (r["i"] or ZERO) - (r["c"] or ZERO))
        )
    return sorted(out, key=lambda d: d.state.iso3)


def _language(state: State) -> str:
    return state.language if state.language in ("en", "fr", "es") else "en"


def addresses(iso3: str) -> list[str]:
    """Where a State's invoices go: its national focal points and permanent mission."""
    return mission_addresses(iso3)


@dataclass
class Batch:
    issued: list[str] = field(default_factory=list)  # numbers
    credited: list[str] = field(default_factory=list)
    unchanged: int = 0  # nothing to invoice: no difference from what earlier versions invoiced
    without_address: list[str] = field(default_factory=list)
    remaining: int = 0
    total: int = 0

    @property
    def done(self) -> int:
        return self.total - self.remaining


def refuse_meeting_invoices(assessment: Assessment) -> None:
    """A meeting's costs (Art. 14(1)) are assessed and collected through the UN: the ISU never
    invoices them on its letterhead (issue #25). Only the ISU budget is invoiced by the ISU."""
    if assessment.purpose != Purpose.ISU_BUDGET:
        from django.utils.translation import gettext as _

        raise Refused(
            _(
                "A meeting's costs are paid through the United Nations, not to the ISU: the "
                "ISU does not invoice them. Publish the cost-share table and record the UN's "
                "notices and payments instead."
            )
        )


def issue_invoices(
    assessment: Assessment,
    *,
    by: Any,
    issued_on: date | None = None,
    due_on: date | None = None,
    size: int | None = 20,
    send: bool = True,
) -> Batch:
    """The next `size` invoices of an assessment (None: all): for each payer the difference
    between its amount and what earlier versions invoiced, an invoice when it owes more, a
    credit note when less. Each PDF is rendered in the State's language before any row is
    written; each document is then written with its ledger entry and e-mail in one short
    transaction, under its unique number, so issuing twice never issues twice."""
    from ccm.finance import documents

    refuse_meeting_invoices(assessment)
    issued_on = issued_on or timezone.localdate()
    due_on = due_on or issued_on + timedelta(days=settings.CCM_INVOICE_DUE_DAYS)
    if due_on < issued_on:
        raise Refused("the due date is before the date of issue")
    batch = Batch()
    plan = [d for d in dues(assessment) if d.difference != 0]
    batch.unchanged = len(assessment.lines.all()) - len(plan)
    have = set(
        Invoice.objects.filter(
            number__in=[number_of(assessment, d.state.iso3) for d in plan]
        ).values_list("number", flat=True)
    )
    waiting = [d for d in plan if number_of(assessment, d.state.iso3) not in have]
    batch.total = len(plan)
    chosen = waiting if size is None else waiting[:size]
    latest = _latest_invoices(assessment, [d.state.iso3 for d in chosen if d.difference < 0])
    for due in chosen:
        invoice = _draft(assessment, due, issued_on, due_on, latest.get(due.state.iso3), by)
        pdf = documents.invoice_pdf(invoice)
        subject, body = documents.invoice_email(invoice) if send else ("", "")
        to = addresses(due.state.iso3) if send else []

        def email(
            document: Invoice,
            pdf: bytes = pdf,
            subject: str = subject,
            body: str = body,
            to: list[str] = to,
        ) -> None:
            if to:
                mail.queue_email(
                    subject,
                    body,
                    to,
                    purpose="invoice",
                    attachments=[(f"{document.number}.pdf", pdf, "application/pdf")],
                )
                document.sent_at, document.sent_to = timezone.now(), to
                document.save(update_fields=["sent_at", "sent_to"])
            elif send:
                # Kept with the document, not only in this batch's answer: the page lists every
                # State not reached across all batches (issue #26).
                audit.record(selectors.NOT_EMAILED, by=by, obj=document,
                             summary=f"{document.number}: no address on record")  # fmt: skip

        summary = f"{invoice.number}: {invoice.amount} {invoice.currency} to {due.state.iso3}"
        if not _write(invoice, pdf, text=invoice.number, by=by, summary=summary, within=email):
            continue  # issued meanwhile by another run: leave it
        (batch.issued if invoice.kind == InvoiceKind.INVOICE else batch.credited).append(
            invoice.number
        )
        if send and not to:
            batch.without_address.append(due.state.iso3)
    left = Invoice.objects.filter(number__in=[number_of(assessment, d.state.iso3) for d in plan])
    batch.remaining = len(plan) - left.count()
    if send:
        mail.deliver_pending()
    return batch


def _write(
    document: Invoice,
    pdf: bytes,
    *,
    text: str,
    by: Any,
    summary: str,
    within: Callable[[Invoice], None] | None = None,
    after: dict[str, Any] | None = None,
) -> bool:
    """An invoice or credit note as issued: its PDF stored, then the document, its ledger entry,
    what `within` adds (its e-mail) and the audit, in one transaction. False when its number
    was taken meanwhile (another run issued it): nothing is written, the file is removed."""
    document.pdf.save(f"{document.number}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            document.save()
            Entry.objects.create(
                state=document.state,
                currency=document.currency,
                on=document.issued_on,
                kind=document.kind,
                amount=document.signed,
                invoice=document,
                text=text[:200],
            )
            if within is not None:
                within(document)
            audit.record(
                f"{document.kind}.issued",
                by=by,
                obj=document,
                summary=summary,
                actor_label="" if by else "ccm",
                after=after,
            )
    except IntegrityError:
        document.pdf.delete(save=False)
        return False
    return True


def _latest_invoices(assessment: Assessment, iso3s: list[str]) -> dict[str, Invoice]:
    found: dict[str, Invoice] = {}
    for inv in Invoice.objects.filter(
        assessment__scope=assessment.scope, state_id__in=iso3s, kind=InvoiceKind.INVOICE
    ).order_by("issued_on", "pk"):
        found[inv.state_id] = inv
    return found


def _draft(
    assessment: Assessment,
    due: Due,
    issued_on: date,
    due_on: date,
    latest: Invoice | None,
    by: Any,
) -> Invoice:
    """The unsaved invoice or credit note for one State's difference, with its lines."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    charge = due.difference > 0
    with translation.override(due.language):
        label = selectors.scope_label(assessment.scope)
        lines = [
            [
                _("%(what)s: assessed contribution (assessment %(ref)s)")
                % {"what": label, "ref": assessment.reference},
                str(due.assessed),
            ]
        ]
        if due.invoiced_before:
            lines.append(
                [_("Less: already invoiced under earlier versions"), str(-due.invoiced_before)]
            )
    return Invoice(
        number=number_of(assessment, due.state.iso3),
        kind=InvoiceKind.INVOICE if charge else InvoiceKind.CREDIT_NOTE,
        state=due.state,
        assessment=assessment,
        corrects=None if charge else latest,
        currency=assessment.currency,
        amount=abs(due.difference),
        lines=lines,
        issued_on=issued_on,
        due_on=due_on if charge else None,
        language=due.language,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )


def credit_note(
    invoice: Invoice, *, amount: Decimal, reason: str, by: Any, on: date | None = None
) -> Invoice:
    """A credit note reducing an invoice (a correction: the invoice itself is never changed),
    up to what the invoice still bears once earlier credit notes are taken off."""
    from ccm.finance import documents

    on = on or timezone.localdate()
    if invoice.kind != InvoiceKind.INVOICE:
        raise Refused("a credit note corrects an invoice")
    if not reason.strip():
        raise Refused("say why the invoice is corrected")
    left = invoice.amount - selectors.credited(invoice)
    if amount <= 0 or amount > left or amount != amount.quantize(CENT):
        raise Refused(f"the credit is more than zero and at most {left} {invoice.currency}")
    if on < invoice.issued_on:
        raise Refused("a credit note is dated on or after the invoice")
    n = invoice.credit_notes.count() + 1
    note = Invoice(
        number=f"{invoice.number}-C{n}",
        kind=InvoiceKind.CREDIT_NOTE,
        state=invoice.state,
        assessment=None,
        corrects=invoice,
        currency=invoice.currency,
        amount=amount,
        lines=[[reason.strip()[:300], str(-amount)]],
        issued_on=on,
        language=invoice.language,
        reason=reason.strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    summary = f"{note.number}: {amount} {note.currency} on {invoice.number}"
    if not _write(
        note,
        documents.invoice_pdf(note),
        text=f"{note.number} ({invoice.number})",
        by=by,
        summary=summary,
        after={"reason": note.reason},
    ):
        raise Refused("another credit note was issued meanwhile: look again")
    return note


# Payments ----------------------------------------------------------------------------------


@transaction.atomic
def record_payment(
    state: State,
    *,
    received_on: date,
    amount: Decimal,
    currency: str,
    bank_reference: str,
    by: Any,
    invoice: Invoice | None = None,
    note: str = "",
    sent_amount: Decimal | None = None,
    sent_currency: str = "",
    bank_charges: Decimal = ZERO,
) -> Payment:
    """A payment received, as the bank statement gives it: `amount` credited in `currency` (the
    invoice's), what the State sent (`sent_amount` in `sent_currency`, perhaps EUR) and the bank
    charges taken on the way, in `currency` (issue #25). The charges are a ledger entry of their
    own; the payment settles what was credited plus the charges. With an invoice, it is set
    against it up to what the invoice still bears; anything over it is the State's credit, to
    be set against a later invoice. Without one, all of it waits to be allocated."""
    if amount <= 0 or amount != amount.quantize(CENT):
        raise Refused("a payment is more than zero, to the cent")
    if currency not in Currency.values:
        raise Refused(
            f"record the amount credited in {' or '.join(Currency.values)} (the invoices' "
            "currencies); the currency the State sent goes beside it"
        )
    sent_currency = sent_currency.strip().upper()
    problems = rules.payment_problems(
        credited=amount,
        currency=currency,
        charges=bank_charges,
        sent_amount=sent_amount,
        sent_currency=sent_currency,
    )
    if problems:
        raise Refused("; ".join(problems))
    if received_on > timezone.localdate():
        raise Refused("a payment is recorded once received, not before")
    if invoice is not None:
        if invoice.state_id != state.iso3:
            raise Refused("that invoice is another State's")
        if invoice.currency != currency:
            raise Refused(f"that invoice is in {invoice.currency}: record the payment in it")
        if invoice.kind != InvoiceKind.INVOICE:
            raise Refused("a payment is set against an invoice, not a credit note")
    payment = Payment.objects.create(
        state=state,
        received_on=received_on,
        amount=amount,
        currency=currency,
        bank_reference=bank_reference.strip()[:100],
        note=note.strip(),
        sent_amount=sent_amount,
        sent_currency=sent_currency,
        bank_charges=bank_charges,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    Entry.objects.create(
        state=state,
        currency=currency,
        on=received_on,
        kind=EntryKind.PAYMENT,
        amount=-amount,
        payment=payment,
        text=bank_reference.strip()[:200] or str(payment),
    )
    _charges_entry(payment, sign=-1)
    applied = ZERO
    if invoice is not None:
        applied = min(payment.settles, selectors.outstanding(_locked(invoice)))
        if applied > 0:
            Allocation.objects.create(
                payment=payment,
                invoice=invoice,
                amount=applied,
                on=received_on,
                created_by=payment.created_by,
            )
    audit.record(
        "payment.recorded",
        by=by,
        obj=payment,
        summary=f"{state.iso3}: {amount} {currency} received {received_on}"
        + (f" ({sent_amount} {sent_currency} sent)" if sent_amount is not None else "")
        + (f", bank charges {bank_charges} {currency}" if bank_charges else "")
        + (f", {applied} on {invoice.number}" if invoice else ", not allocated")
        + (
            f", {payment.settles - applied} in credit"
            if invoice and payment.settles > applied
            else ""
        ),
    )
    return payment


def _charges_entry(payment: Payment, *, sign: int) -> None:
    """The bank charges of a payment (sign -1) or of its reversal (+1): a ledger entry of their
    own, so that the payment's entry is what the bank credited and the ledger adds up."""
    if payment.bank_charges:
        Entry.objects.create(
            state_id=payment.state_id,
            currency=payment.currency,
            on=payment.received_on,
            kind=EntryKind.BANK_CHARGES,
            amount=sign * payment.bank_charges,
            charges_of=payment,
            text=(f"bank charges on {payment.bank_reference}" if payment.bank_reference else
                  f"bank charges on payment {payment.reverses_id or payment.pk}")[:200],
        )  # fmt: skip


def _locked(invoice: Invoice) -> Invoice:
    """The invoice, locked until the end of the transaction (two allocations at once cannot both
    take its last franc)."""
    return Invoice.objects.select_for_update(of=("self",)).get(pk=invoice.pk)


@transaction.atomic
def allocate(
    payment: Payment, invoice: Invoice, *, amount: Decimal, by: Any, on: date | None = None
) -> Allocation:
    """Set part of a payment not yet allocated against an invoice of the same State and
    currency, up to what each still has."""
    on = on or timezone.localdate()
    payment = Payment.objects.select_for_update(of=("self",)).get(pk=payment.pk)
    invoice = _locked(invoice)
    if payment.state_id != invoice.state_id:
        raise Refused("that invoice is another State's")
    if payment.currency != invoice.currency:
        raise Refused("the payment and the invoice are in different currencies")
    if invoice.kind != InvoiceKind.INVOICE:
        raise Refused("a payment is set against an invoice, not a credit note")
    free = selectors.unallocated(payment)
    owed = selectors.outstanding(invoice)
    if amount <= 0 or amount > free or amount > owed or amount != amount.quantize(CENT):
        most = max(min(free, owed), ZERO).quantize(CENT)
        raise Refused(f"allocate more than zero and at most {most} {payment.currency}")
    done = Allocation.objects.create(
        payment=payment,
        invoice=invoice,
        amount=amount,
        on=max(on, payment.received_on),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        "payment.allocated",
        by=by,
        obj=payment,
        summary=f"{amount} {payment.currency} of payment {payment.pk} on {invoice.number}",
    )
    return done


@transaction.atomic
def reverse_payment(payment: Payment, *, reason: str, by: Any, on: date | None = None) -> Payment:
    """Undo a payment recorded in error or returned by the bank: a reversal that adds it back
    to the State's balance and takes back its allocations; the payment itself stays."""
    on = on or timezone.localdate()
    payment = Payment.objects.select_for_update(of=("self",)).get(pk=payment.pk)
    if payment.reverses_id is not None:
        raise Refused("a reversal is not reversed; record the payment again")
    if Payment.objects.filter(reverses=payment).exists():
        raise Refused("this payment is already reversed")
    if not reason.strip():
        raise Refused("say why the payment is reversed")
    on = max(on, payment.received_on)
    reversal = Payment.objects.create(
        state=payment.state,
        received_on=on,
        amount=payment.amount,
        currency=payment.currency,
        bank_reference=payment.bank_reference,
        note=reason.strip(),
        reverses=payment,
        sent_amount=payment.sent_amount,
        sent_currency=payment.sent_currency,
        bank_charges=payment.bank_charges,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    Entry.objects.create(
        state=payment.state,
        currency=payment.currency,
        on=on,
        kind=EntryKind.REVERSAL,
        amount=payment.amount,
        payment=reversal,
        text=f"reversal of payment {payment.pk}",
    )
    _charges_entry(reversal, sign=1)
    per_invoice: dict[int, Decimal] = {}
    for a in payment.allocations.all():
        per_invoice[a.invoice_id] = per_invoice.get(a.invoice_id, ZERO) + a.amount
    for invoice_id, amount in per_invoice.items():
        if amount:
            Allocation.objects.create(
                payment=payment,
                invoice_id=invoice_id,
                amount=-amount,
                on=on,
                created_by=reversal.created_by,
            )
    audit.record(
        "payment.reversed",
        by=by,
        obj=payment,
        summary=f"{payment.state_id}: payment {payment.pk} of {payment.amount} "
        f"{payment.currency} reversed",
        after={"reason": reason.strip()},
    )
    return reversal


@transaction.atomic
def write_off(
    invoice: Invoice, *, amount: Decimal, reason: str, by: Any, on: date | None = None
) -> Invoice:
    """Write off a small difference left on an invoice (a payment short by a few francs after
    the exchange and the banks' charges), by the ISU with a reason, up to the limit in the
    finance settings (issue #25). A record of its own (kind "write-off", correcting the
    invoice) with its own ledger entry: the invoice itself is never changed."""
    on = on or timezone.localdate()
    if not getattr(by, "is_authenticated", False):
        raise Refused("a write-off is made by a member of the ISU")
    invoice = _locked(invoice)
    if invoice.kind != InvoiceKind.INVOICE:
        raise Refused("a write-off reduces an invoice")
    limit = selectors.setup().limit_for(invoice.currency)
    problems = rules.write_off_problems(
        amount=amount, outstanding=selectors.outstanding(invoice), limit=limit, reason=reason
    )
    if problems:
        raise Refused("; ".join(problems))
    if on < invoice.issued_on:
        raise Refused("a write-off is dated on or after the invoice")
    n = invoice.credit_notes.filter(kind=InvoiceKind.WRITE_OFF).count() + 1
    done = Invoice.objects.create(
        number=f"{invoice.number}-W{n}",
        kind=InvoiceKind.WRITE_OFF,
        state=invoice.state,
        corrects=invoice,
        currency=invoice.currency,
        amount=amount,
        lines=[[reason.strip()[:300], str(-amount)]],
        issued_on=on,
        language=invoice.language,
        reason=reason.strip(),
        created_by=by,
    )
    Entry.objects.create(
        state=invoice.state,
        currency=invoice.currency,
        on=on,
        kind=EntryKind.WRITE_OFF,
        amount=-amount,
        invoice=done,
        text=f"{done.number} ({invoice.number})",
    )
    audit.record(
        "invoice.written_off",
        by=by,
        obj=done,
        summary=f"{done.number}: {amount} {done.currency} written off {invoice.number}",
        after={"reason": done.reason, "limit": str(limit)},
    )
    return done


# Publication -----------------------------------------------------------------------------------


@transaction.atomic
def publish_status(scope: str, *, as_of: date, by: Any) -> Publication:
    """Make the status of contributions of a scope public as of a date (the ISU decides)."""
    selectors.scope_year(scope)  # Unknown when nothing is assessed
    if as_of > timezone.localdate():
        raise Refused("publish the status as of today or an earlier date")
    done = Publication.objects.create(
        scope=scope, as_of=as_of, published_by=by if by.is_authenticated else None
    )
    audit.record(
        "contributions.published", by=by, obj=done, summary=f"{scope} as of {as_of.isoformat()}"
    )
    return done


# Rates entered by the ISU, and the finance settings (issue #25) ---------------------------------


@transaction.atomic
def add_rate(state: State, *, period: str, rate: Decimal, source: str, by: Any) -> Rate:
    """A rate for a State without one in a scale period (the Holy See's or the State of
    Palestine's notional rate for 2016-2018, from the General Assembly's resolution), with its
    source; never one that replaces a rate on record."""
    if not getattr(by, "is_authenticated", False):
        raise Refused("a rate is entered by a member of the ISU")
    errors: list[RowError] = []
    span = _period(period.strip(), ("", 0), errors)
    if span is None:
        raise Refused(f"the period {period!r} is three years, YYYY-YYYY")
    period = period.strip()
    if period not in selectors.periods():
        raise Refused(f"no UN scale is loaded for {period}")
    if rate <= 0 or rate > 100 or rate != rate.quantize(Decimal("0.001")):
        raise Refused("a rate is a percentage above 0 and at most 100, with three decimals")
    if not source.strip():
        raise Refused("give the rate's source (the resolution and paragraph)")
    if Rate.objects.filter(period=period, state=state).exists():
        raise Refused(f"{state.name} has a rate for {period} already")
    done = Rate.objects.create(
        period=period,
        first_year=span[0],
        last_year=span[1],
        state=state,
        rate=rate,
        notional=True,
        source=source.strip(),
        added_by=by,
        added_at=timezone.now(),
    )
    audit.record(
        "rate.added",
        by=by,
        obj=done,
        summary=f"{state.iso3} {period}: {rate}%",
        after={"source": done.source},
    )
    return done


@transaction.atomic
def save_settings(
    *,
    letterhead: str,
    bank_details: dict[str, str],
    minimum: dict[str, Decimal | None],
    write_off_limit: dict[str, Decimal | None],
    by: Any,
) -> FinanceSettings:
    """The ISU's finance settings, saved as a new row (the earlier ones stay, for the record)."""
    if not getattr(by, "is_authenticated", False):
        raise Refused("the settings are set by a member of the ISU")
    if not letterhead.strip():
        raise Refused("give the ISU's letterhead (its name and address)")
    for values in (minimum, write_off_limit):
        for currency, value in values.items():
            if currency not in Currency.values:
                raise Refused(f"{currency} is not a currency of the invoices")
            if value is not None and (value < 0 or value != value.quantize(CENT)):
                raise Refused("amounts are zero or more, to the cent")
    before = selectors.setup()
    done = FinanceSettings.objects.create(
        letterhead=letterhead.strip(),
        bank_details={c: bank_details.get(c, "").strip() for c in Currency.values},
        minimum={c: str(v) for c, v in minimum.items() if v is not None},
        write_off_limit={c: str(v) for c, v in write_off_limit.items() if v is not None},
        created_by=by,
    )
    audit.record(
        "finance.settings_saved",
        by=by,
        obj=done,
        summary="finance settings saved",
        before=None
        if before.saved is None
        else {
            "letterhead": before.letterhead,
            "bank_details": before.bank_details,
            "minimum": {c: str(v) for c, v in before.minimum.items()},
            "write_off_limit": {c: str(v) for c, v in before.write_off_limit.items()},
        },
        after={
            "letterhead": done.letterhead,
            "bank_details": done.bank_details,
            "minimum": done.minimum,
            "write_off_limit": done.write_off_limit,
        },
    )
    return done


def load_reference() -> Loaded:
    """Finance's part of `ccm load_reference_data` (registered in apps.py)."""
    return load_scale()


# Meeting costs through the UN (issue #25) ------------------------------------------------------
# The ISU publishes a formal meeting's cost-share table and records what the UN (UNODA) reports:
# its assessment notices and the payments it received, one by one or from its statement.

UN_KINDS: dict[str, type[UNNotice] | type[UNPayment]] = {"notice": UNNotice, "payment": UNPayment}
UN_COLUMNS = ["meeting", "iso3", "type", "date", "amount_usd", "reference"]
UN_OPTIONAL = ["state", "note"]


@transaction.atomic
def publish_cost_share(assessment: Assessment, *, by: Any) -> CostSharePublication:
    """Make a formal meeting's cost-share table public (the version chosen by the ISU)."""
    if assessment.purpose == Purpose.ISU_BUDGET or assessment.meeting is None:
        raise Refused("only a meeting's cost-share table is published here")
    try:
        selectors.assessable(assessment.meeting)
    except selectors.NotAssessable as exc:
        raise Refused(str(exc)) from None
    done = CostSharePublication.objects.create(
        assessment=assessment, published_by=by if getattr(by, "is_authenticated", False) else None
    )
    audit.record(
        "cost_share.published",
        by=by,
        actor_label="" if by else "ccm",
        obj=done,
        summary=f"cost-share table {assessment.reference} published",
    )
    return done


@dataclass
class UNImported:
    statement: UNStatement | None = None
    notices: int = 0
    payments: int = 0
    unchanged: int = 0  # rows the UN's earlier statements had already given, identical


def _un_check(meeting: Any, reported_on: date) -> None:
    try:
        selectors.assessable(meeting)
    except selectors.NotAssessable as exc:
        raise Refused(str(exc)) from None
    if reported_on > timezone.localdate():
        raise Refused("the UN's report is dated today or earlier")


@transaction.atomic
def record_un(
    kind: str,
    meeting: Any,
    *,
    state: State,
    on: date,
    amount: Decimal,
    reference: str,
    reported_on: date,
    by: Any,
    note: str = "",
) -> UNNotice | UNPayment:
    """One assessment notice or payment as the UN reports it, entered by the ISU."""
    if kind not in UN_KINDS:
        raise Refused("a notice or a payment")
    _un_check(meeting, reported_on)
    if amount <= 0 or amount != amount.quantize(CENT):
        raise Refused("an amount of more than zero USD, to the cent")
    if on > reported_on:
        raise Refused("the date is on or before the day the UN reported it")
    reference = reference.strip()
    if not reference or len(reference) > 100:
        raise Refused("give the UN's reference (up to 100 characters)")
    model = UN_KINDS[kind]
    if model.objects.filter(meeting=meeting, state=state, reference=reference).exists():
        raise Refused(f"{state.iso3} already has a {kind} with the reference {reference!r}")
    done = model.objects.create(
        meeting=meeting,
        state=state,
        on=on,
        amount=amount,
        reference=reference,
        reported_on=reported_on,
        source=UNSource.ENTERED,
        note=note.strip(),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        f"un_{kind}.recorded",
        by=by,
        obj=done,
        summary=f"{meeting.code} {state.iso3}: UN {kind} {reference} {amount} USD on {on}",
    )
    return done


def import_un_statement(
    meeting: Any, name: str, data: bytes, *, reported_on: date, by: Any
) -> UNImported:
    """The UN's statement of a meeting's costs (CSV or XLSX; columns meeting, iso3, type
    notice|payment, date, amount_usd, reference; state and note may stay beside them): every row
    checked before anything is written (RowsRefused names each bad row, its column and why).
    A statement is cumulative: a row already recorded identically is left as it is; the same
    file twice is refused."""
    _un_check(meeting, reported_on)
    digest = hashlib.sha256(data).hexdigest()
    earlier = UNStatement.objects.filter(meeting=meeting, digest=digest).first()
    if earlier is not None:
        raise Refused(
            f"this statement was already imported ({earlier.filename}, dated "
            f"{earlier.reported_on.isoformat()}): nothing was written"
        )
    errors: list[RowError] = []
    table = check_header(name, data, errors, UN_COLUMNS, UN_OPTIONAL)
    if errors or table is None:
        raise RowsRefused(errors)
    states = {s.iso3: s for s in State.objects.all()}
    have = {
        kind: {(r.state_id, r.reference): r for r in model.objects.filter(meeting=meeting)}
        for kind, model in UN_KINDS.items()
    }
    seen: set[tuple[str, str, str]] = set()
    rows: list[tuple[str, dict[str, Any]]] = []
    unchanged = 0

    def bad(line: int, column: str, why: str) -> None:
        errors.append(RowError(name, line, f"column {column}: {why}"))

    for line, row in table.rows:
        if any(k.startswith("__") for k in row):
            errors.append(RowError(name, line, "a row that cannot be read (a formula, too many "
                                               "cells or a quote left open)"))  # fmt: skip
            continue
        before = len(errors)
        code = row.get("meeting", "").strip()
        if code != meeting.code:
            bad(line, "meeting", f"{code!r} is not {meeting.code}: this statement is for "
                                 "another meeting")  # fmt: skip
        iso3 = row.get("iso3", "").strip().upper()
        if iso3 not in states:
            bad(line, "iso3", f"unknown State {iso3!r}")
        kind = row.get("type", "").strip().lower()
        if kind not in UN_KINDS:
            bad(line, "type", f"{kind!r} is not notice or payment")
        on = None
        try:
            on = date.fromisoformat(row.get("date", "").strip())
        except ValueError:
            bad(line, "date", f"{row.get('date', '')!r} is not a date (YYYY-MM-DD)")
        if on is not None and on > reported_on:
            bad(line, "date", f"{on.isoformat()} is after the statement's date")
        amount = None
        try:
            amount = selectors.money(row.get("amount_usd", ""))
        except ValueError as exc:
            bad(line, "amount_usd", str(exc))
        if amount is not None and amount <= 0:
            bad(line, "amount_usd", "an amount of more than zero")
        reference = row.get("reference", "").strip()
        if not reference or len(reference) > 100:
            bad(line, "reference", "the UN's reference is missing or longer than 100 characters")
        if len(errors) > before:
            continue
        key = (kind, iso3, reference)
        if key in seen:
            bad(line, "reference", f"a second {kind} of {iso3} with the reference {reference!r}")
            continue
        seen.add(key)
        old = have[kind].get((iso3, reference))
        if old is not None:
            if (old.on, old.amount) != (on, amount):
                bad(line, "reference", f"{iso3}'s {kind} {reference!r} is recorded with "
                    f"{old.amount} USD on {old.on.isoformat()}: a correction has its own "
                    "reference")  # fmt: skip
            else:
                unchanged += 1
            continue
        note = row.get("note", "").strip()
        rows.append((kind, {"state": states[iso3], "on": on, "amount": amount,
                            "reference": reference, "note": note}))  # fmt: skip
    if errors:
        raise RowsRefused(errors)
    return _write_un_statement(meeting, name, digest, reported_on, rows, unchanged, by)


def _write_un_statement(
    meeting: Any,
    name: str,
    digest: str,
    reported_on: date,
    rows: list[tuple[str, dict[str, Any]]],
    unchanged: int,
    by: Any,
) -> UNImported:
    who = by if getattr(by, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            statement = UNStatement.objects.create(
                meeting=meeting, reported_on=reported_on, filename=Path(name).name[:200],
                digest=digest, created_by=who,
            )  # fmt: skip
            done = UNImported(statement, unchanged=unchanged)
            common = {"meeting": meeting, "reported_on": reported_on, "statement": statement,
                      "source": UNSource.IMPORTED, "created_by": who}  # fmt: skip
            notices = [UNNotice(**common, **v) for k, v in rows if k == "notice"]
            payments = [UNPayment(**common, **v) for k, v in rows if k == "payment"]
            UNNotice.objects.bulk_create(notices)
            UNPayment.objects.bulk_create(payments)
            done.notices, done.payments = len(notices), len(payments)
            audit.record(
                "un_statement.imported",
                by=by,
                obj=statement,
                summary=f"{meeting.code}: UN statement of {reported_on.isoformat()}, "
                f"{done.notices} notices, {done.payments} payments, {unchanged} unchanged",
            )
    except IntegrityError:
        raise Refused("the statement was imported meanwhile: look again") from None
    return done
