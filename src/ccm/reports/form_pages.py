"""One form of a report as a web page, driven by its template's definition (issue #9): the
definition says which inputs to show, the schema says what is wrong, beside the input.

Posted text becomes the document's values (numbers stay numbers: a number that cannot be read
is kept as typed, and the schema says so); the draft is saved whatever it holds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from ccm.reports import definition
from ccm.reports.presentation import UNITS

EXTRA_ROWS = 2  # empty rows offered under a table's rows (more after each save)


@dataclass
class Input:
    key: str  # the POST name
    label: str
    kind: str  # the definition's type
    value: Any
    required: bool = False
    voluntary: bool = False
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    multiline: bool = False
    choices: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class Grid:
    name: str
    label: str
    headers: list[Input]  # the columns (labels, units)
    rows: list[list[Input]]
    required: bool = False  # at least one row
    problems: list[str] = field(default_factory=list)  # the table's own (no row given)


@dataclass
class Page:
    status: Input | None
    since: Input | None
    explanation: Input | None
    inputs: list[Input]
    grids: list[Grid]
    other_problems: list[str]


def _language(code: str | None) -> str:
    code = (code or "en")[:2]
    return code if code in definition.LANGUAGES else "en"


def _number(text: str, kind: str) -> Any:
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        if kind == "integer":
            return int(cleaned)
        number = float(cleaned) if len(cleaned) <= 30 else float("nan")
        if not math.isfinite(number):
            return text  # kept as typed: the schema says it is not a number
        return int(number) if number.is_integer() and "." not in cleaned else number
    except ValueError:
        return text  # kept as typed: the schema says it is not a number


def _value(f: definition.Field, raw: str | None) -> Any:
    """A posted value as the document holds it; None when left empty."""
    if f.type == "boolean":
        return raw == "on"
    if raw is None or raw.strip() == "":
        return None
    raw = raw.strip()
    if f.type in ("integer", "decimal"):
        return _number(raw, f.type)
    return raw


def values_from(form: definition.Form, data: QueryDict) -> dict[str, Any]:
    """The form's values from a POST: empty fields left out, empty table rows dropped."""
    values: dict[str, Any] = {}
    if form.statuses:
        for name in ("status", "unchanged_since", "explanation"):
            raw = data.get(name, "").strip()
            if raw:
                values[name] = _number(raw, "integer") if name == "unchanged_since" else raw
    for f in form.fields:
        value = _value(f, data.get(f.name))
        if value is not None and not (f.type == "boolean" and value is False):
            values[f.name] = value
    for table in form.tables:
        rows = []
        count = min(int(data.get(f"{table.name}-rows", "0") or 0), 500)
        for index in range(count):
            row = {
                c.name: _value(c, data.get(f"{table.name}-{index}-{c.name}")) for c in table.columns
            }
            row = {k: v for k, v in row.items() if v is not None and v is not False}
            if row:
                rows.append(row)
        if rows:
            values[table.name] = rows
    return values


def _input(f: definition.Field, key: str, value: Any, lang: str) -> Input:
    return Input(
        key=key,
        label=f.label[lang],
        kind=f.type,
        value="" if value is None else value,
        required=f.required,
        voluntary=f.voluntary,
        unit=UNITS.get(f.unit, ""),  # other units (munitions, people...) the label says
        minimum=f.minimum,
        maximum=f.maximum,
        multiline=f.multiline,
        choices=[(v, label[lang]) for v, label in f.choices],
    )


def page(
    template: definition.Template,
    form: definition.Form,
    values: dict[str, Any],
    problems: list[tuple[str, str]],
    language: str | None,
) -> Page:
    """What the page shows: each input with its value and the problems found at its path."""
    lang = _language(language)
    by_path: dict[str, list[str]] = {}
    for path, reason in problems:
        by_path.setdefault(path, []).append(reason)
    prefix = f"$.forms.{form.code}"
    used: set[str] = set()

    def take(path: str) -> list[str]:
        used.add(path)
        return by_path.get(path, [])

    status = since = explanation = None
    if form.statuses:
        status = Input(
            "status", "", "choice", values.get("status", ""), required=True,
            choices=[(s, template.statuses[s][lang]) for s in form.statuses],
            problems=take(f"{prefix}.status"),
        )  # fmt: skip
        since = Input("unchanged_since", "", "integer", values.get("unchanged_since", ""),
                      minimum=2010, problems=take(f"{prefix}.unchanged_since"))  # fmt: skip
        explanation = Input("explanation", "", "text", values.get("explanation", ""),
                            problems=take(f"{prefix}.explanation"))  # fmt: skip
    inputs = []
    for f in form.fields:
        shown = _input(f, f.name, values.get(f.name), lang)
        shown.problems = take(f"{prefix}.{f.name}")
        inputs.append(shown)
    grids = []
    for table in form.tables:
        rows_given = values.get(table.name) or []
        rows = []
        for index in range(len(rows_given) + EXTRA_ROWS):
            row = rows_given[index] if index < len(rows_given) else {}
            cells = []
            for position, c in enumerate(table.columns):
                cell = _input(c, f"{table.name}-{index}-{c.name}", row.get(c.name), lang)
                cell.problems = take(f"{prefix}.{table.name}[{index}].{c.name}")
                if position == 0:  # what concerns the whole row (a missing cell) shows once
                    cell.problems += take(f"{prefix}.{table.name}[{index}]")
                cells.append(cell)
            rows.append(cells)
        headers = [_input(c, c.name, None, lang) for c in table.columns]
        grids.append(
            Grid(table.name, table.label[lang], headers, rows, table.required,
                 take(f"{prefix}.{table.name}"))
        )  # fmt: skip
    other = [f"{p}: {r}" for p, reasons in by_path.items() if p not in used for r in reasons]
    return Page(status, since, explanation, inputs, grids, other)


def problem_list(shown: Page) -> list[tuple[str, str, str]]:
    """Every problem of the page as (where, reason, input key), in the page's order, to list
    them where the save is confirmed ("Saved, with 2 problems", issue #26) with a link to each."""
    from django.utils.translation import gettext as _

    out = []
    for i in [shown.status, shown.since, shown.explanation, *shown.inputs]:
        if i is not None:
            out += [(i.label or _("Answer"), p, i.key) for p in i.problems]
    for grid in shown.grids:
        out += [(grid.label, p, "") for p in grid.problems]
        for index, row in enumerate(grid.rows, start=1):
            for header, cell in zip(grid.headers, row, strict=False):
                where = _("%(table)s, row %(n)d: %(column)s") % {
                    "table": grid.label, "n": index, "column": header.label
                }  # fmt: skip
                out += [(where, p, cell.key) for p in cell.problems]
    return out  # the page's other problems have their own box above the inputs
