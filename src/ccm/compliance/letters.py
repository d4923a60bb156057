"""Letters of the Presidency and the ISU: the circular reminder and individual reminders.

HTML templates rendered in the recipient's language, printed to PDF by WeasyPrint. The same
HTML is the staff's preview, so what they check is what is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from ccm.compliance import dashboard
from ccm.compliance.rules import Compliance, Obligation
from ccm.core.pdf import html_to_pdf
from ccm.meetings import selectors as meetings
from ccm.registry.models import State, fold

LETTER_LANGUAGES = ("en", "fr", "es")


@dataclass(frozen=True)
class Reminder:
    """An individual reminder: one State, its overdue and upcoming reports on a date."""

    state: State
    as_of: date
    overdue: list[Obligation]
    upcoming: list[Obligation]
    demo: bool = False

    @property
    def language(self) -> str:
        return self.state.language if self.state.language in LETTER_LANGUAGES else "en"


def reminders(
    items: list[Obligation], as_of: date, states: Mapping[str, State] | None = None
) -> list[Reminder]:
    """One reminder per State with a report overdue or due within the reminder window, read from
    the obligations on `as_of` (`states` when the caller has them, else one query)."""
    by_state: dict[str, tuple[list[Obligation], list[Obligation]]] = {}
    for o in items:
        if not o.kind.is_report or o.status not in (Compliance.OVERDUE, Compliance.DUE):
            continue
        overdue, upcoming = by_state.setdefault(o.iso3, ([], []))
        (overdue if o.status is Compliance.OVERDUE else upcoming).append(o)
    if states is None:
        states = State.objects.in_bulk(list(by_state))
    demo = any(o.demo for o in items)
    out = [
        Reminder(states[iso3], as_of, overdue, upcoming, demo)
        for iso3, (overdue, upcoming) in by_state.items()
    ]
    return sorted(out, key=lambda r: r.state.name_en)


def render_circular(board: dashboard.Dashboard, language: str) -> str:
    with translation.override(language):
        initial = sorted((line.state.name for line in board.overdue_initial), key=fold)
        annual = sorted((line.state.name for line in board.missing_annual), key=fold)
        return render_to_string(
            "compliance/letters/circular.html",
            {
                "board": board,
                "initial": initial,
                "annual": annual,
                "language": language,
                "demo": board.has_demo,
                "letterhead": meetings.letterhead(language, board.as_of),
            },
        )


def render_reminder(reminder: Reminder, language: str | None = None) -> str:
    with translation.override(language or reminder.language):
        return render_to_string(
            "compliance/letters/reminder.html",
            {"r": reminder, "language": language or reminder.language, "demo": reminder.demo},
        )


def pdf(html: str) -> bytes:
    return html_to_pdf(html)
