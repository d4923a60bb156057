"""`ccm compliance --as-of YYYY-MM-DD --format json|table`.

A stable contract (issue #3): for initial reports and for each annual year, how many had fallen
due (`due`), were submitted, are overdue, and the overdue `iso3` list. Bad input exits 2.
Overdue means certainly overdue (`overdue` = `overdue_min`); the reports the record cannot account
for are `unknown_iso3`, and the rates are certain with their maxima beside them (issue #24).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccm.compliance import exports, rules
from ccm.compliance.selectors import engine_inputs
from ccm.core.commands import check_format, parse_as_of

FORMATS = ("table", "json")


class Command(BaseCommand):
    help = "Summary of compliance with Art. 7 on a date: initial reports and each annual year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", dest="fmt", default="table", help="table or json")
        parser.add_argument(
            "--include-demo", action="store_true", help="count generated demonstration data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check_format(options["fmt"], FORMATS)
        as_of = parse_as_of(options["as_of"])
        snap = engine_inputs(options["include_demo"])
        initial, annual = rules.summarise(snap.obligations(as_of))
        data = exports.compliance_record(as_of, initial, annual, snap.lists)
        if options["fmt"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        rows = [{"report": "initial", **data["initial"]}]
        rows += [{"report": f"annual {t['period']}", **t} for t in data["annual"]]
        fields = [
            "report",
            "due",
            "submitted",
            "on_time",
            "late",
            "overdue",
            "overdue_min",
            "overdue_max",
            "rate",
            "rate_max",
            "on_time_rate",
            "on_time_rate_max",
            "overdue_iso3",
        ]
        for line in exports.text_table(rows, fields):
            self.stdout.write(line)
        self.stdout.write(
            f"as of {as_of}; rates are shares of those due; overdue is certain, up to overdue_max"
            " and rate_max if the reports not in the record were in fact received"
        )
