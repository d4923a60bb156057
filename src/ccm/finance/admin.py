"""Finance in the admin: read-only. Assessments, invoices, payments and ledger entries change
only through the services (never edited: corrections are new records); the scale loads from the
reference data."""

from __future__ import annotations

from django.contrib import admin

from ccm.core.admin import ReadOnlyAdmin
from ccm.finance.models import (
    Assessment,
    CostSharePublication,
    Entry,
    FinanceSettings,
    Invoice,
    Payment,
    Publication,
    Rate,
    UNNotice,
    UNPayment,
    UNStatement,
)


@admin.register(Rate)
class RateAdmin(ReadOnlyAdmin):
    list_display = ["state", "period", "rate", "notional", "added_by"]
    list_filter = ["period", "notional"]
    search_fields = ["state__iso3", "state__name_en"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "purpose",
        "year",
        "cost",
        "currency",
        "scale_period",
        "created_at",
    ]
    list_filter = ["purpose", "currency", "year"]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "state", "amount", "currency", "issued_on", "due_on"]
    list_filter = ["kind", "currency"]
    search_fields = ["number", "state__iso3", "state__name_en"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "state",
        "received_on",
        "amount",
        "currency",
        "sent_amount",
        "sent_currency",
        "bank_charges",
        "bank_reference",
        "reverses",
    ]
    list_filter = ["currency"]
    search_fields = ["state__iso3", "bank_reference"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["state", "currency", "on", "kind", "amount", "text"]
    list_filter = ["currency", "kind"]
    search_fields = ["state__iso3", "text"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["scope", "as_of", "published_at", "published_by"]


@admin.register(FinanceSettings)
class FinanceSettingsAdmin(ReadOnlyAdmin):
    """Set on the finance settings page (each save a new row, audited)."""

    list_display = ["created_at", "created_by"]


# Meeting costs through the UN (issue #25) ------------------------------------------------------


@admin.register(CostSharePublication)
class CostSharePublicationAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "published_at", "published_by"]


@admin.register(UNStatement)
class UNStatementAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "reported_on", "filename", "created_at"]


@admin.register(UNNotice)
class UNNoticeAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "state", "on", "amount", "reference", "reported_on", "source"]
    search_fields = ["state__iso3", "reference"]


@admin.register(UNPayment)
class UNPaymentAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "state", "on", "amount", "reference", "reported_on", "source"]
    search_fields = ["state__iso3", "reference"]
