"""`ccm votes --resolution SYMBOL --format json|table`.

A stable contract (issue #14): other tools read this output. It prints `official` (`yes`, `no`,
`abstain`; null when no official totals are on record), `recorded` (the same counts from the
per-State record), `mismatch` (true when both exist and differ) and `votes` (ISO3 -> `yes`, `no`,
`abstain`). An unknown resolution exits 2 with one line.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from ccm.core.commands import check_format
from ccm.outreach import selectors

FORMATS = ("json", "table")


class Command(BaseCommand):
    help = "One UN General Assembly vote: official totals, the per-State record, the votes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--resolution", required=True, help="e.g. A/RES/71/45, or GA/75")
        parser.add_argument("--format", default="json")

    def handle(self, *args: Any, **o: Any) -> None:
        check_format(o["format"], FORMATS)
        try:
            record, votes = selectors.resolution(o["resolution"].strip())
        except Http404:
            raise CommandError(
                f"--resolution: no vote {o['resolution']!r} on record", returncode=2
            ) from None
        out: dict[str, Any] = {
            "resolution": record.resolution.code,
            "official": record.resolution.official,
            "recorded": record.recorded,
            "mismatch": record.mismatch,
            "votes": {v.state_id: v.vote for v in votes},
        }
        if o["format"] == "json":
            self.stdout.write(json.dumps(out, indent=2, sort_keys=False))
            return
        official = record.resolution.official
        self.stdout.write(
            f"{out['resolution']}: official "
            + (f"{official['yes']}/{official['no']}/{official['abstain']}" if official else "none")
            + f", recorded {record.recorded['yes']}/{record.recorded['no']}/"
            f"{record.recorded['abstain']}" + (" (MISMATCH)" if record.mismatch else "")
        )
        for v in votes:
            self.stdout.write(f"{v.state_id}  {v.vote}")
