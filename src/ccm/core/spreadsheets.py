"""Spreadsheets the apps write (XLSX, XlsxWriter): text stays text. A name such as
"=HYPERLINK(...)" or "+41 22 ..." is written as a string, never read as a formula, a link or a
number (issue: exports carried live formulas)."""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

TEXT_STAYS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False,
                   "strings_to_numbers": False}  # fmt: skip


def workbook(buffer: IO[bytes]) -> Any:
    """A new XlsxWriter workbook in memory, writing into `buffer` when closed."""
    import xlsxwriter

    return xlsxwriter.Workbook(buffer, {"in_memory": True, **TEXT_STAYS_TEXT})


# ------------------------------------------------------------------------------------------
# Reading uploaded workbooks (openpyxl), for every importer (issue #32, finding 5)
# ------------------------------------------------------------------------------------------
# openpyxl trusts the file: a `NaN` number cell, truncated XML, a date such as 2024-13-45, a
# reference such as ZZZZZ12 or a shared-string index out of range raise from deep inside it
# while the rows are read, and 44 MB of shared strings cost 29 s and 300 MB before a row is
# seen. So the zip is measured from its central directory first, then every sheet the workbook
# names is read once with a streaming parser that checks each cell the way openpyxl will take
# it; only a workbook that passes is given to openpyxl, and each refusal names the sheet and
# the cell.

MAX_MEMBERS = 1000  # a report workbook has 21 parts, a register 10
SHARED_STRINGS_MAX_MB = 5  # all the text of a 5,000-row register is under 1 MB; 5 MB costs ~2 s
MAX_CELLS = 1_000_000  # cells written in all sheets, empty styled ones included
MAX_RATIO = 200  # real workbooks compress ~10 times; a zip bomb thousands
PROBLEMS_SHOWN = 100
MAX_ROW = 1_048_576  # Excel's last row and column (XFD)
MAX_COLUMN = 16_384

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")  # as openpyxl reads it: no $
_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,4})?")


class Unreadable(ValueError):
    """The file cannot be read as a table or a workbook; the message says why, for a person.
    `problems` holds one line per problem (several when cells are at fault)."""

    def __init__(self, *problems: str) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class CellsUnreadable(Unreadable):
    """The workbook is whole but cells in it cannot be read: each problem names its sheet and
    cell (`Form B!C12: ...`)."""


@dataclass(frozen=True)
class Limits:
    """What an uploaded workbook may hold before openpyxl is given it."""

    unpacked_bytes: int
    shared_strings_bytes: int = SHARED_STRINGS_MAX_MB * 2**20
    members: int = MAX_MEMBERS
    cells: int = MAX_CELLS

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(unpacked_bytes=settings.CCM_IMPORT_MAX_MB * 2**20)


def _mb(size: int) -> int:
    return size // 2**20


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xml_reason(exc: Exception) -> str:
    from defusedxml import DefusedXmlException

    if isinstance(exc, DefusedXmlException):
        return _("it declares XML entities or a document type, which are refused")
    return str(exc) or type(exc).__name__


def _parse(archive: zipfile.ZipFile, part: str) -> Any:
    """A small part of the package (the workbook, its relationships) as an element tree."""
    from defusedxml import ElementTree

    try:
        return ElementTree.fromstring(archive.read(part), forbid_dtd=True)
    except KeyError:
        message = _("not an XLSX workbook (it holds no %(part)s)") % {"part": part}
        raise Unreadable(message) from None
    except Exception as exc:  # noqa: BLE001 - any XML or zip error is a damaged part
        raise Unreadable(
            _("not a readable XLSX workbook (%(part)s is damaged: %(why)s)")
            % {"part": part, "why": _xml_reason(exc)}
        ) from None


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(name, part) of each worksheet the workbook lists, as openpyxl will find them."""
    book = _parse(archive, "xl/workbook.xml")
    names = {n.lower(): n for n in archive.namelist()}
    rels_part = "xl/_rels/workbook.xml.rels"
    targets = {}
    if rels_part.lower() in names:
        rels = _parse(archive, names[rels_part.lower()])
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_RELS}}}Relationship")}
    out = []
    for sheet in book.iter(f"{{{_MAIN}}}sheet"):
        name = sheet.get("name") or "?"
        target = targets.get(sheet.get(f"{{{_DOC_RELS}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out.append((name, names.get(part.lower(), part)))
    return out


def _shared_string_count(archive: zipfile.ZipFile) -> int:
    from defusedxml import ElementTree

    part = next((n for n in archive.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if part is None:
        return 0
    count = 0
    try:
        with archive.open(part) as stream:
            for _event, element in ElementTree.iterparse(stream, forbid_dtd=True):
                if _local(element.tag) == "si":
                    count += 1
                    element.clear()
    except Exception as exc:  # noqa: BLE001 - truncated or hostile XML: the part is damaged
        raise Unreadable(
            _("not a readable XLSX workbook (%(part)s is damaged: %(why)s)")
            % {"part": part, "why": _xml_reason(exc)}
        ) from None
    return count


def _cell_problem(element: Any, ref: str, strings: int) -> str | None:
    """Why openpyxl could not take this cell, or None. Mirrors its `parse_cell`."""
    kind = element.get("t", "n")
    style = element.get("s", "0")
    if not style.isdigit():
        return _("%(cell)s: the cell's style %(style)s is not a number") % {
            "cell": ref, "style": style[:20]}  # fmt: skip
    if kind not in ("n", "s", "b", "d", "e", "str", "inlineStr"):
        return _("%(cell)s: the cell type %(type)s is unknown") % {"cell": ref, "type": kind[:20]}
    value = None
    for child in element:
        if _local(child.tag) == "v":
            value = child.text
        elif _local(child.tag) == "f":
            return None  # a formula: the importers refuse it by name
    if not value or kind in ("e", "str", "inlineStr"):
        return None
    shown = value.strip()[:20]
    if kind == "n":
        if not _NUMBER.fullmatch(value.strip()) or not math.isfinite(float(value)):
            return _("%(cell)s: %(value)s is not a number") % {"cell": ref, "value": shown}
    elif kind == "s":
        if not value.strip().isdigit() or int(value) >= strings:
            return _("%(cell)s: the cell names text %(value)s, which the workbook does not "
                     "hold") % {"cell": ref, "value": shown}  # fmt: skip
    elif kind == "b":
        if value.strip() not in ("0", "1"):
            return _("%(cell)s: %(value)s is not TRUE or FALSE") % {"cell": ref, "value": shown}
    elif kind == "d":
        from openpyxl.utils.datetime import from_ISO8601

        try:
            from_ISO8601(value)
        except Exception:  # noqa: BLE001 - ValueError, OverflowError, TypeError: not a date
            return _("%(cell)s: %(value)s is not a date") % {"cell": ref, "value": shown}
    return None


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _check_sheet(
    archive: zipfile.ZipFile, name: str, part: str, strings: int, budget: list[int],
    problems: list[str],
) -> None:  # fmt: skip
    """Stream a worksheet once: its XML is whole, every row and cell reference is Excel's and
    every value is what its type says; the cells counted against the budget."""
    from defusedxml import ElementTree

    limit = budget[1]
    try:
        stream = archive.open(part)
    except KeyError:
        raise Unreadable(
            _("not a readable XLSX workbook (the sheet %(sheet)s has no part %(part)s)")
            % {"sheet": name, "part": part}
        ) from None
    row, column = 0, 0
    try:
        with stream:
            for event, element in ElementTree.iterparse(
                stream, events=("start", "end"), forbid_dtd=True
            ):
                tag = _local(element.tag)
                if event == "start":
                    if tag == "row":
                        number = element.get("r")
                        if number is None:
                            row += 1
                        elif number.isdigit() and 0 < int(number) <= MAX_ROW:
                            row = int(number)
                        else:
                            problems.append(
                                _("%(sheet)s: row %(row)s is not a row number")
                                % {"sheet": name, "row": number[:20]}
                            )
                            row += 1
                        column = 0
                    continue
                if tag == "c":
                    budget[0] -= 1
                    if budget[0] < 0:
                        raise Unreadable(
                            _("more than %(n)d cells: split the workbook") % {"n": limit}
                        )
                    ref = element.get("r")
                    if ref is None:
                        column += 1
                        ref = f"R{row}C{column}"
                    else:
                        found = _REFERENCE.fullmatch(ref)
                        if (
                            not found
                            or not 0 < _column_index(found[1]) <= MAX_COLUMN
                            or not 0 < int(found[2]) <= MAX_ROW
                        ):
                            problems.append(
                                _("%(sheet)s: %(ref)s is not a cell reference")
                                % {"sheet": name, "ref": ref[:20]}
                            )
                            element.clear()
                            continue
                        column = _column_index(found[1])
                    problem = _cell_problem(element, f"{name}!{ref}", strings)
                    if problem:
                        problems.append(problem)
                    element.clear()
                elif tag == "row":
                    element.clear()
    except Unreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - truncated XML, entities: the sheet is damaged
        raise Unreadable(
            _("not a readable XLSX workbook (the sheet %(sheet)s is damaged: %(why)s)")
            % {"sheet": name, "why": _xml_reason(exc)}
        ) from None


def check_workbook(data: bytes, limits: Limits) -> None:
    """Refuse, before openpyxl sees it, a workbook that is not a whole zip, that unpacks beyond
    the limits, or that holds a cell openpyxl could not take (Unreadable, or CellsUnreadable
    listing each cell)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise Unreadable(_("not an XLSX workbook (%(why)s)") % {"why": exc}) from None
    with archive:
        if len(members) > limits.members:
            raise Unreadable(
                _("holds %(n)d parts, over the limit of %(limit)d")
                % {"n": len(members), "limit": limits.members}
            )
        unpacked = sum(m.file_size for m in members)
        if unpacked > limits.unpacked_bytes:
            raise Unreadable(
                _("unpacks to %(size)d MB, over the limit of %(limit)d MB")
                % {"size": _mb(unpacked), "limit": _mb(limits.unpacked_bytes)}
            )
        if any(m.compress_size and m.file_size / m.compress_size > MAX_RATIO for m in members):
            raise Unreadable(_("compressed suspiciously well (a zip bomb?): save it again as XLSX"))
        strings = sum(m.file_size for m in members if m.filename.lower() == "xl/sharedstrings.xml")
        if strings > limits.shared_strings_bytes:
            raise Unreadable(
                _("its text unpacks to %(size)d MB, over the limit of %(limit)d MB")
                % {"size": _mb(strings), "limit": _mb(limits.shared_strings_bytes)}
            )
        if "[Content_Types].xml" not in archive.namelist():
            raise Unreadable(
                _("not an XLSX workbook (it holds no %(part)s)") % {"part": "[Content_Types].xml"}
            )
        count = _shared_string_count(archive)
        budget = [limits.cells, limits.cells]  # left, and the limit
        problems: list[str] = []
        for name, part in _sheets(archive):
            _check_sheet(archive, name, part, count, budget, problems)
        if problems:
            raise CellsUnreadable(*problems[:PROBLEMS_SHOWN])


def open_workbook(data: bytes, limits: Limits | None = None) -> Any:
    """An uploaded XLSX workbook, read-only, once `check_workbook` has passed it. Every
    importer of workbooks opens them here."""
    from openpyxl import load_workbook

    check_workbook(data, limits or Limits.from_settings())
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - styles, relationships: all unreadable, named
        raise Unreadable(
            _("not a readable XLSX workbook (%(why)s)") % {"why": reason_of(exc)}
        ) from None


def reason_of(exc: Exception) -> str:
    """An error from inside openpyxl as a short phrase: its type, and its message if short."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text and len(text) < 120 else type(exc).__name__
