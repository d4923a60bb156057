"""The figures of the Presidency's letters (issue #25): what meetings contributes itself (the next
Meeting on the letter's date), and the check that every figure the letters' vocabulary names
(rules.FIGURES) is provided by some app (core.figures). The other figures come from the apps
above this one (compliance, outreach) and from the registry, which register them when ready:
meetings never imports them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core import checks
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccm.core import figures
from ccm.core.figures import Figure, Provider
from ccm.meetings import rules, selectors

LABELS = {
    "next meeting": gettext_lazy("the next Meeting (of States Parties or Review Conference)"),
    "next meeting dates": gettext_lazy("the next Meeting's dates"),
    "next meeting place": gettext_lazy("the next Meeting's venue and city"),
}


def dates_of(start: date | None, end: date | None) -> str:
    """A meeting's dates as letters write them ("" when it has none)."""
    if not start:
        return ""
    first = date_format(start, "DATE_FORMAT")
    if end and end != start:
        return f"{first} – {date_format(end, 'DATE_FORMAT')}"
    return first


def next_meeting(as_of: date, language: str) -> dict[str, Figure]:
    meeting = selectors.coming_meeting(as_of)
    day = date_format(as_of, "DATE_FORMAT")
    if meeting is None:
        source = _("meetings.selectors.coming_meeting: every Meeting in the record had ended by "
                   "%(day)s") % {"day": day}  # fmt: skip
        return {name: Figure(None, source, as_of) for name in LABELS}
    source = _(
        "meetings.selectors.coming_meeting: the first Meeting of States Parties or Review "
        "Conference not ended by %(day)s (%(code)s, the meetings' record)"
    ) % {"day": day, "code": meeting.code}
    dates = dates_of(meeting.start_date, meeting.end_date)
    place = ", ".join(p for p in (meeting.venue, meeting.city) if p)
    return {
        "next meeting": Figure(meeting.title, source, as_of),
        "next meeting dates": Figure(
            dates or None, source, as_of, "" if dates else _("its dates are not yet recorded")
        ),
        "next meeting place": Figure(
            place or None, source, as_of, "" if place else _("its venue is not yet recorded")
        ),
    }


def register_figures() -> None:
    figures.register(Provider("meetings", LABELS, next_meeting))


def check_figures(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every figure the letters may name has a provider: a registration missing stops the
    start, never a letter with an empty figure (run by `ccm check`, `runserver`, `migrate`)."""
    return [
        checks.Error(
            f"the letters' figure [{name}] has no provider",
            hint="register it in its app's AppConfig.ready() with ccm.core.figures.register",
            obj="ccm.meetings.rules.FIGURES",
            id="meetings.E001",
        )
        for name in figures.missing(rules.FIGURES)
    ]
