"""State changes of compliance: the declared stockpiles and contamination shipped as reference
data. Each is one function, atomic, audited."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from ccm.compliance.choices import HoldingKind
from ccm.compliance.models import Holding
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


def load_reference() -> Loaded:
    """Compliance's part of `ccm load_reference_data` (registered in apps.py)."""
    holdings = load_holdings()
    return Loaded(
        f"declared stockpiles and contamination: {holdings.created} created, "
        f"{holdings.unchanged} unchanged"
    )


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
