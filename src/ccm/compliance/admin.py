"""Staff screens for the facts that create or move obligations, and the log of reminders."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ccm.compliance.models import (
    CompleteRecord,
    ExtensionRequest,
    Holding,
    NotReceived,
    PublishedList,
    ReminderLog,
    RetentionDeclaration,
)
from ccm.core.admin import AuditedAdmin, ReadOnlyAdmin


@admin.register(Holding)
class HoldingAdmin(AuditedAdmin):
    list_display = ["state", "kind", "completed_on", "source_due_date"]
    list_filter = ["kind"]
    search_fields = ["state__iso3", "state__name_en", "source"]
    autocomplete_fields = ["state"]


@admin.register(RetentionDeclaration)
class RetentionDeclarationAdmin(AuditedAdmin):
    list_display = ["state", "year"]
    search_fields = ["state__iso3", "state__name_en"]
    autocomplete_fields = ["state"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(AuditedAdmin):
    list_display = [
        "state", "kind", "submitted_on", "requested_until", "meeting", "meeting_opens",
        "in_time", "decision", "new_deadline",
    ]  # fmt: skip
    list_filter = ["kind", "decision"]
    search_fields = ["state__iso3", "state__name_en", "meeting"]
    autocomplete_fields = ["state"]

    @admin.display(boolean=True, description=_("at least nine months before the meeting"))
    def in_time(self, obj: ExtensionRequest) -> bool:
        return obj.submitted_in_time


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["state", "obligation", "stage", "due_date", "sent_at", "recipients", "language"]
    list_filter = ["stage", "language"]
    search_fields = ["state__iso3", "recipients"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(NotReceived)
class NotReceivedAdmin(ReadOnlyAdmin):
    """Statements that a report had not arrived (issue #15): loaded from the reference data."""

    list_display = ["state", "kind", "period", "as_of", "source"]
    list_filter = ["kind"]
    search_fields = ["state__iso3", "state__name_en", "source"]


@admin.register(PublishedList)
class PublishedListAdmin(ReadOnlyAdmin):
    list_display = ["kind", "period", "as_of_earliest", "as_of_latest", "count_stated", "source"]
    list_filter = ["kind"]


@admin.register(CompleteRecord)
class CompleteRecordAdmin(ReadOnlyAdmin):
    """Marked with `ccm mark_record_complete` (audited)."""

    list_display = ["state", "kind", "marked_at", "note"]
    list_filter = ["kind"]
