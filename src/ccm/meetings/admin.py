from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ccm.meetings.models import (
    Deadline,
    Document,
    DocumentFile,
    Meeting,
    MeetingFact,
    Presidency,
)


class FactInline(admin.TabularInline):
    model = MeetingFact
    extra = 0


class DeadlineInline(admin.TabularInline):
    """A meeting's deadlines (notes verbales due, registration closes), each with its source."""

    model = Deadline
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["code", "kind", "name", "number", "start_date", "end_date", "city", "mode"]
    list_filter = ["kind", "mode", "cancelled"]
    search_fields = ["code", "name", "sponsor", "city", "venue", "notes"]
    inlines = [DeadlineInline, FactInline]


class PresidencyAdminForm(forms.ModelForm):
    """The same rule as the desk's: only a State Party on the day presides (issue #25)."""

    class Meta:
        model = Presidency
        fields = ["meeting", "state", "president", "president_title", "address",
                  "designated_by", "national_logo", "source", "revision"]  # fmt: skip

    def clean(self) -> dict:
        from ccm.meetings import services

        data = super().clean() or {}
        state, meeting = data.get("state"), data.get("meeting")
        by_meeting = data.get("designated_by")
        if state is not None and meeting is not None:
            day = (services.designation_day(by_meeting) if by_meeting is not None
                   else meeting.start_date)  # fmt: skip
            try:
                services.check_may_preside(state, day)
            except services.Refused as exc:
                self.add_error("state", str(exc))
        return data


@admin.register(Presidency)
class PresidencyAdmin(SimpleHistoryAdmin):
    form = PresidencyAdminForm
    list_display = ["meeting", "state", "president", "designated_by"]
    search_fields = ["president", "state__name_en"]


class FileInline(admin.TabularInline):
    model = DocumentFile
    extra = 1


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    """Staff record a meeting's documents: the symbol is parsed and checked (Document.clean),
    one file per language, each checked by content and size."""

    inlines = [FileInline]
    list_display = ["symbol", "title", "kind", "meeting", "issued_on"]
    list_filter = ["kind"]
    search_fields = ["symbol", "title"]
