"""The "as of" date every page, download, letter and command accepts (issue #7): one rule, one
form, one refusal page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

FIRST_DATE = date(2008, 5, 30)  # adoption of the Convention in Dublin


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


def refuse_as_of(request: HttpRequest, form: AsOfForm) -> HttpResponse:
    """A date out of range is refused before anything is computed (issue #7): a small page in the
    site's layout that says what was wrong and offers the form again, answered 400."""
    return render(request, "core/as_of_refused.html", {"form": form, "as_of": None}, status=400)
