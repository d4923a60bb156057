"""`ccm obligations --as-of YYYY-MM-DD --format json|csv|table [--state ISO3] [--kind KIND]`.

A stable contract (issue #3): one object per obligation that exists on the date, with at least
iso3, kind, period, due_date, satisfied_on, status and source_due_date. Bad input exits 2.
`status` is "overdue" only when certain; "unknown" when no report is in the record and nothing
shows it had not arrived (issue #24), with `days_overdue` null.
Demonstration data are never counted unless `--include-demo` is given.
"""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.compliance import exports
from ccm.compliance.rules import Kind
from ccm.compliance.selectors import engine_inputs
from ccm.core.commands import check_format, parse_as_of
from ccm.registry.models import State

FORMATS = ("table", "json", "csv")


class Command(BaseCommand):
    help = "Every obligation of every State on a date, with its compliance status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", dest="fmt", default="table", help="table, json or csv")
        parser.add_argument("--state", help="ISO 3166 alpha-3 code of one State")
        parser.add_argument("--kind", help=", ".join(k.value for k in Kind))
        parser.add_argument(
            "--include-demo", action="store_true", help="count generated demonstration data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check_format(options["fmt"], FORMATS)
        as_of = parse_as_of(options["as_of"])
        kind = None
        if options["kind"]:
            try:
                kind = Kind(options["kind"])
            except ValueError:
                raise CommandError(
                    f"--kind: {options['kind']!r} is not one of {', '.join(Kind)}", returncode=2
                ) from None
        state = options["state"].upper() if options["state"] else None
        if state and not State.objects.filter(iso3=state).exists():
            raise CommandError(f"--state: {options['state']!r} is not a known State", returncode=2)
        items = engine_inputs(options["include_demo"]).obligations(as_of, state=state, kind=kind)
        rows = [exports.obligation_record(o) for o in items]
        if options["fmt"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        elif options["fmt"] == "csv":
            writer = csv.DictWriter(self.stdout, exports.OBLIGATION_FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: exports.flat(v) for k, v in r.items()} for r in rows)
        else:
            fields = ["iso3", "kind", "period", "due_date", "satisfied_on", "status"]
            fields += ["days_late", "days_overdue", "source_due_date"]
            for line in exports.text_table(rows, fields):
                self.stdout.write(line)
            overdue = sum(r["status"] == "overdue" for r in rows)
            unknown = sum(r["status"] == "unknown" for r in rows)
            self.stdout.write(
                f"{len(rows)} obligations on {as_of}; {overdue} overdue; {unknown} unknown"
            )
