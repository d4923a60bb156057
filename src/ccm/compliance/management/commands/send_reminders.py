"""`ccm send_reminders [--as-of YYYY-MM-DD] [--dry-run] [--include-demo]`.

E-mails the individual reminders to national focal points. Idempotent: a reminder is never sent
twice for the same obligation and stage, so it is safe to run daily from cron. Prints a log line
per e-mail (and per State skipped); the log is kept in the database (ReminderLog, audit events).
Messages go through the outbox (`ccm.core.mail`): one the mail server refused is printed as
"not sent" and retried by the next run (or `ccm send_outbox`); one whose sending was cut off is
printed as "uncertain" and never re-sent automatically.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccm.compliance.reminders import send_reminders
from ccm.core.commands import parse_as_of


class Command(BaseCommand):
    help = "E-mail reminders of overdue and upcoming Article 7 reports; never twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="print, send nothing")
        parser.add_argument(
            "--include-demo", action="store_true", help="count generated demonstration data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = send_reminders(
            parse_as_of(options["as_of"]),
            dry_run=options["dry_run"],
            include_demo=options["include_demo"],
        )
        verb = "would send" if options["dry_run"] else "sent"
        for line in outcome.sent:
            self.stdout.write(f"{verb}: {line}")
        for line in outcome.skipped:
            self.stdout.write(f"skipped: {line}")
        for line in outcome.failed:
            self.stdout.write(f"not sent (retried by the next run): {line}")
        if outcome.delivery is not None:
            for pk in outcome.delivery.uncertain:
                self.stdout.write(f"uncertain: outgoing e-mail {pk}: check with the mail server")
        self.stdout.write(
            f"{len(outcome.sent)} e-mail(s) {verb}; {len(outcome.skipped)} State(s) skipped; "
            f"{outcome.already} State(s) already reminded"
        )
