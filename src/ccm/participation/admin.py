from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ccm.participation.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    """The organisations invited to meetings: staff keep their category, address and language
    here (invitations, delegations and their logs change only through the ISU's pages)."""

    list_display = ["name", "acronym", "category", "email", "language", "active"]
    list_filter = ["category", "active", "language"]
    search_fields = ["name", "acronym", "email"]
