"""`ccm report --state ISO3 --kind KIND [--period YYYY] [--version N] --format json`: the
document of a structured report's latest (or given) version, with `version` and `received_on`
added; `forms` comes back exactly as it went in (issue #9, a stable contract). An unknown
report exits 2 with one line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core.commands import check_format
from ccm.reports import selectors, services

FORMATS = ("json",)


class Command(BaseCommand):
    help = "Print a structured report's document (latest version, or --version N)."

    def add_base_argument(self, parser: Any, *args: Any, **kwargs: Any) -> None:
        """`--version N` is the report's version here (the contract), not Django's."""
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--state", required=True, help="ISO3 code")
        parser.add_argument("--kind", required=True, help="initial or annual")
        parser.add_argument("--period", type=int, default=None, help="year covered (annual)")
        parser.add_argument("--version", dest="number", type=int, default=None)
        parser.add_argument("--format", dest="fmt", default="json", help="json")

    def handle(self, *args: Any, **options: Any) -> None:
        check_format(options["fmt"], FORMATS)
        version = selectors.report_version(
            options["state"].upper(), options["kind"], options["period"], options["number"]
        )
        if version is None:
            what = f"{options['state'].upper()} {options['kind']}"
            if options["period"]:
                what += f" {options['period']}"
            if options["number"]:
                what += f" version {options['number']}"
            raise CommandError(f"no report {what}", returncode=2)
        document = services.report_document(version)
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
