"""The UN scale, assessments, invoices, payments and the ledger (issue #13).

Assessments, invoices, credit notes, payments and ledger entries are written once and never
changed or deleted: a correction is a new record (a new version, a credit note, a reversal), so
a State's balance always sums from its ledger entries. Who made a record stays on it: an account
that made one cannot be deleted (PROTECT), only deactivated (issue #32)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccm.finance.choices import (
    Currency,
    EntryKind,
    InvoiceKind,
    Purpose,
    ReminderStage,
    UNSource,
)
from ccm.registry.models import State

LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]


class Immutable(Exception):
    """A record of the ledger was about to be changed or deleted."""


class WrittenOnce(models.Model):
    """A record that is created and then never changed (but for the fields in `may_change`,
    such as when an invoice was e-mailed) nor deleted."""

    may_change: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.may_change:
                raise Immutable(f"{self._meta.label} {self.pk} is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise Immutable(f"{self._meta.label} {self.pk} is never deleted")


class Rate(models.Model):
    """A State's rate on the UN scale of assessments for one three-year period (percent, three
    decimals), or a non-member State's notional rate; loaded from the reference data, or entered
    by the ISU with its source for a period the data lack (issue #25: `added_by` says who)."""

    period = models.CharField(_("scale period"), max_length=9)  # "2025-2027"
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    rate = models.DecimalField(_("rate (%)"), max_digits=7, decimal_places=3)
    notional = models.BooleanField(_("notional rate (not a UN Member State)"), default=False)
    source = models.TextField(_("source"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )  # None: shipped with the reference data
    added_at = models.DateTimeField(_("entered"), null=True, blank=True)

    class Meta:
        verbose_name = _("rate of assessment")
        verbose_name_plural = _("rates of assessment")
        ordering = ["period", "state"]
        constraints = [
            models.UniqueConstraint(fields=["period", "state"], name="finance_rate_once"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.period}: {self.rate}%"


class Assessment(WrittenOnce):
    """A stored snapshot of one assessment: its inputs (cost, currency, purpose, scale period,
    payer set, settings) and, in its lines, each payer's rate, share and amount. A change of
    inputs makes a new version in the same scope (an ISU budget year, or a meeting)."""

    scope = models.CharField(_("scope"), max_length=40)  # "isu:2026" or "meeting:13MSP"
    version = models.PositiveSmallIntegerField(_("version"))
    purpose = models.CharField(_("purpose"), max_length=8, choices=Purpose.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("meeting"),
    )
    cost = models.DecimalField(
        _("cost"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    scale_period = models.CharField(_("scale period"), max_length=9)
    payers = models.CharField(_("payers"), max_length=40)  # "parties" or "meeting:CODE"
    as_of = models.DateField(_("payers as of"))
    options = models.JSONField(_("settings"), default=dict)  # ceiling, floor, minimum...
    method = models.JSONField(_("method"), default=list)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-year", "scope", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "version"], name="finance_assessment_version"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """Short and unique, printed on its invoices: "ISU-2026-1", "13MSP-2"."""
        kind, _sep, key = self.scope.partition(":")
        head = f"ISU-{key}" if kind == "isu" else key
        return f"{head}-{self.version}"


class Line(WrittenOnce):
    """One payer of an assessment: its rate, adjusted share and amount, or why it pays none."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="lines")
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="+")
    rate = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    share = models.CharField(max_length=60, blank=True)  # the Decimal share, full precision
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    excluded = models.TextField(blank=True)  # why this State pays nothing

    class Meta:
        ordering = ["assessment", "state"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "state"], name="finance_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.state_id}: {self.amount if self.amount is not None else self.excluded}"


class Invoice(WrittenOnce):
    """An invoice or a credit note to one State, with its PDF as issued. Never edited: a
    correction is a credit note (`corrects` the invoice it reduces)."""

    may_change = frozenset({"sent_at", "sent_to"})

    number = models.CharField(_("number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=InvoiceKind.choices)
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("State")
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    lines = models.JSONField(default=list)  # [[label, amount as a string], ...]
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="en")
    reason = models.TextField(_("reason"), blank=True)
    pdf = models.FileField(upload_to="finance/invoices/%Y/", blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "number"]

    def __str__(self) -> str:
        return self.number

    @property
    def signed(self) -> Any:
        """What it adds to the State's balance: an invoice adds, a credit note takes away."""
        return self.amount if self.kind == InvoiceKind.INVOICE else -self.amount


class Payment(WrittenOnce):
    """Money received from a State, in one currency, with the bank's reference; or the reversal
    of such a payment (`reverses`). Allocated to invoices when received or later."""

    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="payments", verbose_name=_("State")
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    bank_reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    # As banks make them (issue #25): `amount` is what was credited to the ISU's account in
    # `currency` (the invoice's); the State may have sent another amount in another currency,
    # and the banks may have taken charges on the way, in `currency`. The charges count as
    # paid by the State: they are a ledger entry of their own beside the payment's.
    sent_amount = models.DecimalField(
        _("amount sent"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    sent_currency = models.CharField(_("currency sent"), max_length=3, blank=True)
    bank_charges = models.DecimalField(
        _("bank charges"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.state_id} {self.amount} {self.currency} ({self.received_on})"

    @property
    def settles(self) -> Any:
        """What the payment settles of the State's invoices: what was credited and the bank
        charges taken on the way."""
        return self.amount + self.bank_charges


class Allocation(WrittenOnce):
    """Part of a payment set against an invoice, from a date (negative when a reversed payment
    takes it back)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.amount} of payment {self.payment_id} on invoice {self.invoice_id}"


class Entry(WrittenOnce):
    """A line of a State's ledger in one currency: positive what it owes (an invoice), negative
    what reduces it (a credit note, a payment); a reversal adds back a payment."""

    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="ledger")
    currency = models.CharField(max_length=3, choices=Currency.choices)
    on = models.DateField()
    kind = models.CharField(max_length=8, choices=EntryKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    invoice = models.OneToOneField(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    charges_of = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="charges_entry"
    )  # the bank charges taken from this payment (issue #25)
    text = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["state", "currency", "on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(invoice__isnull=False)
                | models.Q(payment__isnull=False)
                | models.Q(charges_of__isnull=False),
                name="finance_entry_has_a_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.on} {self.kind} {self.amount} {self.currency}"


class InvoiceReminder(models.Model):
    """A reminder e-mailed for an unpaid invoice: once per invoice and stage (the constraint
    makes two runs at once queue it once)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="reminders")
    stage = models.CharField(max_length=6, choices=ReminderStage.choices)
    outstanding = models.DecimalField(max_digits=14, decimal_places=2)
    recipients = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invoice", "stage"], name="finance_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice_id} {self.stage}"


class Publication(models.Model):
    """The status of contributions of a scope, published to the public as of a date by the ISU
    (nothing of it is public before)."""

    scope = models.CharField(_("scope"), max_length=40)
    as_of = models.DateField(_("as of"))
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scope} as of {self.as_of}"


class FinanceSettings(WrittenOnce):
    """The ISU's finance settings as staff set them at first use (issue #25): its letterhead
    (printed at the head of every invoice), its bank details per currency, the minimum
    contribution per currency and the most a write-off may take off an invoice. Each save is
    a new row (the latest holds); until the first, the environment's values are only
    proposals and every finance page says the settings are not set."""

    letterhead = models.TextField(_("letterhead (the ISU's name and address)"))
    bank_details = models.JSONField(_("bank details per currency"), default=dict)
    minimum = models.JSONField(_("minimum contribution per currency"), default=dict)
    write_off_limit = models.JSONField(_("largest write-off per currency"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("finance settings")
        verbose_name_plural = _("finance settings")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"finance settings {self.pk} ({self.created_at:%Y-%m-%d})"


# Meeting costs through the UN (issue #25) -----------------------------------------------------
# A formal meeting's costs (Art. 14(1)) are assessed and collected by the UN (UNODA / UNOG), not
# by the ISU: the ISU publishes the cost-share table and records what the UN reports, its
# assessment notices and the payments it received, per State, in USD. Written once: a
# correction is a new record.


class CostSharePublication(WrittenOnce):
    """A meeting's cost-share table (an assessment of its estimated or actual costs), made public
    by the ISU on a date."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="publications"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("published cost-share table")
        verbose_name_plural = _("published cost-share tables")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.assessment_id} published {self.published_at:%Y-%m-%d}"


class UNStatement(WrittenOnce):
    """A statement of the UN on a meeting's costs, imported as a file (CSV or XLSX): its date,
    the file's name and digest (the same file is imported once)."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="+", verbose_name=_("meeting")
    )
    reported_on = models.DateField(_("statement dated"))
    filename = models.CharField(_("file"), max_length=200)
    digest = models.CharField(max_length=64)  # SHA-256 of the file as uploaded
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("UN statement")
        verbose_name_plural = _("UN statements")
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "digest"], name="finance_unstatement_once"),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.reported_on})"


class UNRecord(WrittenOnce):
    """What the UN reports for one State and one meeting: an assessment notice it sent (the
    amount asked) or a payment it received, in USD, with the UN's reference."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="+", verbose_name=_("meeting")
    )
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, related_name="+", verbose_name=_("State")
    )
    on = models.DateField(_("date"))  # the notice's date, or the day the UN received the money
    amount = models.DecimalField(
        _("amount (USD)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    reference = models.CharField(_("UN reference"), max_length=100)
    reported_on = models.DateField(_("reported by the UN on"))
    source = models.CharField(_("source"), max_length=8, choices=UNSource.choices)
    statement = models.ForeignKey(
        UNStatement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["meeting", "state", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.state_id} {self.amount} USD {self.on} ({self.reference})"


class UNNotice(UNRecord):
    """An assessment notice the UN sent a State for a meeting's costs."""

    class Meta(UNRecord.Meta):
        verbose_name = _("UN assessment notice")
        verbose_name_plural = _("UN assessment notices")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "state", "reference"], name="finance_unnotice_once"
            ),
        ]


class UNPayment(UNRecord):
    """A payment the UN received from a State for a meeting's costs."""

    class Meta(UNRecord.Meta):
        verbose_name = _("payment received by the UN")
        verbose_name_plural = _("payments received by the UN")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "state", "reference"], name="finance_unpayment_once"
            ),
        ]
