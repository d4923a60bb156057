"""`ccm states --as-of YYYY-MM-DD --format json|csv|table`.

A stable contract (issue #2): other tools read this output. Fields, names and exit codes stay.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccm.core.commands import check_format, parse_as_of
from ccm.registry.rules import Status
from ccm.registry.selectors import state_rows

FIELDS = [
    "iso3", "name", "status", "signature_date", "deposit_date", "deposit_type",
    "entry_into_force_date", "in_force", "withdrawal_date",
]  # fmt: skip
FORMATS = ("table", "json", "csv")
CLI_STATUS = {
    Status.SIGNATORY: "signatory",
    Status.DEPOSITED: "party",
    Status.IN_FORCE: "party",
    Status.WITHDRAWN: "withdrawn",
}


def records(as_of: date) -> list[dict[str, Any]]:
    """One object per State that has signed or deposited an instrument by `as_of`."""
    out = []
    for row in state_rows(as_of):
        if row.status is Status.NOT_SIGNED:
            continue
        m = row.membership
        eif = m.entry_into_force if m.deposit and m.deposit <= as_of else None
        withdrawal = m.withdrawal_effective
        out.append(
            {
                "iso3": row.state.iso3,
                "name": row.state.name_en,
                "status": CLI_STATUS[row.status],
                "signature_date": _iso(
                    m.signature if m.signature and m.signature <= as_of else None
                ),
                "deposit_date": _iso(m.deposit if m.deposit and m.deposit <= as_of else None),
                "deposit_type": m.deposit_kind if m.deposit and m.deposit <= as_of else None,
                "entry_into_force_date": _iso(eif),
                "in_force": row.status is Status.IN_FORCE,
                "withdrawal_date": _iso(withdrawal if withdrawal and withdrawal <= as_of else None),
            }
        )
    out.sort(key=lambda r: str(r["iso3"]))
    return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


class Command(BaseCommand):
    help = "States that signed or joined the Convention, with their status on a date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", dest="fmt", default="table", help="table, json or csv")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["fmt"]
        check_format(fmt, FORMATS)
        data = records(parse_as_of(options["as_of"]))
        out = self.stdout
        if fmt == "json":
            out.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif fmt == "csv":
            writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(
                {
                    k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v)
                    for k, v in r.items()
                }
                for r in data
            )
        else:
            widths = {f: max([len(f)] + [len(str(r[f] or "")) for r in data]) for f in FIELDS}
            out.write("  ".join(f.ljust(widths[f]) for f in FIELDS))
            for r in data:
                out.write(
                    "  ".join(
                        str(r[f] if r[f] is not None else "").ljust(widths[f]) for f in FIELDS
                    ).rstrip()
                )
            parties = sum(r["status"] == "party" for r in data)
            out.write(f"{len(data)} States; {parties} States Parties", style_func=None)
        sys.stdout.flush()
