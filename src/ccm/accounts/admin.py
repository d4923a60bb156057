from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ccm.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "language"]
    list_filter = ["role"]
    search_fields = ["user__email"]
    filter_horizontal = ["states"]
    autocomplete_fields = ["user"]
