"""Forms of the Presidency's work (issue #11). Dates are typed in ISO form only: 01/02/2026
reads differently around the world. Files are checked by content and size, as report files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core.files import DOCUMENT_TYPES, validate_document_file
from ccm.core.forms import Styled, iso_date
from ccm.meetings import rules
from ccm.meetings.choices import DeadlineKind, Mode
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


# The ISU's pages of meetings and documents (issue #26) -----------------------------------


def _kinds() -> list[tuple[str, Any]]:
    """Every kind but the Coordination Committee's (recorded from its Presidency's pages)."""
    from ccm.meetings.choices import MeetingKind

    return [(v, str(label).capitalize()) for v, label in MeetingKind.choices
            if v != MeetingKind.COORDINATION]  # fmt: skip


def _label(field: str) -> Any:
    """A field's label as the model names it (already translated), with a capital."""
    return capfirst(Meeting._meta.get_field(field).verbose_name)  # type: ignore[union-attr]


class MeetingForm(Styled):
    """A meeting's facts; the code only when it is created (pages and documents name it)."""

    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=20,
        help_text=gettext_lazy("Letters, digits and hyphens, e.g. 14MSP: it is in the "
                               "meeting's address and cannot be changed later."),
    )  # fmt: skip
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=_kinds)
    name = forms.CharField(
        label=gettext_lazy("Title"), max_length=200, required=False,
        help_text=gettext_lazy("Left empty, a formal meeting keeps its name, e.g. \"14th "
                               "Meeting of States Parties\"."),
    )  # fmt: skip
    number = forms.IntegerField(label=gettext_lazy("Number"), min_value=1, max_value=999,
                                required=False)  # fmt: skip
    start_date = iso_date(_label("start_date"), required=False)
    end_date = iso_date(_label("end_date"), required=False)
    city = forms.CharField(label=gettext_lazy("City"), max_length=100, required=False)
    venue = forms.CharField(label=_label("venue"), max_length=200, required=False)
    host = forms.ModelChoiceField(
        label=_label("host"), queryset=State.objects.order_by("name_en"),
        to_field_name="iso3", required=False,
    )  # fmt: skip
    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=Mode.choices)
    sponsor = forms.CharField(label=gettext_lazy("Organised or sponsored by"), max_length=300,
                              required=False)  # fmt: skip
    presidency_state = forms.ModelChoiceField(
        label=gettext_lazy("Presidency (a State Party on the opening day)"),
        queryset=State.objects.order_by("name_en"), to_field_name="iso3", required=False,
    )  # fmt: skip
    president = forms.CharField(label=gettext_lazy("President (person)"), max_length=200,
                                required=False)  # fmt: skip
    # the deadlines' own names, as the public page shows them (DeadlineKind)
    deadline_notes_verbales = iso_date(capfirst(DeadlineKind.NOTES_VERBALES.label), required=False)
    deadline_registration = iso_date(capfirst(DeadlineKind.REGISTRATION.label), required=False)
    deadline_documents = iso_date(capfirst(DeadlineKind.DOCUMENTS.label), required=False)
    deadline_side_events = iso_date(capfirst(DeadlineKind.SIDE_EVENTS.label), required=False)
    notes = forms.CharField(label=gettext_lazy("Notes"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
            self.fields["revision"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The meeting closes before it opens."))
        if end and not start:
            self.add_error("start_date", _("A meeting with a closing day has an opening day."))
        return data

    def values(self) -> dict[str, Any]:
        from ccm.meetings.services import MEETING_FIELDS

        return {k: self.cleaned_data[k] for k in MEETING_FIELDS}

    def deadlines(self) -> dict[str, Any]:
        from ccm.meetings.choices import DeadlineKind

        return {k: self.cleaned_data[f"deadline_{k}"] for k in DeadlineKind.values}


def initial_of(meeting: Meeting) -> dict[str, Any]:
    """A meeting's form as it stands (with its revision, to refuse an edit from an older copy)."""
    from ccm.meetings.services import MEETING_FIELDS

    initial: dict[str, Any] = {k: getattr(meeting, k) for k in MEETING_FIELDS}
    initial["host"] = meeting.host_id
    presidency = getattr(meeting, "presidency", None)
    if presidency is not None:
        initial["presidency_state"] = presidency.state_id
        initial["president"] = presidency.president
    for d in meeting.deadlines.all():
        initial[f"deadline_{d.what}"] = d.due_on
    initial["revision"] = meeting.revision
    return initial


class DocumentForm(Styled):
    """A document with its UN symbol, and its file in each language given."""

    symbol = forms.CharField(
        label=gettext_lazy("Symbol"), max_length=60,
        help_text=gettext_lazy("As the United Nations gives it, e.g. CCM/MSP/2017/1, "
                               "CCM/CONF/2015/WP.3 or CCM/MSP/2019/PM.1/2."),
    )  # fmt: skip
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of document"))
    issued_on = iso_date(gettext_lazy("Date of the document"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from ccm.core.languages import UN_LANGUAGES
        from ccm.meetings.choices import DocumentKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(v, str(label).capitalize())  # type: ignore[attr-defined]
                                       for v, label in DocumentKind.choices]  # fmt: skip
        for code, name in UN_LANGUAGES:
            field = document(name)
            field.widget.attrs["class"] = "form-control"
            self.fields[f"file_{code}"] = field

    def clean_symbol(self) -> str:
        try:
            return str(rules.parse_symbol(self.cleaned_data["symbol"]))
        except rules.SymbolError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in self.fields if name.startswith("file_")) and not (
            any(name.startswith("file_") for name in self.errors)
        ):
            self.add_error(None, _("Upload the document in at least one language."))
        return data

    def files_by_language(self) -> dict[str, Any]:
        return {name.removeprefix("file_"): self.cleaned_data.get(name)
                for name in self.fields if name.startswith("file_")}  # fmt: skip


class DocumentFileForm(Styled):
    """One more language of a document already recorded."""

    language = forms.ChoiceField(label=gettext_lazy("Language"))
    file = document(gettext_lazy("File (PDF or Word)"))  # before the field of the same name
    document = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from ccm.core.languages import UN_LANGUAGES

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = UN_LANGUAGES  # type: ignore[attr-defined]
        self.fields["file"].required = True


class LogoForm(RevisionForm):
    """The Presidency's national logo, placed beside the Convention's mark."""

    national_logo = forms.FileField(
        label=gettext_lazy("National logo (SVG or PNG)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".svg,.png"}),
    )  # fmt: skip

    def clean_national_logo(self) -> Any:
        from ccm.meetings.models import validate_logo

        upload = self.cleaned_data.get("national_logo")
        if upload:
            validate_logo(upload)
        return upload
