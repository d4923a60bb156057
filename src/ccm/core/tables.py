"""Reading tables with row errors, shared by every import: the shipped reference CSVs and the
files staff upload (CSV or XLSX, with limits). A bad file is reported row by row, as
`file, line N: reason`, and nothing is written."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from ccm.core.spreadsheets import CellsUnreadable, Unreadable, open_workbook, reason_of

__all__ = ["CellsUnreadable", "Unreadable", "open_workbook"]  # importers use them from here too


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.reason}"


class RowsRefused(Exception):
    """The file holds errors; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def csv_rows(path: Path, columns: list[str], errors: list[RowError]) -> Iterator[tuple[int, dict]]:
    """A shipped CSV file's rows with their line numbers, cells stripped; a missing column or
    a row with too many cells is an error."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            errors.append(RowError(path.name, 1, f"missing column(s): {', '.join(missing)}"))
            return
        for row in reader:
            if None in row:  # more cells than headers
                errors.append(RowError(path.name, reader.line_num, "too many cells"))
                continue
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}


def parse_date(
    value: str, column: str, where: tuple[str, int], errors: list[RowError]
) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(*where, f"{column} {value!r} is not a date (YYYY-MM-DD)"))
        return None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class Table:
    """A CSV or XLSX file read once: its header and its non-empty rows with line numbers."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


MAX_COLUMNS = 64  # a register has a dozen columns; more are ignored


def _limits() -> tuple[int, int]:
    return settings.CCM_IMPORT_MAX_ROWS, settings.CCM_IMPORT_MAX_MB * 1024 * 1024


def _too_many_rows(max_rows: int) -> Unreadable:
    return Unreadable(f"more than {max_rows} rows: split the file (setting CCM_IMPORT_MAX_ROWS)")


def _read_xlsx(data: bytes) -> Table:
    """A workbook's first sheet, refusing formulas and anything that would not fit in memory."""
    max_rows, _max_bytes = _limits()
    book = open_workbook(data)
    try:
        if not book.worksheets:
            raise Unreadable("the workbook holds no sheet")
        sheet = book.worksheets[0]
        # The rows and cells the file holds, not the size it declares: a sheet claiming the
        # last cell of Excel would otherwise be padded to a billion empty cells.
        sheet.reset_dimensions()
        cells = sheet.iter_rows(max_col=MAX_COLUMNS)
        header_cells = next(cells, ())
        header = [_cell(c.value).lower() for c in header_cells]
        rows: list[tuple[int, dict[str, str]]] = []
        for number, row in enumerate(cells, start=2):
            if number - 1 > max_rows:
                raise _too_many_rows(max_rows)
            if any(c.data_type == "f" for c in row):
                rows.append((number, {"__formula__": "1"}))
                continue
            values = [_cell(c.value) for c in row]
            if any(values):
                rows.append((number, dict(zip(header, values, strict=False))))
        return Table(header, rows)
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - what check_workbook did not foresee: still named
        raise Unreadable(f"not a readable XLSX workbook ({reason_of(exc)})") from None


def _read_csv(data: bytes) -> Table:
    """CSV in UTF-8. A record that spans several lines (a quote left open, a line break in a
    cell) is refused: it once swallowed the rest of a file into one note."""
    max_rows, max_bytes = _limits()
    if len(data) > max_bytes:
        raise Unreadable(f"larger than {max_bytes // 2**20} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable("not UTF-8 text: save it as CSV UTF-8, or as XLSX") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        last = reader.line_num
        for cells in reader:
            start, last = last + 1, reader.line_num
            if len(rows) >= max_rows:
                raise _too_many_rows(max_rows)
            if last > start or any("\n" in c or "\r" in c for c in cells):
                rows.append((start, {"__spans__": str(last)}))
                continue
            if not any(v.strip() for v in cells):
                continue
            if len(cells) > len(header):
                rows.append((start, {"__too_many__": "1"}))
            else:
                rows.append((start, dict(zip(header, (v.strip() for v in cells), strict=False))))
    except csv.Error as exc:
        raise Unreadable(f"line {max(reader.line_num, 1)}: {exc}") from None
    return Table(header, rows)


def read_table(name: str, data: bytes) -> Table:
    """Line 1 is the header. Marks rows that cannot be taken apart (`__too_many__`,
    `__spans__`, `__formula__`) for the caller's validation to report with their line."""
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def check_header(
    name: str, data: bytes, errors: list[RowError], required: list[str], optional: list[str]
) -> Table | None:
    """The table, if it can be read and has the `required` columns and no others than
    `optional`; else None with the errors."""
    try:
        table = read_table(name, data)
    except Unreadable as exc:
        errors.append(RowError(name, 1, f"cannot be read: {exc}"))
        return None
    columns = set(table.header) - {""}
    if not columns:
        errors.append(RowError(name, 1, "the file holds no header row"))
        return None
    missing = [c for c in required if c not in columns]
    unknown = sorted(c for c in columns if c and c not in required + optional)
    if missing:
        errors.append(RowError(name, 1, f"missing column(s): {', '.join(missing)}"))
    if unknown:
        errors.append(RowError(name, 1, f"unknown column(s): {', '.join(unknown)}"))
    if not missing and not unknown and not table.rows:
        errors.append(RowError(name, 2, "the file holds no rows"))
    return table if not missing and not unknown and table.rows else None
