"""`ccm backup FILE`: the database and the uploaded files in one archive, with a manifest of
checksums and row counts (SQLite and PostgreSQL alike). Run nightly: when it fails it exits 1
with one line and e-mails the ISU (issue #32), so a backup that stopped does not go unseen."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core import backup

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Write the database and the uploaded files to one archive (a ZIP with a manifest)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            made = backup.backup(Path(o["file"]))
        except Exception as exc:  # whatever stops a backup, the ISU must hear of it
            error = f"{type(exc).__name__}: {exc}".splitlines()[0]
            # The traceback for whoever looks into it (LOG_LEVEL=INFO); stderr gets one line.
            log.info("backup to %s failed", o["file"], exc_info=True)
            try:
                backup.alert_staff(f"ccm backup {o['file']}: {error}")
            except Exception as mail_error:  # noqa: BLE001 - the exit code still tells cron
                error += f" (and the alert could not be sent: {mail_error})".splitlines()[0]
            raise CommandError(f"backup failed: {error}", returncode=1) from None
        self.stdout.write(f"{o['file']}: {made.rows} rows, {made.files} files, {made.size} bytes")
