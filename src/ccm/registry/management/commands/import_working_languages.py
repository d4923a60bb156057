"""`ccm import_working_languages FILE.csv`: set States' working languages (columns iso3, language).

All or nothing: every bad row is listed and nothing is written (exit 1). Languages imported count
as set by staff, so `ccm load_reference_data` keeps them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core.commands import rows_refused
from ccm.registry import services


class Command(BaseCommand):
    help = "Set the working language (en, fr, es) of States from a CSV with columns iso3,language."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            report = services.import_working_languages(path)
        except services.ReferenceDataError as exc:
            raise rows_refused(
                self.stderr, exc.errors, "in the file; nothing was changed."
            ) from exc
        for line in report.changed:
            self.stdout.write(f"changed: {line}")
        self.stdout.write(
            f"working languages: {len(report.changed)} changed, {report.unchanged} unchanged"
        )
