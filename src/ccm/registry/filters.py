"""One FilterSet for the States list (HTML today, the API later)."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ccm.registry.choices import Region, StatusFilter, SubRegion
from ccm.registry.models import State, fold
from ccm.registry.rules import Membership, Status

FIRST_DATE = date(2008, 5, 30)  # adoption of the Convention in Dublin

STATUS_MATCH = {
    StatusFilter.PARTY: {Status.DEPOSITED, Status.IN_FORCE},
    StatusFilter.IN_FORCE: {Status.IN_FORCE},
    StatusFilter.NOT_YET_IN_FORCE: {Status.DEPOSITED},
    StatusFilter.SIGNATORY: {Status.SIGNATORY},
    StatusFilter.WITHDRAWN: {Status.WITHDRAWN},
    StatusFilter.NOT_SIGNED: {Status.NOT_SIGNED},
}


def last_as_of(today: date) -> date:
    """The latest date a page or command may be asked about: a few years ahead (a setting), far
    enough for deadlines to come, near enough that no request computes centuries (issue #7)."""
    return date(today.year + settings.CCM_AS_OF_MAX_YEARS_AHEAD, 12, 31)


def validate_as_of(value: date, today: date | None = None) -> None:
    """An as-of date runs from the Convention's adoption to `last_as_of`; else ValidationError.
    One rule for the web form and the `--as-of` of every command."""
    if value < FIRST_DATE:
        raise forms.ValidationError(
            _("Choose a date on or after 30 May 2008, when the Convention was adopted."),
            code="too_early",
        )
    last = last_as_of(today or timezone.localdate())
    if value > last:
        raise forms.ValidationError(
            _("Choose a date no later than %(last)s."),
            params={"last": date_format(last, "DATE_FORMAT")},
            code="too_late",
        )


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Show the situation on this date."),
    )

    def clean_as_of(self) -> date | None:
        value = self.cleaned_data.get("as_of")
        if value:
            validate_as_of(value)
        return value


def as_of_from(data: Any) -> tuple[date, AsOfForm]:
    """The "as of" date of a request (today if absent or invalid) and its bound form. A view
    answers 400 when the form has errors (`as_of_refused`), before computing anything."""
    form = AsOfForm(data or None)
    day = None
    if form.is_bound and form.is_valid():
        day = form.cleaned_data.get("as_of")
    return day or timezone.localdate(), form


def as_of_query(data: Any) -> str:
    """`?as_of=YYYY-MM-DD` when the request chose a valid date, for links that keep it."""
    form = AsOfForm(data or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("as_of"):
        return "?as_of=" + form.cleaned_data["as_of"].isoformat()
    return ""


def as_of_refused(form: AsOfForm) -> bool:
    """The request chose a date that is not allowed: the view answers 400, computing nothing."""
    return form.is_bound and bool(form.errors)


def as_of_error(form: AsOfForm) -> str:
    """The form's error as one line (for downloads and PDFs, which have no form to show)."""
    return " ".join(str(m) for m in form.errors.get("as_of", [])) or str(_("Invalid date."))


class StateFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="search")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=StatusFilter.choices, method="by_status", empty_label=_("All")
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), choices=Region.choices, empty_label=_("All")
    )
    subregion = django_filters.ChoiceFilter(
        label=_("Sub-region"), choices=SubRegion.choices, empty_label=_("All")
    )

    class Meta:
        model = State
        fields = ["q", "status", "region", "subregion"]

    def __init__(
        self, *args: Any, as_of: date, records: dict[str, Membership], **kwargs: Any
    ) -> None:
        self.as_of = as_of
        self.records = records  # the caller's, so the list reads the actions once
        super().__init__(*args, **kwargs)

    def search(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        """Any word of the name in English, French or Spanish, accents ignored, or the code."""
        for word in fold(value).split():
            queryset = queryset.filter(Q(search_text__contains=word))
        return queryset

    def by_status(self, queryset: QuerySet[State], name: str, value: str) -> QuerySet[State]:
        wanted = STATUS_MATCH[StatusFilter(value)]
        records = self.records
        if Status.NOT_SIGNED in wanted:
            excluded = [k for k, m in records.items() if m.status_on(self.as_of) not in wanted]
            return queryset.exclude(iso3__in=excluded)
        keep = [k for k, m in records.items() if m.status_on(self.as_of) in wanted]
        return queryset.filter(iso3__in=keep)
