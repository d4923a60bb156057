"""`ccm import_report FILE.json --received-on YYYY-MM-DD [--by EMAIL] --format json`: record a
report document a State sent as a submitted version entered by the ISU (issue #9). A stable
contract: it prints {"state","kind","period","version","received_on","warnings"}; a document
that does not match its template's schema exits 1 with one line per problem (JSON path and
reason) and writes nothing; bad arguments exit 2. A report workbook (`.xlsx`, issue #10) is
taken as well, with the same exit codes: its problems name the sheet and the cell."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccm.core.commands import check_format, rows_refused
from ccm.core.jsondocs import JSONLimits, JSONRefused, load_json
from ccm.reports import services, workbooks

FORMATS = ("json",)
MAX_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Record a report document (JSON) or a report workbook (XLSX) as a submitted version "
        "entered by the ISU."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--received-on", dest="received_on", required=True, help="YYYY-MM-DD")
        parser.add_argument("--by", default="", help="e-mail of the ISU staff member entering it")
        parser.add_argument("--format", dest="fmt", default="json", help="json")

    def handle(self, *args: Any, **options: Any) -> None:
        check_format(options["fmt"], FORMATS)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file", returncode=2)
        try:
            received_on = date.fromisoformat(options["received_on"])
        except ValueError:
            value = options["received_on"]
            raise CommandError(f"--received-on: {value!r} is not a date", returncode=2) from None
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(email__iexact=options["by"]).first()
            if by is None:
                raise CommandError(f"--by: no account {options['by']!r}", returncode=2)
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path}: larger than {MAX_BYTES // 2**20} MB", returncode=1)
        if path.suffix.lower() == ".xlsx":
            try:
                document = workbooks.read(path.read_bytes()).document()
            except workbooks.WorkbookRefused as exc:
                lines = [f"{path.name}: {problem}" for problem in exc.problems]
                raise rows_refused(
                    self.stderr, lines, "in the workbook; nothing was recorded."
                ) from exc
        else:
            try:
                document = load_json(path.read_bytes(), JSONLimits(max_bytes=MAX_BYTES))
            except JSONRefused as exc:
                raise CommandError(f"{path.name}: {exc}", returncode=1) from None
        try:
            version = services.import_report_document(
                document, received_on=received_on, by=by, actor_label="ccm import_report"
            )
        except services.InvalidDocument as exc:
            lines = [f"{path.name}: {where}: {reason}" for where, reason in exc.problems]
            raise rows_refused(
                self.stderr, lines, "in the document; nothing was recorded."
            ) from exc
        report = version.report
        self.stdout.write(
            json.dumps(
                {
                    "state": report.state_id,
                    "kind": report.kind,
                    "period": report.period,
                    "version": version.number,
                    "received_on": version.received_on.isoformat(),
                    "warnings": version.warnings,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
