"""`ccm load_reference_data`: the States table, the Convention's membership, and what each
domain app ships (the reports known to have been received, declared stockpiles); idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core import reference
from ccm.core.commands import rows_refused
from ccm.core.tables import RowsRefused


class Command(BaseCommand):
    help = (
        "Load the shipped reference data (States, treaty actions, the reports known to have "
        "been received). Safe to run twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--states", type=Path, help="the States table (default: shipped)")
        parser.add_argument("--membership", type=Path, help="the treaty actions (default: shipped)")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = {key: options[key] for key in ("states", "membership") if options[key]}
        for path in paths.values():
            if not path.is_file():
                raise CommandError(f"{path}: no such file", returncode=2)
        # One line for the States and their treaty actions, then one for what the domain apps
        # build on them, each after the lines it flags.
        summaries: list[str] = []
        for index, loader in enumerate(reference.loaders()):
            try:
                loaded = loader.load(**paths)
            except RowsRefused as exc:
                raise rows_refused(self.stderr, exc.errors, loader.refused) from exc
            for line in loaded.flagged:
                self.stdout.write(f"flagged: {line}")
            if index == 0:
                self.stdout.write(loaded.summary)
            else:
                summaries.append(loaded.summary)
        if summaries:
            self.stdout.write("; ".join(summaries))
