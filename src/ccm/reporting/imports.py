"""Reading and validating tables of reports received (CSV or XLSX), before anything is written.

One row per report received. Columns (header names; order free, unknown columns refused):
iso3, kind, period, received_on, received_by, channel, languages, un_link, stated_due_date,
note (or notes), source. Every bad row is listed with its line and reason.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from ccm.registry.rules import Membership
from ccm.registry.services import ReferenceDataError, RowError
from ccm.reporting.choices import Channel, SubmissionKind

REQUIRED = ["iso3", "kind", "source"]
OPTIONAL = [
    "period", "received_on", "received_by", "channel", "languages", "un_link",
    "stated_due_date", "note", "notes",
]  # fmt: skip
LANGUAGE_CODES = {"ar", "en", "es", "fr", "ru", "zh"}
FIRST_YEAR = 2010  # the Convention entered into force on 1 Aug 2010 (Art. 17(1))


class ImportError_(ReferenceDataError):
    """The table holds errors; nothing was written."""


@dataclass(frozen=True)
class ReportRow:
    line: int
    iso3: str
    kind: str
    period: int | None
    received_on: date | None
    received_by: date | None
    channel: str
    languages: str
    un_link: str
    stated_due_date: date | None
    notes: str
    source: str

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.iso3, self.kind, self.period, self.received_on, self.received_by)


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


def read_table(name: str, data: bytes) -> Table:
    """Line 1 is the header; a CSV row with more cells than columns is marked `__too_many__`."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [_cell(h).lower() for h in next(values, ())]
        rows = []
        for number, row in enumerate(values, start=2):
            cells = [_cell(v) for v in row]
            if any(cells):
                rows.append((number, dict(zip(header, cells, strict=False))))
        return Table(header, rows)
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    rows = []
    for cells in reader:
        if not any(v.strip() for v in cells):
            continue
        if len(cells) > len(header):
            rows.append((reader.line_num, {"__too_many__": "1"}))
        else:
            rows.append(
                (reader.line_num, dict(zip(header, (v.strip() for v in cells), strict=False)))
            )
    return Table(header, rows)


def check_header(name: str, data: bytes, errors: list[RowError]) -> Table | None:
    """The table, if it can be read and its columns are right; else None with the errors."""
    try:
        table = read_table(name, data)
    except (ValueError, KeyError, OSError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        errors.append(RowError(name, 1, f"cannot be read as CSV or XLSX: {exc}"))
        return None
    columns = set(table.header) - {""}
    if not columns:
        errors.append(RowError(name, 1, "the file holds no header row"))
        return None
    missing = [c for c in REQUIRED if c not in columns]
    unknown = sorted(c for c in columns if c and c not in REQUIRED + OPTIONAL)
    if missing:
        errors.append(RowError(name, 1, f"missing column(s): {', '.join(missing)}"))
    if unknown:
        errors.append(RowError(name, 1, f"unknown column(s): {', '.join(unknown)}"))
    if not missing and not unknown and not table.rows:
        errors.append(RowError(name, 2, "the file holds no rows"))
    return table if not missing and not unknown and table.rows else None


def validate(
    name: str,
    rows: Iterable[tuple[int, dict[str, str]]],
    memberships: dict[str, Membership],
    known_states: set[str],
    today: date,
    errors: list[RowError],
    default_source: str = "",
) -> list[ReportRow]:
    """Check every row; return the good ones. Errors accumulate; the caller writes nothing
    if there is any."""
    out: list[ReportRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    url = URLValidator(schemes=["http", "https"])
    for line, row in rows:
        before = len(errors)

        def bad(reason: str, line: int = line) -> None:
            errors.append(RowError(name, line, reason))

        if "__too_many__" in row:
            bad("more cells than columns")
            continue

        def day(column: str, row: dict[str, str] = row) -> date | None:
            value = row.get(column, "")
            if not value:
                return None
            try:
                return date.fromisoformat(value[:10] if "T" in value else value)
            except ValueError:
                bad(f"{column} {value!r} is not a date (YYYY-MM-DD)")
                return None

        iso3 = row.get("iso3", "").upper()
        kind = row.get("kind", "").lower()
        if iso3 not in known_states:
            bad(f"iso3 {row.get('iso3', '')!r} is not a known State")
        if kind not in SubmissionKind.values:
            bad(f"kind {row.get('kind', '')!r} is not one of {', '.join(SubmissionKind.values)}")
        period: int | None = None
        if row.get("period"):
            try:
                period = int(row["period"])
            except ValueError:
                bad(f"period {row['period']!r} is not a year")
            else:
                if not FIRST_YEAR <= period <= today.year:
                    bad(f"period {period} is not a year from {FIRST_YEAR} to {today.year}")
        if kind == SubmissionKind.INITIAL and period is not None:
            bad("an initial report covers no calendar year: leave period empty")
        if kind == SubmissionKind.RETENTION and period is None:
            bad("a retention report needs the year it covers (period)")
        on, by = day("received_on"), day("received_by")
        stated = day("stated_due_date")
        if on is None and by is None and len(errors) == before:
            bad("give received_on, or received_by where only a latest date is known")
        if on and by:
            bad("give received_on or received_by, not both")
        received = on or by
        if received and received > today:
            bad(f"received date {received} is in the future")
        if received and period is not None and received < date(period, 1, 1):
            bad(f"received {received}, before the year it covers ({period}) began")
        m = memberships.get(iso3)
        if kind in (SubmissionKind.INITIAL, SubmissionKind.ANNUAL, SubmissionKind.RETENTION):
            if m is None or m.deposit is None:
                bad(f"{iso3} has deposited no instrument: record its report as voluntary")
            elif received and received < m.deposit:
                bad(f"received {received}, before {iso3} deposited its instrument ({m.deposit})")
        channel = row.get("channel", "") or Channel.UNKNOWN
        if channel not in Channel.values:
            bad(f"channel {channel!r} is not one of {', '.join(Channel.values)}")
        languages = [c.strip().lower() for c in row.get("languages", "").split(",") if c.strip()]
        strange = [c for c in languages if c not in LANGUAGE_CODES]
        if strange:
            bad(f"languages {', '.join(strange)} are not UN language codes (ar en es fr ru zh)")
        link = row.get("un_link", "")
        if link:
            try:
                url(link)
            except ValidationError:
                bad(f"un_link {link!r} is not a web address")
        source = row.get("source", "") or default_source
        if not source:
            bad("source is empty: every fact keeps its source")
        if len(errors) > before:
            continue
        item = ReportRow(
            line=line,
            iso3=iso3,
            kind=kind,
            period=period,
            received_on=on,
            received_by=by,
            channel=channel,
            languages=",".join(languages),
            un_link=link,
            stated_due_date=stated,
            notes=row.get("note", "") or row.get("notes", ""),
            source=source,
        )
        if item.key in seen:
            bad(f"the same report as line {seen[item.key]}")
            continue
        seen[item.key] = line
        out.append(item)
    return out
