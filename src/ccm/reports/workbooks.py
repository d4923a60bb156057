"""A report as an offline workbook (issue #10): download it, fill it without a connection, pass
sheets to colleagues, upload it back.

One sheet per form, labels in the chosen language (en/fr/es), pre-filled, units shown, each input
cell typed (data validation for whole numbers, numbers, dates and choices) and the rest
protected; a hidden sheet says whose report it is (State, kind, year, template) and where each
table's rows are. Made with XlsxWriter; read back with openpyxl.

Reading checks every cell against the same definition as the web forms and names each problem
by its sheet and cell (`Form B!C12: A whole number, without spaces or separators.`); the caller
writes nothing unless there is none. A form left empty in the workbook is not part of it."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ccm.core.numbers import whole
from ccm.core.spreadsheets import CellsUnreadable, Unreadable, open_workbook, reason_of
from ccm.reports import definition, rules
from ccm.reports.presentation import UNITS

META_SHEET = "ccm"
EXTRA_ROWS = 50  # empty rows offered under each table's rows
LABEL_WIDTH = 48


def not_ours() -> str:
    """A message, said in the active language."""
    return _("This is not a report workbook of this system: download one from the report's page.")


class WorkbookRefused(ValueError):
    """The workbook cannot be taken: one line per problem, each naming its sheet and cell."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Identity:
    state: str
    kind: str
    period: int | None
    template: str
    language: str = "en"
    revisions: tuple[tuple[str, int], ...] = ()  # each draft's revision when downloaded
    version: int = 0  # the report's last submitted version when downloaded


@dataclass
class Grid:
    name: str
    header_row: int
    first_row: int
    capacity: int
    columns: tuple[str, ...]


@dataclass
class Layout:
    """Where each input of a form is on its sheet (0-based rows and columns)."""

    sheet: str
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # status, fields
    grids: dict[str, Grid] = field(default_factory=dict)


def sheet_name(form: definition.Form) -> str:
    return "Cover" if form.code == "cover" else f"Form {form.code}"


def layout(form: definition.Form, capacities: dict[str, int]) -> Layout:
    """The same positions for writing and reading: title, status block, fields, tables."""
    out = Layout(sheet_name(form))
    row = 3
    if form.statuses:
        for name in definition.STATUS_FIELDS:
            out.cells[name] = (row, 1)
            row += 1
        row += 1
    for f in form.fields:
        out.cells[f.name] = (row, 1)
        row += 1
    row += 1
    for table in form.tables:
        capacity = capacities.get(table.name, EXTRA_ROWS)
        columns = tuple(c.name for c in table.columns)
        out.grids[table.name] = Grid(table.name, row + 1, row + 2, capacity, columns)
        row += 2 + capacity + 1
    return out


def _lang(language: str) -> str:
    return language if language in definition.LANGUAGES else "en"


def _yes_no() -> tuple[str, str]:
    return _("yes"), _("no")


# ------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------


def build(
    template: definition.Template, identity: Identity, forms: dict[str, Any], *, title: str
) -> bytes:
    """The workbook of a report, pre-filled with `forms` (a draft, or the last version)."""
    import xlsxwriter

    lang = _lang(identity.language)
    data = io.BytesIO()
    book = xlsxwriter.Workbook(data, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"title": title, "subject": "Article 7 report", "author": "CCM ISU"})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    heading = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    note = book.add_format({"italic": True, "font_color": "#555555", "text_wrap": True})
    formats = {
        "text": book.add_format({"locked": False, "bg_color": "#FFF9E0", "text_wrap": True,
                                 "border": 1, "border_color": "#BBBBBB"}),
        "date": book.add_format({"locked": False, "bg_color": "#FFF9E0", "num_format": "yyyy-mm-dd",
                                 "border": 1, "border_color": "#BBBBBB"}),
    }  # fmt: skip
    yes, no = _yes_no()
    capacities: dict[str, int] = {}
    lists: dict[tuple[str, ...], str] = {}

    def options(choices: list[str]) -> str:
        """A list of choices, kept on the hidden sheet (a label may hold a comma)."""
        if not choices:
            return ""
        key = tuple(choices)
        if key not in lists:
            column = xl_col_to_name(3 + len(lists))
            lists[key] = f"={META_SHEET}!${column}$1:${column}${len(key)}"
        return lists[key]

    with translation.override(lang):
        for form in template.forms:
            values = forms.get(form.code) or {}
            for table in form.tables:
                capacities[f"{form.code}.{table.name}"] = len(values.get(table.name) or []) + (
                    EXTRA_ROWS
                )
            place = layout(form, {t.name: capacities[f"{form.code}.{t.name}"] for t in form.tables})
            sheet = book.add_worksheet(place.sheet)
            sheet.protect("", {"format_columns": True, "format_rows": True})
            sheet.set_column(0, 0, LABEL_WIDTH)
            sheet.set_column(1, 12, 22)
            code = "" if form.code == "cover" else f"{form.code}: "
            sheet.write_string(0, 0, f"{code}{form.title[lang]}", heading)
            sheet.write_string(1, 0, _(
                "Type in the yellow cells only. Whole numbers without separators; dates as "
                "YYYY-MM-DD; choices from the list. Leave a whole form empty to leave it out."
            ), note)  # fmt: skip
            if form.statuses:
                labels = {
                    "status": _("Answer"),
                    "unchanged_since": _("Unchanged since (year)"),
                    "explanation": _("Explanation (why not applicable, if it held data before)"),
                }
                choices = [template.statuses[s][lang] for s in form.statuses]
                for name in definition.STATUS_FIELDS:
                    row, col = place.cells[name]
                    sheet.write_string(row, 0, labels[name], bold)
                    value = values.get(name)
                    if name == "status":
                        shown = template.statuses.get(value, {}).get(lang, "") if value else ""
                        sheet.write_string(row, col, shown, formats["text"])
                        sheet.data_validation(row, col, row, col, {
                            "validate": "list", "source": options(choices), "error_message": _(
                                "Choose one of the options."),
                        })  # fmt: skip
                    elif name == "unchanged_since":
                        _write(sheet, row, col, value, "integer", formats)
                        sheet.data_validation(row, col, row, col, {
                            "validate": "integer", "criteria": "between", "minimum": 2010,
                            "maximum": 2100, "error_message": _("A year, such as 2024."),
                        })  # fmt: skip
                    else:
                        _write(sheet, row, col, value, "text", formats)
            for f in form.fields:
                row, col = place.cells[f.name]
                sheet.write_string(row, 0, _label(f, lang), bold)
                _write(
                    sheet, row, col, _shown(f, values.get(f.name), lang, yes, no), f.type, formats
                )
                _validate(sheet, row, col, row, col, f, lang, options(_choices(f, lang, yes, no)))
            for table in form.tables:
                grid = place.grids[table.name]
                sheet.write_string(grid.header_row - 1, 0, table.label[lang], bold)
                rows = values.get(table.name) or []
                for col, c in enumerate(table.columns):
                    sheet.write_string(grid.header_row, col, _label(c, lang), bold)
                    last = grid.first_row + grid.capacity - 1
                    for index in range(grid.capacity):
                        value = rows[index].get(c.name) if index < len(rows) else None
                        shown = _shown(c, value, lang, yes, no)
                        _write(sheet, grid.first_row + index, col, shown, c.type, formats)
                    _validate(
                        sheet, grid.first_row, col, last, col, c, lang,
                        options(_choices(c, lang, yes, no)),
                    )  # fmt: skip
                sheet.set_row(grid.header_row, 45, wrap)
        meta = book.add_worksheet(META_SHEET)
        rows_meta = [
            ("state", identity.state), ("kind", identity.kind),
            ("period", "" if identity.period is None else str(identity.period)),
            ("template", identity.template), ("language", lang),
            ("version", str(identity.version)),
        ] + [(f"rows:{k}", str(v)) for k, v in sorted(capacities.items())] + [
            (f"revision:{code}", str(n)) for code, n in identity.revisions
        ]  # fmt: skip
        for row, (key, value) in enumerate(rows_meta):
            meta.write_string(row, 0, key)
            meta.write_string(row, 1, value)
        for column, listed in enumerate(lists, start=3):
            for row, text in enumerate(listed):
                meta.write_string(row, column, text)
        meta.protect()
        meta.hide()
    book.close()
    return data.getvalue()


def _label(f: definition.Field, lang: str) -> str:
    unit = f" ({UNITS[f.unit]})" if f.unit in UNITS else ""
    mark = " *" if f.required else ""
    grey = f" [{_('voluntary')}]" if f.voluntary else ""
    return f"{f.label[lang]}{unit}{mark}{grey}"


def _shown(f: definition.Field, value: Any, lang: str, yes: str, no: str) -> Any:
    if value is None:
        return None
    if f.type == "choice":
        return next((label[lang] for v, label in f.choices if v == value), value)
    if f.type == "boolean":
        return yes if value else no
    return value


def _write(sheet: Any, row: int, col: int, value: Any, kind: str, formats: dict[str, Any]) -> None:
    if kind == "date":
        if value:
            try:
                sheet.write_datetime(row, col, datetime.fromisoformat(str(value)), formats["date"])
                return
            except ValueError:
                pass
        sheet.write_blank(row, col, None, formats["date"])
        if value:
            sheet.write_string(row, col, str(value), formats["date"])
        return
    if value is None or value == "":
        sheet.write_blank(row, col, None, formats["text"])
    elif isinstance(value, bool):
        sheet.write_string(row, col, str(value), formats["text"])
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value, formats["text"])
    else:
        sheet.write_string(row, col, str(value), formats["text"])


def _choices(f: definition.Field, lang: str, yes: str, no: str) -> list[str]:
    if f.type == "boolean":
        return [yes, no]
    return [label[lang] for _v, label in f.choices]


def _validate(
    sheet: Any, r1: int, c1: int, r2: int, c2: int, f: definition.Field, lang: str,
    source: str,
) -> None:  # fmt: skip
    rule: dict[str, Any] | None = None
    if f.type == "integer":
        rule = {"validate": "integer", "criteria": ">=", "value": int(f.minimum or 0) if
                f.minimum is not None else -(2**31), "error_message": _(
                    "A whole number, without spaces or separators.")}  # fmt: skip
        if f.maximum is not None:
            rule.update(criteria="between", minimum=rule.pop("value"), maximum=int(f.maximum))
    elif f.type == "decimal":
        rule = {"validate": "decimal", "criteria": ">=", "value": f.minimum if f.minimum
                is not None else -1e15, "error_message": _(
                    "A number (a point or a comma for decimals).")}  # fmt: skip
        if f.maximum is not None:
            rule.update(criteria="between", minimum=rule.pop("value"), maximum=f.maximum)
    elif f.type == "date":
        rule = {"validate": "date", "criteria": "between", "minimum": datetime(2000, 1, 1),
                "maximum": datetime(2100, 12, 31),
                "error_message": _("A date: day, month and year.")}  # fmt: skip
    elif f.type in ("choice", "boolean") and (f.choices or f.type == "boolean"):
        rule = {"validate": "list", "source": source,
                "error_message": _("Choose one of the options.")}  # fmt: skip
    if rule is not None:
        sheet.data_validation(r1, c1, r2, c2, rule)


# ------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------


@dataclass
class Read:
    identity: Identity
    forms: dict[str, Any]
    left_out: list[str]  # forms left empty in the workbook

    def document(self) -> dict[str, Any]:
        """As a report document (`ccm import_report`'s input)."""
        i = self.identity
        return {"state": i.state, "kind": i.kind, "period": i.period, "template": i.template,
                "forms": self.forms}  # fmt: skip


def read(data: bytes) -> Read:
    """A workbook's identity and forms, every cell checked (WorkbookRefused lists each problem
    by sheet and cell). The forms are checked against the template's schema too, each problem
    named at its cell."""
    try:
        book = open_workbook(data)
    except CellsUnreadable as exc:
        raise WorkbookRefused(exc.problems) from None  # each names its sheet and cell
    except Unreadable as exc:
        raise WorkbookRefused([_unreadable(str(exc))]) from None
    try:
        return _read_book(book)
    except WorkbookRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - what check_workbook did not foresee: still named
        raise WorkbookRefused([_unreadable(reason_of(exc))]) from None
    finally:
        book.close()


def _unreadable(why: str) -> str:
    return _("The file cannot be read as a workbook (%(why)s): download the workbook again "
             "from the report's page and fill that one.") % {"why": why}  # fmt: skip


def _read_book(book: Any) -> Read:
    """The identity and forms of an opened workbook (see `read`)."""
    if META_SHEET not in book.sheetnames:
        raise WorkbookRefused([not_ours()])
    meta = {
        str(r[0]): str(r[1] if r[1] is not None else "")
        for r in _meta_rows(book[META_SHEET])
        if r and r[0] is not None and len(r) > 1
    }
    identity = _identity(meta)
    if identity.template not in definition.shipped():
        raise WorkbookRefused([_("The workbook's template %(t)s is not known.") % {
            "t": identity.template}])  # fmt: skip
    template = definition.load(identity.template)
    lang = identity.language
    yes, no = _yes_no_in(lang)
    problems: list[str] = []
    forms: dict[str, Any] = {}
    left_out = []
    places: dict[str, Layout] = {}
    for form in template.forms:
        capacities = {
            t.name: _int(meta.get(f"rows:{form.code}.{t.name}"), EXTRA_ROWS) for t in form.tables
        }
        place = layout(form, capacities)
        places[form.code] = place
        if place.sheet not in book.sheetnames:
            problems.append(_("%(sheet)s: the sheet is missing.") % {"sheet": place.sheet})
            continue
        cells = _cells(book[place.sheet], place)
        values = _read_form(template, form, place, cells, lang, yes, no, problems)
        if form.code == "cover" and values == rules.cover_defaults(identity.kind, identity.period):
            values = {}  # only the period the workbook was given by default: nothing typed
        if values:
            forms[form.code] = values
        else:
            left_out.append(form.code)
    if not problems and forms:
        problems += _schema_problems(template, identity, forms, places)
    if problems:
        raise WorkbookRefused(problems)
    return Read(identity, forms, left_out)


def _meta_rows(sheet: Any) -> Any:
    sheet.reset_dimensions()
    return sheet.iter_rows(min_row=1, max_row=500, max_col=2, values_only=True)


def _cells(sheet: Any, place: Layout) -> dict[tuple[int, int], Any]:
    """The cells of a form's sheet that its layout uses, and no more: a sheet declaring a
    million rows or a value in its last cell costs nothing (openpyxl otherwise pads every row
    up to the declared size)."""
    last_row = max(
        [row for row, _col in place.cells.values()]
        + [grid.first_row + grid.capacity for grid in place.grids.values()]
        + [0]
    )
    last_col = max([2] + [len(grid.columns) for grid in place.grids.values()])
    sheet.reset_dimensions()
    return {
        (c.row - 1, c.column - 1): c
        for row in sheet.iter_rows(min_row=1, max_row=last_row + 1, max_col=last_col)
        for c in row
        if getattr(c, "value", None) is not None
    }


def _identity(meta: dict[str, str]) -> Identity:
    period = meta.get("period", "")
    if not meta.get("state") or meta.get("kind") not in definition.KINDS:
        raise WorkbookRefused([_("The workbook does not say whose report it is.")])
    revisions = tuple(
        (key.removeprefix("revision:"), whole(value) or 0)
        for key, value in sorted(meta.items())
        if key.startswith("revision:") and whole(value) is not None
    )
    return Identity(
        state=meta["state"],
        kind=meta["kind"],
        period=whole(period, digits=4),
        template=meta.get("template", ""),
        language=_lang(meta.get("language", "en")),
        revisions=revisions,
        version=_int(meta.get("version"), 0),
    )


def _int(text: str | None, default: int) -> int:
    number = whole(text, digits=6)
    return default if number is None else min(number, 5000)


def _yes_no_in(lang: str) -> tuple[str, str]:
    with translation.override(lang):
        return _yes_no()


def _ref(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{xl_rowcol_to_cell(row, col)}"


def _read_form(
    template: definition.Template, form: definition.Form, place: Layout,
    cells: dict[tuple[int, int], Any], lang: str, yes: str, no: str, problems: list[str],
) -> dict[str, Any]:  # fmt: skip
    values: dict[str, Any] = {}

    def take(row: int, col: int, f: definition.Field | None, kind: str) -> Any:
        cell = cells.get((row, col))
        if cell is None:
            return None
        if getattr(cell, "data_type", "") == "f":
            problems.append(f"{_ref(place.sheet, row, col)}: " + _(
                "a formula: type the value itself."))  # fmt: skip
            return None
        value, reason = _cell_value(cell.value, f, kind, lang, yes, no)
        if reason:
            problems.append(f"{_ref(place.sheet, row, col)}: {reason}")
            return None
        return value

    if form.statuses:
        labels = {label[lang].casefold(): s for s, label in template.statuses.items()}
        labels.update({s: s for s in form.statuses})
        row, col = place.cells["status"]
        status = take(row, col, None, "text")
        if status is not None:
            value = labels.get(str(status).casefold())
            if value is None or value not in form.statuses:
                problems.append(
                    f"{_ref(place.sheet, row, col)}: " + _("Choose one of the options.")
                )
            else:
                values["status"] = value
        since = take(*place.cells["unchanged_since"], None, "integer")
        if since is not None:
            values["unchanged_since"] = since
        explanation = take(*place.cells["explanation"], None, "text")
        if explanation:
            values["explanation"] = explanation
    for f in form.fields:
        value = take(*place.cells[f.name], f, f.type)
        if value is not None and not (f.type == "boolean" and value is False):
            values[f.name] = value
    for table in form.tables:
        grid = place.grids[table.name]
        rows = []
        for index in range(grid.capacity):
            entry: dict[str, Any] = {}
            for col, c in enumerate(table.columns):
                value = take(grid.first_row + index, col, c, c.type)
                if value is not None and not (c.type == "boolean" and value is False):
                    entry[c.name] = value
            if entry:
                rows.append(entry)
        if rows:
            values[table.name] = rows
    return values


def _cell_value(
    value: Any, f: definition.Field | None, kind: str, lang: str, yes: str, no: str
) -> tuple[Any, str]:
    """A cell's value as the document holds it, or a reason it cannot be."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None, ""
    if kind == "integer":
        if isinstance(value, bool):
            return None, _("A whole number, without spaces or separators.")
        if isinstance(value, int):
            return value, ""
        if isinstance(value, float) and value.is_integer():
            return int(value), ""
        text = str(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        number = whole(text, digits=15, signed=True)
        if number is not None:
            return number, ""
        return None, _("A whole number, without spaces or separators.")
    if kind == "decimal":
        if isinstance(value, bool):
            return None, _("A number (a point or a comma for decimals).")
        if isinstance(value, int | float):
            if isinstance(value, float) and not math.isfinite(value):
                return None, _("A number (a point or a comma for decimals).")
            return value, ""
        text = str(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        try:
            parsed = float(text.replace(",", ".")) if len(text) <= 30 else float("nan")
        except ValueError:
            parsed = float("nan")
        if not math.isfinite(parsed):
            return None, _("A number (a point or a comma for decimals).")
        return (int(parsed) if parsed.is_integer() and "." not in text and "," not in text
                else parsed), ""  # fmt: skip
    if kind == "date":
        if isinstance(value, datetime):
            return value.date().isoformat(), ""
        if isinstance(value, date):
            return value.isoformat(), ""
        try:
            return date.fromisoformat(str(value)).isoformat(), ""
        except ValueError:
            return None, _("A date: day, month and year.")
    if kind == "choice" and f is not None:
        by_label = {label[lang].casefold(): v for v, label in f.choices}
        by_label.update({v.casefold(): v for v, _label in f.choices})
        chosen = by_label.get(str(value).casefold())
        if chosen is None:
            return None, _("Choose one of the options.")
        return chosen, ""
    if kind == "boolean":
        if isinstance(value, bool):
            return value, ""
        text = str(value).casefold()
        if text in (yes.casefold(), "yes", "true", "1", "✓"):
            return True, ""
        if text in (no.casefold(), "no", "false", "0", "✗"):
            return False, ""
        return None, _("Choose one of the options.")
    if isinstance(value, datetime):
        return value.date().isoformat(), ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value), ""


def _schema_problems(
    template: definition.Template, identity: Identity, forms: dict[str, Any],
    places: dict[str, Layout],
) -> list[str]:  # fmt: skip
    """The template's schema on the forms the workbook holds, each problem at its cell."""
    problems = [
        (path, reason)
        for code, values in forms.items()
        for path, reason in definition.validate_form(template, code, values)
    ]
    if "cover" in forms:  # the dates the schema cannot judge (issue #25)
        problems += [
            (f"$.forms.cover.{p.field}", rules.form_message(p))
            for p in rules.cover_problems(forms["cover"], timezone.localdate())
        ]
    return [f"{_where(path, places)}: {reason}" for path, reason in problems]


def _where(path: str, places: dict[str, Layout]) -> str:
    """A document path ($.forms.B.stockpiles[3].munitions) as the workbook cell it came from."""
    parts = path.removeprefix("$.forms.").replace("[", ".").replace("]", "").split(".")
    place = places.get(parts[0]) if parts else None
    if place is None:
        return path
    if len(parts) >= 2 and parts[1] in place.cells:
        return _ref(place.sheet, *place.cells[parts[1]])
    if len(parts) == 2 and parts[1] in place.grids:  # the table as a whole (no row given)
        return _ref(place.sheet, place.grids[parts[1]].first_row, 0)
    if len(parts) >= 3 and parts[1] in place.grids and whole(parts[2]) is not None:
        grid = place.grids[parts[1]]
        row = grid.first_row + int(parts[2])
        col = grid.columns.index(parts[3]) if len(parts) >= 4 and parts[3] in grid.columns else 0
        return _ref(place.sheet, row, col)
    return place.sheet
