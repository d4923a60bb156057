from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from ccm.registry.models import Contact, State, TreatyAction


class TreatyActionInline(admin.StackedInline):
    model = TreatyAction
    extra = 0
    fields = [
        "kind",
        "date",
        "effective_date",
        "source_entry_into_force",
        "source",
        "declarations",
        "notes",
    ]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "organisation", "email", "phone", "language", "active"]


@admin.register(State)
class StateAdmin(SimpleHistoryAdmin):
    list_display = [
        "iso3", "name_en", "name_fr", "name_es", "un_standing", "region", "language",
        "language_set_by_staff",
    ]  # fmt: skip
    list_filter = ["un_standing", "region", "subregion", "language", "language_set_by_staff"]
    search_fields = ["iso3", "name_en", "name_fr", "name_es"]
    inlines = [TreatyActionInline, ContactInline]

    def save_model(self, request: HttpRequest, obj: State, form: Any, change: bool) -> None:
        # A language chosen here is staff's: the default from official languages never replaces it.
        if "language" in form.changed_data:
            obj.language_set_by_staff = True
        super().save_model(request, obj, form, change)


@admin.register(TreatyAction)
class TreatyActionAdmin(SimpleHistoryAdmin):
    list_display = ["state", "kind", "date", "effective_date", "source_entry_into_force"]
    list_filter = ["kind"]
    search_fields = ["state__iso3", "state__name_en", "source"]
    autocomplete_fields = ["state"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "state", "role", "organisation", "email", "language", "active", "user"]
    list_filter = ["role", "language", "active"]
    search_fields = ["name", "email", "organisation", "state__name_en", "state__iso3"]
    autocomplete_fields = ["state"]
    readonly_fields = ["user"]

    def save_model(self, request: HttpRequest, obj: Contact, form: Any, change: bool) -> None:
        # A superuser's change here also makes an older copy on the staff pages stale (issue #26).
        if change:
            obj.revision += 1
        super().save_model(request, obj, form, change)
