"""`ccm backup FILE`: the database and the uploaded files in one archive, with a manifest of
checksums and row counts (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccm.core import backup


class Command(BaseCommand):
    help = "Write the database and the uploaded files to one archive (a ZIP with a manifest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **o: Any) -> None:
        made = backup.backup(Path(o["file"]))
        self.stdout.write(f"{o['file']}: {made.rows} rows, {made.files} files, {made.size} bytes")
