"""What changed between two reports (issue #10): two versions of one report, or a State's report
and its report of the year before; form by form and cell by cell, each change added, removed or
changed with its values. Pure: two documents' forms and their template in, changes out.

Table rows are matched by their content (difflib), not by position: a row inserted at the top
is one row added, not every row below it changed. Rows that changed in place are compared cell
by cell."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ccm.reports import definition
from ccm.reports.presentation import UNITS, display

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
LABELS = {
    "status": _("Answer"),
    "unchanged_since": _("Unchanged since (year)"),
    "explanation": _("Explanation (why not applicable, if it held data before)"),
}


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    where: str  # what a person reads: the field, or the table, row and column
    old: str  # as shown on the report page, in the page's language
    new: str
    path: str  # the document's path: B.stockpiles[0].munitions


@dataclass
class FormChanges:
    code: str
    title: str
    changes: list[Change] = field(default_factory=list)
    unchanged_since: int | None = None  # answered "unchanged": the values are last year's


def _status(template: definition.Template, value: Any, lang: str) -> str:
    return template.statuses.get(value, {}).get(lang, str(value or "")) if value else ""


def _row_text(table: definition.Table, row: dict[str, Any], lang: str) -> str:
    return "; ".join(display(c, row.get(c.name), lang) for c in table.columns if c.name in row)


def _table(
    table: definition.Table,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    lang: str,
    code: str,
) -> list[Change]:
    label = table.label[lang]
    changes: list[Change] = []
    keys = (
        [json.dumps(r, sort_keys=True) for r in old],
        [json.dumps(r, sort_keys=True) for r in new],
    )
    matcher = difflib.SequenceMatcher(a=keys[0], b=keys[1], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(paired):
            before, after, row = old[i1 + k], new[j1 + k], j1 + k
            for c in table.columns:
                a, b = before.get(c.name), after.get(c.name)
                if a == b:
                    continue
                unit = f" ({UNITS[c.unit]})" if c.unit in UNITS else ""
                kind = ADDED if a in (None, "") else REMOVED if b in (None, "") else CHANGED
                where = f"{label}, {row + 1}: {c.label[lang]}{unit}"
                path = f"{code}.{table.name}[{row}].{c.name}"
                old_value, new_value = (
                    display(c, a, lang, unit=False),
                    display(c, b, lang, unit=False),
                )
                changes.append(Change(kind, where, old_value, new_value, path))
        for k in range(i1 + paired, i2):
            changes.append(Change(REMOVED, f"{label}, {k + 1}", _row_text(table, old[k], lang), "",
                                  f"{code}.{table.name}[{k}]"))  # fmt: skip
        for k in range(j1 + paired, j2):
            changes.append(Change(ADDED, f"{label}, {k + 1}", "", _row_text(table, new[k], lang),
                                  f"{code}.{table.name}[{k}]"))  # fmt: skip
    return changes


def compare(
    template: definition.Template, old: dict[str, Any], new: dict[str, Any], lang: str = "en"
) -> list[FormChanges]:
    """Every form of the template, in its order, with what changed from `old` to `new`."""
    lang = lang if lang in definition.LANGUAGES else "en"
    with translation.override(lang):
        labels = {name: str(label) for name, label in LABELS.items()}
    out = []
    for form in template.forms:
        before, after = old.get(form.code) or {}, new.get(form.code) or {}
        shown = FormChanges(form.code, form.title[lang])
        if after.get("status") == "unchanged":
            shown.unchanged_since = after.get("unchanged_since")
        if before.get("status") != after.get("status"):
            a, b = (
                _status(template, before.get("status"), lang),
                _status(template, after.get("status"), lang),
            )
            kind = ADDED if not a else REMOVED if not b else CHANGED
            shown.changes.append(Change(kind, labels["status"], a, b, f"{form.code}.status"))
        for name in ("unchanged_since", "explanation"):
            if before.get(name) != after.get(name):
                a, b = str(before.get(name) or ""), str(after.get(name) or "")
                kind = ADDED if not a else REMOVED if not b else CHANGED
                shown.changes.append(Change(kind, labels[name], a, b, f"{form.code}.{name}"))
        for f in form.fields:
            was, now = before.get(f.name), after.get(f.name)
            if was != now:
                kind = ADDED if was in (None, "") else REMOVED if now in (None, "") else CHANGED
                shown.changes.append(Change(
                    kind, f.label[lang], display(f, was, lang), display(f, now, lang),
                    f"{form.code}.{f.name}",
                ))  # fmt: skip
        for table in form.tables:
            shown.changes += _table(
                table, before.get(table.name) or [], after.get(table.name) or [], lang, form.code
            )
        out.append(shown)
    return out
