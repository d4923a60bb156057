"""`ccm restore FILE [--force]`: load an archive made by `ccm backup`. Every checksum is checked
before anything is written; a database that holds data is refused unless --force (which
replaces everything in it). Exit 1 with one line when refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core import backup


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from an archive made by ccm backup."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--force", action="store_true", help="replace everything in a database that holds data"
        )

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            done = backup.restore(Path(o["file"]), force=o["force"])
        except backup.Refused as exc:
            raise CommandError(str(exc), returncode=1) from None
        self.stdout.write(f"{o['file']}: {done.rows} rows and {done.files} files restored")
