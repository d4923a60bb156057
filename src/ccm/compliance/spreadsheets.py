"""The compliance dashboard as a spreadsheet people can work with (`/reporting/?format=xlsx`).

Unlike the CSV and JSON downloads (data contracts with code names and ISO dates), this is for
reading and sorting in a spreadsheet program: headers and sheet names in the page's language,
one sheet per list, State names beside ISO codes, typed cells (dates, whole numbers,
percentages, TRUE/FALSE), a filter and a frozen header row on every table.

No text cell is ever a formula or a link: a State name beginning with "=" stays text
(`core.spreadsheets`: XlsxWriter's `strings_to_formulas`/`strings_to_urls` off, and every
string written with `write_string`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ccm.compliance.choices import KIND_LABELS
from ccm.compliance.dashboard import Dashboard, Line
from ccm.compliance.rules import Compliance, Tally
from ccm.core import spreadsheets
from ccm.registry.models import State, fold

MAX_WIDTH = 60
DATE_FORMAT = "yyyy-mm-dd"  # unambiguous in every language; the cell is a true date


def _sheet_name(text: str) -> str:
    """Excel refuses []:*?/\\ in sheet names and more than 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "", text)[:31]


class _Sheet:
    """A worksheet written row by row, remembering column widths."""

    def __init__(self, book: Any, name: str, formats: dict[str, Any]) -> None:
        self.ws = book.add_worksheet(_sheet_name(name))
        self.formats = formats
        self.widths: dict[int, int] = {}

    def _width(self, col: int, chars: int) -> None:
        self.widths[col] = min(max(self.widths.get(col, 8), chars + 2), MAX_WIDTH)

    def cell(self, row: int, col: int, value: Any, fmt: str | None = None) -> None:
        ws, formats = self.ws, self.formats
        if value is None or value == "":
            ws.write_blank(row, col, None, formats.get(fmt or ""))
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value)
            self._width(col, 5)
        elif isinstance(value, date):
            ws.write_datetime(row, col, value, formats["date"])
            self._width(col, 10)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, formats.get(fmt or ""))
            self._width(col, len(str(value)))
        else:
            text = str(value)
            ws.write_string(row, col, text, formats.get(fmt or ""))
            self._width(col, len(text))

    def table(
        self, top: int, headers: Sequence[str], rows: list[list[Any]], fmts: list[str]
    ) -> None:
        """Headers (bold, frozen, filtered) then rows; `fmts` per column ("" or "percent")."""
        for col, header in enumerate(headers):
            self.ws.write_string(top, col, header, self.formats["header"])
            self._width(col, len(header))
        for r, values in enumerate(rows, start=top + 1):
            for col, value in enumerate(values):
                self.cell(r, col, value, fmts[col] or None)
        self.ws.autofilter(top, 0, top + len(rows), len(headers) - 1)
        self.ws.freeze_panes(top + 1, 0)

    def finish(self) -> None:
        for col, width in self.widths.items():
            self.ws.set_column(col, col, width)


def _states(iso3s: Sequence[str], states: dict[str, State]) -> str:
    """ "Chile (CHL); Peru (PER)", by name in the active language."""
    named = sorted(
        ((states[i].name if i in states else i, i) for i in iso3s), key=lambda p: fold(p[0])
    )
    return "; ".join(f"{name} ({iso3})" for name, iso3 in named)


def summary_rows(board: Dashboard) -> tuple[list[str], list[list[Any]], list[str]]:
    headers = [
        _("Report"),
        _("Year covered"),
        _("Deadline"),
        _("Due"),
        _("Submitted"),
        _("On time"),
        _("Submitted late"),
        _("Timeliness unknown"),
        _("Overdue"),
        # Issue #24: "overdue" is certain; the reports the record cannot account for, apart
        _("Not in our record (unknown)"),
        _("Rate"),
        _("Rate, at most"),
        _("On-time rate"),
        _("On-time rate, at most"),
        _("Submitted ahead of the deadline"),
        _("Overdue: States"),
        _("Not in our record: States"),
        _("Due soon: States"),
    ]
    fmts = ["", "", "", "", "", "", "", "", "", "", "percent", "percent", "percent", "percent"]
    fmts += ["", "", "", ""]
    tallies: list[Tally] = [board.initial, *board.annual]
    rows = [
        [
            str(KIND_LABELS[t.kind]),
            t.period,
            t.due_date,
            t.fallen_due,
            t.submitted,
            t.on_time,
            t.late,
            t.timeliness_unknown,
            len(t.overdue),
            len(t.unknown),
            t.rate,
            t.rate_max,
            t.on_time_rate,
            t.on_time_rate_max,
            t.submitted_ahead,
            _states(t.overdue, board.states),
            _states(t.unknown, board.states),
            _states(t.due_soon, board.states),
        ]
        for t in tallies
    ]
    return headers, rows, fmts


def line_rows(lines: list[Line], demo: bool) -> tuple[list[str], list[list[Any]], list[str]]:
    headers = [
        _("ISO 3166 alpha-3"),
        pgettext("country", "State"),
        _("Report"),
        _("Year covered"),
        _("Deadline"),
        _("Deadline before any extension"),
        _("Status"),
        _("Days overdue"),
        _("Deadline given by the source"),
        _("The source gives another deadline"),
    ]
    if demo:
        headers.append(_("Demonstration data"))
    rows = []
    for line in lines:
        o = line.obligation
        row: list[Any] = [
            o.iso3,
            line.state.name,
            line.kind_label,
            o.period,
            o.due_date,
            o.rule_due_date,
            line.status_label,
            o.days if o.status is Compliance.OVERDUE else None,
            o.source_due_date,
            o.source_differs,
        ]
        if demo:
            row.append(o.demo)
        rows.append(row)
    return headers, rows, [""] * len(headers)


def workbook(board: Dashboard) -> bytes:
    """The dashboard for `board.as_of`, in the active language."""
    buffer = io.BytesIO()
    book = spreadsheets.workbook(buffer)
    formats = {
        "header": book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        "title": book.add_format({"bold": True, "font_size": 13}),
        "date": book.add_format({"num_format": DATE_FORMAT}),
        "percent": book.add_format({"num_format": "0.0%"}),
        "note": book.add_format({"italic": True, "font_color": "#9c0006"}),
    }
    summary = _Sheet(book, _("Summary"), formats)
    summary.ws.write_string(
        0, 0, _("Transparency reports (Article 7): compliance"), formats["title"]
    )
    summary.ws.write_string(1, 0, _("As of"), formats["header"])
    summary.cell(1, 1, board.as_of)
    if board.has_demo:
        summary.ws.write_string(
            2, 0, _("Includes generated demonstration data: not the ISU's record."), formats["note"]
        )
    summary.table(4, *summary_rows(board))
    summary.finish()
    for title, lines in (
        (_("Initial reports overdue"), board.overdue_initial),
        (_("Annual reports missing"), board.missing_annual),
        (_("Reports due soon"), board.due_soon),
        (_("Initial reports unknown"), board.unknown_initial),
        (_("Annual reports unknown"), board.unknown_annual),
    ):
        sheet = _Sheet(book, title, formats)
        sheet.table(0, *line_rows(lines, board.has_demo))
        sheet.finish()
    book.close()
    return buffer.getvalue()
