"""Forms of the Presidency's work (issue #11). Dates are typed in ISO form only: 01/02/2026
reads differently around the world. Files are checked by content and size, as report files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core.files import DOCUMENT_TYPES, validate_document_file
from ccm.core.forms import Styled, iso_date
from ccm.meetings import rules
from ccm.meetings.choices import Mode
from ccm.meetings.models import Meeting
from ccm.registry.models import State


def document(label: str | Any) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        validators=[FileExtensionValidator(DOCUMENT_TYPES), validate_document_file],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx"}),
    )


def states() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=gettext_lazy("State"),
        queryset=State.objects.order_by("name_en"),
        to_field_name="iso3",
    )


class RevisionForm(Styled):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class OpenSuccessionForm(Styled):
    opens_on = iso_date(gettext_lazy("Consultations open on"))


class VolunteerForm(RevisionForm):
    state = states()
    offered_on = iso_date(gettext_lazy("Offered on"))
    letter = document(gettext_lazy("Letter (PDF or Word)"))


class ConsultationForm(RevisionForm):
    held_on = iso_date(gettext_lazy("Held on"))
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class DesignateForm(RevisionForm):
    state = states()
    by_meeting = forms.ModelChoiceField(
        label=gettext_lazy("Designated by"), queryset=Meeting.objects.none(), to_field_name="code"
    )
    president = forms.CharField(label=gettext_lazy("President-designate (person)"),
                                max_length=200, required=False)  # fmt: skip

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["by_meeting"]
        from ccm.meetings.services import designating

        field.queryset = Meeting.objects.filter(  # type: ignore[attr-defined]
            pk__in=[m.pk for m in designating(meeting)]
        ).order_by("-start_date")
        field.label_from_instance = lambda m: m.title  # type: ignore[attr-defined]


class ThemeForm(Styled):
    theme = forms.CharField(label=gettext_lazy("Theme"), max_length=120)
    theme_fr = forms.CharField(label=gettext_lazy("Theme in French"), max_length=120,
                               required=False)  # fmt: skip
    theme_es = forms.CharField(label=gettext_lazy("Theme in Spanish"), max_length=120,
                               required=False)  # fmt: skip
    coordinators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Coordinator States"), queryset=State.objects.order_by("name_en"),
        to_field_name="iso3", required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )  # fmt: skip


class CoordinatorsForm(Styled):
    coordinators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Coordinator States"), queryset=State.objects.order_by("name_en"),
        to_field_name="iso3", required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )  # fmt: skip


class CoordinationMeetingForm(Styled):
    on = iso_date(gettext_lazy("Date"))
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, initial="Geneva")
    venue = forms.CharField(label=gettext_lazy("Venue"), max_length=200, required=False)
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=Mode.choices)


class AttendanceForm(Styled):
    present = forms.ModelMultipleChoiceField(
        label=gettext_lazy("States present"), queryset=State.objects.order_by("name_en"),
        to_field_name="iso3", required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    apologies = forms.ModelMultipleChoiceField(
        label=gettext_lazy("States with apologies"), queryset=State.objects.order_by("name_en"),
        to_field_name="iso3", required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    organisations = forms.CharField(
        label=gettext_lazy("Organisations present (one per line)"), required=False,
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = set(data.get("present") or []) & set(data.get("apologies") or [])
        if both:
            names = ", ".join(sorted(s.name for s in both))
            self.add_error("apologies", _("Present and with apologies at once: %(names)s.")
                           % {"names": names})  # fmt: skip
        return data


class MinutesForm(RevisionForm):
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=8000,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    file = document(gettext_lazy("Minutes (PDF or Word)"))


class LetterForm(RevisionForm):
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=60, required=False)
    dated = iso_date(gettext_lazy("Date of the letter"))
    subject_en = forms.CharField(label=gettext_lazy("Subject (English)"), max_length=200)
    body_en = forms.CharField(label=gettext_lazy("Text (English)"), max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 8}))  # fmt: skip
    subject_fr = forms.CharField(label=gettext_lazy("Subject (French)"), max_length=200,
                                 required=False)  # fmt: skip
    body_fr = forms.CharField(label=gettext_lazy("Text (French)"), max_length=20000,
                              required=False, widget=forms.Textarea(attrs={"rows": 8}))  # fmt: skip
    subject_es = forms.CharField(label=gettext_lazy("Subject (Spanish)"), max_length=200,
                                 required=False)  # fmt: skip
    body_es = forms.CharField(label=gettext_lazy("Text (Spanish)"), max_length=20000,
                              required=False, widget=forms.Textarea(attrs={"rows": 8}))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for language in ("en", "fr", "es"):
            subject = data.get(f"subject_{language}") or ""
            body = data.get(f"body_{language}") or ""
            if bool(subject.strip()) != bool(body.strip()):
                self.add_error(f"body_{language}" if subject else f"subject_{language}",
                               _("Give both the subject and the text in this language, or "
                                 "neither."))  # fmt: skip
            unknown = rules.unknown_placeholders(subject + "\n" + body)
            if unknown:
                self.add_error(
                    f"body_{language}",
                    _("Unknown placeholders: %(names)s. The placeholders are %(known)s.")
                    % {"names": ", ".join(f"[{u}]" for u in unknown),
                       "known": ", ".join(f"[{p}]" for p in rules.VOCABULARY)},
                )  # fmt: skip
        return data
