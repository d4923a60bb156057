"""`ccm send_invoice_reminders [--as-of YYYY-MM-DD] [--dry-run]`: first and second reminders of
unpaid invoices, each sent once (safe to run from cron every day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccm.core.commands import parse_as_of
from ccm.finance.reminders import send_invoice_reminders


class Command(BaseCommand):
    help = "E-mail the reminders of unpaid invoices that are due (each once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **o: Any) -> None:
        outcome = send_invoice_reminders(parse_as_of(o["as_of"]), dry_run=o["dry_run"])
        for line in outcome.sent:
            self.stdout.write(("would send " if o["dry_run"] else "sent ") + line)
        for line in outcome.skipped:
            self.stderr.write("skipped " + line)
        self.stdout.write(
            f"{len(outcome.sent)} reminder(s), {outcome.already} already sent, "
            f"{len(outcome.skipped)} without an address"
        )
