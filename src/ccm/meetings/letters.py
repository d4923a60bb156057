"""The Presidency's letters and progress report, on its letterhead, in en/fr/es (issue #11).

A letter is written once per language with placeholders; it is printed as one letter per
language (what the Presidency checks) and as one letter per State, each in the State's working
language where the letter was written in it (English otherwise), addressed to it by name.

A letter may also quote figures ([States Parties], [GA vote], [initial reports missing]...),
computed as of the letter's date by the apps that own them (core.figures, issue #25); each is
listed with its source on the letter's page for the author to check, never in the letter sent."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from ccm.core import figures as figure_registry
from ccm.core.figures import Figure
from ccm.core.pdf import html_to_pdf
from ccm.meetings import figures as meeting_figures
from ccm.meetings import rules, selectors
from ccm.meetings.choices import ItemStatus
from ccm.meetings.models import Letter, Meeting, Presidency, WorkPlanItem
from ccm.registry.models import State
from ccm.registry.rules import Status
from ccm.registry.selectors import state_rows

LANGUAGES = ("en", "fr", "es")
AUDIENCES = ("parties", "parties_signatories", "all")
STARTING_POINTS = Path(__file__).resolve().parent / "data" / "letter_templates.json"


@cache
def starting_points() -> dict[str, dict[str, dict[str, str]]]:
    """Letters to start from (data/letter_templates.json), each in en, fr and es with a title,
    a subject and a text whose placeholders are all known (checked once, on first use)."""
    found = json.loads(STARTING_POINTS.read_text(encoding="utf-8"))
    found.pop("_comment", None)
    for key, versions in found.items():
        for language in LANGUAGES:
            version = versions[language]  # KeyError: a language missing is a defect here
            text = version["subject"] + "\n" + version["body"]
            if not version["title"] or rules.unknown_placeholders(text):
                raise ValueError(f"letter template {key}/{language} is incomplete or unknown")
    return found


def starting_point(key: str) -> dict[str, str]:
    """The letter form's fields from a starting point ({} for an unknown one)."""
    versions = starting_points().get(key)
    if versions is None:
        return {}
    out = {}
    for language in LANGUAGES:
        out[f"subject_{language}"] = versions[language]["subject"]
        out[f"body_{language}"] = versions[language]["body"]
    return out


def values(
    presidency: Presidency, state: State | None, figures: dict[str, Figure] | None = None
) -> dict[str, str]:
    """What the placeholders stand for, in the active language; [State] stays as written in a
    letter addressed to no State in particular, and so does a figure the record cannot give on
    the letter's date (its sources list says so)."""
    meeting = presidency.meeting
    out = {
        "meeting": meeting.title,
        "dates": meeting_figures.dates_of(meeting.start_date, meeting.end_date),
        "place": ", ".join(p for p in (meeting.venue, meeting.city) if p),
        "President": presidency.president,
    }
    if state is not None:
        out["State"] = state.name
    for name, figure in (figures or {}).items():
        if figure.value is not None:
            out[name] = figure.value
    return out


# Figures: computed as of the letter's date by the apps that own them (issue #25) -----------


def figures_used(letter: Letter) -> list[str]:
    """The figures the letter quotes in any of its languages."""
    texts = (letter.text(language) for language in LANGUAGES)
    return rules.figures_in("\n".join("\n".join(t) for t in texts if t))


def figures_of(letter: Letter, language: str) -> dict[str, Figure]:
    """The figures the letter quotes, as of its date, in a language (core.figures raises for
    a figure no app provides: never an empty one)."""
    names = figures_used(letter)
    return figure_registry.compute(names, letter.dated, language) if names else {}


@dataclass(frozen=True)
class Source:
    """One figure of a letter as its author checks it: not printed in the letter."""

    name: str
    label: str
    figure: Figure
    app: str


def sources(letter: Letter, language: str) -> list[Source]:
    """Each figure the letter quotes, with its value in `language`, its source and its date."""
    found = figures_of(letter, language)
    with translation.override(language):
        return [
            Source(name, figure_registry.label(name), figure, figure_registry.provider_of(name))
            for name, figure in found.items()
        ]


def vocabulary() -> list[tuple[str, str]]:
    """The figures a letter may quote, each with its label (the form's help)."""
    return [(name, figure_registry.label(name)) for name in rules.FIGURES]


@dataclass(frozen=True)
class Page:
    language: str
    subject: str
    paragraphs: list[str]
    addressee: str


def _page(letter: Letter, language: str, state: State | None, figures: dict[str, Figure]) -> Page:
    written = letter.text(language)
    assert written is not None
    subject, body = written
    filled = values(letter.presidency, state, figures)
    return Page(
        language, rules.fill(subject, filled),
        [rules.fill(p, filled) for p in rules.paragraphs(body)],
        state.name if state is not None else "",
    )  # fmt: skip


def render(letter: Letter, language: str) -> str:
    """The letter in one language, to no State in particular (the caller checks it was
    written in that language)."""
    with translation.override(language):
        section = render_to_string("meetings/letters/one.html", {
            "language": language, "letter": letter,
            "page": _page(letter, language, None, figures_of(letter, language)),
            "letterhead": selectors.letterhead_of(letter.presidency, language),
        })  # fmt: skip
        return render_to_string("meetings/letters/bundle.html", {
            "language": language, "sections": mark_safe(section), "letter": letter,
        })  # fmt: skip


def audience(kind: str, on: date) -> list[State]:
    """The States a letter goes to on its date: States Parties, or with the signatories, or every
    State in the registry (sorted by English name)."""
    rows = state_rows(on, State.objects.order_by("name_en"))
    if kind == "all":
        return [r.state for r in rows]
    keep = {Status.DEPOSITED, Status.IN_FORCE}
    if kind == "parties_signatories":
        keep.add(Status.SIGNATORY)
    return [r.state for r in rows if r.status in keep]


def language_for(letter: Letter, state: State) -> str:
    return state.language if state.language in letter.languages else "en"


def render_to_states(letter: Letter, states: list[State]) -> str:
    """One letter per State in one document (a page break between them)."""
    heads = {lang: selectors.letterhead_of(letter.presidency, lang) for lang in letter.languages}
    figures = {lang: figures_of(letter, lang) for lang in letter.languages}  # once per language
    sections = []
    for state in states:
        language = language_for(letter, state)
        with translation.override(language):
            sections.append(render_to_string("meetings/letters/one.html", {
                "language": language, "letter": letter,
                "page": _page(letter, language, state, figures[language]),
                "letterhead": heads[language],
            }))  # fmt: skip
    return render_to_string("meetings/letters/bundle.html", {
        "language": "en", "sections": mark_safe("".join(sections)),  # each rendered, escaped
        "letter": letter,
    })  # fmt: skip


# The progress report on the work plan -----------------------------------------------------


@dataclass(frozen=True)
class Theme:
    name: str
    items: list[tuple[WorkPlanItem, bool]]  # (item, overdue)


def report_context(meeting: Meeting, items: list[WorkPlanItem], today: date) -> dict:
    """The progress report's content: counts by status, items by theme (as written; the items
    with none last), each with its status and whether it is overdue."""
    summary = rules.progress([(i.due_date, i.status) for i in items], today)
    themes: dict[str, list[tuple[WorkPlanItem, bool]]] = {}
    for item in items:
        themes.setdefault(item.theme, []).append((item, item.overdue(today)))
    ordered = sorted(themes.items(), key=lambda kv: (kv[0] == "", kv[0].lower()))
    return {
        "meeting": meeting,
        "today": today,
        "summary": summary,
        "statuses": [
            (value, label, summary.by_status.get(value, 0)) for value, label in ItemStatus.choices
        ],  # fmt: skip
        "themes": [Theme(name, rows) for name, rows in ordered],
    }


def render_report(meeting: Meeting, items: list[WorkPlanItem], language: str, today: date) -> str:
    presidency = getattr(meeting, "presidency", None)
    with translation.override(language):
        context = report_context(meeting, items, today)
        context.update({
            "language": language,
            "letterhead": selectors.letterhead_of(presidency, language) if presidency else None,
        })  # fmt: skip
        return render_to_string("meetings/letters/progress_report.html", context)


def pdf(html: str) -> bytes:
    return html_to_pdf(html)
