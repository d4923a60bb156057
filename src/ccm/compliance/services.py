"""State changes of compliance: the declared stockpiles and contamination shipped as reference
data. Each is one function, atomic, audited."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from ccm.compliance.choices import HoldingKind
from ccm.compliance.models import CompleteRecord, Holding, NotReceived, PublishedList
from ccm.core import audit
from ccm.core.reference import Loaded
from ccm.core.tables import RowError, RowsRefused, csv_rows, parse_date
from ccm.registry.models import State

DATA_DIR = Path(__file__).resolve().parent / "data"
HOLDINGS_CSV = DATA_DIR / "holdings.csv"


@dataclass
class HoldingsLoaded:
    created: int = 0
    unchanged: int = 0


@transaction.atomic
def load_holdings(path: Path = HOLDINGS_CSV) -> HoldingsLoaded:
    """Declared stockpiles and contamination with their sources; validated whole, idempotent."""
    errors: list[RowError] = []
    known = set(State.objects.values_list("iso3", flat=True))
    rows = []
    columns = ["iso3", "kind", "source", "completed_on"]
    for line, row in csv_rows(path, columns, errors):
        where = (path.name, line)
        if row["iso3"] not in known:
            errors.append(RowError(*where, f"iso3 {row['iso3']!r} is not a known State"))
        if row["kind"] not in HoldingKind.values:
            errors.append(RowError(*where, f"kind {row['kind']!r} is unknown"))
        if not row["source"]:
            errors.append(RowError(*where, "source is empty"))
        before = len(errors)
        completed = parse_date(row["completed_on"], "completed_on", where, errors)
        if len(errors) == before:
            rows.append((row, completed))
    if errors:
        raise RowsRefused(errors)
    report = HoldingsLoaded()
    for row, completed in rows:
        values = {"source": row["source"], "completed_on": completed}
        if completed:
            values["completion_source"] = row["source"]
        holding, created = Holding.objects.get_or_create(
            state_id=row["iso3"], kind=row["kind"], defaults=values
        )
        if created:
            report.created += 1
        else:
            report.unchanged += 1
    if report.created:
        audit.record(
            "holdings.loaded",
            actor_label="ccm load_reference_data",
            summary=f"{report.created} created, {report.unchanged} unchanged",
        )
    return report


NOT_RECEIVED_CSV = HOLDINGS_CSV.parent / "ccm_reports_not_received.csv"
OVERDUE_LISTS_CSV = HOLDINGS_CSV.parent / "ccm_overdue_lists.csv"
REPORT_KINDS = ("initial", "annual")


def _kind_period(row: dict, where: tuple[str, int], errors: list[RowError]) -> int | None:
    if row["kind"] not in REPORT_KINDS:
        errors.append(RowError(*where, f"kind {row['kind']!r} is not initial or annual"))
    period = row["period"]
    if period and not period.isdigit():
        errors.append(RowError(*where, f"period {period!r} is not a year"))
        return None
    if row["kind"] == "annual" and not period:
        errors.append(RowError(*where, "an annual report names the year it covers"))
    if row["kind"] == "initial" and period:
        errors.append(RowError(*where, "an initial report covers no year"))
    return int(period) if period else None


def load_evidence(
    not_received_csv: Path = NOT_RECEIVED_CSV, lists_csv: Path = OVERDUE_LISTS_CSV
) -> tuple[int, int]:
    """The public evidence that reports had not arrived (issue #15): statements that a State's
    report was not received as of a date, and published lists or counts of overdue reports.
    Every row checked before anything is written (RowsRefused); loading twice changes nothing."""
    errors: list[RowError] = []
    known = set(State.objects.values_list("iso3", flat=True))
    negatives = []
    columns = ["iso3", "kind", "period", "not_received_as_of", "note", "source"]
    for line, row in csv_rows(not_received_csv, columns, errors):
        where = (not_received_csv.name, line)
        before = len(errors)
        if row["iso3"] not in known:
            errors.append(RowError(*where, f"iso3 {row['iso3']!r} is not a known State"))
        period = _kind_period(row, where, errors)
        day = parse_date(row["not_received_as_of"], "not_received_as_of", where, errors)
        if day is None and len(errors) == before:
            errors.append(RowError(*where, "not_received_as_of is empty"))
        if not row["source"]:
            errors.append(RowError(*where, "source is empty"))
        if len(errors) == before:
            negatives.append(
                {
                    "state_id": row["iso3"],
                    "kind": row["kind"],
                    "period": period,
                    "as_of": day,
                    "note": row["note"],
                    "source": row["source"],
                }
            )
    lists = []
    columns = [
        "as_of_earliest",
        "as_of_latest",
        "kind",
        "period",
        "count_stated",
        "iso3_listed",
        "note",
        "source",
    ]
    for line, row in csv_rows(lists_csv, columns, errors):
        where = (lists_csv.name, line)
        before = len(errors)
        period = _kind_period(row, where, errors)
        first = parse_date(row["as_of_earliest"], "as_of_earliest", where, errors)
        last = parse_date(row["as_of_latest"], "as_of_latest", where, errors)
        if first and last and last < first:
            errors.append(RowError(*where, "as_of_latest is before as_of_earliest"))
        listed = row["iso3_listed"].split()
        unknown = [c for c in listed if c not in known]
        if unknown:
            errors.append(RowError(*where, f"unknown State(s): {', '.join(unknown)}"))
        if not row["count_stated"].isdigit():
            errors.append(RowError(*where, f"count_stated {row['count_stated']!r} is not a number"))
        elif int(row["count_stated"]) < len(listed):
            errors.append(RowError(*where, "more States named than the count stated"))
        if not row["source"]:
            errors.append(RowError(*where, "source is empty"))
        if len(errors) == before:
            lists.append(
                {
                    "as_of_earliest": first,
                    "as_of_latest": last,
                    "kind": row["kind"],
                    "period": period,
                    "count_stated": int(row["count_stated"]),
                    "listed": listed,
                    "note": row["note"],
                    "source": row["source"],
                }
            )
    if errors:
        raise RowsRefused(errors)
    made_n = made_l = 0
    with transaction.atomic():
        for values in negatives:
            key = {k: values[k] for k in ("state_id", "kind", "period", "as_of", "source")}
            _o, created = NotReceived.objects.get_or_create(**key, defaults=values)
            made_n += created
        for values in lists:
            key = {
                k: values[k] for k in ("as_of_earliest", "as_of_latest", "kind", "period", "source")
            }
            _lst, created = PublishedList.objects.get_or_create(**key, defaults=values)
            made_l += created
    return made_n, made_l


def load_reference() -> Loaded:
    """Compliance's part of `ccm load_reference_data` (registered in apps.py)."""
    holdings = load_holdings()
    negatives, lists = load_evidence()
    return Loaded(
        f"declared stockpiles and contamination: {holdings.created} created, "
        f"{holdings.unchanged} unchanged; evidence of reports not received: {negatives} "
        f"statements and {lists} published lists created"
    )


@transaction.atomic
def mark_record_complete(state: State, kind: str, *, by: Any, note: str = "") -> bool:
    """The record of a State's reports of a kind is complete from now on: a report it lacks was
    not received (the ISU marks its own register so). False when it was marked already."""
    if kind not in REPORT_KINDS:
        raise ValueError(f"kind {kind!r} is not initial or annual")
    _r, created = CompleteRecord.objects.get_or_create(
        state=state, kind=kind, defaults={"note": note}
    )
    if created:
        audit.record(
            "record.complete",
            by=by,
            obj=state,
            actor_label="" if by else "ccm",
            summary=f"{state.iso3}: the record of {kind} reports is complete",
        )
    return created


@transaction.atomic
def confirm_declared_holding(*, state_id: str, kind: str, version_id: int, by: Any) -> Holding:
    """Staff confirm a stockpile or contamination a report declares (issue #10): it becomes a
    Holding, the report as its source, and the engine owes its destruction or clearance. Only
    what a report still declares and the record lacks can be confirmed (ValueError otherwise)."""
    from ccm.compliance import selectors

    proposal = next(
        (
            d
            for d in selectors.holdings_to_confirm()
            if d.state.iso3 == state_id and d.kind == kind and d.version.pk == version_id
        ),
        None,
    )
    if proposal is None:
        raise ValueError("no such declaration to confirm")
    holding = Holding.objects.create(state=proposal.state, kind=kind, source=proposal.source)
    audit.record(
        "holding.confirmed_from_report",
        by=by,
        obj=holding,
        summary=f"{holding} confirmed from {proposal.version}",
        after={"source": proposal.source},
    )
    return holding
