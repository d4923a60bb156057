"""Reading and validating tables of reports received (CSV or XLSX), before anything is written.

One row per report received. Columns (header names; order free, unknown columns refused):
iso3, kind, period, received_on, received_by, channel, languages, un_link, stated_due_date,
note (or notes), source. Every bad row is listed with its line and reason.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import translation

from ccm.core import tables
from ccm.core.tables import RowError, RowsRefused, Table
from ccm.registry.rules import Membership
from ccm.reports import rules
from ccm.reports.choices import Channel, Relation, SubmissionKind
from ccm.reports.models import relation_error

REQUIRED = ["iso3", "kind", "source"]
OPTIONAL = [
    "period", "received_on", "received_by", "channel", "languages", "un_link",
    "stated_due_date", "note", "notes", "relation",
]  # fmt: skip
LANGUAGE_CODES = rules.LANGUAGE_CODES
FIRST_YEAR = rules.FIRST_YEAR


# Cells a person could type (tab aside): NUL and other control characters are refused, as
# PostgreSQL refuses NUL in text where SQLite would store it silently.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Columns stored in fields of limited length: checked here, not left to a DataError.
MAX_LENGTHS = {"languages": 40, "un_link": 200, "iso3": 3, "kind": 40, "channel": 40}


def name_key(text: str) -> str:
    """How a code or a name is compared: case, spaces and the kind of apostrophe ignored."""
    return " ".join(text.replace("’", "'").casefold().split())


def _names(choices: type[models.TextChoices]) -> dict[str, str]:
    """Each code, and its label in English, French and Spanish (what the admin shows)."""
    out = {name_key(value): value for value in choices.values}
    for language in ("en", "fr", "es"):
        with translation.override(language):
            out.update({name_key(str(label)): value for value, label in choices.choices})
    return out


@cache
def kind_names() -> dict[str, str]:
    return _names(SubmissionKind)


@cache
def channel_names() -> dict[str, str]:
    return _names(Channel)


@cache
def relation_names() -> dict[str, str]:
    return _names(Relation)


class ImportError_(RowsRefused):
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
    relation: str = Relation.ORIGINAL

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.iso3, self.kind, self.period, self.received_on, self.received_by)


def check_header(name: str, data: bytes, errors: list[RowError]) -> Table | None:
    """The register, if it can be read and its columns are the register's."""
    return tables.check_header(name, data, errors, REQUIRED, OPTIONAL)


def validate(
    name: str,
    rows: Iterable[tuple[int, dict[str, str]]],
    memberships: dict[str, Membership],
    known_states: set[str],
    today: date,
    errors: list[RowError],
    default_source: str = "",
    recorded: Collection[tuple[Any, ...]] = (),
    recorded_originals: dict[tuple[str, str, int | None], str] | None = None,
) -> list[ReportRow]:
    """Check every row; return the good ones. Errors accumulate; the caller writes nothing
    if there is any. `recorded` holds the full key of each report already recorded (left as it
    is: importing twice changes nothing) and `recorded_originals` describes the original of each
    (State, kind, year) already recorded, for the one-original rule (`relation_error`)."""
    originals: dict[tuple[str, str, int | None], str] = dict(recorded_originals or {})
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
        if "__spans__" in row:
            bad(
                f"the row runs on to line {row['__spans__']}: a quote is left open or a cell "
                "holds a line break"
            )
            continue
        if "__formula__" in row:
            bad("a cell holds a formula: formulas are not accepted, paste the values")
            continue
        strange_cells = [k for k, v in row.items() if CONTROL.search(v)]
        if strange_cells:
            bad(
                f"{', '.join(sorted(strange_cells))}: control characters (such as NUL) are not text"
            )
            continue
        for column, limit in MAX_LENGTHS.items():
            if len(row.get(column, "")) > limit:
                bad(f"{column} is {len(row[column])} characters long; at most {limit}")

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
        kind = kind_names().get(name_key(row.get("kind", "")), row.get("kind", "").lower())
        if iso3 not in known_states:
            bad(f"iso3 {row.get('iso3', '')!r} is not a known State")
        if kind not in SubmissionKind.values:
            bad(
                f"kind {row.get('kind', '')!r} is not one of "
                f"{', '.join(SubmissionKind.values)} (or their names)"
            )
        period: int | None = None
        if row.get("period"):
            try:
                period = int(row["period"])
            except ValueError:
                bad(f"period {row['period']!r} is not a year")
        for found in rules.period_problems(kind, period, today):
            bad(rules.import_message(found))
            if found.code == "period_range":
                period = None
        on, by = day("received_on"), day("received_by")
        stated = day("stated_due_date")
        if on is None and by is None and len(errors) == before:
            bad(rules.import_message(rules.Problem("received_on", "no_date")))
        for found in rules.date_problems(on, by, period, today):
            bad(rules.import_message(found))
        received = on or by
        m = memberships.get(iso3)
        if iso3 in known_states:
            deposit = m.deposit if m else None
            for found in rules.membership_problems(iso3, kind, deposit, received):
                bad(rules.import_message(found))
        given_channel = row.get("channel", "")
        channel = channel_names().get(name_key(given_channel), given_channel) or Channel.UNKNOWN
        if channel not in Channel.values:
            bad(f"channel {channel!r} is not one of {', '.join(Channel.values)} (or their names)")
        languages = rules.language_codes(row.get("languages", ""))
        for found in rules.language_problems(languages):
            bad(rules.import_message(found))
        link = row.get("un_link", "")
        if link:
            try:
                url(link)
            except ValidationError:
                bad(f"un_link {link!r} is not a web address")
        given_relation = row.get("relation", "")
        relation = relation_names().get(name_key(given_relation), given_relation)
        relation = relation or Relation.ORIGINAL
        if relation not in Relation.values:
            bad(f"relation {relation!r} is not one of {', '.join(Relation.values)}")
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
            relation=relation,
        )
        if item.key in seen:
            bad(f"the same report as line {seen[item.key]}")
            continue
        seen[item.key] = line
        if item.key not in recorded:
            report = (iso3, kind, period)
            problem = relation_error(relation, originals.get(report))
            if problem:
                bad(problem)
                continue
            if relation == Relation.ORIGINAL:
                originals[report] = f"line {line} of this file"
        out.append(item)
    return out
