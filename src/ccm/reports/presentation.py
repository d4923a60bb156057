"""A submitted version as people read it: every form of its template, in the page's language,
with choice values by their labels and numbers with their units (the public page and its PDF)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language

from ccm.reports import definition
from ccm.reports.models import ReportVersion

UNITS = {"m2": "m²", "kg": "kg"}  # other units (munitions, people...) are said by the label


@dataclass
class Shown:
    label: str
    value: str
    voluntary: bool = False


@dataclass
class ShownTable:
    label: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class ShownForm:
    code: str
    title: str
    items: str
    status: str
    unchanged_since: int | None
    explanation: str
    fields: list[Shown] = field(default_factory=list)
    tables: list[ShownTable] = field(default_factory=list)


def _language() -> str:
    language = (get_language() or "en")[:2]
    return language if language in definition.LANGUAGES else "en"


def display(f: definition.Field, value: Any, lang: str, *, unit: bool = True) -> str:
    """A value as a person reads it: a choice by its label, a number with its unit."""
    if value is None or value == "":
        return ""
    if f.type == "choice":
        return next((label[lang] for v, label in f.choices if v == value), str(value))
    if f.type == "boolean":
        return "✓" if value else "✗"
    return f"{value} {UNITS[f.unit]}" if unit and f.unit in UNITS else str(value)


def forms_of(version: ReportVersion) -> list[ShownForm]:
    template = definition.load(version.report.template)
    lang = _language()
    out = []
    for form in template.forms:
        values = version.forms.get(form.code, {})
        status = values.get("status", "")
        shown = ShownForm(
            code=form.code,
            title=form.title[lang],
            items=", ".join(f"({i})" for i in form.items),
            status=template.statuses.get(status, {}).get(lang, "") if status else "",
            unchanged_since=values.get("unchanged_since"),
            explanation=values.get("explanation", ""),
        )
        for f in form.fields:
            if f.name in values:
                shown.fields.append(
                    Shown(f.label[lang], display(f, values[f.name], lang), f.voluntary)
                )
        for table in form.tables:
            rows = values.get(table.name) or []
            if rows:
                headers = [
                    c.label[lang] + (f" ({UNITS[c.unit]})" if c.unit in UNITS else "")
                    for c in table.columns
                ]
                cells = [
                    [display(c, row.get(c.name), lang, unit=False) for c in table.columns]
                    for row in rows
                ]
                shown.tables.append(ShownTable(table.label[lang], headers, cells))
        out.append(shown)
    return out
