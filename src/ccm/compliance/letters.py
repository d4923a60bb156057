"""Letters of the Presidency and the ISU: the circular reminder and individual reminders.

HTML templates rendered in the recipient's language, printed to PDF by WeasyPrint. The same
HTML is the staff's preview, so what they check is what is sent.

One truth (issue #24): a letter names a State as missing a report only when the evidence says
it is certainly overdue. A report that is merely not in our record is "unconfirmed": the circular
gives only their number, and a State is asked (once a year) to send us a copy, never told it is
overdue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from ccm.compliance import dashboard
from ccm.compliance.rules import Compliance, Kind, Obligation, Tally
from ccm.core.pdf import html_to_pdf
from ccm.meetings import selectors as meetings
from ccm.registry.models import State, fold

LETTER_LANGUAGES = ("en", "fr", "es")


@dataclass(frozen=True)
class Reminder:
    """An individual letter: one State, its certainly overdue, upcoming and unconfirmed reports
    on a date. Only the first two make it a reminder; the third is a request to confirm."""

    state: State
    as_of: date
    overdue: list[Obligation]  # certainly overdue (Compliance.OVERDUE)
    upcoming: list[Obligation]
    demo: bool = False
    # Deadline passed, no report in our record, no evidence either way (Compliance.UNKNOWN)
    unconfirmed: list[Obligation] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.state.language if self.state.language in LETTER_LANGUAGES else "en"

    @property
    def is_reminder(self) -> bool:
        """Something certainly overdue or due soon: a reminder. Otherwise only a request to
        confirm reports we cannot find, never an "overdue" letter."""
        return bool(self.overdue or self.upcoming)


def letters_by_state(
    items: list[Obligation], as_of: date, states: Mapping[str, State] | None = None
) -> list[Reminder]:
    """One letter per State with a report certainly overdue, due within the reminder window, or
    not in our record (unknown), read from the obligations on `as_of` (`states` when the caller
    has them, else one query)."""
    wanted = (Compliance.OVERDUE, Compliance.DUE, Compliance.UNKNOWN)
    by_state: dict[str, dict[Compliance, list[Obligation]]] = {}
    for o in items:
        if o.kind.is_report and o.status in wanted:
            by_state.setdefault(o.iso3, {s: [] for s in wanted})[o.status].append(o)
    if states is None:
        states = State.objects.in_bulk(list(by_state))
    demo = any(o.demo for o in items)
    out = [
        Reminder(
            states[iso3],
            as_of,
            found[Compliance.OVERDUE],
            found[Compliance.DUE],
            demo,
            found[Compliance.UNKNOWN],
        )
        for iso3, found in by_state.items()
    ]
    return sorted(out, key=lambda r: r.state.name_en)


def reminders(
    items: list[Obligation], as_of: date, states: Mapping[str, State] | None = None
) -> list[Reminder]:
    """The reminders: one per State with a report certainly overdue or due soon (its unconfirmed
    reports ride along). A State whose only gaps are unknown gets none (issue #24)."""
    return [r for r in letters_by_state(items, as_of, states) if r.is_reminder]


def confirm_only(
    items: list[Obligation], as_of: date, states: Mapping[str, State] | None = None
) -> list[Reminder]:
    """States whose only gaps are reports not in our record: no reminder, only (by e-mail, once
    a year) a request to send us a copy."""
    return [r for r in letters_by_state(items, as_of, states) if not r.is_reminder]


@dataclass(frozen=True)
class CircularPart:
    """What the circular says of one report (initial, or one year's annual)."""

    kind: Kind
    period: int | None
    due_date: date | None
    certain: list[State]  # named in the letter: certainly overdue
    unknown: int  # counted only: reports we cannot confirm
    due: int  # reports whose deadline had passed (as `ccm compliance`'s `due`)

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.kind is Kind.ANNUAL:
            out["period"] = self.period
            out["due_date"] = self.due_date.isoformat() if self.due_date else None
        return {
            **out,
            "overdue_iso3": sorted(s.iso3 for s in self.certain),
            "unknown": self.unknown,
            "due": self.due,
        }


@dataclass(frozen=True)
class Circular:
    """The Presidency's circular on a date: the one reading the page, the PDF and
    `ccm letter circular` share."""

    as_of: date
    initial: CircularPart
    annual: list[CircularPart]  # every annual year owed on the date, oldest first
    demo: bool

    @property
    def annual_shown(self) -> list[CircularPart]:
        """The years the letter speaks of (newest first): a deadline passed and something
        certainly overdue or unconfirmed."""
        return [p for p in reversed(self.annual) if p.due and (p.certain or p.unknown)]

    @property
    def named(self) -> int:
        return len(self.initial.certain) + sum(len(p.certain) for p in self.annual)

    @property
    def unknown(self) -> int:
        return self.initial.unknown + sum(p.unknown for p in self.annual)

    def record(self, language: str) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "language": language,
            "includes_demonstration_data": self.demo,
            "initial": self.initial.record(),
            "annual": [p.record() for p in self.annual],
        }


def circular(board: dashboard.Dashboard) -> Circular:
    """The circular from the dashboard's tallies: certainly overdue States by name, the unknown
    ones as a number (issue #24)."""

    def part(t: Tally) -> CircularPart:
        certain = [board.states[c] for c in t.certainly_overdue if c in board.states]
        return CircularPart(
            t.kind, t.period, t.due_date, sorted(certain, key=lambda s: fold(s.name)),
            len(t.unknown), t.fallen_due,
        )  # fmt: skip

    return Circular(
        board.as_of, part(board.initial), [part(t) for t in board.annual], board.has_demo
    )


def render_circular(board: dashboard.Dashboard, language: str) -> str:
    with translation.override(language):
        letter = circular(board)  # names sorted in the letter's language
        return render_to_string(
            "compliance/letters/circular.html",
            {
                "letter": letter,
                "language": language,
                "demo": letter.demo,
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
