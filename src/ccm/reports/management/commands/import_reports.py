"""`ccm import_reports FILE [--source TEXT]`: the ISU's register of reports received.

CSV or XLSX, one row per report. The whole file is checked first; if any row is wrong every bad
row is listed (`file, line N: reason`) and nothing is written (exit 1). Safe to run twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core.commands import rows_refused
from ccm.reports import imports, services


class Command(BaseCommand):
    help = "Import a register of reports received (CSV or XLSX); all rows valid or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="source for rows that give none")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            report = services.import_reports(
                path.name,
                path.read_bytes(),
                by=None,
                default_source=options["source"],
                actor_label="ccm import_reports",
            )
        except imports.ImportError_ as exc:
            what = "in the file; nothing was imported."
            raise rows_refused(self.stderr, exc.errors, what) from exc
        for line in report.flagged:
            self.stdout.write(f"flagged: {line}")
        for line in report.notes:
            self.stdout.write(f"note: {line}")
        self.stdout.write(f"{report.created} created, {report.unchanged} already recorded")
