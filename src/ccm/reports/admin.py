"""Staff screens for the record of reports: every save goes through a service (audited), and a
correction needs its reason and is refused if someone else changed the record meanwhile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ccm.core import audit
from ccm.core.admin import ReadOnlyAdmin
from ccm.reports import services
from ccm.reports.choices import Relation
from ccm.reports.models import Report, ReportVersion, Submission

EDITABLE = [
    "state", "kind", "period", "relation", "received_on", "received_by", "channel", "languages",
    "file", "un_link", "stated_due_date", "notes", "source",
]  # fmt: skip
# Kept by the system, shown when correcting a record, never offered when adding one (issue #7).
INTERNAL = ["origin", "recorded_by", "recorded_at", "version"]


class SubmissionForm(forms.ModelForm):
    # Django 6 behaviour now: a link typed without a scheme is taken as https.
    un_link = forms.URLField(label=_("UN publication link"), required=False, assume_scheme="https")
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=300,
        help_text=_("Required when correcting a record: it is kept in the audit trail."),
    )

    class Meta:
        model = Submission
        fields = EDITABLE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        # Most reports are originals: a form that leaves the relation out records one.
        self.fields["relation"].required = False
        if not self.instance.pk:  # a new record has no version to compare and nothing to correct
            del self.fields["loaded_version"]
            del self.fields["change_reason"]

    def clean_relation(self) -> str:
        return self.cleaned_data.get("relation") or Relation.ORIGINAL

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk:
            if not data.get("change_reason", "").strip():
                self.add_error("change_reason", _("Say why the record is corrected."))
            current = Submission.objects.filter(pk=self.instance.pk).values_list(
                "version", flat=True
            )
            if data.get("loaded_version") != next(iter(current), None):
                raise forms.ValidationError(
                    _(
                        "Someone else changed this record since you opened it. Reload the page "
                        "and apply your correction again."
                    ),
                    code="conflict",
                )
        return data


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    form = SubmissionForm
    list_display = ["state", "kind", "period", "received_on", "received_by", "channel", "origin"]
    list_filter = ["kind", "origin", "channel"]
    search_fields = ["state__iso3", "state__name_en", "source", "notes"]
    autocomplete_fields = ["state"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return INTERNAL if obj is not None else []

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        if obj is None:
            return list(EDITABLE)
        return [*EDITABLE, "loaded_version", "change_reason", *INTERNAL]

    def save_model(
        self, request: HttpRequest, obj: Model, form: forms.ModelForm, change: bool
    ) -> None:
        user = request.user
        values = {f: form.cleaned_data[f] for f in EDITABLE if f in form.cleaned_data}
        if not change:
            saved = services.record_submission(by=user, **values)  # type: ignore[arg-type]
        else:
            changed = {f: values[f] for f in form.changed_data if f in values}
            saved = services.correct_submission(
                Submission.objects.get(pk=obj.pk),
                by=user,  # type: ignore[arg-type]
                version=form.cleaned_data["loaded_version"],
                reason=form.cleaned_data["change_reason"],
                **changed,
            )
        obj.pk = saved.pk
        obj.version = saved.version  # type: ignore[attr-defined]

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.record("submission.deleted", by=request.user, obj=obj, summary=str(obj))
        super().delete_model(request, obj)


class ReportVersionInline(admin.TabularInline):
    model = ReportVersion
    extra = 0
    fields = ["number", "received_on", "entered_by_isu", "submitted_by", "submitted_at", "record"]
    readonly_fields = [
        "number",
        "received_on",
        "entered_by_isu",
        "submitted_by",
        "submitted_at",
        "record",
    ]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Structured reports are recorded by `ccm import_report` (and, next, by the States' online
    forms); their versions never change, so the admin only shows them."""

    list_display = ["state", "kind", "period", "template", "created_at"]
    list_filter = ["kind", "template"]
    search_fields = ["state__iso3", "state__name_en"]
    inlines = [ReportVersionInline]
