"""Spreadsheets the apps write (XLSX, XlsxWriter): text stays text. A name such as
"=HYPERLINK(...)" or "+41 22 ..." is written as a string, never read as a formula, a link or a
number (issue: exports carried live formulas)."""

from __future__ import annotations

from typing import IO, Any

TEXT_STAYS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False,
                   "strings_to_numbers": False}  # fmt: skip


def workbook(buffer: IO[bytes]) -> Any:
    """A new XlsxWriter workbook in memory, writing into `buffer` when closed."""
    import xlsxwriter

    return xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_STAYS_TEXT})
