"""Choices of the finance records."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """What an assessment shares out. The ISU budget is invoiced by the ISU in CHF; a formal
    meeting's costs are paid through the UN in USD (Art. 14(1))."""

    ISU_BUDGET = "isu", _("ISU budget")
    MEETING_ESTIMATE = "estimate", _("meeting: estimated costs")
    MEETING_ACTUAL = "actual", _("meeting: actual costs")


class Currency(models.TextChoices):
    """The currencies the ISU invoices in (and keeps its ledgers in). A State may send another
    (EUR...): the bank converts it, and the payment records both (issue #25)."""

    CHF = "CHF", "CHF"
    USD = "USD", "USD"


DEFAULT_CURRENCY = {
    Purpose.ISU_BUDGET: Currency.CHF,
    Purpose.MEETING_ESTIMATE: Currency.USD,
    Purpose.MEETING_ACTUAL: Currency.USD,
}


class WithoutRate(models.TextChoices):
    """What an assessment does with a payer that has no UN rate (the Cook Islands, Niue)."""

    EXCLUDE = "exclude", _("exclude it, and say so")
    RATE = "rate", _("give it a configured rate")
    MINIMUM = "minimum", _("it pays the minimum contribution")


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("invoice")
    CREDIT_NOTE = "credit", _("credit note")
    WRITE_OFF = "writeoff", _("write-off of a small difference")


class EntryKind(models.TextChoices):
    """A line of a State's ledger: what it owes goes up with an invoice and down with a credit
    note or a payment; a reversal undoes a payment. The bank charges taken from what a State
    sent, and a small difference written off by the ISU, are lines of their own (issue #25)."""

    INVOICE = "invoice", _("invoice")
    CREDIT_NOTE = "credit", _("credit note")
    PAYMENT = "payment", _("payment")
    REVERSAL = "reversal", _("payment reversed")
    BANK_CHARGES = "charges", _("bank charges")
    WRITE_OFF = "writeoff", _("write-off")


class ReminderStage(models.TextChoices):
    FIRST = "first", _("first reminder")
    SECOND = "second", _("second reminder")


class UNSource(models.TextChoices):
    """How a record of the UN's assessment notices and payments came in (issue #25)."""

    ENTERED = "entered", _("entered by the ISU from the UN's report")
    IMPORTED = "imported", _("imported from the UN's statement")
