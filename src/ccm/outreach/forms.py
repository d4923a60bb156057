"""Forms of universalization (issue #14)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core.forms import Styled, iso_date
from ccm.outreach.choices import SET_BY_HAND, Actor, Body, Channel, Confidence, Position, Stage
from ccm.registry.choices import Region
from ccm.registry.models import State

VOTE_FILTERS = [
    ("yes", gettext_lazy("yes")),
    ("no", gettext_lazy("no")),
    ("abstain", gettext_lazy("abstain")),
    ("absent", gettext_lazy("did not vote")),
]
CHECKS = {"class": "form-check-input"}


def _state(label: Any, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, required=required, to_field_name="iso3",
                                  queryset=State.objects.order_by("name_en"))  # fmt: skip


class LogForm(Styled):
    on = iso_date(gettext_lazy("Date"))
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Channel.choices)
    actor = forms.ChoiceField(label=gettext_lazy("By"), choices=Actor.choices)
    actor_state = _state(gettext_lazy("Acting State (a coordinator or a State Party)"), False)
    people = forms.CharField(label=gettext_lazy("People met"), required=False, max_length=500)
    outcome = forms.CharField(
        label=gettext_lazy("Outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_step = forms.CharField(label=gettext_lazy("Next step"), required=False, max_length=300)
    next_owner = forms.CharField(
        label=gettext_lazy("Owner of the next step"), required=False, max_length=120
    )
    next_due = iso_date(gettext_lazy("Next step due"), required=False)
    reply = forms.BooleanField(
        label=gettext_lazy("A reply from the State"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKS),
    )


class PositionForm(Styled):
    position = forms.ChoiceField(label=gettext_lazy("Position"), choices=Position.choices)
    holds = forms.TypedChoiceField(
        label=gettext_lazy("The source says"),
        coerce=lambda v: v == "1",
        choices=[("1", gettext_lazy("it does")), ("0", gettext_lazy("it no longer does"))],
    )
    as_of = iso_date(gettext_lazy("As of"))
    source = forms.CharField(label=gettext_lazy("Source"), max_length=1000)


class IntentionForm(Styled):
    stated_on = iso_date(gettext_lazy("Stated on"))
    text = forms.CharField(label=gettext_lazy("What the State stated"), max_length=1000)
    source = forms.CharField(label=gettext_lazy("Source"), max_length=1000)


class StageForm(Styled):
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"), choices=[(s.value, s.label) for s in SET_BY_HAND]
    )
    since = iso_date(gettext_lazy("Since"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500)


class FilterForm(Styled):
    """Which States not party a campaign writes to, as of a day (issue #25)."""

    as_of = iso_date(gettext_lazy("States and their stage as of"), required=False)

    regions = forms.MultipleChoiceField(
        label=gettext_lazy("Regions"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )
    stages = forms.MultipleChoiceField(
        label=gettext_lazy("Stages"),
        required=False,
        choices=[(s.value, s.label) for s in Stage if s != Stage.DEPOSITED],
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )
    positions = forms.MultipleChoiceField(
        label=gettext_lazy("Positions (any of)"),
        required=False,
        choices=Position.choices,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )
    votes = forms.MultipleChoiceField(
        label=gettext_lazy("Latest General Assembly vote"),
        required=False,
        choices=VOTE_FILTERS,
        widget=forms.CheckboxSelectMultiple(attrs=CHECKS),
    )
    signatories_only = forms.BooleanField(
        label=gettext_lazy("Signatories only"),
        required=False,
        widget=forms.CheckboxInput(attrs=CHECKS),
    )

    def clean_as_of(self) -> date:
        from ccm.outreach.services import as_of_problem

        day = self.cleaned_data.get("as_of") or timezone.localdate()
        problem = as_of_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day


class CampaignForm(Styled):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    subject_en = forms.CharField(label=gettext_lazy("Subject (English)"), max_length=200)
    body_en = forms.CharField(
        label=gettext_lazy("Letter (English)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Placeholders: {state}, {date}, {ask} (the request by the State's stage: ratify, "
            "accede, or sign and ratify while signature was open; added at the end where the "
            "letter does not place it). A blank line between paragraphs."
        ),
    )
    subject_fr = forms.CharField(
        label=gettext_lazy("Subject (French)"), max_length=200, required=False
    )
    body_fr = forms.CharField(
        label=gettext_lazy("Letter (French)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    subject_es = forms.CharField(
        label=gettext_lazy("Subject (Spanish)"), max_length=200, required=False
    )
    body_es = forms.CharField(
        label=gettext_lazy("Letter (Spanish)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class SentForm(Styled):
    sent_on = iso_date(gettext_lazy("Sent on"))


class VoteImportForm(Styled):
    symbol = forms.CharField(
        label=gettext_lazy("Symbol (e.g. A/RES/80/50; blank if none)"),
        max_length=40,
        required=False,
    )
    body = forms.ChoiceField(label=gettext_lazy("Body"), choices=Body.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2008, max_value=2100)
    voted_on = iso_date(gettext_lazy("Date of the vote"))
    yes = forms.IntegerField(
        label=gettext_lazy("Official yes"), min_value=0, max_value=250, required=False
    )
    no = forms.IntegerField(
        label=gettext_lazy("Official no"), min_value=0, max_value=250, required=False
    )
    abstain = forms.IntegerField(
        label=gettext_lazy("Official abstain"), min_value=0, max_value=250, required=False
    )
    source = forms.CharField(label=gettext_lazy("Source"), max_length=1000)
    file = forms.FileField(label=gettext_lazy("Recorded vote (CSV or XLSX: iso3, vote)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get(k) for k in ("yes", "no", "abstain")]
        if any(v is not None for v in given) and any(v is None for v in given):
            raise forms.ValidationError(_("Give all three official totals, or none."))
        upload = data.get("file")
        if upload is not None and not upload.name.lower().endswith((".csv", ".xlsx")):
            self.add_error("file", _("A CSV or XLSX file."))
        return data


class UseForm(Styled):
    country = _state(gettext_lazy("Country where used"))
    started_on = iso_date(gettext_lazy("From"))
    ended_on = iso_date(gettext_lazy("Until"), required=False)
    user = _state(gettext_lazy("User, where attributed (a State)"), False)
    user_text = forms.CharField(
        label=gettext_lazy("Or the user as the source names it"), required=False, max_length=200
    )
    confidence = forms.ChoiceField(label=gettext_lazy("Confidence"), choices=Confidence.choices)
    source = forms.CharField(label=gettext_lazy("Source document"), max_length=1000)
    link = forms.URLField(label=gettext_lazy("Link"), required=False, assume_scheme="https")
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000)


class ContaminationForm(Styled):
    state = _state(gettext_lazy("State"))
    contaminated = forms.TypedChoiceField(
        label=gettext_lazy("The source says"),
        coerce=lambda v: v == "1",
        choices=[
            ("1", gettext_lazy("contaminated")),
            ("0", gettext_lazy("no longer contaminated")),
        ],
    )
    as_of = iso_date(gettext_lazy("As of"))
    source = forms.CharField(label=gettext_lazy("Source"), max_length=1000)
    link = forms.URLField(label=gettext_lazy("Link"), required=False, assume_scheme="https")
