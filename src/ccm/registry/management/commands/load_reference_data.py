"""`ccm load_reference_data`: the States table and the Convention's membership, idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core.commands import rows_refused
from ccm.registry import services
from ccm.reporting import services as reporting


class Command(BaseCommand):
    help = (
        "Load the shipped reference data (States, treaty actions, the reports known to have "
        "been received). Safe to run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--states", type=Path, default=services.STATES_CSV)
        parser.add_argument("--membership", type=Path, default=services.MEMBERSHIP_CSV)

    def handle(self, *args: Any, **options: Any) -> None:
        for key in ("states", "membership"):
            if not options[key].is_file():
                raise CommandError(f"{options[key]}: no such file", returncode=2)
        try:
            report = services.load_reference_data(
                states_path=options["states"], membership_path=options["membership"]
            )
        except services.ReferenceDataError as exc:
            what = "in the reference data; nothing was loaded."
            raise rows_refused(self.stderr, exc.errors, what) from exc
        for line in report.flagged:
            self.stdout.write(f"flagged: {line}")
        self.stdout.write(
            f"reference data: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged"
        )
        try:
            known, holdings = reporting.load_reference_data()
        except services.ReferenceDataError as exc:
            what = "in the reports received; none was loaded."
            raise rows_refused(self.stderr, exc.errors, what) from exc
        for line in known.flagged:
            self.stdout.write(f"flagged: {line}")
        self.stdout.write(
            f"reports received: {known.created} created, {known.unchanged} unchanged; "
            f"declared stockpiles and contamination: {holdings.created} created, "
            f"{holdings.unchanged} unchanged"
        )
