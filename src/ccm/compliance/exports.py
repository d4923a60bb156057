"""Plain records of obligations and summaries: what the CLI prints and the dashboard downloads."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ccm.compliance.rules import Compliance, Obligation, Tally

OBLIGATION_FIELDS = [
    "iso3", "kind", "period", "due_date", "rule_due_date", "satisfied_on",
    "satisfied_on_is_latest_possible", "status", "days_late", "days_overdue",
    "source_due_date", "source_differs", "evidence", "sources",
]  # fmt: skip
TALLY_FIELDS = [
    "period", "due_date", "due", "submitted", "on_time", "late", "timeliness_unknown",
    "overdue", "rate", "on_time_rate", "submitted_ahead", "overdue_iso3", "due_soon_iso3",
    "overdue_min", "overdue_max", "overdue_certain_iso3", "unknown_iso3",
    "rate_max", "on_time_rate_max",
]  # fmt: skip


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def obligation_record(o: Obligation) -> dict[str, Any]:
    return {
        "iso3": o.iso3,
        "kind": o.kind.value,
        "period": o.period,
        "due_date": _iso(o.due_date),
        "rule_due_date": _iso(o.rule_due_date),
        "satisfied_on": _iso(o.satisfied_on),
        "satisfied_on_is_latest_possible": o.satisfied_by_only,
        "status": o.status.value,
        "days_late": o.days if o.status is Compliance.LATE else None,
        "days_overdue": o.days if o.status is Compliance.OVERDUE else None,
        "source_due_date": _iso(o.source_due_date),
        "source_differs": o.source_differs,
        # Issue #15: what the evidence rests on, and where it comes from
        "evidence": o.evidence,
        "sources": list(o.sources),
    }


def _rate(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None


def tally_record(t: Tally) -> dict[str, Any]:
    return {
        "period": t.period,
        "due_date": _iso(t.due_date),
        "due": t.fallen_due,
        "submitted": t.submitted,
        "on_time": t.on_time,
        "late": t.late,
        "timeliness_unknown": t.timeliness_unknown,
        # Issue #24: overdue means certainly overdue (= overdue_min, overdue_certain_iso3), and
        # the rates are what the record shows, with their maxima had every unknown arrived
        "overdue": len(t.overdue),
        "rate": _rate(t.rate),
        "on_time_rate": _rate(t.on_time_rate),
        "submitted_ahead": t.submitted_ahead,
        "overdue_iso3": list(t.overdue),
        "due_soon_iso3": list(t.due_soon),
        # Issue #15: certainly overdue (evidence that nothing had arrived), and the range
        "overdue_min": t.overdue_min,
        "overdue_max": t.overdue_max,
        "overdue_certain_iso3": list(t.certainly_overdue),
        "unknown_iso3": list(t.unknown),
        "rate_max": _rate(t.rate_max),
        "on_time_rate_max": _rate(t.on_time_rate_max),
    }


PUBLISHED_WINDOW_DAYS = 60  # a published list "at or near" the date: within 60 days before it


def published_near(lists: list[Any], kind: str, period: int | None, as_of: date) -> list[dict]:
    """Published lists or counts of overdue reports of this kind and period dated at, or within
    PUBLISHED_WINDOW_DAYS before, `as_of` (an undated list: its window meets that span)."""
    start = as_of - timedelta(days=PUBLISHED_WINDOW_DAYS)
    return [
        {"as_of_earliest": _iso(p.as_of_earliest), "as_of_latest": _iso(p.as_of_latest),
         "count": p.count_stated, "listed_iso3": list(p.listed), "source": p.source}
        for p in lists
        if p.kind == kind and p.period == period
        and p.as_of_earliest <= as_of and p.as_of_latest >= start
    ]  # fmt: skip


def compliance_record(
    as_of: date, initial: Tally, annual: list[Tally], lists: list[Any] | None = None
) -> dict[str, Any]:
    lists = lists or []

    def with_published(t: Tally) -> dict[str, Any]:
        kind = "initial" if t.period is None else "annual"
        return {**tally_record(t), "published": published_near(lists, kind, t.period, as_of)}

    return {
        "as_of": as_of.isoformat(),
        "initial": with_published(initial),
        "annual": [with_published(t) for t in annual],
    }


def flat(value: Any) -> str:
    """A cell of a CSV or text table."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


# A cell beginning with one of these is run as a formula by spreadsheet programs opening a CSV
# (issue: exports carry live formulas; OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: str) -> str:
    """A CSV cell for the web downloads: text that would start a formula gets a leading "'".
    Plain numbers (e.g. -3) are left as they are. The CLI outputs do not use this: they are
    stable contracts, and the shipped data has no such cell."""
    if not cell.startswith(FORMULA_TRIGGERS):
        return cell
    try:
        float(cell)
    except ValueError:
        return "'" + cell
    return cell


def text_table(rows: list[dict[str, Any]], fields: list[str]) -> list[str]:
    widths = {f: max([len(f)] + [len(flat(r[f])) for r in rows]) for f in fields}
    lines = ["  ".join(f.ljust(widths[f]) for f in fields).rstrip()]
    for r in rows:
        lines.append("  ".join(flat(r[f]).ljust(widths[f]) for f in fields).rstrip())
    return lines
