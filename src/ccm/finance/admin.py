"""Finance in the admin: read-only. Assessments, invoices, payments and ledger entries change
only through the services (never edited: corrections are new records); the scale loads from the
reference data."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ccm.finance.models import Assessment, Entry, Invoice, Payment, Publication, Rate


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Rate)
class RateAdmin(ReadOnly):
    list_display = ["state", "period", "rate", "notional"]
    list_filter = ["period", "notional"]
    search_fields = ["state__iso3", "state__name_en"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
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
class InvoiceAdmin(ReadOnly):
    list_display = ["number", "kind", "state", "amount", "currency", "issued_on", "due_on"]
    list_filter = ["kind", "currency"]
    search_fields = ["number", "state__iso3", "state__name_en"]


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["state", "received_on", "amount", "currency", "bank_reference", "reverses"]
    list_filter = ["currency"]
    search_fields = ["state__iso3", "bank_reference"]


@admin.register(Entry)
class EntryAdmin(ReadOnly):
    list_display = ["state", "currency", "on", "kind", "amount", "text"]
    list_filter = ["currency", "kind"]
    search_fields = ["state__iso3", "text"]


@admin.register(Publication)
class PublicationAdmin(ReadOnly):
    list_display = ["scope", "as_of", "published_at", "published_by"]
