"""Reminders of unpaid invoices, e-mailed to the State's focal points and mission: idempotent,
safe to run from cron (`ccm send_invoice_reminders`), as the reporting reminders are.

An invoice still unpaid CCM_INVOICE_FIRST_REMINDER_DAYS after its due date gets a first
reminder, CCM_INVOICE_SECOND_REMINDER_DAYS after it a second: each once, the log row and the
e-mail written in one short transaction under a unique constraint, so a second run (or two runs
at once) never sends the same reminder twice. The outbox sends after commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction

from ccm.core import audit, mail
from ccm.finance import documents, rules, selectors, services
from ccm.finance.choices import InvoiceKind, Purpose
from ccm.finance.models import Invoice, InvoiceReminder


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # no address on record
    already: int = 0


def send_invoice_reminders(as_of: date, *, dry_run: bool = False) -> Outcome:
    outcome = Outcome()
    done = set(InvoiceReminder.objects.values_list("invoice_id", "stage"))
    first = settings.CCM_INVOICE_FIRST_REMINDER_DAYS
    second = settings.CCM_INVOICE_SECOND_REMINDER_DAYS
    candidates = Invoice.objects.filter(
        kind=InvoiceKind.INVOICE, issued_on__lte=as_of, due_on__lte=as_of
    ).select_related("state", "assessment")
    unpaid = selectors.unpaid_invoices(as_of, list({i.state_id for i in candidates}))
    # A meeting's costs are paid through the UN (issue #25): an invoice the ISU issued for them
    # earlier stays readable but gets no reminder from the ISU, and the outcome says so.
    through_un = set(
        candidates.exclude(assessment=None)
        .exclude(assessment__purpose=Purpose.ISU_BUDGET)
        .values_list("pk", flat=True)
    )
    for iso3, items in sorted(unpaid.items()):
        for invoice, left in items:
            if invoice.pk in through_un:
                outcome.skipped.append(
                    f"{invoice.number}: a meeting's costs are paid through the UN, no reminder"
                )
                continue
            stage = rules.reminder_stage(invoice.due_on, as_of, first, second)
            if stage is None:
                continue
            if (invoice.pk, stage) in done:
                outcome.already += 1
                continue
            to = services.addresses(iso3)
            if not to:
                outcome.skipped.append(f"{invoice.number}: no address on record")
                continue
            line = f"{invoice.number} {stage} ({invoice.currency} {left}) to {', '.join(to)}"
            if dry_run:
                outcome.sent.append(line)
                continue
            subject, body = documents.reminder_email(invoice, left, stage)
            try:
                with transaction.atomic():
                    InvoiceReminder.objects.create(
                        invoice=invoice, stage=stage, outstanding=left, recipients=", ".join(to)
                    )
                    mail.queue_email(subject, body, to, purpose="invoice reminder")
                    audit.record(
                        "invoice.reminded",
                        actor_label="ccm send_invoice_reminders",
                        obj=invoice,
                        summary=line,
                    )
            except IntegrityError:
                outcome.already += 1
                continue
            outcome.sent.append(line)
    if not dry_run:
        mail.deliver_pending()
    return outcome
