"""Forms of invitations and registration (issue #12). The registration works without
JavaScript: the delegation is a fixed set of rows (more on request), the head first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core.files import SCAN_TYPES, validate_document_file
from ccm.core.forms import Styled, iso_date
from ccm.participation.choices import Category, Gender, Role
from ccm.participation.models import Organisation
from ccm.registry.choices import Region, SubRegion
from ccm.registry.models import State

ACCEPT = ".pdf,.doc,.docx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class InviteForm(Styled):
    """Whom to invite (services.Selection): categories, regions, sub-regions and a chosen list
    of States; at least one of them. An unknown value or State is refused by the field."""

    categories = forms.MultipleChoiceField(
        label=gettext_lazy("Invite by category"), choices=Category.choices, required=False,
        widget=_checkboxes(),
    )  # fmt: skip
    regions = forms.MultipleChoiceField(
        label=gettext_lazy("States of the regions"), choices=Region.choices, required=False,
        widget=_checkboxes(),
    )  # fmt: skip
    subregions = forms.MultipleChoiceField(
        label=gettext_lazy("States of the sub-regions"), choices=SubRegion.choices,
        required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    states = forms.ModelMultipleChoiceField(
        label=gettext_lazy("These States"), queryset=State.objects.order_by("name_en"),
        to_field_name="iso3", required=False, widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    seen = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = ("categories", "regions", "subregions", "states")
        if not self.errors and not any(data.get(name) for name in chosen):
            raise forms.ValidationError(
                _("Choose a category, a region, a sub-region or States to invite.")
            )
        return data

    def selection_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"categories": set(data["categories"]), "regions": set(data["regions"]),
                "subregions": set(data["subregions"]), "states": list(data["states"])}  # fmt: skip


class AddInviteeForm(Styled):
    state = forms.ModelChoiceField(label=gettext_lazy("A State"), required=False,
                                   queryset=State.objects.order_by("name_en"),
                                   to_field_name="iso3")  # fmt: skip
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Or an organisation"),
        required=False,
        queryset=Organisation.objects.filter(active=True),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("state")) == bool(data.get("organisation")):
            raise forms.ValidationError(_("Choose a State or an organisation."))
        return data


class MemberForm(Styled):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=[("", "—"), *Role.choices],
                             required=False)  # fmt: skip
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    title = forms.CharField(label=gettext_lazy("Title or position"), max_length=200,
                            required=False)  # fmt: skip
    gender = forms.ChoiceField(label=gettext_lazy("Gender (for the statistics)"),
                               choices=Gender.choices, initial=Gender.UNSAID)  # fmt: skip
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    arrives_on = iso_date(gettext_lazy("Arrives on"), required=False)
    leaves_on = iso_date(gettext_lazy("Leaves on"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("role"):
            self.add_error("role", _("Say this member's role."))
        if data.get("role") and not data.get("name"):
            self.add_error("name", _("Give this member's name."))
        arrive, leave = data.get("arrives_on"), data.get("leaves_on")
        if arrive and leave and leave < arrive:
            self.add_error("leaves_on", _("The departure is before the arrival."))
        return data


MemberFormSet = forms.formset_factory(MemberForm, extra=0, max_num=60, absolute_max=60,
                                      validate_max=True)  # fmt: skip


class DelegationForm(Styled):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note_verbale = forms.FileField(
        label=gettext_lazy("Note verbale or credentials (PDF, Word or image)"), required=False,
        validators=[FileExtensionValidator(SCAN_TYPES), validate_document_file],
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )  # fmt: skip


class ChooseInviteeForm(Styled):
    """Whose note verbale it is: any State (one not invited is told so, not hidden)."""

    state = forms.ModelChoiceField(label=gettext_lazy("The State whose note verbale it is"),
                                   queryset=State.objects.order_by("name_en"),
                                   to_field_name="iso3")  # fmt: skip


class NoteVerbaleForm(Styled):
    """The note verbale the ISU received by e-mail, and the day it came (issue #25)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note_verbale = forms.FileField(
        label=gettext_lazy("The note verbale (PDF, Word or a scanned image)"),
        validators=[FileExtensionValidator(SCAN_TYPES), validate_document_file],
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )  # fmt: skip
    received_on = iso_date(gettext_lazy("Received on"))


class ReviewForm(Styled):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    query = forms.CharField(label=gettext_lazy("Question to the delegation"), required=False,
                            max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
